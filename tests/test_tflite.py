"""TF Lite models without TensorFlow: TF Serving's three test models read as tflite_session.cc
reads them (the expected signatures are written here from that source, not from siglint's
output), discovery of model.tflite and the server profile's --prefer_tflite_model, the
FlexBuffer reading of TF Serving's signature metadata (a C string cut at its first NUL), bad
files as findings, `siglint show`, and the comparison with a SavedModel. TensorFlow's own reading
of the same files is test_tflite_tf.py's."""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import scaled

from siglint import lint_paths
from siglint.cli import main
from siglint.engine.options import Options
from siglint.engine.profile import Profile
from siglint.fixturegen import spec as specs
from siglint.fixturegen.flatbuffer_writer import flexbuffer_map
from siglint.fixturegen.tflite_spec import (
    SignatureDefSpec,
    SubgraphSpec,
    TensorSpec,
    TfliteSpec,
    tflite_bytes,
)
from siglint.io import flexbuffer
from siglint.model.conversion import DTYPE, SHAPE, SIGNATURE_KEYS, TENSOR_KEYS, compare
from siglint.model.load import FailureKind, LoadFailure, load_model
from siglint.model.view import TFLITE, ModelView, signature_from_proto

TFLITE_DIR = "tflite"  # TF Serving's TF Lite test models, under the testdata folder
HALF_PLUS_TWO = f"{TFLITE_DIR}/saved_model_half_plus_two_tflite/00000123"
WITH_SIGDEF = f"{TFLITE_DIR}/saved_model_half_plus_two_tflite_with_sigdef/00000123"
PARSE_EXAMPLE = f"{TFLITE_DIR}/parse_example_tflite/00000123"
PREDICT = "tensorflow/serving/predict"


def _served(model: ModelView) -> dict[str, Any]:
    """TF Serving's signatures as plain data: key -> method, inputs and outputs (key -> (name,
    dtype, shape)); a shape None when the TensorInfo has no tensor_shape."""
    return {
        key: {
            "method": signature.method_name,
            **{
                io: {t.key: (t.name, t.dtype_name, t.shape if t.has_shape else None) for t in tensors.values()}
                for io, tensors in (("inputs", signature.inputs), ("outputs", signature.outputs))
            },
        }
        for key, signature in model.meta_graphs[0].signatures.items()
    }


def _load(path: Path) -> ModelView:
    loaded = load_model(str(path), None, TFLITE if path.is_file() else "savedmodel")
    assert isinstance(loaded, ModelView) and loaded.kind == TFLITE, loaded
    return loaded


# --- TF Serving's test models, as tflite_session.cc (TfLiteSession::Create) reads them -------------


def test_no_signature_metadata_gives_the_generated_serving_default(testdata: Path) -> None:
    """No signature_defs_metadata: one serving_default of subgraph 0's input `x` and output `y`
    (tensor names with their `:N` dropped, TfToTfLiteLegacyTensorName), each TensorInfo with
    the tensor's name, TfLiteTypeToTfType's dtype and `shape` (1, 1), method predict."""
    model = _load(testdata / HALF_PLUS_TWO)
    assert _served(model) == {
        "serving_default": {"method": PREDICT, "inputs": {"x": ("x", "DT_FLOAT", (1, 1))}, "outputs": {"y": ("y", "DT_FLOAT", (1, 1))}}
    }
    assert model.tflite and model.tflite.synthesised and model.tflite.problems == ()
    assert model.tflite.signature_list() == {}  # TOCO wrote no signature_defs


def test_signature_metadata_names_fixed_to_the_model_tensors(testdata: Path) -> None:
    """The metadata's serving_default names `tflite_input:0` and `y:0`; subgraph 0's tensors are
    `tflite_input` and `y`: FixTfLiteTensorName takes the names without `:0`. Dtypes and
    shapes are the metadata's."""
    model = _load(testdata / WITH_SIGDEF)
    assert _served(model) == {
        "serving_default": {
            "method": PREDICT,
            "inputs": {"x": ("tflite_input", "DT_FLOAT", (1, 1))},
            "outputs": {"y": ("y", "DT_FLOAT", (1, 1))},
        }
    }
    assert model.tflite and not model.tflite.synthesised and model.tflite.problems == ()


