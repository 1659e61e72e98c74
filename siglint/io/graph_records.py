"""What siglint keeps of a MetaGraphDef's graph: records of its nodes, its library's functions and
registered gradients, made from GraphDef messages and counted against the limits. The graph
reader (siglint.io.graph_reader) makes them from the bytes of a saved_model.pb, a batch of
messages at a time; `graph_from_message` from a GraphDef parsed whole (a .pbtxt's).

Names, ops, inputs and the small attributes (types, counts, functions) are kept; shapes, tensors
and other values are not. The graph rules (siglint.model.graph) read the functions a node's op
declares; `siglint show` (siglint.model.details) reads `every_function`: what
`tf.saved_model.load` reads to order the library, every attribute naming a function and
`_gradient_op_type`.

Errors are GraphUndecodable (protobuf would reject the graph: the model never loads) and
GraphTooLarge (more nodes or functions than siglint reads: the rules skip the graph).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, NamedTuple

from siglint.savedmodel import ops

AttrValue = ops.AttrValue
GRADIENT_OP_TYPE_ATTR = "_gradient_op_type"


class Limits(NamedTuple):
    max_nodes: int = 300_000  # in the graph and every function together
    max_functions: int = 100_000
    walk_above: int = 4 * 2**20  # a node or function larger than this is walked, not parsed
    batch_bytes: int = 4 * 2**20  # small nodes and functions parsed at a time
    max_attr_bytes: int = 4096  # a string attribute longer than this is not kept


DEFAULT_LIMITS = Limits()


class GraphUndecodable(Exception):
    """The graph_def is not a valid GraphDef; the message says where and why."""


class GraphTooLarge(Exception):
    """The graph holds more than siglint reads (Limits); the message says what."""


class NodeRecord(NamedTuple):
    name: str
    op: str
    inputs: tuple[str, ...]
    # Small attribute values by key: a type or int, a list of them, a string (bytes), a function
    # name or a list of them. Keys starting with "_" (TensorFlow's bookkeeping) are left out.
    # None: not kept (a function's node, or a node no rule asked for).
    attrs: Mapping[str, AttrValue] | None
    # Every function an attribute names, as (attribute key, function name), in order: of the
    # attributes its op declares as functions (the op registry; all of them for an op it lacks),
    # or of every attribute when read `every_function`.
    functions: tuple[tuple[str, str], ...] = ()
    call: str = ""  # attribute "f" when it is one function (not a list): what a call op runs
    gradient_op_type: bytes | None = None  # attribute "_gradient_op_type"; read `every_function`


class ArgRecord(NamedTuple):
    """An output argument of a function's signature (OpDef.ArgDef)."""

    name: str
    dtype: int
    type_attr: str = ""
    number_attr: str = ""
    type_list_attr: str = ""
    is_ref: bool = False


class FunctionRecord(NamedTuple):
    name: str
    outputs: tuple[ArgRecord, ...]
    nodes: tuple[NodeRecord, ...]


class GraphRecord(NamedTuple):
    nodes: tuple[NodeRecord, ...]
    functions: tuple[FunctionRecord, ...]
    producer: int | None  # versions.producer: the GraphDef version that wrote it
    # The library's registered_gradients, as (gradient_func, registered_op_type), in order.
    registered_gradients: tuple[tuple[str, str], ...] = ()


def _attr_value(value: Any, kind: str | None) -> AttrValue | None:
    if kind == "type":
        return int(value.type)
    if kind == "i":
        return int(value.i)
    if kind == "func":
        return str(value.func.name)
    if kind == "s":
        return bytes(value.s)
    if kind == "list":
        values = value.list
        if values.type:
            return tuple(values.type)
        if values.func:
            return tuple(f.name for f in values.func)
        if values.i:
            return tuple(values.i)
        return ()
    return None


class _Called(NamedTuple):
    """What a node's attributes name: the last fields of its NodeRecord."""

    functions: tuple[tuple[str, str], ...] = ()
    call: str = ""
    gradient_op_type: bytes | None = None


_CALLS_NOTHING = _Called()


def _called(node: Any, every_function: bool) -> _Called:
    """What `node`'s attributes name (see NodeRecord): the functions of the attributes its op
    declares as functions or, `every_function`, of every attribute; its call; its gradient op
    type (`every_function` only: the graph rules never ask)."""
    declared = None if every_function else ops.function_attrs(node.op)
    if declared == ():  # most ops name no function: their attributes are not looked at
        return _CALLS_NOTHING
    attrs = node.attr
    functions: list[tuple[str, str]] = []
    call = ""
    for key in list(attrs) if declared is None else [key for key in declared if key in attrs]:
        value = attrs[key]
        kind = value.WhichOneof("value")
        if kind == "func":
            functions.append((key, value.func.name))
            if key == "f":
                call = value.func.name
        elif kind == "list":
            functions.extend((key, function.name) for function in value.list.func)
    gradient = attrs[GRADIENT_OP_TYPE_ATTR] if every_function and GRADIENT_OP_TYPE_ATTR in attrs else None
    gradient_op_type = bytes(gradient.s) if gradient is not None and gradient.WhichOneof("value") == "s" else None
    return _Called(tuple(functions), call, gradient_op_type)


