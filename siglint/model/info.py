"""ModelInfo: everything `siglint show` shows of one model, and `siglint.inspect` returns; with
`to_dict`, siglint's own model document (`siglint show --format json`, documented in the README)."""

from __future__ import annotations

from typing import Any, NamedTuple

from siglint.model import structure
from siglint.model.details import ConcreteFunctionView, Fingerprint, Functions, ModelDetails
from siglint.model.view import MetaGraphView, ModelView, ServedAs, SignatureView, TensorView


class ModelInfo(NamedTuple):
    model: ModelView
    details: ModelDetails
    servable: ServedAs  # the name and version TF Serving reports for it (GetModelMetadata's model_spec)
    notes: tuple[str, ...] = ()  # how the path given was read (a base path's latest version, ...)

    def to_dict(self) -> dict[str, Any]:
        model, details = self.model, self.details
        document = {
            "path": model.path,
            "file": model.file,
            "format": model.kind,
            "servable": {"name": self.servable.name, "version": self.servable.version},
            "saved_model_schema_version": model.schema_version,
            "fingerprint": _fingerprint(details.fingerprint),
            "meta_graphs": [
                _meta_graph(mg, ops.ops, ops.note) for mg, ops in zip(model.meta_graphs, details.ops, strict=True)
            ],
            "functions": None if details.functions is None else _functions(details.functions),
            "notes": [*self.notes, *([details.fingerprint_note] if details.fingerprint_note else [])],
        }
        if model.tflite is not None:  # TF Lite: meta_graphs holds what TF Serving serves
            document.update(model.tflite.to_dict())
        return document


def _meta_graph(meta_graph: MetaGraphView, ops: frozenset[str] | None, note: str | None) -> dict[str, Any]:
    return {
        "tags": list(meta_graph.tags),
        "tensorflow_version": meta_graph.tensorflow_version,
        "tf2": meta_graph.is_tf2,
        "signatures": [_signature(signature) for signature in meta_graph.signatures.values()],
        "ops": None if ops is None else sorted(ops),
        "ops_note": note,
    }


def _signature(signature: SignatureView) -> dict[str, Any]:
    return {
        "key": signature.key,
        "method_name": signature.method_name,
        "inputs": [_tensor(tensor) for tensor in signature.inputs.values()],
        "outputs": [_tensor(tensor) for tensor in signature.outputs.values()],
        "defaults": sorted(signature.defaults),
    }


def _tensor(tensor: TensorView) -> dict[str, Any]:
    return {
        "key": tensor.key,
        "dtype": tensor.dtype_name,
        "shape": None if tensor.shape is None else list(tensor.shape),
        "encoding": tensor.encoding,
        "name": tensor.name,
        "tensor_names": list(tensor.tensor_names),
    }


def _fingerprint(fingerprint: Fingerprint | None) -> dict[str, Any] | None:
    if fingerprint is None:
        return None
    # 64-bit hashes as strings, as protobuf's JSON writes them (JavaScript numbers lose digits).
    return {
        name: str(value) if isinstance(value, int) and name != "producer" else value
        for name, value in fingerprint._asdict().items()
    }


def _functions(functions: Functions) -> dict[str, Any]:
    return {
        "functions": [
            {"name": f.name, "concrete_functions": [_concrete(c) for c in f.concrete_functions]}
            for f in functions.functions
        ],
        "tensorflow_cannot_list": functions.tensorflow_cannot_list,
        "siglint_cannot_read": functions.siglint_cannot_read,
    }


def _concrete(function: ConcreteFunctionView) -> dict[str, Any]:
    return {
        "name": function.name,
        "arguments": None if function.arguments is None else [value_to_dict(a) for a in function.arguments],
        "keyword_arguments": {key: value_to_dict(value) for key, value in function.keyword_arguments.items()},
        "argument_keywords": list(function.argument_keywords),
        "problem": function.problem,
    }


def value_to_dict(value: Any) -> dict[str, Any]:
    """An argument of a concrete function: its Python type, its `repr` as TensorFlow prints it,
    and for a TensorSpec its name, shape (null: unknown rank; null dimensions) and dtype."""
    found = structure.unrenderable(value)
    if found is not None:
        return {"type": None, "repr": None, "unrenderable": found.what}
    entry: dict[str, Any] = {"type": structure.type_name(value), "repr": repr(value)}
    if isinstance(value, structure.TensorSpec):
        dims = value.shape.dims
        entry.update(name=value.name, shape=None if dims is None else list(dims), dtype=value.dtype.name)
    return entry