def test_parse_example_outputs_one_fixed_one_exact(testdata: Path) -> None:
    """`ParseExample/ParseExampleV2:0` is no tensor name, `ParseExample/ParseExampleV2` is; the
    output named `...:1` is one as written."""
    model = _load(testdata / PARSE_EXAMPLE)
    assert _served(model) == {
        "serving_default": {
            "method": PREDICT,
            "inputs": {"input": ("input", "DT_STRING", (-1,))},
            "outputs": {
                "ParseExample/ParseExampleV2": ("ParseExample/ParseExampleV2", "DT_FLOAT", (-1, 1)),
                "ParseExample/ParseExampleV2:1": ("ParseExample/ParseExampleV2:1", "DT_STRING", (-1, 1)),
            },
        }
    }


def test_get_model_metadata_of_a_tflite_model(testdata: Path) -> None:
    """TF Serving's GetModelMetadata returns the signatures Create built: names as fixed."""
    code, out = _run("show", str(testdata / WITH_SIGDEF), "--format", "metadata")
    document = json.loads(out)
    signature = document["metadata"]["signature_def"]["signature_def"]["serving_default"]
    assert code == 0 and document["model_spec"] == {"name": "saved_model_half_plus_two_tflite_with_sigdef", "signature_name": "", "version": "123"}
    assert signature["inputs"]["x"]["name"] == "tflite_input" and signature["outputs"]["y"]["name"] == "y"
    assert signature["inputs"]["x"]["tensor_shape"]["dim"] == [{"size": "1", "name": ""}, {"size": "1", "name": ""}]


def test_testdata_findings(testdata: Path) -> None:
    """Under a server run with --prefer_tflite_model: no signature table (SIG901) on all three,
    and the generated signature (SIG902) on the one without metadata; nothing else."""
    result = lint_paths([str(testdata / TFLITE_DIR)], Options(profile=Profile(prefer_tflite_model=True)))
    found = sorted((f.location.path.split("/")[-2], f.code) for f in result.findings)
    assert found == [
        ("parse_example_tflite", "SIG901"),
        ("saved_model_half_plus_two_tflite", "SIG901"),
        ("saved_model_half_plus_two_tflite", "SIG902"),
        ("saved_model_half_plus_two_tflite_with_sigdef", "SIG901"),
    ]
    assert [m.signatures for m in result.models] == [("serving_default",)] * 3


# --- models written here -------------------------------------------------------------------------


def _tensor(name: str | None, kind: int = 0, shape: tuple[int, ...] = (1, 3), signature: tuple[int, ...] | None = (-1, 3)) -> TensorSpec:
    return TensorSpec(name, kind, shape, signature, True)


def _serving(inputs: dict[str, tuple[str, str, list[int]]], outputs: dict[str, tuple[str, str, list[int]]]) -> specs.SignatureSpec:
    def tensors(table: dict[str, tuple[str, str, list[int]]]) -> dict[str, specs.TensorSpec]:
        return {key: specs.TensorSpec(dtype, tuple(shape), name) for key, (name, dtype, shape) in table.items()}

    return specs.SignatureSpec(PREDICT, tensors(inputs), tensors(outputs))


MAIN = SubgraphSpec("main", (_tensor("serving_default_x:0"), _tensor("PartitionedCall:0"), _tensor("PartitionedCall:1")), (0,), (1, 2))
NATIVE = SignatureDefSpec("serving_default", 0, (("x", 0),), (("a", 1), ("b", 2)))


def _write(path: Path, spec: TfliteSpec) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tflite_bytes(spec, specs.signature_def))
    return path


def test_without_metadata_outputs_sharing_a_stem_collapse(tmp_path: Path) -> None:
    """PartitionedCall:0 and PartitionedCall:1 both key as `PartitionedCall` in the generated
    signature: the later name (in the std::map's order) wins."""
    model = _load(_write(tmp_path / "m.tflite", TfliteSpec("m", (MAIN,), (NATIVE,))))
    assert _served(model)["serving_default"]["outputs"] == {"PartitionedCall": ("PartitionedCall:1", "DT_FLOAT", (1, 3))}
    assert model.tflite and model.tflite.signature_list() == {"serving_default": {"inputs": ["x"], "outputs": ["a", "b"]}}


def test_a_nul_byte_cuts_the_serialized_signature(tmp_path: Path) -> None:
    """A scalar's empty tensor_shape serializes as a 0 length byte: GetSignatureDefMap's
    `AsString().c_str()` stops there, and the rest fails to parse."""
    scalar = _serving({"x": ("serving_default_x:0", "DT_FLOAT", [-1, 3])}, {"a": ("PartitionedCall:0", "DT_FLOAT", [])})
    serialized = specs.signature_def(scalar).SerializeToString(deterministic=True)
    assert b"\x1a\x00" in serialized
    model = load_model(str(_write(tmp_path / "m.tflite", TfliteSpec("m", (MAIN,), (NATIVE,), {"serving_default": scalar}))), None, TFLITE)
    assert isinstance(model, ModelView) and model.tflite
    assert model.meta_graphs == ()  # TF Serving can read none of its signatures
    [problem] = model.tflite.problems
    assert problem.message.startswith("Invalid SignatureDefs found in TfLite model: Cannot parse signature def found in flatbuffer.")
    nul = serialized.index(b"\x1a\x00") + 1
    assert f"NUL byte at byte {nul} of {len(serialized)}" in problem.message


