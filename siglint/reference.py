"""Reference SignatureDefs, MetaGraphDefs and SavedModels, built without TensorFlow.

The signature builders do what TensorFlow's do (tensorflow/python/saved_model/
signature_def_utils_impl.py and utils_impl.py `build_tensor_info_internal`): same messages, same
field numbers, the same `ValueError`s for the same bad arguments, so that
`SerializeToString(deterministic=True)` of a siglint-built and a TF-built SignatureDef are
byte-identical. Where TensorFlow takes a graph `Tensor` or `SparseTensor`, these builders take a
`Tensor` or `SparseTensor` record holding what TensorFlow reads from it (name, dtype, static shape).

Writing is deterministic: the same model gives the same `saved_model.pb` / `.pbtxt` bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from google.protobuf import text_format

from siglint.savedmodel import constants
from siglint.savedmodel import proto as _proto
from siglint.savedmodel.dtypes import DT_FLOAT, DT_INVALID, DT_STRING, parse_dtype

Shape = Sequence[int | None] | None  # None: unknown rank; None or -1 in it: unknown dimension
SAVED_MODEL_SCHEMA_VERSION = 1
FORMATS = ("pb", "pbtxt")


class Tensor(NamedTuple):
    """What `build_tensor_info` reads from a graph tensor: its name (``x:0``), dtype and shape."""

    name: str
    dtype: int | str
    shape: Shape = None


class SparseTensor(NamedTuple):
    """A `tf.SparseTensor`: the names of its three component tensors, its dtype and dense shape."""

    values: str
    indices: str
    dense_shape: str
    dtype: int | str
    shape: Shape = None


def _set_shape(proto: Any, shape: Shape) -> None:
    """As TensorShape(shape).as_proto(): `unknown_rank` for None, -1 for an unknown dimension."""
    proto.SetInParent()
    if shape is None:
        proto.unknown_rank = True
    else:
        for size in shape:
            proto.dim.add(size=-1 if size is None else int(size))


def build_tensor_info(tensor: Tensor | SparseTensor) -> Any:
    """utils_impl.build_tensor_info: dtype, shape and the `name` or `coo_sparse` encoding."""
    info = _proto.TensorInfo(dtype=parse_dtype(tensor.dtype))
    _set_shape(info.tensor_shape, tensor.shape)
    if isinstance(tensor, SparseTensor):
        info.coo_sparse.values_tensor_name = tensor.values
        info.coo_sparse.indices_tensor_name = tensor.indices
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape
    else:
        info.name = tensor.name
    return info


def build_tensor_info_from_op(op_name: str) -> Any:
    """utils_impl.build_tensor_info_from_op: an op (``NoOp``), DT_INVALID, unknown rank."""
    info = _proto.TensorInfo(dtype=DT_INVALID, name=op_name)
    _set_shape(info.tensor_shape, None)
    return info


def build_signature_def(
    inputs: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    method_name: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> Any:
    """signature_def_utils.build_signature_def: copies TensorInfos (and TensorProto defaults)
    as given; validates nothing. `method_name` None leaves it empty."""
    signature = _proto.SignatureDef()
    for key, info in (inputs or {}).items():
        signature.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        signature.outputs[key].CopyFrom(info)
    if method_name is not None:
        signature.method_name = method_name
    for key, default in (defaults or {}).items():
        if not isinstance(default, _proto.TensorProto):
            raise ValueError(  # noqa: TRY004 - TensorFlow's type, so that callers catch the same
                f"Unable to convert object {default!s} of type {type(default)} to TensorProto."
            )
        signature.defaults[key].CopyFrom(default)
    return signature


def regression_signature_def(examples: Any, predictions: Any) -> Any:
    """signature_def_utils.regression_signature_def, with its checks and messages."""
    if examples is None:
        raise ValueError("Regression `examples` cannot be None.")
    if not isinstance(examples, Tensor):
        raise ValueError(  # noqa: TRY004 - TensorFlow's type, so that callers catch the same
            "Expected regression `examples` to be of type Tensor. "
            f"Found `examples` of type {type(examples)}."
        )
    if predictions is None:
        raise ValueError("Regression `predictions` cannot be None.")
    input_info = build_tensor_info(examples)
    if input_info.dtype != DT_STRING:
        raise ValueError(
            "Regression input tensors must be of type string. "
            f"Found tensors with type {input_info.dtype}."
        )
    output_info = build_tensor_info(predictions)
    if output_info.dtype != DT_FLOAT:
        raise ValueError(
            "Regression output tensors must be of type float. "
            f"Found tensors with type {output_info.dtype}."
        )
    return build_signature_def(
        {constants.REGRESS_INPUTS: input_info},
        {constants.REGRESS_OUTPUTS: output_info},
        constants.REGRESS_METHOD_NAME,
    )


def classification_signature_def(examples: Any, classes: Any, scores: Any) -> Any:
    """signature_def_utils.classification_signature_def, with its checks and messages
    (the stray backtick after the classes message is TensorFlow's)."""
    if examples is None:
        raise ValueError("Classification `examples` cannot be None.")
    if not isinstance(examples, Tensor):
        raise ValueError(  # noqa: TRY004 - TensorFlow's type, so that callers catch the same
            "Classification `examples` must be a string Tensor. "
            f"Found `examples` of type {type(examples)}."
        )
    if classes is None and scores is None:
        raise ValueError("Classification `classes` and `scores` cannot both be None.")
    input_info = build_tensor_info(examples)
    if input_info.dtype != DT_STRING:
        raise ValueError(
            "Classification input tensors must be of type string. "
            f"Found tensors of type {input_info.dtype}"
        )
    outputs = {}
    if classes is not None:
        classes_info = build_tensor_info(classes)
        if classes_info.dtype != DT_STRING:
            raise ValueError(
                "Classification classes must be of type string Tensor. "
                f"Found tensors of type {classes_info.dtype}.`"
            )
        outputs[constants.CLASSIFY_OUTPUT_CLASSES] = classes_info
    if scores is not None:
        scores_info = build_tensor_info(scores)
        if scores_info.dtype != DT_FLOAT:
            raise ValueError("Classification scores must be a float Tensor.")
        outputs[constants.CLASSIFY_OUTPUT_SCORES] = scores_info
    return build_signature_def(
        {constants.CLASSIFY_INPUTS: input_info}, outputs, constants.CLASSIFY_METHOD_NAME
    )


def predict_signature_def(
    inputs: Mapping[str, Tensor | SparseTensor] | None,
    outputs: Mapping[str, Tensor | SparseTensor] | None,
) -> Any:
    """signature_def_utils.predict_signature_def: free keys, at least one of each."""
    if not inputs:
        raise ValueError("Prediction `inputs` cannot be None or empty.")
    if not outputs:
        raise ValueError("Prediction `outputs` cannot be None or empty.")
    return build_signature_def(
        {key: build_tensor_info(tensor) for key, tensor in inputs.items()},
        {key: build_tensor_info(tensor) for key, tensor in outputs.items()},
        constants.PREDICT_METHOD_NAME,
    )


def op_signature_def(op_name: str, key: str) -> Any:
    """signature_def_utils.op_signature_def, as TF2 writes `__saved_model_init_op`."""
    return build_signature_def(outputs={key: build_tensor_info_from_op(op_name)})


def meta_graph_def(
    tags: Iterable[str],
    signature_defs: Mapping[str, Any],
    *,
    tensorflow_version: str = "",
    tf2: bool = False,
) -> Any:
    """A MetaGraphDef with these tags (in order) and signatures; no graph. `tf2` adds an (empty)
    object graph, which is how readers tell a `tf.saved_model.save` export."""
    meta_graph = _proto.MetaGraphDef()
    meta_graph.meta_info_def.tags.extend(tags)
    meta_graph.meta_info_def.tensorflow_version = tensorflow_version
    for key, signature in signature_defs.items():
        meta_graph.signature_def[key].CopyFrom(signature)
    if tf2:
        meta_graph.object_graph_def.SetInParent()
    return meta_graph


def saved_model(
    meta_graphs: Iterable[Any], schema_version: int = SAVED_MODEL_SCHEMA_VERSION
) -> Any:
    model = _proto.SavedModel(saved_model_schema_version=schema_version)
    model.meta_graphs.extend(meta_graphs)
    return model


def serialize(model: Any, fmt: str = "pb") -> bytes:
    """Deterministic bytes: binary with sorted map entries, or text format (maps sorted too)."""
    if fmt == "pb":
        data: bytes = model.SerializeToString(deterministic=True)
        return data
    if fmt == "pbtxt":
        text: str = text_format.MessageToString(model)
        return text.encode("utf-8")
    raise ValueError(f"unknown SavedModel format {fmt!r}: expected one of {', '.join(FORMATS)}")


def write_saved_model(model: Any, directory: str | os.PathLike[str], fmt: str = "pb") -> str:
    """Write `model` as `directory/saved_model.pb` (or `.pbtxt`); returns the file's path."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"saved_model.{fmt}")
    data = serialize(model, fmt)
    with open(path, "wb") as stream:
        stream.write(data)
    return path
