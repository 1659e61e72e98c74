"""What users of ruff and buf reach for: --output-format, concise and full text, --statistics,
--show-settings, colour, `siglint version`, the config found from the checked paths, and a hint
when a selection can find nothing."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from siglint import __version__, checks
from siglint.cli import main

DEMO = str(ROOT / "fixtures" / "demo")
MKL = "saved_model_half_plus_two_mkl"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_output_format_is_an_alias_and_concise_is_text() -> None:
    assert run("check", "--isolated", "--output-format", "json", DEMO) == run("check", "--isolated", "--format", "json", DEMO)
    assert run("check", "--isolated", "--format", "concise", DEMO) == run("check", "--isolated", DEMO)


def test_full_shows_the_signature_of_each_finding(testdata: Path) -> None:
    code, out = run("check", "--isolated", "--format", "full", "--select", "SIG404", str(testdata / MKL))
    assert code == 1
    blocks = out.strip().split("\n\n")
    assert blocks[-1].startswith("Found 2 errors in 1 model")
    block = next(b for b in blocks if ":regress_x_to_y2:outputs: SIG404 error" in b).splitlines()
    # TF Serving's half_plus_two: regress_x_to_y2 takes serialized Examples (tf_example:0, a
    # placeholder of unknown shape) and returns `outputs` (1, 10, 10, 1) in the mkl model.
    assert block[1] == "  signature 'regress_x_to_y2' (tensorflow/serving/regress)"
    assert block[2].split() == ["io", "key", "dtype", "shape", "name"]
    assert block[3].split() == ["input", "inputs", "DT_STRING", "unknown_rank", "tf_example:0"]
    assert block[4].startswith("  > output  outputs ") and "(1, 10, 10, 1)" in block[4]
    assert block[5:] == ["  expected: (-1) or (-1, 1)", "  actual: (1, 10, 10, 1)", "  help: siglint explain SIG404"]


def test_statistics_count_each_rule(testdata: Path) -> None:
    _, document = run("check", "--isolated", "--format", "json", str(testdata))
    expected = Counter(f["code"] for f in json.loads(document)["findings"])
    code, out = run("check", "--isolated", "--statistics", str(testdata))
    assert code == 1
    rows = [line.split("\t") for line in out.splitlines()]
    assert {row[1]: int(row[0]) for row in rows} == dict(expected)
    assert [int(row[0]) for row in rows] == sorted((int(row[0]) for row in rows), reverse=True)
    _, out = run("check", "--isolated", "--statistics", "--format", "json", str(testdata))
    assert {row["code"]: row["count"] for row in json.loads(out)} == dict(expected)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with a siglint.toml that ignores SIG310, and the demo models under it."""
    root = tmp_path / "project"
    shutil.copytree(DEMO, root / "export")
    (root / "siglint.toml").write_text('ignore = ["SIG310"]\n[profile]\nrest = false\n', encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    return root


def test_the_config_is_found_from_the_checked_path(project: Path) -> None:
    """From another folder, `siglint check PROJECT/export` uses PROJECT's config, as ruff does."""
    _, out = run("check", "--format", "json", str(project / "export"))
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert "SIG310" not in codes and "SIG506" not in codes  # ignored; a REST-only rule
    _, out = run("check", "--isolated", "--format", "json", str(project / "export"))
    assert {"SIG310", "SIG506"} <= {f["code"] for f in json.loads(out)["findings"]}


def test_show_settings_says_what_and_where_from(project: Path) -> None:
    config = Path("..") / "project" / "siglint.toml"
    code, out = run("check", "--show-settings", "--extend-select", "SIG5", str(project / "export"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Config file: {config}"
    assert lines[1] == f"  found from {project / 'export'} up"
    assert 'ignore = ["SIG310"]' in lines and "rest = false" in lines
    every = len(checks.entries())
    assert lines[-1].startswith(f"Rules selected ({every - 1} of {every}): SIG001, ")
    _, out = run("check", "--show-settings", "--isolated", str(project))
    assert out.splitlines()[:2] == ["Config file: (none: the defaults)", "  --isolated: no config file is read"]


def test_paths_of_different_projects_use_the_current_folders_config(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(DEMO, other / "export")
    (other / "siglint.toml").write_text('ignore = ["SIG5"]\n', encoding="utf-8")
    code, out = run("check", "--show-settings", str(project / "export"), str(other / "export"))
    assert out.splitlines()[0] == "Config file: (none: the defaults)"
    assert "belong to different projects' config files" in capsys.readouterr().err


def test_colour_only_on_request_or_on_a_terminal(testdata: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = str(testdata / MKL)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    plain = run("check", "--isolated", model)[1]
    assert "\x1b" not in plain  # not a terminal
    coloured = run("check", "--isolated", "--color", "always", model)[1]
    assert "\x1b[1;31mSIG404\x1b[0m" in coloured
    assert coloured.replace("\x1b[1m", "").replace("\x1b[1;31m", "").replace("\x1b[1;33m", "").replace("\x1b[0m", "") == plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run("check", "--isolated", model)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run("check", "--isolated", model)[1]
    assert "\x1b" in run("check", "--isolated", "--color", "always", model)[1]
    assert "\x1b" not in run("check", "--isolated", "--color", "always", "--format", "json", model)[1]


def test_a_selection_that_needs_a_pack_says_so(testdata: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = str(testdata / MKL)
    assert run("check", "--isolated", "--select", "SIG6", model) == (0, "All checks passed: 1 model, 5 signatures.\n")
    assert "SIG601 and SIG602 check contract packs, and no pack is on" in capsys.readouterr().err
    run("check", "--isolated", "--select", "SIG6", "--contracts", "keras-export", model)
    run("check", "--isolated", "--select", "SIG4", model)
    assert "hint" not in capsys.readouterr().err


def test_version() -> None:
    assert run("version") == (0, f"siglint {__version__}\n")