def test_flexbuffer_map_read_as_the_cpp_reader_reads_it() -> None:
    data = flexbuffer_map({b"b": b"two", b"a": b"one\0cut"})
    table = flexbuffer.as_map(data, flexbuffer.root(data))
    assert table is not None and table.keys(data).size(data) == 2
    assert [table.keys(data).key(data, i) for i in range(2)] == [b"a", b"b"]
    assert flexbuffer.as_c_string(data, flexbuffer.lookup(data, table, b"a")) == b"one"
    assert flexbuffer.stored_length(data, flexbuffer.lookup(data, table, b"a")) == 7
    assert flexbuffer.lookup(data, table, b"c") is None
    assert flexbuffer.as_c_string(data, None) == b""  # a Null reference's AsString
    assert flexbuffer.as_map(b"\x01\x04\x01", flexbuffer.root(b"\x01\x04\x01")) is None  # an int root: no map
    for cut in range(len(data)):  # every truncation: an error, never an IndexError
        try:
            part = data[cut:]
            found = flexbuffer.as_map(part, flexbuffer.root(part))
            if found is not None:
                keys = found.keys(part)
                for index in range(min(keys.size(part), 4)):
                    flexbuffer.as_c_string(part, flexbuffer.lookup(part, found, keys.key(part, index)))
        except flexbuffer.FlexBufferError:
            pass


def test_two_inputs_of_one_name_and_unsupported_types(tmp_path: Path) -> None:
    graph = SubgraphSpec("main", (_tensor("x:0"), _tensor("x:0", kind=1), _tensor("y:0", kind=10)), (0, 1), (2,))
    model = _load(_write(tmp_path / "m.tflite", TfliteSpec("m", (graph,))))
    assert model.tflite and [p.message for p in model.tflite.problems] == [
        "Unknown TfLite type: 10",  # FLOAT16 is TfLiteType 10
        "Input tensor name: x:0 has multiple indices",
        "Unknown TfLite type: 11",  # FLOAT64 is TfLiteType 11
    ]


def test_signature_naming_a_tensor_of_another_subgraph(tmp_path: Path) -> None:
    """TF Serving only resolves names against subgraph 0's inputs and outputs."""
    other = SubgraphSpec("serving_default", (_tensor("serving_default_k:0"), _tensor("out:0")), (0,), (1,))
    serving = _serving({"k": ("serving_default_k:0", "DT_FLOAT", [-1, 3])}, {"o": ("out:0", "DT_FLOAT", [-1, 3])})
    spec = TfliteSpec("m", (MAIN, other), (NATIVE, SignatureDefSpec("other", 1, (("k", 0),), (("o", 1),))), {"other": serving})
    model = _load(_write(tmp_path / "m.tflite", spec))
    assert model.tflite and [(p.kind, p.signature, p.tensor, p.io) for p in model.tflite.problems] == [
        ("unknown-tensor", "other", "k", "input"), ("unknown-tensor", "other", "o", "output"),
    ]
    assert "Signature input k references an unknown tensor" in model.tflite.problems[0].message


@pytest.mark.parametrize("cut", [0, 3, 8, 16, 40, 100, 200, 300])
def test_a_truncated_file_is_sig900(tmp_path: Path, cut: int) -> None:
    whole = tflite_bytes(TfliteSpec("m", (MAIN,), (NATIVE,)), specs.signature_def)
    path = tmp_path / "1" / "model.tflite"
    path.parent.mkdir()
    path.write_bytes(whole[:cut])
    loaded = load_model(str(path.parent))
    assert isinstance(loaded, LoadFailure) and loaded.kind is FailureKind.TFLITE_UNPARSABLE
    assert loaded.message.startswith(f"Cannot read {path} as a TF Lite model: ")


