"""Bad input is data: every malformed model gets its finding and exit code, with no traceback,
the other models are still checked, and the inspected tree is left byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from siglint import lint_paths

GOOD_PB = "matrix_half_plus_two/1/saved_model.pb"


def _model(root: Path, name: str) -> Path:
    folder = root / name / "1"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture()
def tree(tmp_path: Path, testdata: Path) -> Path:
    good = (testdata / GOOD_PB).read_bytes()
    root = tmp_path / "models"
    shutil.copy(testdata / GOOD_PB, _model(root, "good") / "saved_model.pb")
    (_model(root, "empty") / "saved_model.pb").write_bytes(b"")
    (_model(root, "truncated") / "saved_model.pb").write_bytes(good[: len(good) // 2])
    (_model(root, "corrupt") / "saved_model.pb").write_bytes(b"\x12\xff\xff\xff\xff\x0f" + good[6:])
    (_model(root, "nonproto") / "saved_model.pb").write_bytes(b"hello, this is not a protobuf\n")
    (_model(root, "lfs") / "saved_model.pb").write_bytes(
        b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n"
    )
    (_model(root, "badtext") / "saved_model.pbtxt").write_text("meta_graphs { tags: serve ")
    (_model(root, "binarytext") / "saved_model.pbtxt").write_bytes(good)
    _model(root, "missing")
    (_model(root, "dangling") / "saved_model.pb").symlink_to(root / "nowhere.pb")
    (_model(root, "folder") / "saved_model.pb").mkdir()
    os.mkfifo(_model(root, "fifo") / "saved_model.pb")
    with open(_model(root, "huge") / "saved_model.pb", "wb") as stream:
        stream.truncate(2**31 + 10)  # sparse: costs no disk
    return root


EXPECTED = {
    "empty": ("SIG002", "empty"),
    "truncated": ("SIG002", "not a valid SavedModel protobuf"),
    "corrupt": ("SIG002", "not a valid SavedModel protobuf"),
    "nonproto": ("SIG002", "SavedModel"),
    "lfs": ("SIG002", "Git LFS pointer"),
    "badtext": ("SIG002", "not valid text format"),
    "binarytext": ("SIG002", "not UTF-8"),
    "missing": ("SIG001", "Could not find SavedModel .pb or .pbtxt"),
    "dangling": ("SIG001", "dangling symlink"),
    "folder": ("SIG002", "directory"),
    "fifo": ("SIG002", "not a regular file"),
    "huge": ("SIG002", "2 GiB"),
}


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    state = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            digest = ""
            if path.is_file() and not path.is_symlink() and info.st_size < 2**20:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns, digest)
    return state


def test_each_malformed_model_gets_its_finding(tree: Path) -> None:
    result = lint_paths([str(tree)])
    by_model = {Path(m.path).parent.name: m for m in result.models}
    assert by_model["good"].loaded and by_model["good"].signatures == ("serving_default",)
    for name, (code, text) in EXPECTED.items():
        found = [f for f in result.findings if Path(f.location.path).parent.name == name]
        assert [f.code for f in found] == [code], (name, found)
        assert text in found[0].message, (name, found[0].message)
        assert not by_model[name].loaded


def test_cli_reports_without_traceback_and_leaves_the_tree_unchanged(tree: Path) -> None:
    if os.geteuid() != 0:
        (_model(tree, "noperm") / "saved_model.pb").write_bytes(b"x")
        os.chmod(tree / "noperm" / "1" / "saved_model.pb", 0)
    before = _snapshot(tree)
    run = subprocess.run(
        [sys.executable, "-m", "siglint", "check", str(tree)],
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stderr == ""
    assert f"{tree}/good/1" not in run.stdout  # the good model is clean
    assert run.stdout.count("SIG00") == len(EXPECTED) + (os.geteuid() != 0)
    assert _snapshot(tree) == before


def test_wrong_file_type(tmp_path: Path) -> None:
    other = tmp_path / "model.h5"
    other.write_bytes(b"\x89HDF")
    result = lint_paths([str(other)])
    assert [f.code for f in result.findings] == ["SIG002"]
    assert "is not a SavedModel" in result.findings[0].message


def test_a_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One line per missing path and exit 2, before anything is checked (as a bad flag)."""
    from siglint.cli import main

    good = tmp_path / "good"
    good.mkdir()
    out = io.StringIO()
    assert main(["check", str(tmp_path / "nope"), str(good), "gone/saved_model.pb"], stdout=out) == 2
    assert out.getvalue() == ""
    assert capsys.readouterr().err == (
        f"siglint: error: {tmp_path / 'nope'}: no such file or directory\n"
        "siglint: error: gone/saved_model.pb: no such file or directory\n"
    )


