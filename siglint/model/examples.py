"""The features a signature parses its serialized tf.Examples into, read from the model's graph:
the `ParseExample` / `ParseExampleV2` op that consumes the signature's input, at the top of a TF1
graph or inside the function a TF2 signature calls. Its dense keys, dtypes (`Tdense`), shapes
(`dense_shapes`) and defaults say what an example must hold; `siglint request` writes examples
from them. Sparse and ragged features are optional to an example and left out.

Only `siglint request` reads a graph, and only from a `saved_model.pb` (through the seek reader's
spans, at most MAX_GRAPH_BYTES): the check path never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from siglint.io import seek_reader
from siglint.io.source import SourceError, storage_for
from siglint.model.view import ModelView, SignatureView, TensorView
from siglint.savedmodel.dtypes import DT_STRING, DTYPE_NUMBERS, base_dtype

DT_INT64 = DTYPE_NUMBERS["DT_INT64"]

MAX_GRAPH_BYTES = 256 * 2**20
_PARSERS = ("ParseExample", "ParseExampleV2")
_CALLS = ("StatefulPartitionedCall", "PartitionedCall")
_PASS_THROUGH = ("Identity", "IdentityN")


class Feature(NamedTuple):
    key: str
    dtype: int  # DT_FLOAT, DT_INT64 or DT_STRING
    values: int  # how many values an example holds for it
    required: bool  # no default: an example without it fails to parse


def example_features(model: ModelView, signature: SignatureView, input_key: str) -> tuple[Feature, ...] | None:
    """The dense features the graph parses `signature`'s `input_key` into, or None when siglint
    cannot tell (a .pbtxt, a graph over the bound, no ParseExample op it can follow)."""
    graph = _graph(model, signature)
    tensor = signature.inputs.get(input_key)
    if graph is None or tensor is None or not tensor.name:
        return None
    functions = {function.signature.name: function for function in graph.library.function}
    parser = _parser(graph.node, _node_name(tensor.name), functions)
    return None if parser is None else tuple(_features(*parser))


def _graph(model: ModelView, signature: SignatureView) -> Any:
    if not model.file.endswith(".pb"):
        return None
    index = next((i for i, mg in enumerate(model.meta_graphs) if signature in mg.signatures.values()), None)
    try:
        source = storage_for(model.file).open(model.file)
    except SourceError:
        return None
    try:
        spans = seek_reader.read_saved_model(source).graphs[index] if index is not None else None
        if not spans or sum(span.length for span in spans) > MAX_GRAPH_BYTES:
            return None
        parts = [source.read(span.offset, span.length) for span in spans]
    except (SourceError, seek_reader.Unparsable):
        return None
    finally:
        source.close()
    from google.protobuf.message import DecodeError

    from siglint.serving.proto import GraphDef

    graph = GraphDef()
    try:
        for part in parts:
            graph.MergeFromString(part)
    except (DecodeError, RecursionError):
        return None
    return graph


def _node_name(tensor: str) -> str:
    return tensor.lstrip("^").split(":")[0]


def _parser(nodes: Iterable[Any], fed: str, functions: Mapping[str, Any]) -> tuple[Any, Mapping[str, Any]] | None:
    """The parse op reading node `fed` among `nodes` (following identities, and the functions
    call ops reading it call), with the nodes it can read constants from."""
    nodes = list(nodes)
    reached = {fed}
    for node in nodes:  # graph order: an identity comes after what it reads
        if node.op in _PASS_THROUGH and node.input and _node_name(node.input[0]) in reached:
            reached.add(node.name)
    for node in nodes:
        if node.op in _PARSERS and node.input and _node_name(node.input[0]) in reached:
            return node, {n.name: n for n in nodes}
    for node in nodes:
        if node.op in _CALLS and any(_node_name(i) in reached for i in node.input):
            function = functions.get(node.attr["f"].func.name)
            found = _called_parser(function, functions, depth=0) if function is not None else None
            if found is not None:
                return found
    return None


def _called_parser(function: Any, functions: Mapping[str, Any], depth: int) -> tuple[Any, Mapping[str, Any]] | None:
    """The one parse op of a function a signature calls (or of the one function it calls in
    turn): a TF2 signature's function parses its own argument."""
    parsers = [node for node in function.node_def if node.op in _PARSERS]
    if len(parsers) == 1:
        return parsers[0], {node.name: node for node in function.node_def}
    if parsers or depth >= 3:
        return None
    for node in function.node_def:
        nested = functions.get(node.attr["f"].func.name) if node.op in _CALLS else None
        found = _called_parser(nested, functions, depth + 1) if nested is not None else None
        if found is not None:
            return found
    return None


