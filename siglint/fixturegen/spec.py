"""Model specs: a short TOML description of a folder of SavedModels, built with `siglint.reference`.

A spec names the model files to write (path, `pb` or `pbtxt`, MetaGraphDefs, signatures), raw
files for broken layouts (corrupt, truncated or empty model files, stray entries of a base path),
and the rule codes its fixture is expected to trigger::

    description = "Classify signature with a float input"
    expect = ["SIG306"]

    [[models]]
    path = "model/1"
    format = "pbtxt"                    # default "pb"

    [[models.meta_graphs]]
    tags = ["serve"]

    [models.meta_graphs.signatures.serving_default]
    method = "tensorflow/serving/classify"
    inputs.inputs = { name = "x:0", dtype = "DT_FLOAT", shape = [-1] }
    outputs.scores = { name = "y:0", dtype = "DT_FLOAT", shape = [-1, 3] }

`contracts = ["tf-ranking", "pack.toml"]` checks with contract packs (a pack file can be one of
the spec's `files`). A deployment's files: `model_config_file = "models.config"` (one of the
`files`) is checked as `--model-config-file` is, `profile = { ... }` sets server knobs (a
`model_config_list_root_dir` of "." is the spec's folder), `[[warmup]]` writes a model's warmup
file (`siglint.fixturegen.warmup_spec`), and `request = "request.json"` checks that file against
the model `check` names, as `siglint request check` does; `diff = "grpc"` runs `siglint diff
--level grpc` on the `check` paths; `[[tflite]]` writes a TF Lite model
(`siglint.fixturegen.tflite_spec`). Instead of models and files, `exporter = "tf2_module"` names a TensorFlow exporter that writes
the model into `model/1` (see `siglint.fixturegen.tf_exporters`).

A tensor has `dtype`, an optional `shape` (absent: unknown rank; -1: unknown dimension) and at
most one encoding: `name`, or `sparse = { values, indices, dense_shape }`; neither means no
encoding set. `spec_from_view` turns what siglint reads back into the same records.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from siglint import reference
from siglint.fixturegen.graph_spec import GraphSpec, GraphSpecError, graph_spec, meta_graph_bytes
from siglint.fixturegen.tflite_spec import TfliteSpec, TfliteSpecError, tflite_bytes, tflite_spec
from siglint.fixturegen.warmup_spec import WarmupError, WarmupSpec, warmup_bytes, warmup_spec
from siglint.io.documents import DocumentError, decode, parse_toml, read_bytes
from siglint.model.view import MetaGraphView, ModelView, SignatureView, TensorView
from siglint.savedmodel import proto as _proto
from siglint.savedmodel.dtypes import dtype_name, parse_dtype


class SpecError(ValueError):
    """A spec that does not say what a model is."""


class Sparse(NamedTuple):
    values: str
    indices: str
    dense_shape: str


class TensorSpec(NamedTuple):
    dtype: str  # the enum name: DT_FLOAT
    shape: tuple[int, ...] | None = None
    name: str | None = None
    sparse: Sparse | None = None


class SignatureSpec(NamedTuple):
    method: str = ""
    inputs: Mapping[str, TensorSpec] = {}
    outputs: Mapping[str, TensorSpec] = {}
    defaults: tuple[str, ...] = ()  # input keys with a default value


class MetaGraphSpec(NamedTuple):
    tags: tuple[str, ...]
    signatures: Mapping[str, SignatureSpec]
    tensorflow_version: str = ""
    tf2: bool = False
    graph: GraphSpec | None = None  # siglint.fixturegen.graph_spec: nodes, functions, ...


class SavedModelSpec(NamedTuple):
    meta_graphs: tuple[MetaGraphSpec, ...]
    schema_version: int = reference.SAVED_MODEL_SCHEMA_VERSION


class ModelFile(NamedTuple):
    path: str  # the model directory, relative to the spec's folder
    model: SavedModelSpec
    format: str = "pb"
    truncate: int | None = None  # write only the first N bytes


class RawFile(NamedTuple):
    path: str
    data: bytes


class FolderSpec(NamedTuple):
    description: str
    expect: tuple[str, ...]
    models: tuple[ModelFile, ...] = ()
    files: tuple[RawFile, ...] = ()
    check: tuple[str, ...] = ("model",)  # what `siglint check` is given, from the spec's folder
    exporter: str | None = None  # a TensorFlow exporter (siglint.fixturegen.tf_exporters) writes EXPORT_PATH
    # Contract packs the check runs with: bundled names or pack files, from the spec's folder.
    contracts: tuple[str, ...] = ()
    # A models.config the check is given (--model-config-file), from the spec's folder.
    model_config_file: str | None = None
    # Server profile knobs the check runs with (Profile fields); a `model_config_list_root_dir`
    # of "." is the spec's folder.
    profile: tuple[tuple[str, Any], ...] = ()
    warmup: tuple[WarmupSpec, ...] = ()  # warmup files (siglint.fixturegen.warmup_spec)
    # A request file (REST .json, gRPC text .pbtxt) checked against the model `check` names, as
    # `siglint request check MODEL REQUEST` does, instead of `siglint check`.
    request: str | None = None
    # A level (grpc, rest, strict): `siglint diff --level LEVEL` is run on the `check` paths (two
    # models, or one base path) instead of `siglint check`.
    diff: str | None = None
    tflite: tuple[TfliteSpec, ...] = ()  # TF Lite models (siglint.fixturegen.tflite_spec)


EXPORT_PATH = "model/1"


# --------------------------------------------------------------------------------------------
# Reading


def read_spec(path: str | os.PathLike[str]) -> FolderSpec:
    try:
        return folder_spec(parse_toml(decode(read_bytes(os.fspath(path)))))
    except (DocumentError, SpecError) as error:
        raise SpecError(f"{os.fspath(path)}: {error}") from None


def _table(data: Any, where: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise SpecError(f"{where} must be a table")
    if missing := required - set(data):
        raise SpecError(f"{where} lacks {', '.join(sorted(missing))}")
    if unknown := set(data) - required - optional:
        raise SpecError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    return data


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise SpecError(f"{where} must be a string")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SpecError(f"{where} must be a list of strings")
    return tuple(value)


def folder_spec(data: Any) -> FolderSpec:
    top = _table(
        data, "the spec", {"description", "expect"},
        {"models", "files", "check", "exporter", "contracts", "model_config_file", "profile", "warmup", "request", "diff", "tflite"},
    )
    if "exporter" in top and ("models" in top or "files" in top):
        raise SpecError("a spec with an exporter describes no models or files of its own")
    return FolderSpec(
        description=_string(top["description"], "description"),
        expect=_strings(top["expect"], "expect"),
        models=tuple(_model_file(m, f"models[{i}]") for i, m in enumerate(top.get("models", []))),
        files=tuple(_raw_file(f, f"files[{i}]") for i, f in enumerate(top.get("files", []))),
        check=_strings(top.get("check", ["model"]), "check"),
        exporter=_string(top["exporter"], "exporter") if "exporter" in top else None,
        contracts=_strings(top.get("contracts", []), "contracts"),
        model_config_file=_string(top["model_config_file"], "model_config_file") if "model_config_file" in top else None,
        profile=_profile(top.get("profile", {})),
        warmup=tuple(_warmup(w, f"warmup[{i}]") for i, w in enumerate(top.get("warmup", []))),
        request=_string(top["request"], "request") if "request" in top else None,
        diff=_string(top["diff"], "diff") if "diff" in top else None,
        tflite=tuple(_tflite(t, f"tflite[{i}]") for i, t in enumerate(top.get("tflite", []))),
    )


def _tflite(data: Any, where: str) -> TfliteSpec:
    try:
        return tflite_spec(data, where, _signature)
    except (TfliteSpecError, TypeError, ValueError) as error:
        raise SpecError(str(error)) from None


def _profile(data: Any) -> tuple[tuple[str, Any], ...]:
    from siglint.engine.profile import Profile

    table = _table(data, "profile", set(), set(Profile._fields))
    return tuple(sorted((key, tuple(v) if isinstance(v, list) else v) for key, v in table.items()))


def _warmup(data: Any, where: str) -> WarmupSpec:
    try:
        return warmup_spec(data, where)
    except WarmupError as error:
        raise SpecError(str(error)) from None


def _model_file(data: Any, where: str) -> ModelFile:
    table = _table(data, where, {"path"}, {"format", "schema_version", "meta_graphs", "truncate"})
    fmt = table.get("format", "pb")
    if fmt not in reference.FORMATS:
        raise SpecError(f"{where}.format must be one of {', '.join(reference.FORMATS)}")
    truncate = table.get("truncate")
    if truncate is not None and (not isinstance(truncate, int) or truncate < 0):
        raise SpecError(f"{where}.truncate must be a number of bytes")
    return ModelFile(
        path=_string(table["path"], f"{where}.path"),
        model=SavedModelSpec(
            meta_graphs=tuple(
                _meta_graph(m, f"{where}.meta_graphs[{i}]")
                for i, m in enumerate(table.get("meta_graphs", []))
            ),
            schema_version=int(table.get("schema_version", reference.SAVED_MODEL_SCHEMA_VERSION)),
        ),
        format=fmt,
        truncate=truncate,
    )


def _raw_file(data: Any, where: str) -> RawFile:
    table = _table(data, where, {"path"}, {"text", "hex"})
    if ("text" in table) == ("hex" in table):
        raise SpecError(f"{where} needs exactly one of text, hex")
    if "text" in table:
        content = _string(table["text"], f"{where}.text").encode("utf-8")
    else:
        try:
            content = bytes.fromhex(_string(table["hex"], f"{where}.hex"))
        except ValueError:
            raise SpecError(f"{where}.hex is not hexadecimal bytes") from None
    return RawFile(_string(table["path"], f"{where}.path"), content)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SpecError(f"{where} must be a table")
    return value


def _meta_graph(data: Any, where: str) -> MetaGraphSpec:
    table = _table(data, where, {"tags"}, {"signatures", "tensorflow_version", "tf2", "graph"})
    signatures = _mapping(table.get("signatures", {}), f"{where}.signatures")
    tf2 = table.get("tf2", False)
    if not isinstance(tf2, bool):
        raise SpecError(f"{where}.tf2 must be true or false")
    return MetaGraphSpec(
        tags=_strings(table["tags"], f"{where}.tags"),
        signatures={
            key: _signature(value, f"{where}.signatures.{key}") for key, value in signatures.items()
        },
        tensorflow_version=_string(table.get("tensorflow_version", ""), f"{where}.tensorflow_version"),
        tf2=tf2,
        graph=_graph(table["graph"], f"{where}.graph") if "graph" in table else None,
    )


def _graph(data: Any, where: str) -> GraphSpec:
    try:
        return graph_spec(data, where)
    except GraphSpecError as error:
        raise SpecError(str(error)) from None


def _signature(data: Any, where: str) -> SignatureSpec:
    table = _table(data, where, set(), {"method", "inputs", "outputs", "defaults"})
    tensors = {}
    for io in ("inputs", "outputs"):
        entries = _mapping(table.get(io, {}), f"{where}.{io}")
        tensors[io] = {key: _tensor(value, f"{where}.{io}.{key}") for key, value in entries.items()}
    return SignatureSpec(
        method=_string(table.get("method", ""), f"{where}.method"),
        inputs=tensors["inputs"],
        outputs=tensors["outputs"],
        defaults=tuple(sorted(_strings(table.get("defaults", []), f"{where}.defaults"))),
    )


def _tensor(data: Any, where: str) -> TensorSpec:
    table = _table(data, where, {"dtype"}, {"shape", "name", "sparse"})
    if "name" in table and "sparse" in table:
        raise SpecError(f"{where} has both name and sparse: a TensorInfo has one encoding")
    try:
        dtype = dtype_name(parse_dtype(table["dtype"]))
    except ValueError as error:
        raise SpecError(f"{where}: {error}") from None
    shape = table.get("shape")
    if shape is not None and not all(isinstance(size, int) for size in shape):
        raise SpecError(f"{where}.shape must be a list of integers (-1: unknown)")
    sparse = None
    if "sparse" in table:
        parts = _table(table["sparse"], f"{where}.sparse", set(Sparse._fields), set())
        sparse = Sparse(*(str(parts[field]) for field in Sparse._fields))
    return TensorSpec(
        dtype=dtype,
        shape=None if shape is None else tuple(shape),
        name=table.get("name"),
        sparse=sparse,
    )


# --------------------------------------------------------------------------------------------
# Building and writing


def _tensor_info(spec: TensorSpec) -> Any:
    if spec.sparse is not None:
        return reference.build_tensor_info(
            reference.SparseTensor(*spec.sparse, dtype=spec.dtype, shape=spec.shape)
        )
    info = reference.build_tensor_info(reference.Tensor(spec.name or "", spec.dtype, spec.shape))
    if spec.name is None:
        info.ClearField("name")  # no encoding at all
    return info


def signature_def(spec: SignatureSpec) -> Any:
    return reference.build_signature_def(
        inputs={key: _tensor_info(tensor) for key, tensor in spec.inputs.items()},
        outputs={key: _tensor_info(tensor) for key, tensor in spec.outputs.items()},
        method_name=spec.method,
        # The value of a default is not described: its TensorProto holds the input's dtype.
        defaults={
            key: _proto.TensorProto(dtype=parse_dtype(spec.inputs[key].dtype))
            if key in spec.inputs
            else _proto.TensorProto()
            for key in spec.defaults
        },
    )


def _meta_graph_def(spec: MetaGraphSpec) -> Any:
    meta_graph = reference.meta_graph_def(
        spec.tags,
        {key: signature_def(sig) for key, sig in spec.signatures.items()},
        tensorflow_version=spec.tensorflow_version,
        tf2=spec.tf2,
    )
    if spec.graph is not None:
        meta_graph.MergeFromString(meta_graph_bytes(spec.graph))
    return meta_graph


def saved_model(spec: SavedModelSpec) -> Any:
    return reference.saved_model(
        (_meta_graph_def(meta_graph) for meta_graph in spec.meta_graphs),
        schema_version=spec.schema_version,
    )


def write_folder(spec: FolderSpec, folder: str | os.PathLike[str]) -> None:
    """Write every model and raw file the spec names under `folder` (deterministic bytes)."""
    for model in spec.models:
        if model.format != "pb" and any(mg.graph for mg in model.model.meta_graphs):
            raise SpecError(f"{model.path}: a graph is written to a saved_model.pb only")
        data = reference.serialize(saved_model(model.model), model.format)
        _write(folder, os.path.join(model.path, f"saved_model.{model.format}"), data[: model.truncate])
    for raw in spec.files:
        _write(folder, raw.path, raw.data)
    for warmup in spec.warmup:
        _write(folder, warmup.path, warmup_bytes(warmup))
    for lite in spec.tflite:
        _write(folder, lite.path, tflite_bytes(lite, signature_def))


def _write(folder: str | os.PathLike[str], relative: str, data: bytes) -> None:
    path = os.path.join(folder, relative)
    if os.path.isabs(relative) or os.path.normpath(relative).startswith(".."):
        raise SpecError(f"{relative}: paths in a spec stay inside its folder")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(data)


# --------------------------------------------------------------------------------------------
# Reading back


def tensor_spec_from_view(view: TensorView) -> TensorSpec:
    if view.encoding == "composite_tensor":
        raise SpecError(f"tensor {view.key!r}: specs do not describe composite tensors")
    sparse = Sparse(*view.tensor_names) if view.encoding == "coo_sparse" else None
    return TensorSpec(
        dtype=view.dtype_name,
        shape=view.shape,
        name=view.name if view.encoding == "name" else None,
        sparse=sparse,
    )


def signature_spec_from_view(view: SignatureView) -> SignatureSpec:
    return SignatureSpec(
        method=view.method_name,
        inputs={key: tensor_spec_from_view(t) for key, t in view.inputs.items()},
        outputs={key: tensor_spec_from_view(t) for key, t in view.outputs.items()},
        defaults=tuple(sorted(view.defaults)),
    )


def meta_graph_spec_from_view(view: MetaGraphView) -> MetaGraphSpec:
    return MetaGraphSpec(
        tags=view.tags,
        signatures={key: signature_spec_from_view(s) for key, s in view.signatures.items()},
        tensorflow_version=view.tensorflow_version,
        tf2=view.is_tf2,
    )


def spec_from_view(view: ModelView) -> SavedModelSpec:
    """The spec of what siglint read: `spec_from_view(load(write(spec))) == spec`."""
    return SavedModelSpec(
        meta_graphs=tuple(meta_graph_spec_from_view(mg) for mg in view.meta_graphs),
        schema_version=view.schema_version,
    )
