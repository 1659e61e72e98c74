"""`siglint show` without TensorFlow: its paths and exit codes, bad input (one line, exit 2,
nothing written), graphs and object graphs it cannot decode (a note, the signatures still shown),
the JSON document, Markdown, and what it never imports. Its text is compared with
saved_model_cli's in test_show_tf.py, its metadata JSON with TF Serving's in test_metadata.py."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_malformed import EXPECTED, _snapshot, tree  # noqa: F401 - `tree` is a fixture

import siglint
from siglint import reference
from siglint.cli import main

DEMO = ROOT / "fixtures" / "demo" / "half_plus_two" / "1"
TF2 = "saved_model_half_plus_two_tf2_cpu/00000123"


def show(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["show", *argv], stdout=out)
    return code, out.getvalue(), err.getvalue()


# --- paths and exit codes ------------------------------------------------------------------------


def test_the_path_as_saved_model_cli_takes_it_or_positional() -> None:
    expected = "The given SavedModel contains the following tag-sets:\n'serve'\n"
    assert show(str(DEMO)) == show("--dir", str(DEMO)) == show(f"--dir={DEMO}") == (0, expected, "")
    assert show(str(DEMO / "saved_model.pbtxt"))[1] == expected
    assert show(str(DEMO), "--dir", str(DEMO))[0] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "show needs a model: siglint show DIR (or --dir DIR)"),
        (["a", "--dir", "b"], "two models given (a and --dir b): show one"),
        ([str(DEMO), "--model-name", "m"], "--model-name is only used with --format metadata"),
        (["no/such/model"], "no/such/model: no such file or directory"),
        (["gs://bucket/model"], "gs://bucket/model: gs:// paths are not supported yet (local files only)"),
    ],
)
def test_usage_errors(argv: list[str], message: str) -> None:
    assert show(*argv) == (2, "", f"siglint: error: {message}\n")


def test_a_folder_without_a_model(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    code, out, err = show(str(tmp_path / "notes"))
    assert (code, out) == (2, "") and err == (
        "siglint: error: Could not find SavedModel .pb or .pbtxt at supplied export directory path: "
        f"{tmp_path / 'notes'}\n"
    )


def test_unknown_tag_set_and_key_exit_1_with_saved_model_clis_words() -> None:
    assert show(str(DEMO), "--tag_set", "gpu") == (
        1,
        "",
        (
            "siglint: error: MetaGraphDef associated with tag-set gpu could not be found in the SavedModel. "
            "Please use one of the following tag-sets: ['serve']\n"
        ),
    )
    code, out, err = show(str(DEMO), "--tag-set", "serve", "--signature-def", "nope", "--list-ops")
    assert code == 1 and out.startswith("The MetaGraph with tag set ['serve'] contains the following ops:")
    assert err == (
        'siglint: error: Could not find signature "nope". Please choose from: '
        "classify_x_to_y, regress_x_to_y, serving_default\n"
    )
    # With a key (or --list_ops) saved_model_cli strips the tags first; listing keys, it does not.
    assert show(str(DEMO), "--tag_set", " , ", "--signature_def", "x")[2] == (
        "siglint: error: tag_set must contain at least one non-empty item.\n"
    )
    assert show(str(DEMO), "--tag_set", " serve")[2].startswith("siglint: error: MetaGraphDef associated with tag-set  serve ")


def test_a_base_path_shows_its_latest_version(testdata: Path) -> None:
    base = testdata / "saved_model_half_plus_two_2_versions"
    code, out, err = show(str(base), "--format", "json")
    assert code == 0 and json.loads(out)["model"]["servable"] == {"name": base.name, "version": 124}
    assert err == (
        f"siglint: note: {base} is a TF Serving base path: showing its latest version, 00000124 "
        "(as the server serves it)\n"
    )


# --- bad input -------------------------------------------------------------------------------------


def test_every_malformed_model_is_one_line_and_exit_2(tree: Path) -> None:  # noqa: F811
    before = _snapshot(tree)
    for name, (_, text) in EXPECTED.items():
        for argv in ([], ["--all"], ["--format", "json"], ["--format", "metadata"], ["--format", "markdown"]):
            code, out, err = show(str(tree / name / "1"), *argv)
            assert (code, out) == (2, ""), (name, argv)
            assert err.startswith("siglint: error: ") and err.count("\n") == 1 and text in err, (name, err)
    assert _snapshot(tree) == before


def test_show_of_a_malformed_model_in_a_process_has_no_traceback(tree: Path) -> None:  # noqa: F811
    before = _snapshot(tree)
    run = subprocess.run(
        [sys.executable, "-m", "siglint", "show", "--all", str(tree / "truncated" / "1")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert run.returncode == 2 and run.stdout == "" and run.stderr.count("\n") == 1
    assert "Traceback" not in run.stderr
    assert _snapshot(tree) == before


def _field(number: int, payload: bytes) -> bytes:
    from siglint.io.seek_reader import _length_prefixed

    return _length_prefixed(number, payload)


def _model_with(tmp_path: Path, extra: bytes) -> Path:
    """A SavedModel whose one MetaGraphDef has `extra` fields appended to it."""
    signature = reference.predict_signature_def({"x": reference.Tensor("x:0", "float32", [None])}, {"y": reference.Tensor("y:0", "float32", [None])})
    meta_graph = reference.meta_graph_def(["serve"], {"serving_default": signature})
    model = b"\x08\x01" + _field(2, meta_graph.SerializeToString() + extra)
    folder = tmp_path / "model" / "1"
    folder.mkdir(parents=True)
    (folder / "saved_model.pb").write_bytes(model)
    return folder


def test_a_graph_siglint_cannot_decode_is_a_note(tmp_path: Path) -> None:
    """A node whose contents protobuf rejects (a field of wire type 7): the signatures are shown,
    the ops are not, and check, which never reads the graph, reads the model."""
    model = _model_with(tmp_path, _field(2, _field(1, b"\x0f\x00")))
    code, out, err = show(str(model), "--all")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "signature_def['serving_default']:" in lines
    assert re.fullmatch(
        r"The MetaGraph with tag set \['serve'\] contains the following ops: N/A \(siglint could not read its "
        r"graph_def: graph_def: .+\)",
        lines[-1],
    )
    assert json.loads(show(str(model), "--format", "json")[1])["model"]["meta_graphs"][0]["ops"] is None
    assert siglint.lint_paths([str(model)]).models[0].loaded


def test_an_object_graph_siglint_cannot_decode_is_a_note(tmp_path: Path) -> None:
    model = _model_with(tmp_path, _field(7, _field(1, b"\x0f\x00")))
    code, out, _ = show(str(model), "--all")
    assert code == 0 and "signature_def['serving_default']:" in out
    assert out.splitlines()[-2:] == ["", out.splitlines()[-1]]
    assert out.splitlines()[-1].startswith("Concrete Functions: N/A (siglint could not read its object_graph_def: ")


def test_control_characters_are_never_printed(tmp_path: Path) -> None:
    key = "evil\n\x1b[31mkey"
    signature = reference.predict_signature_def({"x\rx": reference.Tensor("x:0", "float32", [None])}, {"y": reference.Tensor("y\x07:0", "float32", [None])})
    model = reference.saved_model([reference.meta_graph_def(["serve", "\x1b"], {key: signature})])
    reference.write_saved_model(model, str(tmp_path / "m" / "1"), "pb")
    for argv in (["--all"], ["--tag_set", "serve,\x1b"], ["--tag_set", "serve,\x1b", "--signature_def", key],
                 ["--format", "json"], ["--format", "markdown"], ["--tag_set", "serve,\x1b", "--format", "metadata"]):
        code, out, err = show(str(tmp_path / "m" / "1"), *argv)
        assert code == 0, (argv, err)
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f]", out + err), (argv, out)
    assert "evil\\n\\x1b[31mkey" in show(str(tmp_path / "m" / "1"), "--all")[1]


# --- formats ---------------------------------------------------------------------------------------


def test_json_document(testdata: Path) -> None:
    code, out, _ = show(str(testdata / TF2), "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["version"] == 1
    model = document["model"]
    assert model == siglint.inspect(testdata / TF2).to_dict()
    assert (model["format"], model["servable"], model["saved_model_schema_version"]) == (
        "savedmodel", {"name": "saved_model_half_plus_two_tf2_cpu", "version": 123}, 1
    )
    [meta_graph] = model["meta_graphs"]
    assert (meta_graph["tags"], meta_graph["tensorflow_version"], meta_graph["tf2"]) == (["serve"], "2.14.0", True)
    serving = next(s for s in meta_graph["signatures"] if s["key"] == "serving_default")
    assert serving == {
        "key": "serving_default", "method_name": "tensorflow/serving/predict",
        "inputs": [{"key": "x", "dtype": "DT_FLOAT", "shape": [1], "encoding": "name", "name": "serving_default_x:0", "tensor_names": ["serving_default_x:0"]}],
        "outputs": [{"key": "y", "dtype": "DT_FLOAT", "shape": [1], "encoding": "name", "name": "StatefulPartitionedCall_5:0", "tensor_names": ["StatefulPartitionedCall_5:0"]}],
        "defaults": ["x"],
    }
    assert meta_graph["ops"] == sorted(meta_graph["ops"]) and "ParseExampleV2" in meta_graph["ops"]
    functions = model["functions"]
    assert [f["name"] for f in functions["functions"]] == [
        "classify_x2y3", "classify_xy", "predict", "regress_x2y3", "regress_xy", "regress_xy2"
    ]
    [predict] = [f for f in functions["functions"] if f["name"] == "predict"]
    assert predict["concrete_functions"][0]["arguments"] == [{
        "type": "TensorSpec", "repr": "TensorSpec(shape=(1,), dtype=tf.float32, name='x')",
        "name": "x", "shape": [1], "dtype": "float32",
    }]
    assert set(model["fingerprint"]) == {
        "saved_model_checksum", "graph_def_program_hash", "signature_def_hash", "saved_object_graph_hash",
        "checkpoint_hash", "uuid", "producer",
    }
    assert all(isinstance(v, str) for k, v in model["fingerprint"].items() if k != "producer")


def test_json_narrowed_by_tag_set_and_key() -> None:
    document = json.loads(show(str(DEMO), "--format", "json", "--tag_set", "serve", "--signature_def", "regress_x_to_y")[1])
    [meta_graph] = document["model"]["meta_graphs"]
    assert [s["key"] for s in meta_graph["signatures"]] == ["regress_x_to_y"]
    assert show(str(DEMO), "--format", "json", "--signature_def", "x")[2] == (
        "siglint: error: --signature_def needs --tag_set, as in saved_model_cli\n"
    )


def test_markdown(tmp_path: Path) -> None:
    assert show(str(DEMO), "--format", "markdown")[1] == (
        "### `half_plus_two` version 1, tag-set `serve`\n"
        "\n"
        "| signature | method | | key | dtype | shape |\n"
        "|---|---|---|---|---|---|\n"
        "| `classify_x_to_y` | `tensorflow/serving/classify` | input | `inputs` | DT_STRING | (-1) |\n"
        "| | | output | `scores` | DT_FLOAT | (-1, 1) |\n"
        "| `regress_x_to_y` | `tensorflow/serving/regress` | input | `inputs` | DT_STRING | (-1) |\n"
        "| | | output | `outputs` | DT_FLOAT | (-1, 1) |\n"
        "| `serving_default` | `tensorflow/serving/predict` | input | `x` | DT_FLOAT | (-1, 1) |\n"
        "| | | output | `y` | DT_FLOAT | (-1, 1) |\n"
    )
    signature = reference.predict_signature_def({"a|b": reference.Tensor("x:0", "float32", None)}, {"`y`": reference.Tensor("y:0", "float32", [])})
    reference.write_saved_model(reference.saved_model([reference.meta_graph_def(["serve"], {"k": signature})]), str(tmp_path / "1"), "pb")
    table = show(str(tmp_path / "1"), "--format", "markdown")[1].splitlines()
    assert table[4:] == [
        "| `k` | `tensorflow/serving/predict` | input | `a\\|b` | DT_FLOAT | unknown_rank |",
        "| | | output | \\`y\\` | DT_FLOAT | () |",
    ]


def test_show_never_imports_tensorflow(testdata: Path) -> None:
    script = (
        "import sys, io, contextlib\n"
        "from siglint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    codes = [main(['show', {str(testdata / TF2)!r}, *argv]) for argv in "
        "([], ['--all'], ['--format', 'json'], ['--format', 'metadata'], ['--format', 'markdown'])]\n"
        "print(codes, sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'tensorflow_serving', 'keras')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split("] ", 1) == ["[0, 0, 0, 0, 0", "[]\n"]


def test_a_plain_show_imports_no_json(testdata: Path) -> None:
    """Start-up: saved_model_cli's modes without --all read no graph and import no json."""
    script = (
        "import sys, io, contextlib\n"
        "from siglint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['show', {str(testdata / TF2)!r}, '--tag_set', 'serve', '--signature_def', 'serving_default'])\n"
        "print(sorted(m for m in sys.modules if m in ('json', 'siglint.savedmodel.inspect_proto')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_nothing_is_written_into_the_model(testdata: Path, tmp_path: Path) -> None:
    import shutil

    model = tmp_path / "m"
    shutil.copytree(testdata / TF2, model)
    before = _snapshot(model)
    for argv in ([], ["--all"], ["--format", "json"], ["--format", "metadata"]):
        assert show(str(model), *argv)[0] == 0
    assert _snapshot(model) == before and not list(model.rglob("__pycache__"))
    assert os.listdir(model) == os.listdir(testdata / TF2)


def test_the_readmes_show_examples_are_what_show_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `$ siglint show ...` of the README's Show section prints what follows it."""
    import shlex

    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Show\n", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    commands = 0
    for example in examples:
        for block in re.split(r"^\$ ", example, flags=re.MULTILINE)[1:]:
            command, _, expected = block.partition("\n")
            argv = shlex.split(command.split(" | ")[0])[2:]
            code, out, _ = show(*argv)
            if " | tail -" in command:
                out = "".join(out.splitlines(keepends=True)[-int(command.rsplit("-", 1)[1]):])
            assert (code, out) == (0, expected), command
            commands += 1
    assert commands == 3