def _strings(node: Any, nodes: Mapping[str, Any]) -> list[str] | None:
    const = nodes.get(_node_name(node))
    if const is None or const.op != "Const":
        return None
    return [value.decode("utf-8", "replace") for value in const.attr["value"].tensor.string_val]


def _has_default(name: str, nodes: Mapping[str, Any]) -> bool:
    const = nodes.get(_node_name(name))
    if const is None or const.op != "Const":
        return True  # a computed default is still a default
    tensor = const.attr["value"].tensor
    dims = [dim.size for dim in tensor.tensor_shape.dim]
    return not dims or all(size > 0 for size in dims)


def _features(parser: Any, nodes: Mapping[str, Any]) -> Iterable[Feature]:
    attr = parser.attr
    dtypes = list(attr["Tdense"].list.type)
    shapes = [tuple(dim.size for dim in shape.dim) for shape in attr["dense_shapes"].list.shape]
    inputs = list(parser.input)
    if parser.op == "ParseExample":
        sparse = int(attr["Nsparse"].i)
        keys = [(_strings(name, nodes) or [""])[0] for name in inputs[2 + sparse : 2 + sparse + len(dtypes)]]
        defaults = inputs[2 + sparse + len(dtypes) : 2 + sparse + 2 * len(dtypes)]
    else:
        keys = (_strings(inputs[3], nodes) or []) if len(inputs) > 3 else []
        defaults = inputs[5 : 5 + len(dtypes)]
    for index, key in enumerate(keys):
        if not key or index >= len(dtypes):
            continue
        count = 1
        for size in shapes[index] if index < len(shapes) else ():
            count *= max(size, 1)
        required = index >= len(defaults) or not _has_default(defaults[index], nodes)
        yield Feature(key, int(dtypes[index]), count, required)


class Zero(NamedTuple):
    """One tensor of an example Predict request: zeros of its dtype and shape, or for a string
    input the graph parses examples from, that one serialized example in every element."""

    alias: str
    dtype: int
    shape: tuple[int, ...]
    string: bytes = b""


class ExampleRequest(NamedTuple):
    """The request `siglint request` writes for a signature: zero tensors for Predict, one
    example with a zero value of each dense feature for Classify and Regress."""

    api: str  # "predict", "classify" or "regress"
    signature: str
    inputs: tuple[Zero, ...] = ()
    features: tuple[Feature, ...] = ()


def zero_shape(tensor: TensorView) -> tuple[int, ...]:
    """The shape of the smallest tensor a signature input takes: a batch of one, every unknown
    dimension 1, a scalar where the rank is unknown."""
    return tuple(1 if size < 0 else size for size in tensor.shape) if tensor.shape is not None else ()


def serialized_example(features: tuple[Feature, ...]) -> bytes:
    """A tf.Example holding a zero value of each feature, serialized (deterministic bytes)."""
    from siglint.serving.proto import Example

    example = Example()
    for feature in features:
        values = example.features.feature[feature.key]
        if feature.dtype == DT_STRING:
            values.bytes_list.value.extend([b""] * feature.values)
        elif feature.dtype == DT_INT64:
            values.int64_list.value.extend([0] * feature.values)
        else:
            values.float_list.value.extend([0.0] * feature.values)
    return bytes(example.SerializeToString(deterministic=True))


def example_request(model: ModelView, signature: SignatureView, api: str) -> ExampleRequest:
    if api != "predict":
        return ExampleRequest(api, signature.key, features=example_features(model, signature, "inputs") or ())
    zeros = []
    for key, tensor in signature.inputs.items():
        dtype, shape, string = base_dtype(tensor.dtype), zero_shape(tensor), b""
        features = example_features(model, signature, key) if dtype == DT_STRING else None
        if features is not None:  # serialized examples: the parse op wants a batch of them
            shape, string = shape or (1,), serialized_example(features)
        zeros.append(Zero(key, dtype, shape, string))
    return ExampleRequest(api, signature.key, tuple(zeros))
