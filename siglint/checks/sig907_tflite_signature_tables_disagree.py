"""TF Serving's signatures of a TF Lite model disagree with its native signature table or tensors.

## What it does
Compares the SignatureDefs of the `signature_defs_metadata` entry, which TF Serving serves, with
what the model itself says: the native `signature_defs` table the interpreter's signature
runner uses (the same keys, the same input and output aliases, each alias on the same tensor:
TF Serving only runs subgraph 0), and the tensors they name (each TensorInfo's dtype and shape
against the tensor's type and `shape_signature`).

## Why is this bad?
The metadata is written apart from the model (by `signature_def_utils.set_signature_defs`), so
it goes stale when the model is converted again. Clients of TF Serving and of the signature
runner then see different signatures for one file, and TF Serving trusts the metadata's dtypes
and shapes: a request built from them feeds bytes of another type or size to the tensor.

## Example
```text
signature_defs: serving_default x -> tensor 0 (FLOAT32 [-1, 3])
signature_defs_metadata: serving_default x -> "serving_default_x:0" DT_INT64 [-1, 4]
```

Use instead:
```text
signature_defs_metadata: serving_default x -> "serving_default_x:0" DT_FLOAT [-1, 3]
```

## References
- tensorflow/lite/tools/signature/signature_def_util.cc (`SetSignatureDefMap`, `GetSignatureDefMap`)
- tensorflow_serving/servables/tensorflow/tflite_session.cc (`TfLiteSession::Create`)
- tensorflow/lite/core/interpreter_builder.cc (`ParseSignatureDefs`)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.io.quoting import listed

if TYPE_CHECKING:  # the TF Lite modules load with a TF Lite model, not with the rules
    from siglint.io.tflite_reader import TensorRecord
    from siglint.model.tflite_view import NativeSignature, TfliteView
    from siglint.model.view import SignatureView, TensorView


def check(context: ModelContext) -> Iterator[Problem]:
    view = tflite(context)
    if view.synthesised or not context.model.meta_graphs:
        return  # TF Serving serves no signature of the model's own: SIG902, SIG903
    served = context.model.meta_graphs[0].signatures
    by_name = _subgraph0_tensors(view)
    for signature in served.values():
        for io, tensor in signature.tensors():
            record = by_name[io].get(tensor.name)
            if record is not None:
                yield from _against_tensor(signature.key, io, tensor, record)
    if view.native is None:
        return
    native = {signature.key: signature for signature in reversed(view.native)}
    native_keys, served_keys = listed(sorted(native)), listed(sorted(served))  # once: there may be thousands
    for key in sorted(served.keys() - native.keys()):
        yield Problem(
            f"TF Serving serves signature {key!r}, which the native signature table does not have",
            signature=key, expected=native_keys, actual=key,
        )
    for key in sorted(native.keys() - served.keys()):
        yield Problem(
            f"the native signature table has {key!r}, which TF Serving does not serve (its signature_defs_metadata "
            "lacks it)",
            signature=key, expected=key, actual=served_keys,
        )
    for key in sorted(served.keys() & native.keys()):
        yield from _against_native(served[key], native[key], by_name)


def _subgraph0_tensors(view: TfliteView) -> dict[str, dict[str, TensorRecord]]:
    """Subgraph 0's input and output tensors by name; of two of one name, the first, as TF
    Serving's GetTensorInfoMap keeps it."""
    from siglint.model.tflite_view import text

    subgraph = view.file.subgraphs[0]
    found: dict[str, dict[str, TensorRecord]] = {}
    for io, indices in (("input", subgraph.inputs), ("output", subgraph.outputs)):
        found[io] = {}
        for index in indices:
            if index in subgraph.tensors:
                found[io].setdefault(text(subgraph.tensors[index].name), subgraph.tensors[index])
    return found


def _against_tensor(key: str, io: str, tensor: TensorView, record: TensorRecord) -> Iterator[Problem]:
    from siglint.model.tflite_view import tflite_dims
    from siglint.model.view import shape_text
    from siglint.savedmodel.dtypes import dtype_name
    from siglint.savedmodel.tflite_schema import (
        SERVING_DTYPES,
        TFLITE_TYPES,
        dtype_of,
        tensor_type_name,
    )

    dtype = SERVING_DTYPES.get(TFLITE_TYPES.get(record.type, -1), dtype_of(record.type))
    if dtype is not None and dtype != tensor.dtype:
        yield Problem(
            f"TF Serving's {io} {tensor.key!r} is {tensor.dtype_name}, and the tensor it names ({tensor.name}) is "
            f"{tensor_type_name(record.type)}: requests built from the signature feed another type",
            tensor.key, io, dtype_name(dtype), tensor.dtype_name, signature=key,
        )
    dims = tflite_dims(record.shape, record.shape_signature)
    if tensor.shape is not None and not _compatible(tensor.shape, dims):
        shape = shape_text(dims)
        yield Problem(
            f"TF Serving's {io} {tensor.key!r} has shape {tensor.shape_text}, and the tensor it names "
            f"({tensor.name}) has {shape}",
            tensor.key, io, shape, tensor.shape_text, signature=key,
        )


def _compatible(declared: tuple[int, ...], dims: tuple[int, ...]) -> bool:
    return len(declared) == len(dims) and all(a < 0 or b < 0 or a == b for a, b in zip(declared, dims))


def _against_native(
    served: SignatureView, native: NativeSignature, by_name: Mapping[str, Mapping[str, TensorRecord]]
) -> Iterator[Problem]:
    key = served.key
    for io, declared, mapped in (("input", served.inputs, native.inputs), ("output", served.outputs, native.outputs)):
        aliases = {tensor.alias: tensor for tensor in mapped}
        only = sorted(declared.keys() ^ aliases.keys())
        expected, actual = (listed(sorted(declared)), listed(sorted(aliases))) if only else ("", "")
        for alias in only:
            side = "TF Serving's signature" if alias in declared else "the native signature"
            yield Problem(f"{io} {alias!r} of signature {key!r} is only in {side}", alias, io, expected, actual, signature=key)
        for alias in sorted(declared.keys() & aliases.keys()):
            record = by_name[io].get(declared[alias].name)
            if record is None:
                continue  # names no tensor TF Serving has: SIG904
            target = aliases[alias]
            if native.subgraph_index != 0 or target.tensor_index != record.number:
                yield Problem(
                    f"{io} {alias!r} of signature {key!r} is tensor {record.number} of subgraph 0 for TF Serving and "
                    f"tensor {target.tensor_index} of subgraph {native.subgraph_index} for the signature runner",
                    alias, io, f"subgraph {native.subgraph_index} tensor {target.tensor_index}",
                    f"subgraph 0 tensor {record.number}", signature=key,
                )


RULE = Rule(
    "SIG907", "tflite-signature-tables-disagree", Severity.WARNING, Scope.MODEL, check, __name__,
    model_kinds=TFLITE_ONLY,
)
