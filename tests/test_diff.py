"""`siglint diff`: its sides (folders, model files, base paths, GetModelMetadata responses, git
revisions), exit codes, every report format, levels from the flag and the config, selection,
severities, per-path ignores and baselines; and the Python API. The rules themselves are held
to their case tables in tests/test_diff_cases.py and to TensorFlow's re-exports in
tests/test_diff_tf.py."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from sarif import valid_sarif

from siglint import diff_models
from siglint.cli import main
from siglint.engine.options import Options
from siglint.engine.profile import Profile
from siglint.fixturegen import spec as specs
from siglint.report import FORMATS
from siglint.run.diff import DiffError, model_view

HALF_PLUS_TWO = "saved_model_half_plus_two_2_versions"  # TF Serving's versions 123 and 124
METADATA = "metadata/saved_model_half_plus_two_2_versions_metadata.json"  # its GetModelMetadata answer


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def _signature(inputs: dict[str, Any], outputs: dict[str, Any], **rest: Any) -> dict[str, Any]:
    return {"method_name": "tensorflow/serving/predict", "inputs": inputs, "outputs": outputs, **rest}


V1 = {"signatures": {"serving_default": _signature(
    {"age": {"dtype": "DT_INT64", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
    {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}},
)}}
# Version 2 drops `country` (SIG720, an error) and adds a generic output (SIG790, a warning).
V2 = {"signatures": {"serving_default": _signature(
    {"age": {"dtype": "DT_INT64", "shape": [-1]}},
    {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "output_1": {"dtype": "DT_FLOAT", "shape": [-1, 1]}},
)}}


def write(root: Path, relative: str, model: dict[str, Any], file_format: str = "pb") -> Path:
    saved = specs.spec_from_view(model_view(model))
    specs.write_folder(specs.FolderSpec("", (), models=(specs.ModelFile(relative, saved, file_format),)), root)
    return root / relative


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """export/churn with versions 1 (V1, saved_model.pb) and 2 (V2, saved_model.pbtxt), run from tmp_path."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "export/churn/1", V1)
    write(tmp_path, "export/churn/2", V2, "pbtxt")
    return Path("export/churn")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------------------------------------
# TF Serving's own models


def test_tf_servings_two_versions_diff_clean_at_every_level(testdata: Path) -> None:
    base = testdata / HALF_PLUS_TWO
    for level in ("grpc", "rest", "strict"):
        code, out = run("diff", "--isolated", "--level", level, str(base))
        assert code == 0, out
        assert out == (
            f"All checks passed: no {level}-level change from {base / '00000123'} to {base / '00000124'} "
            "(6 signatures compared).\n"
        )
        assert run("diff", "--isolated", "--level", level, str(base / "00000124"), str(base / "00000123"))[0] == 0


def test_a_golden_get_model_metadata_answer_is_the_model_it_describes(testdata: Path) -> None:
    """TF Serving's own GetModelMetadata JSON for the model, against the model's files: no
    change at all, tensor names included (signatures compared by key across model kinds)."""
    model = testdata / HALF_PLUS_TWO / "00000123"
    for old, new in ((testdata / METADATA, model), (model, testdata / METADATA)):
        code, out = run("diff", "--isolated", "--level", "strict", str(old), str(new))
        assert code == 0 and out.startswith("All checks passed: no strict-level change"), out


def test_tf1_against_tf2_exports_of_half_plus_two(testdata: Path) -> None:
    """TF Serving's TF1 half_plus_two against its TF2 export: every classify and regress method
    name lost (warnings), and serving_default's (-1, 1) tensors made (1)."""
    code, out = run(
        "diff", "--isolated", "--format", "json",
        str(testdata / "saved_model_half_plus_two_cpu" / "00000123"),
        str(testdata / "saved_model_half_plus_two_tf2_cpu" / "00000123"),
    )
    found = {(f["code"], f["signature"], f["tensor"]) for f in json.loads(out)["findings"]}
    assert code == 1
    assert {("SIG711", key, None) for key in ("classify_x_to_y", "regress_x_to_y", "regress_x_to_y2", "regress_x2_to_y3")} <= found
    assert {("SIG731", "serving_default", "x"), ("SIG731", "serving_default", "y")} <= found


# ---------------------------------------------------------------------------------------------
# Exit codes and the sides


