"""What `siglint show` reads of a MetaGraphDef's graph and object graph, from the spans the seek
reader found, without reading what is large.

The ops a graph uses need each node's `op` and its function-valued attributes, never a
constant's tensor: a message up to SMALL bytes is read and handed to protobuf (the graph
subset), a larger one is walked field by field and its attributes over LARGE_ATTRIBUTE bytes (constants) are skipped, so a 1 GiB graph costs a few reads. Object graphs hold no tensors and are read
whole, up to MAX_OBJECT_GRAPH bytes. Every problem is an `Unparsable` saying where.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from google.protobuf import message

from siglint.io.seek_reader import LEN, Field, Span, Unparsable, Walker, Window, length_prefixed
from siglint.io.source import Source, SourceError

SMALL = 16 * 2**20
# An attribute larger than this holds a constant's tensor, not a function's name: never read.
LARGE_ATTRIBUTE = 16 * 2**20
MAX_NAME = 2**20  # an op or function name longer than this is not one
MAX_OBJECT_GRAPH = 256 * 2**20
_NODE, _LIBRARY = 1, 2  # GraphDef fields
_FUNCTION, _REGISTERED_GRADIENTS = 1, 3  # FunctionDefLibrary fields
_SIGNATURE, _NODE_DEF = 1, 3  # FunctionDef fields
_OP, _ATTR = 2, 5  # NodeDef fields
GRADIENT_OP_TYPE_ATTR = "_gradient_op_type"


class NodeSummary(NamedTuple):
    op: str
    f_function: str  # attr "f" as a function's name ("" when there is none), as the call ops use it
    functions: tuple[str, ...]  # every function an attribute names (func and list.func values)
    gradient_op_type: bytes | None  # attr "_gradient_op_type" (its `s`), if set


# Nodes are kept once per distinct summary: what `show` works out needs no order and no
# count, and a graph of a million alike nodes costs a few entries.
class FunctionSummary(NamedTuple):
    name: str
    nodes: frozenset[NodeSummary]


class GraphSummary(NamedTuple):
    nodes: frozenset[NodeSummary]
    functions: tuple[FunctionSummary, ...]
    registered_gradients: tuple[tuple[str, str], ...]  # (gradient_func, registered_op_type)


def _node(proto: Any) -> NodeSummary:
    functions: list[str] = []
    gradient_op_type = None
    f_function = ""
    for key, value in proto.attr.items():
        kind = value.WhichOneof("value")
        if kind == "func":
            functions.append(value.func.name)
            if key == "f":
                f_function = value.func.name
        elif kind == "list":
            functions.extend(f.name for f in value.list.func)
        elif kind == "s" and key == GRADIENT_OP_TYPE_ATTR:
            gradient_op_type = bytes(value.s)
    return NodeSummary(proto.op, f_function, tuple(functions), gradient_op_type)


def summary_from_proto(graph: Any) -> GraphSummary:
    """The summary of a GraphDef message (a `.pbtxt`'s, or a small graph's)."""
    return GraphSummary(
        nodes=frozenset(_node(node) for node in graph.node),
        functions=tuple(
            FunctionSummary(f.signature.name, frozenset(_node(node) for node in f.node_def))
            for f in graph.library.function
        ),
        registered_gradients=tuple(
            (g.gradient_func, g.registered_op_type) for g in graph.library.registered_gradients
        ),
    )


def _parse(message_class: type, data: bytes, where: str) -> Any:
    proto = message_class()
    try:
        proto.ParseFromString(data)
    except (message.DecodeError, RuntimeError, ValueError) as error:
        raise Unparsable(f"{where}: {error}") from None
    return proto


class _GraphWalker:
    """Reads a GraphDef larger than SMALL: headers walked, small messages parsed, large
    attributes skipped."""

    def __init__(self, source: Source) -> None:
        from siglint.savedmodel.graph_proto import FunctionDef, GraphDef, NodeDef

        self.walker = Walker(Window(source))
        self.graph_class, self.node_class, self.function_class = GraphDef, NodeDef, FunctionDef

    def _read(self, field: Field) -> bytes:
        return self.walker.source.read(field.value_start, field.end - field.value_start)

    def _fields(self, field: Field, where: str) -> Iterator[Field]:
        return self.walker.fields(field.value_start, field.end, 2, where)

    def _small(self, field: Field) -> bool:
        return field.end - field.value_start <= SMALL

    def _name(self, field: Field, where: str) -> str:
        if field.end - field.value_start > MAX_NAME:
            raise Unparsable(f"{where}: a name of {field.end - field.value_start} bytes")
        return self._read(field).decode("utf-8", "replace")

    def node(self, field: Field, where: str) -> NodeSummary:
        if self._small(field):
            return _node(_parse(self.node_class, self._read(field), where))
        op, attrs = "", self.node_class()
        for inner in self._fields(field, where):
            if inner.wire != LEN:
                continue
            if inner.number == _OP:
                op = self._name(inner, f"{where}.op")
            elif inner.number == _ATTR and inner.end - inner.value_start <= LARGE_ATTRIBUTE:
                # One entry of the attr map, parsed as a NodeDef holding just it (the last wins).
                attrs.MergeFrom(_parse(self.node_class, length_prefixed(_ATTR, self._read(inner)), where))
        return _node(attrs)._replace(op=op)

    def function(self, field: Field, where: str) -> FunctionSummary:
        if self._small(field):
            proto = _parse(self.function_class, self._read(field), where)
            return FunctionSummary(proto.signature.name, frozenset(_node(n) for n in proto.node_def))
        name, nodes = "", set[NodeSummary]()
        for inner in self._fields(field, where):
            if inner.wire != LEN:
                continue
            if inner.number == _SIGNATURE:  # an OpDef: its name is field 1
                for part in self._fields(inner, f"{where}.signature"):
                    if (part.number, part.wire) == (1, LEN):
                        name = self._name(part, f"{where}.signature.name")
            elif inner.number == _NODE_DEF:
                nodes.add(self.node(inner, f"{where}.node_def"))
        return FunctionSummary(name, frozenset(nodes))

    def graph(self, span: Span) -> GraphSummary:
        nodes: set[NodeSummary] = set()
        functions: list[FunctionSummary] = []
        gradients: list[tuple[str, str]] = []
        where = "graph_def"
        for field in self.walker.fields(span.offset, span.offset + span.length, 1, where):
            if field.wire != LEN:
                continue
            if field.number == _NODE:
                nodes.add(self.node(field, f"{where}.node"))
            elif field.number == _LIBRARY:
                for inner in self._fields(field, f"{where}.library"):
                    if inner.wire != LEN:
                        continue
                    if inner.number == _FUNCTION:
                        functions.append(self.function(inner, f"{where}.library.function"))
                    elif inner.number == _REGISTERED_GRADIENTS and self._small(inner):
                        wrapped = length_prefixed(_REGISTERED_GRADIENTS, self._read(inner))
                        library = _parse(self.graph_class, length_prefixed(_LIBRARY, wrapped), where)
                        gradients += summary_from_proto(library).registered_gradients
        return GraphSummary(frozenset(nodes), tuple(functions), tuple(gradients))


def read_graph(source: Source, spans: Iterable[Span]) -> GraphSummary:
    """The summary of the graph_def found at `spans` of `source` (protobuf merges several)."""
    from siglint.savedmodel.graph_proto import GraphDef

    parts = []
    for span in spans:
        if span.length <= SMALL:
            parts.append(summary_from_proto(_parse(GraphDef, _read(source, span), "graph_def")))
        else:
            parts.append(_GraphWalker(source).graph(span))
    return GraphSummary(
        nodes=frozenset(n for part in parts for n in part.nodes),
        functions=tuple(f for part in parts for f in part.functions),
        registered_gradients=tuple(g for part in parts for g in part.registered_gradients),
    )


def read_object_graph(source: Source, spans: Iterable[Span]) -> Any:
    """The inspection-schema SavedObjectGraph found at `spans` of `source`."""
    from siglint.savedmodel.inspect_proto import SavedObjectGraph

    spans = tuple(spans)
    total = sum(span.length for span in spans)
    if total > MAX_OBJECT_GRAPH:
        raise Unparsable(f"object_graph_def: {total} bytes is over siglint's limit of {MAX_OBJECT_GRAPH}")
    proto = SavedObjectGraph()
    for span in spans:
        try:
            proto.MergeFromString(_read(source, span))
        except (message.DecodeError, RuntimeError, ValueError) as error:
            raise Unparsable(f"object_graph_def: {error}") from None
    return proto


def _read(source: Source, span: Span) -> bytes:
    try:
        return source.read(span.offset, span.length)
    except SourceError as error:
        raise Unparsable(str(error)) from None