def test_mutated_files_never_raise(testdata: Path, tmp_path: Path) -> None:
    """Bit flips, byte changes and truncations of real and written models: a view or a load
    failure, every time (the reader checks every offset against the file)."""
    seeds = [(testdata / p / "model.tflite").read_bytes() for p in (HALF_PLUS_TWO, WITH_SIGDEF, PARSE_EXAMPLE)]
    seeds.append(tflite_bytes(TfliteSpec("m", (MAIN,), (NATIVE,), {"serving_default": _serving(
        {"x": ("serving_default_x:0", "DT_FLOAT", [-1, 3])}, {"a": ("PartitionedCall:0", "DT_FLOAT", [-1, 3])})}), specs.signature_def))
    rng = random.Random(16)
    path = tmp_path / "m.tflite"
    for _ in range(scaled(5000, 500)):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(data))
            data[position] = rng.randrange(256) if rng.random() < 0.5 else data[position] ^ (1 << rng.randrange(8))
        if rng.random() < 0.2:
            data = data[: rng.randrange(len(data))]
        path.write_bytes(bytes(data))
        assert isinstance(load_model(str(path), None, TFLITE), (ModelView, LoadFailure))


# --- discovery and the server profile --------------------------------------------------------------


def _saved_model(folder: Path) -> None:
    signature = _serving({"x": ("serving_default_x:0", "DT_FLOAT", [-1, 3])}, {"a": ("PartitionedCall:0", "DT_FLOAT", [-1, 3]), "b": ("PartitionedCall:1", "DT_FLOAT", [-1, 3])})
    meta_graph = specs.MetaGraphSpec(("serve",), {"serving_default": signature}, "2.21.0", tf2=True)
    model = specs.ModelFile(folder.name, specs.SavedModelSpec((meta_graph,)))
    specs.write_folder(specs.FolderSpec("", (), models=(model,)), folder.parent)


def test_the_profile_says_which_model_of_a_version_is_served(tmp_path: Path) -> None:
    version = tmp_path / "churn" / "1"
    _saved_model(version)
    _write(version / "model.tflite", TfliteSpec("m", (MAIN,), (NATIVE,)))
    default = lint_paths([str(tmp_path / "churn")])
    preferred = lint_paths([str(tmp_path / "churn")], Options(profile=Profile(prefer_tflite_model=True)))
    assert [m.file for m in default.models] == [str(version / "saved_model.pb")]
    assert [m.file for m in preferred.models] == [str(version / "model.tflite")]
    assert {f.code for f in preferred.findings} == {"SIG902"}  # the SavedModel beside it agrees: no SIG91x
    by_name = lint_paths([str(version / "model.tflite")])  # checked by name: the file, and that it is not served
    assert [m.file for m in by_name.models] == [str(version / "model.tflite")]
    assert {(f.code, f.severity.value) for f in by_name.findings} == {("SIG902", "warning"), ("SIG908", "warning")}


def test_a_version_of_only_model_tflite_is_a_model(tmp_path: Path) -> None:
    _write(tmp_path / "m" / "3" / "model.tflite", TfliteSpec("m", (MAIN,), (NATIVE,)))
    result = lint_paths([str(tmp_path)])
    assert [(m.path, m.version, m.loaded) for m in result.models] == [(str(tmp_path / "m" / "3"), 3, True)]
    assert {f.code for f in result.findings} == {"SIG902", "SIG908"}
    assert {f.code for f in lint_paths([str(tmp_path)], Options(profile=Profile(prefer_tflite_model=True))).findings} == {"SIG902"}


def test_a_tflite_file_under_any_name(tmp_path: Path) -> None:
    """A `.tflite` given by name is a model of its own; so is a file with TF Lite's identifier."""
    path = _write(tmp_path / "classifier.tflite", TfliteSpec("m", (MAIN,), (NATIVE,)))
    shutil.copy(path, tmp_path / "classifier.bin")
    for name in ("classifier.tflite", "classifier.bin"):
        [model] = lint_paths([str(tmp_path / name)]).models
        assert model.loaded and model.signatures == ("serving_default",)


# --- the comparison with the SavedModel it was converted from ------------------------------------


def test_compare_names_every_difference() -> None:
    from siglint.io.tflite_reader import read_tflite
    from siglint.model.tflite import native_signatures

    saved = {
        "serving_default": signature_from_proto("serving_default", specs.signature_def(_serving(
            {"x": ("x:0", "DT_INT64", [-1, 4])}, {"a": ("a:0", "DT_FLOAT", [-1, 3]), "c": ("c:0", "DT_FLOAT", [-1])}))),
        "lost": signature_from_proto("lost", specs.signature_def(_serving({}, {"a": ("a:0", "DT_FLOAT", [-1])}))),
    }
    data = tflite_bytes(TfliteSpec("m", (MAIN,), (NATIVE,)), specs.signature_def)
    with _source(data) as source:
        native = native_signatures(read_tflite(source))
    assert native is not None
    found = [(d.kind, d.signature, d.tensor, d.expected, d.actual) for d in compare(saved, native)]
    assert found == [
        (SIGNATURE_KEYS, "lost", None, "lost", "serving_default"),
        (DTYPE, "serving_default", "x", "DT_INT64", "FLOAT32 (DT_FLOAT)"),
        (SHAPE, "serving_default", "x", "(-1, 4)", "(-1, 3)"),
        (TENSOR_KEYS, "serving_default", "c", "c", "a, b"),
        (TENSOR_KEYS, "serving_default", "b", "a, c", "b"),
    ]


