"""What `siglint show` adds to a model's views: the ops each MetaGraphDef uses, the functions of a
TF2 object graph with their input signatures, and `fingerprint.pb`, read only when asked for.

They follow what `saved_model_cli show --all` (tensorflow/python/tools/saved_model_cli.py)
prints: the ops as `meta_graph.ops_used_by_graph_def` collects them, and the functions as
`_show_defined_functions` lists them after `tf.saved_model.load`, which siglint does not run: it
works out what that load gives (load.py, function_deserialization.py, nested_structure_coder.py),
including when the load fails and saved_model_cli lists nothing. Graphs are read by the graph
reader, within its limits, as the graph rules read them (siglint.io.graph_reader), object graphs
by the seek reader. Nothing here raises on bad input: what cannot be read is a note.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from siglint.io import seek_reader
from siglint.io.graph_reader import read_graph
from siglint.io.graph_records import (
    DEFAULT_LIMITS,
    FunctionRecord,
    GraphRecord,
    GraphTooLarge,
    GraphUndecodable,
    Limits,
    NodeRecord,
    graph_from_message,
)
from siglint.io.seek_reader import Unparsable
from siglint.io.source import Source, SourceError, read_chunks, storage_for
from siglint.model import structure
from siglint.model.view import METADATA, SAVEDMODEL, ModelView
from siglint.savedmodel import ops
from siglint.savedmodel.constants import CALL_OPS

CUSTOM_OPS = "the existence of custom ops in the SavedModel"  # saved_model_cli's words
UNKNOWN_REASONS = "unknown reasons"
FINGERPRINT_FILENAME = "fingerprint.pb"
MAX_FINGERPRINT_BYTES = 2**20


class ConcreteFunctionView(NamedTuple):
    name: str  # in the function library: `__inference_predict_33`
    # The positional and keyword arguments of its input signature (TensorSpecs, Python values,
    # nested structures: siglint.model.structure), None when it has no structured signature.
    arguments: tuple[Any, ...] | None
    keyword_arguments: Mapping[str, Any]
    argument_keywords: tuple[str, ...] = ()  # printed instead, when there is no signature
    problem: str | None = None  # why its arguments cannot be shown as TensorFlow would


class FunctionView(NamedTuple):
    name: str  # the attribute of the root object
    concrete_functions: tuple[ConcreteFunctionView, ...]  # in the order saved_model_cli lists them


class Functions(NamedTuple):
    """The functions of a TF2 export, or why none are listed."""

    functions: tuple[FunctionView, ...] = ()
    # Why `tf.saved_model.load` fails, so that saved_model_cli lists none: CUSTOM_OPS or UNKNOWN_REASONS.
    tensorflow_cannot_list: str | None = None
    siglint_cannot_read: str | None = None  # why siglint could not read the object graph


class OpsUsed(NamedTuple):
    ops: frozenset[str] | None  # None when the graph could not be read
    note: str | None = None


class Fingerprint(NamedTuple):
    saved_model_checksum: int
    graph_def_program_hash: int
    signature_def_hash: int
    saved_object_graph_hash: int
    checkpoint_hash: int
    uuid: str
    producer: int


class ModelDetails(NamedTuple):
    ops: tuple[OpsUsed, ...]  # one for each MetaGraphDef of the view, in its order
    functions: Functions | None  # None: no MetaGraphDef has an object graph
    fingerprint: Fingerprint | None = None
    fingerprint_note: str | None = None


class _Read(NamedTuple):
    graphs: list[GraphRecord | str]  # a graph's records (read `every_function`), or why it could not be read
    object_graphs: list[Any]  # a SavedObjectGraph message, None when absent, or why it could not be read


def read_details(model: ModelView, limits: Limits = DEFAULT_LIMITS) -> ModelDetails:
    """The details of `model` (which was loaded from `model.file`), its graphs read within `limits`."""
    if model.kind != SAVEDMODEL:
        note = "a GetModelMetadata response holds no graph" if model.kind == METADATA else f"a {model.kind} model has no graph"
        return ModelDetails(tuple(OpsUsed(None, note) for _ in model.meta_graphs), None)
    try:
        read = _read(model.file, limits)
    except Unparsable as error:
        read = _Read([str(error)] * len(model.meta_graphs), [str(error)] * len(model.meta_graphs))
    ops_by_graph = tuple(
        OpsUsed(ops_used(graph)) if isinstance(graph, GraphRecord) else OpsUsed(None, f"siglint could not read its graph_def: {graph}")
        for graph in read.graphs
    )
    functions: Functions | None = None
    if any(mg.is_tf2 for mg in model.meta_graphs):
        functions = _functions(read) if len(model.meta_graphs) == 1 else Functions(tensorflow_cannot_list=UNKNOWN_REASONS)
    fingerprint, fingerprint_note = _fingerprint(model.path)
    return ModelDetails(ops_by_graph, functions, fingerprint, fingerprint_note)


def unread_details(model: ModelView) -> ModelDetails:
    """Details of `model` left unread (only its signatures are wanted)."""
    return ModelDetails(tuple(OpsUsed(None, "not read") for _ in model.meta_graphs), None)


def _read(path: str, limits: Limits) -> _Read:
    storage = storage_for(path)
    try:
        source = storage.open(path)
    except SourceError as error:
        raise Unparsable(str(error)) from None
    try:
        if path.endswith(".pbtxt"):
            return _read_text(source, limits)
        return _read_binary(source, limits)
    finally:
        source.close()


def _records(read: Callable[..., GraphRecord], *args: Any) -> GraphRecord | str:
    """What show needs of a graph, `read(*args)`: every function its nodes name and no node's
    attributes; or why it could not be read."""
    try:
        return read(*args, attrs_of=(), every_function=True)
    except (GraphUndecodable, GraphTooLarge, SourceError) as error:
        return str(error)


def _read_text(source: Source, limits: Limits) -> _Read:
    from siglint.savedmodel import textformat
    from siglint.savedmodel.inspect_proto import InspectedSavedModel

    proto = InspectedSavedModel()
    try:
        textformat.parse_chunks(read_chunks(source), proto, known_only=True)
    except (SourceError, textformat.ParseError, ValueError, RecursionError) as error:
        raise Unparsable(str(error)) from None
    read = _Read([], [])
    for meta_graph in proto.meta_graphs:
        read.graphs.append(_records(graph_from_message, meta_graph.graph_def, limits))
        read.object_graphs.append(meta_graph.object_graph_def if meta_graph.HasField("object_graph_def") else None)
    return read


def _read_binary(source: Source, limits: Limits) -> _Read:
    found = seek_reader.read_saved_model(source)
    read = _Read([], [])
    for graph_spans, object_spans in zip(found.graphs, found.object_graphs, strict=True):
        read.graphs.append(_records(read_graph, source, graph_spans or (), limits))
        try:
            read.object_graphs.append(None if object_spans is None else seek_reader.read_object_graph(source, object_spans))
        except Unparsable as error:
            read.object_graphs.append(str(error))
    return read


def ops_used(graph: GraphRecord) -> frozenset[str]:
    """The ops of the graph's nodes and of the library functions they reach, function names left
    out: `meta_graph.ops_used_by_graph_def`."""
    by_name = {function.name: function for function in graph.functions}
    used: set[str] = set()
    pending: list[FunctionRecord] = []

    def mark(op: str) -> None:
        if op not in used and op in by_name:
            pending.append(by_name[op])
        used.add(op)

    def process(nodes: Iterable[NodeRecord]) -> None:
        for node in nodes:
            mark(node.op)
            if node.op in CALL_OPS:
                mark(node.call)

    process(graph.nodes)
    while pending:
        process(pending.pop().nodes)
    return frozenset(op for op in used if op not in by_name)


def load_order(graph: GraphRecord) -> list[str] | None:
    """The order in which `tf.saved_model.load` loads the library's functions
    (function_deserialization._sort_function_defs), None when it cannot sort them."""
    library = {function.name for function in graph.functions}
    gradients = {op_type.encode(): function for function, op_type in graph.registered_gradients if op_type}
    deps = {function.name: _dependencies(function, library, gradients) for function in graph.functions}
    edges: dict[str, list[str]] = defaultdict(list)
    in_count: dict[str, int] = defaultdict(int)
    for name, needed in deps.items():
        for dep in needed:
            edges[dep].append(name)
            in_count[name] += 1
    ready = [function.name for function in graph.functions if in_count[function.name] == 0]
    order = []
    while ready:
        name = ready.pop()
        order.append(name)
        for dest in edges[name]:
            in_count[dest] -= 1
            if not in_count[dest]:
                ready.append(dest)
    return order if len(order) == len(graph.functions) else None


def _dependencies(function: FunctionRecord, library: set[str], gradients: dict[bytes, str]) -> set[str]:
    found: set[str] = set()
    for node in function.nodes:
        gradient = node.gradient_op_type if node.op not in CALL_OPS else None
        if node.op in library:
            found.add(node.op)
        elif gradient and gradient in gradients:
            found.add(gradients[gradient])
        else:
            found.update(name for _, name in node.functions)
    return found


def _functions(read: _Read) -> Functions:
    graph, object_graph = read.graphs[0], read.object_graphs[0]
    if not isinstance(graph, GraphRecord):
        return Functions(siglint_cannot_read=f"its graph_def: {graph}")
    if isinstance(object_graph, str):
        return Functions(siglint_cannot_read=f"its object_graph_def: {object_graph}")
    try:
        return Functions(_listed_functions(graph, object_graph))
    except _CannotLoad as error:
        return Functions(tensorflow_cannot_list=error.reason)


class _CannotLoad(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _signatures(graph: GraphRecord, object_graph: Any) -> tuple[dict[str, Any], list[str]]:
    """Each library function's decoded input signature, and the load order; raises _CannotLoad
    where `tf.saved_model.load` fails, in the order it would."""
    order = load_order(graph)
    if order is None:
        raise _CannotLoad(UNKNOWN_REASONS)
    by_name = {function.name: function for function in graph.functions}
    signatures: dict[str, Any] = {}
    for name in order:
        if name in object_graph.concrete_functions:
            try:
                signatures[name] = structure.decode(object_graph.concrete_functions[name].canonicalized_input_signature)
            except structure.LoadFails:
                raise _CannotLoad(UNKNOWN_REASONS) from None
        if any(not ops.registered_by_tensorflow(node.op) and node.op not in by_name for node in by_name[name].nodes):
            raise _CannotLoad(CUSTOM_OPS)
    return signatures, order


def _listed_functions(graph: GraphRecord, object_graph: Any) -> tuple[FunctionView, ...]:
    # TensorFlow's Loader imports the function library first (an op it does not register fails
    # there), then walks the object graph's nodes.
    signatures, order = _signatures(graph, object_graph)
    nodes = object_graph.nodes
    if not nodes:
        raise _CannotLoad(UNKNOWN_REASONS)
    position = {name: index for index, name in enumerate(order)}
    keywords: dict[str, tuple[str, ...]] = {}
    for node in nodes:
        kind = node.WhichOneof("kind")
        referenced = (
            list(node.function.concrete_functions) if kind == "function"
            else [node.bare_concrete_function.concrete_function_name] if kind == "bare_concrete_function"
            else []
        )
        if any(name not in position for name in referenced):
            raise _CannotLoad(UNKNOWN_REASONS)
        if kind == "bare_concrete_function":
            keywords[node.bare_concrete_function.concrete_function_name] = tuple(
                node.bare_concrete_function.argument_keywords
            )
        if any(not 0 <= child.node_id < len(nodes) for child in node.children):
            raise _CannotLoad(UNKNOWN_REASONS)

    def concrete(name: str) -> ConcreteFunctionView:
        return _concrete_function(name, signatures.get(name), keywords.get(name, ()))

    children: dict[str, list[str]] = {}
    root = nodes[0]
    if root.WhichOneof("kind") == "user_object":  # what tf.saved_model.save writes (TF 2.21 saves no other root)
        for child in root.children:
            target = nodes[child.node_id]
            kind = target.WhichOneof("kind")
            if kind == "function":
                children[child.local_name] = list(target.function.concrete_functions)
            elif kind == "bare_concrete_function":
                children[child.local_name] = [target.bare_concrete_function.concrete_function_name]
            else:
                children.pop(child.local_name, None)  # the attribute is set again, to a non-function
    return tuple(
        FunctionView(name, tuple(concrete(f) for f in sorted(children[name], key=position.__getitem__)))
        for name in sorted(children)
    )


def _concrete_function(name: str, signature: Any, keywords: tuple[str, ...]) -> ConcreteFunctionView:
    if not signature:
        return ConcreteFunctionView(name, None, {}, keywords)
    if not isinstance(signature, (tuple, list)) or len(signature) != 2:
        return ConcreteFunctionView(name, None, {}, problem="its input signature is not (args, kwargs)")
    args, kwargs = signature
    if not isinstance(args, (tuple, list)) or not isinstance(kwargs, dict):
        return ConcreteFunctionView(name, None, {}, problem="its input signature is not (args, kwargs)")
    return ConcreteFunctionView(name, tuple(args), kwargs)


def _fingerprint(model_dir: str) -> tuple[Fingerprint | None, str | None]:
    from siglint.io.documents import DocumentError, read_bytes

    storage = storage_for(model_dir)
    path = storage.join(model_dir, FINGERPRINT_FILENAME)
    if storage.kind(path, follow=True) is None:
        return None, None
    try:
        data = read_bytes(path, MAX_FINGERPRINT_BYTES)
    except DocumentError as error:
        return None, f"{FINGERPRINT_FILENAME} {error}"
    from google.protobuf import message

    from siglint.savedmodel.inspect_proto import FingerprintDef

    proto = FingerprintDef()
    try:
        proto.ParseFromString(data)
    except (message.DecodeError, RuntimeError, ValueError) as error:
        return None, f"{FINGERPRINT_FILENAME} is not a FingerprintDef: {error}"
    return Fingerprint(
        proto.saved_model_checksum, proto.graph_def_program_hash, proto.signature_def_hash,
        proto.saved_object_graph_hash, proto.checkpoint_hash, proto.uuid, proto.version.producer,
    ), None

