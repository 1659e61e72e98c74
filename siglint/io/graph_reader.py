"""The graph reader: a MetaGraphDef's graph read through the Source seam into records
(siglint.io.graph_records) without reading tensor contents, for the graph rules
(siglint.model.graph) and for `siglint show`'s ops and functions (siglint.model.details).

A graph_def is a list of NodeDefs and a library of FunctionDefs. Runs of small nodes and
functions are read a batch at a time and parsed by protobuf (wrapped in a SavedModel, a
MetaGraphDef and a GraphDef, so that protobuf's nesting limit counts as in a full parse); a node
or function larger than `Limits.walk_above` (a Const holding a large tensor) is walked field by
field with the seek reader's walker, and its large attribute values (the tensor) are checked
and skipped, never read. Memory is bounded by the batch size and the records kept; time is
linear in the number of nodes, and a graph of more nodes or functions than the limits is left
as soon as the walk has counted them (GraphTooLarge), not walked to its end.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any, NamedTuple

from google.protobuf import message

from siglint.io.graph_records import (
    DEFAULT_LIMITS,
    Collector,
    GraphRecord,
    GraphTooLarge,
    GraphUndecodable,
    Limits,
    NodeRecord,
    arg_record,
)
from siglint.io.seek_reader import LEN, Field, Span, Unparsable, Walker, Window, length_prefixed
from siglint.io.source import Source

# GraphDef, FunctionDefLibrary, FunctionDef and NodeDef field numbers (graph.proto, function.proto,
# node_def.proto).
_GRAPH_NODE, _GRAPH_LIBRARY, _GRAPH_VERSIONS = 1, 2, 4
_LIBRARY_FUNCTION, _LIBRARY_REGISTERED_GRADIENTS = 1, 3
_FUNCTION_NODE = 3
_NODE_ATTR = 5
_ENTRY_KEY, _ENTRY_VALUE = 1, 2


class _Run(NamedTuple):
    """Consecutive small fields, read and parsed together."""

    start: int
    end: int


def _wrapped(payload: bytes, *numbers: int) -> bytes:
    """`payload` as the contents of fields `numbers`, outermost first."""
    for number in reversed(numbers):
        payload = length_prefixed(number, payload)
    return payload


class _Reader:
    def __init__(self, source: Source, limits: Limits, attrs_of: Collection[str] | None, every_function: bool) -> None:
        self.window = Window(source)
        self.walker = Walker(self.window)
        self.limits = limits
        self.collector = Collector(limits, attrs_of, every_function)

    def _parse(self, payload: bytes, where: str) -> Any:
        from siglint.savedmodel.graph_proto import GraphSavedModel

        try:
            return GraphSavedModel.FromString(payload).meta_graphs[0].graph_def
        except (message.DecodeError, RuntimeError, ValueError):
            raise GraphUndecodable(f"{where}: protobuf rejects its contents") from None

    def read(self, spans: Iterable[Span]) -> GraphRecord:
        for span in spans:
            if span.length <= self.limits.walk_above:  # most graphs: one read, one parse
                graph = self._parse(_wrapped(self.window.read(span.offset, span.length), 2, 2), "graph_def")
                self.collector.add_graph(graph)
            else:
                self._graph(span.offset, span.offset + span.length)
        return self.collector.record()

    def _batches(self, fields: Iterator[Field], number: int, functions: bool = False) -> Iterator[Field | _Run]:
        """The fields of `fields`, with runs of small LEN fields numbered `number` merged into
        _Runs of at most batch_bytes each."""
        run: _Run | None = None
        # More fields than the limits allow: stop walking them (16M tiny nodes cost no minutes).
        most = self.limits.max_functions if functions else self.limits.max_nodes
        seen = 0
        for field in fields:
            seen += field.number == number
            if seen > most:
                raise GraphTooLarge(f"more than {most:,} {'functions' if functions else 'nodes'}")
            small = field.number == number and field.wire == LEN and field.end - field.start <= self.limits.walk_above
            if small and run is not None and field.start == run.end and field.end - run.start <= self.limits.batch_bytes:
                run = _Run(run.start, field.end)
                continue
            if run is not None:
                yield run
                run = None
            if small:
                run = _Run(field.start, field.end)
            else:
                yield field
        if run is not None:
            yield run

    def _graph(self, start: int, end: int) -> None:
        where = "graph_def"
        fields = self.walker.fields(start, end, 2, where)
        for item in self._batches(fields, _GRAPH_NODE):
            if isinstance(item, _Run):
                graph = self._parse(_wrapped(self.window.read(item.start, item.end - item.start), 2, 2), f"{where}.node")
                self.collector.add_nodes(graph.node)
            elif item.number == _GRAPH_NODE and item.wire == LEN:
                self.collector.nodes.append(self._big_node(item, f"{where}.node", graph_node=True))
                self.collector.count(1)
            elif item.number == _GRAPH_LIBRARY and item.wire == LEN:
                self._library(item, f"{where}.library")
            elif item.number == _GRAPH_VERSIONS and item.wire == LEN:
                payload = self.window.read(item.start, item.end - item.start)  # a few bytes
                versions = self._parse(_wrapped(payload, 2, 2), f"{where}.versions").versions
                self.collector.producer = int(versions.producer)

    def _library(self, field: Field, where: str) -> None:
        fields = self.walker.fields(field.value_start, field.end, 3, where)
        for item in self._batches(fields, _LIBRARY_FUNCTION, functions=True):
            if isinstance(item, _Run):
                # meta_graphs, graph_def and library are each field 2 of the message around them.
                payload = _wrapped(self.window.read(item.start, item.end - item.start), 2, 2, _GRAPH_LIBRARY)
                graph = self._parse(payload, f"{where}.function")
                self.collector.add_function_messages(graph.library.function)
            elif item.number == _LIBRARY_FUNCTION and item.wire == LEN:
                self._big_function(item, f"{where}.function")
            elif item.number == _LIBRARY_REGISTERED_GRADIENTS and item.wire == LEN:
                self._gradient(item, f"{where}.registered_gradients")

    def _gradient(self, field: Field, where: str) -> None:
        """One of the library's registered_gradients, read by protobuf."""
        from siglint.savedmodel.graph_proto import FunctionDefLibrary

        library = FunctionDefLibrary()
        self._merge(library, field, where)
        self.collector.add_gradients(library)

    def _big_function(self, field: Field, where: str) -> None:
        from siglint.savedmodel.graph_proto import FunctionDef

        rest, nodes = FunctionDef(), []  # everything but the nodes, read by protobuf
        for item in self._batches(self.walker.fields(field.value_start, field.end, 4, where), _FUNCTION_NODE):
            if isinstance(item, _Run):
                # Parsed at their own depth: nodes of a function of the library of the graph.
                data = self.window.read(item.start, item.end - item.start)
                payload = _wrapped(data, 2, 2, _GRAPH_LIBRARY, _LIBRARY_FUNCTION)
                parsed = self._parse(payload, f"{where}.node_def").library.function[0].node_def
                self.collector.count(len(parsed))
                nodes.extend(self.collector.node(node, in_function=True) for node in parsed)
            elif item.number == _FUNCTION_NODE and item.wire == LEN:
                self.collector.count(1)
                nodes.append(self._big_node(item, f"{where}.node_def"))
            else:
                self._merge(rest, item, where)
        signature = rest.signature
        outputs = tuple(arg_record(arg) for arg in signature.output_arg)
        self.collector.add_function(signature.name, outputs, nodes)

    def _merge(self, target: Any, field: Field, where: str) -> None:
        """protobuf's own reading of one field of `target`'s message (its checks included)."""
        length = field.end - field.start
        if length > self.limits.batch_bytes:
            raise GraphTooLarge(f"{where} is {length:,} bytes")
        try:
            target.MergeFromString(self.window.read(field.start, length))
        except (message.DecodeError, RuntimeError, ValueError):
            raise GraphUndecodable(f"{where}: protobuf rejects its contents") from None

    def _big_node(self, field: Field, where: str, *, graph_node: bool = False) -> NodeRecord:
        """A node too large to read whole: every field but a large attribute value (a Const's
        tensor) is read by protobuf; that one is checked as protobuf checks it, and skipped."""
        from siglint.savedmodel.graph_proto import NodeDef

        node = NodeDef()
        for inner in self.walker.fields(field.value_start, field.end, 4, where):
            if inner.number == _NODE_ATTR and inner.wire == LEN and inner.end - inner.start > self.limits.walk_above:
                _read_large_attr(self, inner, node, f"{where}.attr")
            else:
                self._merge(node, inner, where)
        keep = graph_node and self.collector.keeps(node.name)
        return self.collector.node(node, keep_attrs=keep, in_function=not graph_node)


