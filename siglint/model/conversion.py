"""A TF Lite model compared with the SavedModel it was converted from, as the converter maps one
to the other (tensorflow/lite/python/lite.py, TFLiteConverterV2.from_saved_model): each served
signature of the SavedModel (its op signatures aside) becomes an entry of the model's native
`signature_defs` table under the same key, each of its input and output keys a TensorMap alias,
each tensor's dtype a TensorType and its shape the tensor's `shape_signature` (-1 where the
SavedModel's dimension is unknown).

`compare` is the comparison itself, of plain views (a `siglint diff` of a SavedModel and a
`.tflite` can call it); `compared` attaches it to a TF Lite model view for the SIG91x rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from siglint.io.quoting import listed
from siglint.model.load import load_model
from siglint.model.tflite_view import (
    DTYPE,
    SHAPE,
    SIGNATURE_KEYS,
    TENSOR_KEYS,
    Conversion,
    Difference,
    NativeSignature,
    NativeTensor,
    tflite_dims,
)
from siglint.model.view import TFLITE, ModelView, SignatureView, TensorView, shape_text
from siglint.savedmodel.dtypes import dtype_name
from siglint.savedmodel.tflite_schema import dtype_of, tensor_type_name

__all__ = ["DTYPE", "SHAPE", "SIGNATURE_KEYS", "TENSOR_KEYS", "compare", "compared", "tflite_dims"]


def compare(saved: Mapping[str, SignatureView], native: tuple[NativeSignature, ...]) -> tuple[Difference, ...]:
    """How the native signatures of a conversion differ from the SavedModel's `saved` ones."""
    served = {key: signature for key, signature in saved.items() if not signature.is_op_signature}
    converted = {signature.key: signature for signature in reversed(native)}  # the first of a key
    found: list[Difference] = []
    converted_keys, served_keys = listed(sorted(converted)), listed(sorted(served))  # once: bounded
    for key in sorted(served.keys() - converted.keys()):
        found.append(Difference(
            SIGNATURE_KEYS, f"signature {key!r} of the SavedModel is not in the TF Lite model's signature table",
            key, expected=key, actual=converted_keys,
        ))
    for key in sorted(converted.keys() - served.keys()):
        found.append(Difference(
            SIGNATURE_KEYS, f"signature {key!r} of the TF Lite model is not a signature of the SavedModel",
            key, expected=served_keys, actual=key,
        ))
    for key in sorted(served.keys() & converted.keys()):
        found += _signature(key, served[key], converted[key])
    return tuple(found)


def _signature(key: str, saved: SignatureView, native: NativeSignature) -> Iterator[Difference]:
    for io, expected, actual in (("input", saved.inputs, native.inputs), ("output", saved.outputs, native.outputs)):
        tensors = {tensor.alias: tensor for tensor in actual}
        missing, extra = sorted(expected.keys() - tensors.keys()), sorted(tensors.keys() - expected.keys())
        converted = listed(sorted(tensors)) if missing else ""
        for alias in missing:
            yield Difference(
                TENSOR_KEYS, f"{io} {alias!r} of the SavedModel's signature is not in the TF Lite signature",
                key, alias, io, expected=alias, actual=converted,
            )
        saved = listed(sorted(expected)) if extra else ""
        for alias in extra:
            yield Difference(
                TENSOR_KEYS, f"{io} {alias!r} of the TF Lite signature is not in the SavedModel's signature",
                key, alias, io, expected=saved, actual=alias,
            )
        for alias in sorted(expected.keys() & tensors.keys()):
            yield from _tensor(key, io, expected[alias], tensors[alias])


def _tensor(key: str, io: str, saved: TensorView, converted: NativeTensor) -> Iterator[Difference]:
    tensor = converted.tensor
    if tensor is None:
        return  # a TensorMap naming no tensor: SIG904's
    dtype = dtype_of(tensor.type)
    if dtype is not None and dtype != saved.dtype:
        yield Difference(
            DTYPE,
            f"{io} {saved.key!r} is {saved.dtype_name} in the SavedModel and {tensor_type_name(tensor.type)} "
            f"({dtype_name(dtype)}) in the TF Lite model",
            key, saved.key, io, expected=saved.dtype_name, actual=f"{tensor_type_name(tensor.type)} ({dtype_name(dtype)})",
        )
    dims = tflite_dims(tensor.shape, tensor.shape_signature)
    if saved.shape is None or dims == saved.shape:
        return
    yield Difference(
        SHAPE,
        f"{io} {saved.key!r} has shape {shape_text(saved.shape)} in the SavedModel and {shape_text(dims)} in the "
        f"TF Lite model{_why(saved.shape, dims)}",
        key, saved.key, io, expected=shape_text(saved.shape), actual=shape_text(dims),
    )


def _why(saved: tuple[int, ...], dims: tuple[int, ...]) -> str:
    if len(saved) != len(dims):
        return ": the rank changed"
    fixed = [i for i, (a, b) in enumerate(zip(saved, dims)) if a < 0 <= b]
    if fixed:
        return (
            f": dimension {fixed[0]}, of any size in the SavedModel, is fixed to {dims[fixed[0]]} (other sizes "
            "need the interpreter's resize_tensor_input)"
        )
    return ""


def compared(model: ModelView, source: str, tags: tuple[str, ...]) -> tuple[ModelView, str | None]:
    """`model` (a TF Lite one) with its comparison with the SavedModel `source` (a folder or
    model file) attached, and a note when that cannot be read or compared."""
    if model.tflite is None:
        return model, None
    from siglint.io.source import Kind, storage_for
    from siglint.savedmodel.constants import MODEL_FILENAMES

    storage = storage_for(source)
    if storage.basename(source) in MODEL_FILENAMES:
        source = storage.dirname(source) or "."
    kind = storage.kind(source)
    if kind is not Kind.DIR:
        why = "no such file or directory" if kind is None else "it is not a SavedModel directory"
        return model, f"{model.path}: not compared with the SavedModel {source}: {why}"
    loaded = load_model(source)
    if not isinstance(loaded, ModelView) or loaded.kind == TFLITE:
        why = loaded.message if not isinstance(loaded, ModelView) else "it is a TF Lite model"
        return model, f"{model.path}: not compared with the SavedModel {source}: {why}"
    if model.tflite.native is None:
        return model, f"{model.path}: not compared with the SavedModel {source}: it has no signature table"
    meta_graph = loaded.serving_meta_graph(tags)
    if meta_graph is None:
        return model, f"{model.path}: not compared with the SavedModel {source}: it has no {{{','.join(tags)}}} MetaGraphDef"
    conversion = Conversion(loaded.path, compare(meta_graph.signatures, model.tflite.native))
    return model._replace(tflite=model.tflite._replace(conversion=conversion)), None