def arg_record(arg: Any) -> ArgRecord:
    return ArgRecord(arg.name, int(arg.type), arg.type_attr, arg.number_attr, arg.type_list_attr, arg.is_ref)


class Collector:
    """Records as they are decoded, counted against the limits: the graph nodes' attributes only
    for those named in `attrs_of` (None: every graph node), `every_function` as `read_graph`."""

    def __init__(self, limits: Limits, attrs_of: Collection[str] | None, every_function: bool) -> None:
        self.limits = limits
        self.attrs_of = attrs_of
        self.every_function = every_function
        self.nodes: list[NodeRecord] = []
        self.functions: list[FunctionRecord] = []
        self.gradients: list[tuple[str, str]] = []
        self.node_count = 0
        self.producer: int | None = None

    def count(self, nodes: int, functions: int = 0) -> None:
        self.node_count += nodes
        if self.node_count > self.limits.max_nodes:
            raise GraphTooLarge(f"more than {self.limits.max_nodes:,} nodes")
        if len(self.functions) + functions > self.limits.max_functions:
            raise GraphTooLarge(f"more than {self.limits.max_functions:,} functions")

    def add_nodes(self, nodes: Iterable[Any]) -> None:
        nodes = list(nodes)
        self.count(len(nodes))
        self.nodes.extend(self.node(node, keep_attrs=self.keeps(node.name)) for node in nodes)

    def node(self, node: Any, *, keep_attrs: bool = False, in_function: bool = False) -> NodeRecord:
        """A NodeDef message's record; its attributes only with `keep_attrs` (only the nodes whose
        outputs a rule types need them: signatures name a few of the graph's own nodes), its
        inputs only for a graph node (what depends on what is followed in the graph; a function
        runs whole)."""
        called = _called(node, self.every_function)
        if in_function:
            return NodeRecord(node.name, node.op, (), None, *called)
        kept: dict[str, AttrValue] | None = None
        if keep_attrs:
            kept = {}
            for key, value in node.attr.items():
                if key.startswith("_"):
                    continue
                decoded = _attr_value(value, value.WhichOneof("value"))
                if decoded is None or (isinstance(decoded, bytes) and len(decoded) > self.limits.max_attr_bytes):
                    continue
                kept[key] = decoded
        return NodeRecord(node.name, node.op, tuple(node.input), kept, *called)

    def keeps(self, name: str) -> bool:
        return self.attrs_of is None or name in self.attrs_of

    def add_function(self, name: str, outputs: tuple[ArgRecord, ...], nodes: list[NodeRecord]) -> None:
        self.count(0, 1)
        self.functions.append(FunctionRecord(name, outputs, tuple(nodes)))

    def add_function_messages(self, functions: Iterable[Any]) -> None:
        for function in functions:
            self.count(len(function.node_def), 1)
            self.functions.append(
                FunctionRecord(
                    function.signature.name,
                    tuple(arg_record(arg) for arg in function.signature.output_arg),
                    tuple(self.node(node, in_function=True) for node in function.node_def),
                )
            )

    def add_gradients(self, library: Any) -> None:
        self.gradients.extend((g.gradient_func, g.registered_op_type) for g in library.registered_gradients)

    def add_graph(self, graph_def: Any) -> None:
        """A GraphDef message: nodes, library and versions."""
        self.add_nodes(graph_def.node)
        self.add_function_messages(graph_def.library.function)
        self.add_gradients(graph_def.library)
        if graph_def.HasField("versions"):
            self.producer = int(graph_def.versions.producer)

    def record(self) -> GraphRecord:
        return GraphRecord(tuple(self.nodes), tuple(self.functions), self.producer, tuple(self.gradients))


def graph_from_message(
    graph_def: Any,
    limits: Limits = DEFAULT_LIMITS,
    attrs_of: Collection[str] | None = None,
    *,
    every_function: bool = False,
) -> GraphRecord:
    """The records of a GraphDef message (siglint.savedmodel.graph_proto.GraphDef), with the
    attributes of the graph nodes named in `attrs_of` (None: of every graph node), `every_function`
    as `siglint.io.graph_reader.read_graph` reads it."""
    collector = Collector(limits, attrs_of, every_function)
    collector.add_graph(graph_def)
    return collector.record()