# AttrValue (attr_value.proto): `list`, `placeholder` (a string), and `shape` and `tensor`, which
# are Opaque to siglint (protobuf checks their contents one level deep).
_ATTR_LIST, _ATTR_PLACEHOLDER = 1, 9
_ATTR_OPAQUE = (7, 8)
_UTF8_CHUNK = 2**20


def _check_utf8(reader: _Reader, field: Field, where: str) -> None:
    """A string field of any size is UTF-8, as protobuf requires of proto3 strings."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(field.value_start, field.end, _UTF8_CHUNK):
            decoder.decode(reader.window.read(start, min(_UTF8_CHUNK, field.end - start)))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise GraphUndecodable(f"{where}: not valid UTF-8") from None


def _read_large_value(reader: _Reader, field: Field, holder: Any, where: str, *, is_list: bool = False) -> None:
    """A large AttrValue (or its ListValue) into `holder`, checked as protobuf checks it: its
    Opaque shape and tensor walked one level deep and left out, a string field checked UTF-8,
    every other field read by protobuf (one larger than `batch_bytes`, a function with huge
    attributes, is walked one level deep and left out)."""
    for value in reader.walker.fields(field.value_start, field.end, 6, where):
        if value.wire == LEN and not is_list and value.number in _ATTR_OPAQUE:
            for _ in reader.walker.fields(value.value_start, value.end, 7, where):
                pass
        elif value.wire == LEN and not is_list and value.number == _ATTR_PLACEHOLDER:
            _check_utf8(reader, value, where)
        elif value.wire == LEN and not is_list and value.number == _ATTR_LIST:
            holder.list.SetInParent()
            _read_large_value(reader, value, holder.list, f"{where}.list", is_list=True)
        elif value.end - value.start <= reader.limits.batch_bytes:
            reader._merge(holder, value, where)
        else:
            for _ in reader.walker.fields(value.value_start, value.end, 7, where):
                pass


def _read_large_attr(reader: _Reader, field: Field, node: Any, where: str) -> None:
    """A map entry too large to read whole (a Const's value) into `node.attr`, its tensor
    checked and skipped, never read."""
    from siglint.savedmodel.graph_proto import AttrValue

    key, value = "", AttrValue()
    for entry in reader.walker.fields(field.value_start, field.end, 5, where):
        if entry.wire != LEN:
            continue
        if entry.number == _ENTRY_KEY:
            _check_utf8(reader, entry, f"{where}.key")
            key = reader.window.read(entry.value_start, min(entry.end - entry.value_start, 4096)).decode("utf-8", "replace")
        elif entry.number == _ENTRY_VALUE:
            value = AttrValue()  # the last value wins, as in protobuf's map parse
            _read_large_value(reader, entry, value, f"{where}.value")
    node.attr[key].CopyFrom(value)


def read_graph(
    source: Source,
    spans: Iterable[Span],
    limits: Limits = DEFAULT_LIMITS,
    attrs_of: Collection[str] | None = None,
    *,
    every_function: bool = False,
) -> GraphRecord:
    """The records of the graph_def whose payloads lie at `spans` of `source` (protobuf merges
    several: their nodes and functions add up), with the attributes of the graph nodes named in
    `attrs_of` (None: of every graph node). `every_function` keeps, for each node, the functions
    all its attributes name and its `_gradient_op_type`, as `tf.saved_model.load` reads them, not
    only the functions its op declares. Raises GraphUndecodable or GraphTooLarge."""
    reader = _Reader(source, limits, attrs_of, every_function)
    try:
        return reader.read(spans)
    except Unparsable as error:
        raise GraphUndecodable(str(error)) from None