def test_a_folder_holding_no_model_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`siglint check src/` used to pass with a confusing SIG003; now it says what is wrong."""
    from siglint.cli import main

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("")
    shutil.copytree(ROOT / "fixtures" / "demo" / "half_plus_two", tmp_path / "export" / "good")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    assert main(["check", "src/"], stdout=out) == 2
    assert (out.getvalue(), capsys.readouterr().err) == ("", "siglint: error: no SavedModel found under src/\n")
    # With other paths that hold models, those are reported as usual and the run still fails.
    out = io.StringIO()
    assert main(["check", "src/", "export"], stdout=out) == 2
    assert out.getvalue() == "All checks passed: 1 model, 3 signatures.\n"
    assert capsys.readouterr().err == "siglint: error: no SavedModel found under src/\n"
    # Model files, as pre-commit passes them, are unaffected.
    out = io.StringIO()
    assert main(["check", "export/good/1/saved_model.pbtxt"], stdout=out) == 0


def test_internal_error_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import siglint.cli
    import siglint.cli.check

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(siglint.cli.check, "lint_paths", explode)
    assert siglint.cli.main(["check", "."]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: boom" in err


def test_a_bug_on_one_model_does_not_stop_the_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tree: Path
) -> None:
    import siglint.cli
    import siglint.run.lint

    real = siglint.run.lint.load_model

    def load(path: str, *args: object):  # type: ignore[no-untyped-def]
        if Path(path).parent.name == "good":
            raise RuntimeError("boom")
        return real(path, *args)

    monkeypatch.setattr(siglint.run.lint, "load_model", load)
    assert siglint.cli.main(["check", str(tree)]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        f"siglint: internal error while checking {tree}/good/1: RuntimeError: boom"
    ]
    assert captured.out.count("SIG00") == len(EXPECTED)  # every other model was still checked


def test_pbtxt_is_strict_where_siglint_models_it_and_skips_the_graph(tmp_path: Path) -> None:
    """TensorFlow parses .pbtxt strictly: a misspelled field is a load error. The graph and
    collections, which siglint does not model, are skipped whatever they hold."""
    model = (
        'saved_model_schema_version: 1\n'
        'meta_graphs {\n'
        '  meta_info_def { tags: "serve" function_aliases { key: "f" value: "g" } }\n'
        '  graph_def { node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } } versions { producer: 1 } }\n'
        '  collection_def { key: "c" value { any_list { value { type_url: "t" value: "v" } } } }\n'
        '  signature_def { key: "serving_default" value {\n'
        '    inputs { key: "x" value { name: "x:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } } } }\n'
        '    outputs { key: "y" value { name: "y:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } } } }\n'
        '    method_name: "tensorflow/serving/predict"\n'
        '    defaults { key: "x" value { dtype: DT_FLOAT float_val: 1.5 tensor_shape { dim { size: 1 } } } }\n'
        '  } }\n'
        '}\n'
    )
    good = tmp_path / "good" / "1"
    good.mkdir(parents=True)
    (good / "saved_model.pbtxt").write_text(model)
    result = lint_paths([str(good)])
    assert result.models[0].loaded and result.models[0].signatures == ("serving_default",)
    for typo in ("method_nme", "signature_deff", "tensor_shap", "float_vall"):
        original = {"method_nme": "method_name", "signature_deff": "signature_def",
                    "tensor_shap": "tensor_shape", "float_vall": "float_val"}[typo]
        bad = tmp_path / typo / "1"
        bad.mkdir(parents=True)
        (bad / "saved_model.pbtxt").write_text(model.replace(original, typo, 1))
        [finding] = lint_paths([str(bad)]).findings
        assert finding.code == "SIG002" and f'has no field named "{typo}"' in finding.message
        assert "tensorflow." in finding.message and "siglint.proto" not in finding.message