@contextlib.contextmanager
def _source(data: bytes) -> Any:
    import tempfile

    from siglint.io.source import LOCAL

    with tempfile.NamedTemporaryFile(suffix=".tflite") as file:
        file.write(data)
        file.flush()
        source = LOCAL.open(file.name)
        try:
            yield source
        finally:
            source.close()


def test_converted_from_compares_with_the_saved_model(tmp_path: Path) -> None:
    _saved_model(tmp_path / "export" / "1")
    model = _write(tmp_path / "m.tflite", TfliteSpec("m", (MAIN,), (SignatureDefSpec("serving_default", 0, (("x", 0),), (("a", 1),)),)))
    code, out = _run("check", str(model), "--converted-from", str(tmp_path / "export" / "1"), "--select", "SIG91", "--format", "json")
    [finding] = json.loads(out)["findings"]
    assert code == 1 and (finding["code"], finding["tensor"], finding["io"]) == ("SIG911", "b", "output")
    code, out = _run("check", str(model), "--converted-from", str(tmp_path / "nowhere"))
    assert code == 2


# --- show ----------------------------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_show_json_has_the_signature_list_and_the_tensors(tmp_path: Path) -> None:
    model = _write(tmp_path / "m.tflite", TfliteSpec("m", (MAIN,), (NATIVE,)))
    code, out = _run("show", str(model), "--format", "json")
    document = json.loads(out)["model"]
    assert code == 0 and document["format"] == "tflite"
    assert document["tflite_signatures"] == {"serving_default": {"inputs": ["x"], "outputs": ["a", "b"]}}
    [signature] = document["tflite"]["signatures"]
    assert signature["inputs"] == [{
        "name": "x", "tensor_index": 0, "tensor": "serving_default_x:0", "type": "FLOAT32", "dtype": "DT_FLOAT",
        "shape": [1, 3], "shape_signature": [-1, 3],
    }]
    assert document["tflite"]["serving"]["signatures_from"] == "generated"


def test_show_text_has_both_tables(testdata: Path) -> None:
    code, out = _run("show", str(testdata / WITH_SIGDEF / "model.tflite"))
    assert code == 0
    assert "The model has no signature_defs table" in out
    assert "TF Serving serves the SignatureDefs of its signature_defs_metadata:" in out
    assert "    inputs['x'] tensor_info:\n        dtype: DT_FLOAT\n        shape: (1, 1)\n        name: tflite_input\n" in out
    assert _run("show", str(testdata / WITH_SIGDEF), "--signature_def", "nope")[0] == 1


def test_converted_from_a_model_it_cannot_compare_is_a_warning(testdata: Path, tmp_path: Path) -> None:
    """--converted-from asks for a comparison: when the TF Lite model has no native signature
    table (TF Serving's test models), a warning says it was not made, without -v."""
    model = testdata / "tflite/saved_model_half_plus_two_tflite/00000123/model.tflite"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["check", "--isolated", str(model), "--converted-from", str(testdata / "saved_model_half_plus_two_cpu/00000123")], stdout=io.StringIO())
    assert code == 1
    assert "siglint: warning: " in err.getvalue() and "not compared with the SavedModel" in err.getvalue()
    assert "it has no signature table" in err.getvalue()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["check", "--isolated", str(model), "--converted-from", str(model)], stdout=io.StringIO()) == 2
    assert err.getvalue().endswith("model.tflite: not a SavedModel directory\n")


def test_a_tflite_model_named_saved_model_pb_says_what_it_is(testdata: Path, tmp_path: Path) -> None:
    (tmp_path / "m/1").mkdir(parents=True)
    shutil.copy(testdata / "tflite/saved_model_half_plus_two_tflite/00000123/model.tflite", tmp_path / "m/1/saved_model.pb")
    loaded = load_model(str(tmp_path / "m/1"))
    assert isinstance(loaded, LoadFailure) and loaded.kind is FailureKind.UNPARSABLE
    assert loaded.message.endswith("(it is a TF Lite model: TF Serving serves one named model.tflite)")
