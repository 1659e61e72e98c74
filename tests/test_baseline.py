"""Baselines: written from a run, read back to hide known findings, new findings still fail the
run, stale entries are listed, entries survive rewording and moving the working folder."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from siglint import Finding, Location, Severity
from siglint.cli import main
from siglint.report.baseline import BaselineError, Entry, read_baseline, write_baseline

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "fixtures" / "rules"


def copy_model(rule: str, to: Path) -> None:
    shutil.copytree(RULES / rule / "fail" / "model", to)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_model("SIG307-classify-output-dtype", tmp_path / "models" / "classify")  # 2 x SIG307 error
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", "--isolated", *argv], stdout=out)
    return code, out.getvalue()


def test_write_baseline_records_findings_and_exits_zero(tree: Path) -> None:
    assert run("models")[0] == 1
    (tree / "ci").mkdir()
    code, out = run("--write-baseline", "ci/baseline.json", "models")
    assert (code, out) == (0, "Wrote 2 findings to the baseline ci/baseline.json.\n")
    document = json.loads((tree / "ci" / "baseline.json").read_text(encoding="utf-8"))
    assert document == {
        "version": 1,
        "findings": [
            {"code": "SIG307", "path": "../models/classify", "tags": ["serve"],
             "signature": "serving_default", "tensor": tensor, "io": "output", "count": 1}
            for tensor in ("classes", "scores")
        ],
    }


def test_baseline_hides_known_findings(tree: Path) -> None:
    run("--write-baseline", "baseline.json", "models")
    code, out = run("--baseline", "baseline.json", "models")
    assert code == 0
    assert out == "All checks passed: 1 model, 1 signature.\n2 findings in the baseline not shown.\n"


def test_a_new_finding_is_reported_and_fails_the_run(tree: Path) -> None:
    run("--write-baseline", "baseline.json", "models")
    copy_model("SIG404-regress-output-shape", tree / "models" / "regress")
    code, out = run("--baseline", "baseline.json", "models")
    assert code == 1
    lines = out.splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines[:-2]] == ["SIG404"]
    assert lines[0].startswith("models/regress/1[serve]:serving_default:outputs: SIG404 error ")
    assert lines[-2:] == ["Found 1 error in 2 models (2 signatures).", "2 findings in the baseline not shown."]


def test_stale_entries_are_listed(tree: Path) -> None:
    copy_model("SIG404-regress-output-shape", tree / "models" / "regress")
    run("--write-baseline", "baseline.json", "models")
    shutil.rmtree(tree / "models" / "regress")
    code, out = run("--baseline", "baseline.json", "models")
    assert code == 0
    assert out.splitlines() == [
        "All checks passed: 1 model, 1 signature.",
        "2 findings in the baseline not shown.",
        "Stale baseline entries (1), no longer found (paths relative to the baseline file):",
        "  models/regress[serve]:serving_default:outputs: SIG404",
    ]
    document = json.loads(run("--baseline", "baseline.json", "--format", "json", "models")[1])
    assert document["findings"] == []
    assert document["baseline"] == {
        "known": 2,
        "stale": [{"code": "SIG404", "path": "models/regress", "tags": ["serve"],
                   "signature": "serving_default", "tensor": "outputs", "io": "output", "count": 1}],
    }


def test_quiet_prints_neither_summary_nor_stale_entries(tree: Path) -> None:
    (tree / "baseline.json").write_text(json.dumps({"version": 1, "findings": [
        {"code": "SIG404", "path": "gone", "tags": None, "signature": None, "tensor": None, "io": None}
    ]}), encoding="utf-8")
    code, out = run("-q", "--baseline", "baseline.json", "models")
    assert code == 1
    assert "Stale" not in out and len(out.splitlines()) == 2


def test_a_new_version_keeps_the_findings_of_the_last_one_known(tree: Path) -> None:
    """A finding in a version folder is recorded by base path: the next export is not new."""
    run("--write-baseline", "baseline.json", "models")
    (tree / "models" / "classify" / "1").rename(tree / "models" / "classify" / "00000124")
    code, out = run("--baseline", "baseline.json", "models")
    assert (code, out) == (0, "All checks passed: 1 model, 1 signature.\n2 findings in the baseline not shown.\n")
    # Both versions served side by side: each has the findings, one version's worth is known.
    copy_model("SIG307-classify-output-dtype", tree / "models" / "next")
    (tree / "models" / "next" / "1").rename(tree / "models" / "classify" / "00000125")
    code, out = run("--baseline", "baseline.json", "models")
    assert code == 1 and "Found 2 errors in 2 models" in out


def test_entries_written_under_a_version_folder_still_match(tree: Path) -> None:
    """Baseline files written before entries were keyed by base path keep working."""
    run("--write-baseline", "baseline.json", "models")
    document = json.loads((tree / "baseline.json").read_text(encoding="utf-8"))
    for row in document["findings"]:
        row["path"] += "/1"
    (tree / "baseline.json").write_text(json.dumps(document), encoding="utf-8")
    code, out = run("--baseline", "baseline.json", "models")
    assert (code, out) == (0, "All checks passed: 1 model, 1 signature.\n2 findings in the baseline not shown.\n")


def test_duplicates_are_counted(tmp_path: Path) -> None:
    where = Location(str(tmp_path / "m" / "1"), ("serve",), "sig")
    finding = Finding("SIG310", "fixed-batch-size", Severity.WARNING, "one", where)
    write_baseline(tmp_path / "b.json", [finding, finding._replace(message="two")])
    baseline = read_baseline(tmp_path / "b.json")
    assert baseline.counts == {Entry("SIG310", "m/1", ("serve",), "sig"): 2}
    comparison = baseline.compare([finding] * 3)
    assert (len(comparison.new), comparison.known, comparison.stale) == (1, 2, ())
    comparison = baseline.compare([finding])
    assert (comparison.new, comparison.known) == ((), 1)
    assert comparison.stale == ((Entry("SIG310", "m/1", ("serve",), "sig"), 1),)


def test_entries_ignore_the_message_and_severity(tmp_path: Path) -> None:
    where = Location(str(tmp_path / "m"), ("serve",), "sig", "x", "input")
    finding = Finding("SIG310", "fixed-batch-size", Severity.WARNING, "old wording", where)
    write_baseline(tmp_path / "b.json", [finding])
    reworded = finding._replace(message="new wording", severity=Severity.ERROR)
    assert read_baseline(tmp_path / "b.json").compare([reworded]).new == ()
    other_io = finding._replace(location=where._replace(io="output"))
    assert read_baseline(tmp_path / "b.json").compare([other_io]).new == (other_io,)


def test_paths_are_relative_to_the_baseline_file(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run("--write-baseline", "baseline.json", "models")
    monkeypatch.chdir(tree / "models")
    code, out = run("--baseline", "../baseline.json", ".")
    assert code == 0
    assert "2 findings in the baseline not shown." in out
    assert run("--baseline", str(tree / "baseline.json"), str(tree / "models"))[0] == 0


def test_the_file_is_sorted_and_stable(tree: Path) -> None:
    copy_model("SIG404-regress-output-shape", tree / "models" / "a_regress")
    run("--write-baseline", "one.json", "models")
    run("--write-baseline", "two.json", "-j", "2", "models")
    first = (tree / "one.json").read_text(encoding="utf-8")
    assert first == (tree / "two.json").read_text(encoding="utf-8")
    paths = [row["path"] for row in json.loads(first)["findings"]]
    assert paths == sorted(paths) == ["models/a_regress", "models/classify", "models/classify"]


def test_write_baseline_honours_the_config(tree: Path) -> None:
    (tree / "siglint.toml").write_text('ignore = ["SIG307"]\n', encoding="utf-8")
    out = io.StringIO()
    assert main(["check", "--write-baseline", "b.json", "models"], stdout=out) == 0
    assert json.loads((tree / "b.json").read_text(encoding="utf-8"))["findings"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "missing.json: cannot read: No such file or directory"),
        ("{", "missing.json: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        ("[]", "missing.json: version: expected 1 (a file written by --write-baseline)"),
        ('{"version": 2, "findings": []}', "missing.json: version: expected 1 (a file written by --write-baseline)"),
        ('{"version": 1}', "missing.json: findings: expected a list"),
        ('{"version": 1, "findings": [3]}', "missing.json: findings[0]: expected an object"),
        ('{"version": 1, "findings": [{"code": "SIG1", "path": "", "message": "x"}]}',
         "missing.json: findings[0].message: unknown key"),
        ('{"version": 1, "findings": [{"code": 1, "path": ""}]}', "missing.json: findings[0].code: expected a string"),
        ('{"version": 1, "findings": [{"code": "A", "path": "", "tags": "serve"}]}',
         "missing.json: findings[0].tags: expected a list of strings or null"),
        ('{"version": 1, "findings": [{"code": "A", "path": "", "io": 1}]}',
         "missing.json: findings[0].io: expected a string or null"),
        ('{"version": 1, "findings": [{"code": "A", "path": "", "count": 0}]}',
         "missing.json: findings[0].count: expected a whole number of at least 1"),
    ],
)
def test_a_bad_baseline_exits_2_with_a_precise_message(
    tree: Path, capsys: pytest.CaptureFixture[str], text: str | None, message: str
) -> None:
    if text is not None:
        (tree / "missing.json").write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert run("--baseline", "missing.json", "models") == (2, "")
    assert capsys.readouterr().err == f"siglint: error: {message}\n"
    with pytest.raises(BaselineError):
        read_baseline("missing.json")


def test_unwritable_baseline_exits_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--write-baseline", "no/such/dir/b.json", "models")[0] == 2
    assert capsys.readouterr().err == "siglint: error: cannot write no/such/dir/b.json: No such file or directory\n"


def test_baseline_and_write_baseline_are_exclusive(tree: Path) -> None:
    assert run("--baseline", "a.json", "--write-baseline", "b.json", "models")[0] == 2