def test_exit_codes(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("diff", "--isolated", str(base / "1"), str(base / "1"))[0] == 0
    code, out = run("diff", "--isolated", str(base))
    assert code == 1
    assert out.splitlines() == [
        (
            f"{base / '2'}[serve]:serving_default:country: SIG720 error input 'country' is gone: gRPC requests that "
            "still send it fail with input size does not match signature: 2!=1 len({age,country}) != len({age}). "
            "Sent extra: {country}. Missing but required: {}."
        ),
        (
            f"{base / '2'}[serve]:serving_default:output_1: SIG790 warning output 'output_1' has a name TensorFlow "
            "made up for an unnamed tensor: clients must use it, and the next export may number it otherwise"
        ),
        f"Found 1 error, 1 warning from {base / '1'} to {base / '2'} at level grpc (1 signature compared).",
    ]
    assert run("diff", "--isolated", "--exit-zero", str(base))[0] == 0
    assert run("diff", "--isolated", "--ignore", "SIG720", str(base))[0] == 0  # a warning does not fail
    capsys.readouterr()
    assert run("diff", "--isolated", "nope/1", "gone.json")[0] == 2
    assert capsys.readouterr().err.splitlines() == [
        "siglint: error: old side: nope/1: no such file or directory",
        "siglint: error: new side: gone.json: no such file or directory",
    ]
    assert run("diff", "--isolated", str(base / "1"), str(base / "2"), str(base / "1"))[0] == 2
    assert run("diff", "--isolated", "--against", "1", str(base / "1"), str(base / "2"))[0] == 2
    assert run("diff", "--isolated", "--level", "wire", str(base))[0] == 2
    assert "not of expected type" not in capsys.readouterr().err


def test_unreadable_sides_are_one_line_each(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("empty").mkdir()
    Path("truncated").mkdir()
    Path("truncated/saved_model.pb").write_bytes((base / "1" / "saved_model.pb").read_bytes()[:40])
    Path("answer.json").write_text('{"error": "Servable not found for request: Latest(churn)"}')
    cases = {
        "empty": "Could not find SavedModel .pb or .pbtxt at supplied export directory path: empty",
        "truncated": "Cannot parse file truncated/saved_model.pb",
        "answer.json": "it is the server's error answer",
    }
    for path, words in cases.items():
        assert run("diff", "--isolated", path, str(base / "2"))[0] == 2
        err = capsys.readouterr().err
        assert err.startswith("siglint: error: old side: ") and words in err and err.count("\n") == 1, err


def test_a_base_path_compares_its_two_newest_versions_or_against_one(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("."), "export/churn/10", V1)  # versions sort as numbers: 10 is the newest
    code, out = run("diff", "--isolated", "--format", "json", str(base))
    document = json.loads(out)
    assert (document["diff"]["old"]["version"], document["diff"]["new"]["version"]) == (2, 10)
    # 2 -> 10 is V2 -> V1: `country` comes back, required, and output_1 goes.
    assert code == 1 and [(f["code"], f["tensor"]) for f in document["findings"]] == [
        ("SIG721", "country"), ("SIG740", "output_1")]
    code, out = run("diff", "--isolated", "--format", "json", "--against", "1", str(base))
    assert json.loads(out)["findings"] == [] and code == 0  # version 10 is version 1's model
    assert run("diff", "--isolated", "--against", "7", str(base))[0] == 2
    assert "--against 7: export/churn has no such version (it has 1, 2, 10)" in capsys.readouterr().err
    assert run("diff", "--isolated", "--against", "10", str(base))[0] == 2
    shutil.rmtree("export/churn/2")
    shutil.rmtree("export/churn/10")
    assert run("diff", "--isolated", str(base))[0] == 2
    assert "only version 1 holds a model: there is nothing to compare it with" in capsys.readouterr().err
    assert run("diff", "--isolated", str(base / "1"))[0] == 2
    assert "not a TF Serving base path" in capsys.readouterr().err


def test_two_base_paths_compare_their_latest_versions(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("."), "other/churn/5", V2)
    assert run("diff", "--isolated", str(base), "other/churn")[0] == 0
    assert "new side other/churn is a TF Serving base path: comparing its latest version, 5" in capsys.readouterr().err


def test_nothing_is_written(base: Path) -> None:
    before = _snapshot(Path("."))
    for fmt in FORMATS:
        run("diff", "--isolated", "--format", fmt, str(base))
    assert _snapshot(Path(".")) == before


# ---------------------------------------------------------------------------------------------
# Reports


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format(base: Path, fmt: str) -> None:
    code, out = run("diff", "--isolated", "--format", fmt, str(base))
    assert code == 1
    if fmt == "json":
        document = json.loads(out)
        assert [(f["code"], f["severity"], f["tensor"]) for f in document["findings"]] == [
            ("SIG720", "error", "country"), ("SIG790", "warning", "output_1")]
        assert document["findings"][0]["expected"] == "DT_STRING (-1)" and document["findings"][0]["actual"] == "absent"
        assert document["diff"] == {
            "level": "grpc", "compared": 1,
            "old": {"path": str(base / "1"), "file": str(base / "1" / "saved_model.pb"), "version": 1, "signatures": ["serving_default"]},
            "new": {"path": str(base / "2"), "file": str(base / "2" / "saved_model.pbtxt"), "version": 2, "signatures": ["serving_default"]},
        }
    elif fmt == "sarif":
        sarif = valid_sarif(out)
        assert sorted(r["ruleId"] for r in sarif["runs"][0]["results"]) == ["SIG720", "SIG790"]
    elif fmt == "junit":
        cases = ElementTree.fromstring(out).iter("testcase")
        assert sorted(case.get("name", "").split()[0] for case in cases) == ["SIG720", "SIG790"]
    elif fmt == "gitlab":
        assert sorted((issue["check_name"], issue["severity"]) for issue in json.loads(out)) == [
            ("SIG720", "major"), ("SIG790", "minor")]
    elif fmt == "github":
        assert out.startswith("::error title=siglint (SIG720)") and "::warning title=siglint (SIG790)" in out
    else:
        assert "SIG720 error input 'country' is gone" in out and out.rstrip().endswith("(1 signature compared).")
        if fmt == "full":
            assert "  expected: DT_STRING (-1)\n  actual: absent\n  help: siglint explain SIG720" in out


def test_quiet_statistics_and_output_file(base: Path) -> None:
    code, out = run("diff", "--isolated", "-q", str(base))
    assert code == 1 and len(out.splitlines()) == 2
    assert run("diff", "--isolated", "--statistics", str(base))[1].splitlines() == [
        "1\tSIG720\tinput-removed", "1\tSIG790\tgeneric-names-introduced"]
    code, out = run("diff", "--isolated", "--format", "json", "-o", "reports/diff.json", str(base))
    assert code == 1 and out == "" and json.loads(Path("reports/diff.json").read_text())["diff"]["level"] == "grpc"


# ---------------------------------------------------------------------------------------------
# Levels, selection, severities, per-path ignores, baselines


def test_levels_from_the_flag_and_the_config(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(Path("."), "export/churn/3", {"signatures": {"serving_default": _signature(
        {"age": {"dtype": "DT_INT64", "shape": [-1]}, "k": {"dtype": "DT_INT32", "shape": []}},
        {"p": {"dtype": "DT_FLOAT", "shape": [-1, 1]}, "output_1": {"dtype": "DT_FLOAT", "shape": [-1, 1]}},
        defaults=["k"],
    )}})
    def codes(*flags: str) -> list[str]:
        return [f["code"] for f in json.loads(run("diff", "--format", "json", *flags, str(base))[1])["findings"]]

    assert codes("--isolated") == []  # 2 -> 3 adds an input with a default: gRPC clients may leave it out
    assert codes("--isolated", "--level", "rest") == ["SIG750"]
    assert codes("--isolated", "--level", "strict") == ["SIG750"]
    Path("siglint.toml").write_text('[diff]\nlevel = "rest"\n')
    assert codes() == ["SIG750"]
    assert codes("--level", "grpc") == []
    Path("siglint.toml").write_text('[diff]\nlevel = "wire"\n')
    assert run("diff", str(base))[0] == 2
    assert capsys.readouterr().err == "siglint: error: siglint.toml: diff.level: 'wire' is not one of ['grpc', 'rest', 'strict']\n"


def test_select_severity_and_per_path_ignores_from_the_config(base: Path) -> None:
    Path("pyproject.toml").write_text(
        '[tool.siglint]\nseverity = { SIG790 = "error" }\n'
        '[tool.siglint.per-path-ignores]\n"export/churn" = ["SIG720"]\n'
    )
    code, out = run("diff", "--format", "json", str(base))
    assert code == 1 and [(f["code"], f["severity"]) for f in json.loads(out)["findings"]] == [("SIG790", "error")]
    code, out = run("diff", "--format", "json", "--select", "SIG72", str(base))
    assert json.loads(out)["findings"] == []  # the per-path ignore still holds
    code, out = run("diff", "--isolated", "--format", "json", "--select", "SIG72", str(base))
    assert [f["code"] for f in json.loads(out)["findings"]] == ["SIG720"]


def test_baselines_record_the_base_path_so_the_next_version_matches(base: Path) -> None:
    code, out = run("diff", "--isolated", "--write-baseline", "baseline.json", str(base))
    assert code == 0 and out == "Wrote 2 findings to the baseline baseline.json.\n"
    entries = json.loads(Path("baseline.json").read_text())["findings"]
    assert {(e["code"], e["path"]) for e in entries} == {("SIG720", "export/churn"), ("SIG790", "export/churn")}
    code, out = run("diff", "--isolated", "--baseline", "baseline.json", str(base))
    assert code == 0 and out.splitlines() == [
        f"All checks passed: no grpc-level change from {base / '1'} to {base / '2'} (1 signature compared).",
        "2 findings in the baseline not shown.",
    ]
    shutil.copytree(base / "2", base / "3")  # the next export: 2 -> 3 finds nothing, and the entries are stale
    code, out = run("diff", "--isolated", "--baseline", "baseline.json", str(base))
    assert code == 0 and "Stale baseline entries (2), no longer found" in out


# ---------------------------------------------------------------------------------------------
# git revisions


def _git(repository: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repository, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose last commit holds export/churn/1 (V1); the work tree has V2 there."""
    repository = tmp_path / "repository"
    repository.mkdir()
    _git(repository, "init", "-q")
    _git(repository, "config", "user.email", "ci@example.com")
    _git(repository, "config", "user.name", "CI")
    write(repository, "export/churn/1", V1)
    _git(repository, "add", ".")
    _git(repository, "commit", "-q", "-m", "v1")
    shutil.rmtree(repository / "export/churn/1")
    write(repository, "export/churn/1", V2, "pbtxt")
    monkeypatch.chdir(repository)
    return repository


def test_a_git_revision_against_the_work_tree(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    before = _snapshot(repository)
    code, out = run("diff", "--isolated", "git:HEAD:export/churn", "export/churn")
    assert code == 1
    assert out.splitlines()[0].startswith("export/churn/1[serve]:serving_default:country: SIG720 error")
    assert out.splitlines()[-1] == (
        "Found 1 error, 1 warning from git:HEAD:export/churn/1 to export/churn/1 at level grpc (1 signature compared)."
    )
    assert "old side git:HEAD:export/churn is a TF Serving base path" in capsys.readouterr().err
    assert _snapshot(repository) == before  # nothing written, not even in .git
    assert subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, check=True).stdout == status
    # A committed symbolic link is not followed, to a folder as to a file.
    os.symlink("export/churn", repository / "link")
    _git(repository, "add", "link")
    _git(repository, "commit", "-q", "-m", "link")
    assert run("diff", "--isolated", "git:HEAD:link", "export/churn")[0] == 2
    assert "git:HEAD:link: a symbolic link, which siglint does not follow in a git revision" in capsys.readouterr().err
    # An absolute path is not a path in a revision (git would read the repository's top).
    assert run("diff", "--isolated", f"git:HEAD:{repository}/export/churn", "export/churn")[0] == 2
    assert "a path in a git revision is relative to the repository's top, not absolute" in capsys.readouterr().err
    (repository / "sub").mkdir()
    os.chdir(repository / "sub")  # git's own path rules: ./ and ../ from the current folder
    assert run("diff", "--isolated", "git:HEAD:../export/churn/1", "git:HEAD:export/churn/1/saved_model.pb")[0] == 0
    assert run("diff", "--isolated", "git:HEAD:export/churn", "git:HEAD:export/churn/1")[0] == 0


def test_git_sides_that_cannot_be_read(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pointer = repository / "lfs" / "1" / "saved_model.pb"
    pointer.parent.mkdir(parents=True)
    pointer.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1073741824\n")
    _git(repository, "add", "lfs")
    _git(repository, "commit", "-q", "-m", "an LFS pointer")
    cases = {
        "git:HEAD:lfs/1": "old side: Cannot parse file git:HEAD:lfs/1/saved_model.pb: it is a Git LFS pointer, not the "
        "model (run `git lfs pull`) (a git: side reads the blob git stores: the pointer, not the LFS object)",
        "git:HEAD": "old side: expected git:REV:PATH (a revision and a path in it), got 'git:HEAD'",
        "git:no-such-branch:export": "old side: git:no-such-branch:export: unknown revision 'no-such-branch'",
        "git:HEAD:export/gone": "old side: git:HEAD:export/gone: no such file or directory",
        "git:--output=x:export": "old side: git:--output=x:export: '--output=x' is not a revision",
    }
    for side, message in cases.items():
        assert run("diff", "--isolated", side, "export/churn/1")[0] == 2
        assert capsys.readouterr().err == f"siglint: error: {message}\n"
    os.chdir(repository.parent)
    assert run("diff", "--isolated", "git:HEAD:export", "repository/export/churn/1")[0] == 2
    assert "is not in a git repository" in capsys.readouterr().err


def test_large_git_blobs_are_streamed_and_read_as_the_files_are(
    testdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every TF Serving test model, committed to git and read back streamed (as blobs over 32 MiB
    are), gives the views the files give."""
    from siglint.io import git
    from siglint.run.diff import Reader
    from siglint.run.inspect import inspect

    repository = tmp_path / "repository"
    shutil.copytree(testdata, repository, ignore=shutil.ignore_patterns("variables", "metadata", "tflite"))
    _git(repository, "init", "-q")
    _git(repository, "add", ".")
    _git(repository, "-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "-m", "models")
    monkeypatch.chdir(repository)
    monkeypatch.setattr(git, "WHOLE_BLOB_BYTES", 0)
    monkeypatch.setattr(git, "_HEAD_BYTES", 16)  # readers that go back past it restart the stream
    starts = []
    real_restart = git.GitSource._restart

    def counted(source: git.GitSource) -> None:
        starts.append(source.name)
        real_restart(source)

    monkeypatch.setattr(git.GitSource, "_restart", counted)
    models = sorted({p.parent.relative_to(repository).as_posix() for p in repository.rglob("saved_model.pb")})
    assert len(models) >= 14
    with Reader() as reader:
        for model in models:
            local = inspect(model, details=False).model
            streamed = reader.side(f"git:HEAD:{model}", "old").model
            assert streamed.without_graph_refs()._replace(path=model, file=local.file) == local.without_graph_refs(), model
    assert len(starts) > len(models)  # some readers went back: the stream was read again from its start


# ---------------------------------------------------------------------------------------------
# Python


def test_diff_models_from_python(base: Path) -> None:
    findings = diff_models(str(base / "1"), base / "2")
    assert [(f.code, f.location.tensor, f.expected, f.actual) for f in findings] == [
        ("SIG720", "country", "DT_STRING (-1)", "absent"), ("SIG790", "output_1", None, "output_1")]
    # At strict, also the new output, and REST's change of form (one output to two).
    assert [f.code for f in diff_models(V1, V2, level="strict")] == ["SIG751", "SIG720", "SIG762", "SIG790"]
    assert diff_models(model_view(V1), V1) == []
    with pytest.raises(DiffError, match="new side: nowhere: no such file or directory"):
        diff_models(V1, "nowhere")
    with pytest.raises(ValueError):
        diff_models(V1, V2, level="wire")
    # A description that is not a model, or a value that is none, is a side that cannot be read.
    for bad, why in (({"signatures": 5}, "not a model description"), ({"x": 1}, "not a model description"),
                     (42, "cannot compare a int")):
        with pytest.raises(DiffError, match=f"new side: {why}"):
            diff_models(V1, bad)
    assert [f.code for f in diff_models(V1, V2, options=Options(diff_level="strict"))] == ["SIG751", "SIG720", "SIG762", "SIG790"]


def test_check_never_runs_the_diff_rules(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run("check", "--isolated", "--select", "SIG7", "--format", "json", str(base))
    assert code == 0 and json.loads(out)["findings"] == []
    assert "siglint: hint: the SIG7 rules compare two versions of a model: run them with `siglint diff OLD NEW`" in capsys.readouterr().err
    code, out = run("check", "--isolated", "--format", "sarif", str(base))
    rules = valid_sarif(out)["runs"][0]["tool"]["driver"]["rules"]
    assert rules and not any(rule["id"].startswith("SIG7") for rule in rules)


def test_the_readme_diff_table_and_example_are_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Diff section's rule table is `siglint.cli.info.diff_rule_table()`, and its example is
    what siglint prints for SIG703's documented failing example as export/churn 1 and 2."""
    import re

    from conftest import ROOT

    from siglint.cli.info import diff_rule_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- diff-rules:start -->\n(.*?)<!-- diff-rules:end -->", readme, re.DOTALL)
    assert block and block.group(1) == diff_rule_table()
    example = readme.split("```console\n$ siglint diff export/churn\n", 1)[1].split("```", 1)[0]
    fixture = ROOT / "fixtures" / "rules" / "SIG703-default-signature-changed" / "fail" / "model"
    shutil.copytree(fixture, tmp_path / "export" / "churn")
    monkeypatch.chdir(tmp_path)
    assert run("diff", "--isolated", "export/churn") == (1, example)


def test_tf_lite_versions_are_versions_and_a_model_file_is_no_base_path(
    testdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TF Serving serves a version folder holding only a model.tflite (--prefer_tflite_model):
    `siglint diff BASE_PATH` counts it as a version; a side naming the .tflite file is that
    version, not a base path."""
    shutil.copytree(testdata / "saved_model_half_plus_two_cpu/00000123", tmp_path / "base/1")
    (tmp_path / "base/2").mkdir()
    shutil.copy(testdata / "tflite/saved_model_half_plus_two_tflite/00000123/model.tflite", tmp_path / "base/2")
    code, out = run("diff", "--isolated", "--format", "json", str(tmp_path / "base"))
    document = json.loads(out)
    assert code in (0, 1) and (document["diff"]["old"]["version"], document["diff"]["new"]["version"]) == (1, 2)
    capsys.readouterr()
    code, _ = run("diff", "--isolated", str(tmp_path / "base/1/saved_model.pb"), str(tmp_path / "base/2/model.tflite"))
    assert code in (0, 1) and "base path" not in capsys.readouterr().err


def test_a_version_number_twice_is_the_folder_the_server_keeps(base: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """TF Serving loads one folder per version number (SIG005: the last of its sorted listing,
    `2` over `002`), and a newest folder without a model is one it fails to load: the versions
    compared are the two newest it can serve."""
    write(Path("."), "export/churn/002", V1)  # ignored by the server: "2" is loaded
    (base / "3").mkdir()  # no model
    code, out = run("diff", "--isolated", "--format", "json", str(base))
    document = json.loads(out)
    assert (document["diff"]["old"]["path"], document["diff"]["new"]["path"]) == ("export/churn/1", "export/churn/2")
    assert code == 1 and [f["code"] for f in document["findings"]] == ["SIG720", "SIG790"]
    assert "export/churn: version folder 3 holds no model (the server fails to load it)" in capsys.readouterr().err
    assert run("diff", "--isolated", "--against", "002", str(base))[0] == 2
    assert "--against 002: it is the newest version of export/churn" in capsys.readouterr().err


def test_prefer_tflite_model_makes_a_version_folder_its_model_tflite(
    testdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder holding a SavedModel and a model.tflite is, to a server run with
    --prefer_tflite_model, its model.tflite: so it is to diff, from the flag or the config."""
    folder = tmp_path / "model/1"
    shutil.copytree(testdata / "saved_model_half_plus_two_cpu/00000123", folder)
    shutil.copy(testdata / "tflite/saved_model_half_plus_two_tflite/00000123/model.tflite", folder)
    tflite = str(folder / "model.tflite")
    code, out = run("diff", "--isolated", str(folder), tflite)
    # The SavedModel's five signatures against the one TF Serving makes of the .tflite.
    assert code == 1 and out.splitlines()[-1].startswith("Found 5 errors from ")
    assert out.splitlines()[-1].endswith("/1/saved_model.pb to " + tflite + " at level grpc (1 signature compared).")
    code, out = run("diff", "--isolated", "--prefer-tflite-model", str(folder), tflite)
    assert code == 0 and "(1 signature compared)" in out
    (tmp_path / "siglint.toml").write_text("[profile]\nprefer-tflite-model = true\n")
    code, out = run("diff", "--config", str(tmp_path / "siglint.toml"), str(folder), tflite)
    assert code == 0 and "(1 signature compared)" in out
    assert diff_models(str(folder), tflite, options=Options(profile=Profile(prefer_tflite_model=True))) == []


def test_github_format_ends_with_the_diff_summary(base: Path) -> None:
    code, out = run("diff", "--isolated", "--format", "github", str(base))
    lines = out.splitlines()
    assert code == 1 and all(line.startswith("::") for line in lines[:-1])
    assert lines[-1] == "Found 1 error, 1 warning from export/churn/1 to export/churn/2 at level grpc (1 signature compared)."
