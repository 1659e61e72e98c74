"""`siglint show` of a TF Lite model in text: its native signature table, as the interpreter's
signature runner has it (each input and output alias with its tensor's name, type, shape and
shape_signature), then the SignatureDefs TF Serving serves for it, printed as saved_model_cli
prints a SavedModel's (and where TF Serving took them from, or why its load fails).

saved_model_cli cannot read a `.tflite`; this layout follows its own. `--signature_def KEY`
narrows both parts to one key; `--tag_set` is accepted and ignored (TF Serving's TF Lite path
has no tag-sets); `--list_ops` says that a TF Lite model's operators are not listed.
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.findings import printable
from siglint.model.info import ModelInfo
from siglint.model.tflite import SYNTHESISED_LOG
from siglint.model.tflite_view import NativeSignature, NativeTensor, TfliteView, text
from siglint.model.view import MetaGraphView, shape_text
from siglint.report.show.saved_model_cli import NotFound, Request, signature_lines
from siglint.savedmodel.dtypes import dtype_name
from siglint.savedmodel.tflite_schema import SIGNATURE_DEFS_METADATA, dtype_of, tensor_type_name


def render(info: ModelInfo, request: Request) -> str:
    view = info.model.tflite
    assert view is not None, "a TF Lite model's text for a model that is not one"
    return "".join(printable(line) + "\n" for line in _lines(info, view, request))


def _lines(info: ModelInfo, view: TfliteView, request: Request) -> Iterator[str]:
    key = request.signature_def
    served = info.model.meta_graphs[0] if info.model.meta_graphs else None
    native = [s for s in view.native or () if key is None or s.key == key]
    if key is not None and not native and (served is None or key not in served.signatures):
        keys = sorted({s.key for s in view.native or ()} | set(served.signatures if served else ()))
        raise NotFound(f'Could not find signature "{key}". Please choose from: {", ".join(keys)}')
    if request.list_ops:
        yield "The TF Lite model's operators are not listed: siglint reads its signatures only."
    description = f", {text(view.file.description)!r}" if view.file.description else ""
    yield f"TF Lite model (schema version {view.file.version}{description}), {view.file.subgraph_count} subgraph(s)."
    yield ""
    if view.native is None:
        yield "The model has no signature_defs table: its signature runner has no signatures."
    else:
        yield "The model's signature_defs (the interpreter's get_signature_list() and signature runners):"
        for signature in native:
            yield ""
            yield from _native(signature)
    yield ""
    yield from _serving(view, served, key)


def _native(signature: NativeSignature) -> Iterator[str]:
    yield f"signature_def['{signature.key}'] (subgraph {signature.subgraph_index}):"
    yield "  The given TF Lite SignatureDef contains the following input(s):"
    for tensor in signature.inputs:
        yield from _tensor("inputs", tensor)
    yield "  The given TF Lite SignatureDef contains the following output(s):"
    for tensor in signature.outputs:
        yield from _tensor("outputs", tensor)


def _tensor(io: str, tensor: NativeTensor) -> Iterator[str]:
    record = tensor.tensor
    yield f"    {io}['{tensor.alias}'] tensor {tensor.tensor_index}:"
    if record is None:
        yield "        (no such tensor in the subgraph)"
        return
    dtype = dtype_of(record.type)
    yield f"        dtype: {dtype_name(dtype) if dtype is not None else '?'} ({tensor_type_name(record.type)})"
    yield f"        shape: {shape_text(record.shape, 'none')}"
    yield f"        shape_signature: {shape_text(record.shape_signature, 'none')}"
    yield f"        name: {text(record.name)}"


def _serving(view: TfliteView, served: MetaGraphView | None, key: str | None) -> Iterator[str]:
    if view.synthesised:
        yield f"TF Serving finds no {SIGNATURE_DEFS_METADATA} and generates one signature ({SYNTHESISED_LOG}):"
    else:
        yield f"TF Serving serves the SignatureDefs of its {SIGNATURE_DEFS_METADATA}:"
    for problem in view.problems:
        yield f"  its load fails: {problem.message}"
    if served is None:
        yield "  (it can read none of them)"
        return
    for signature_key in served.signatures:
        if key is None or signature_key == key:
            yield ""
            yield f"signature_def['{signature_key}']:"
            yield from signature_lines(served, signature_key, indent=1)
