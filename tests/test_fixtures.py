"""The fixtures under fixtures/rules and fixtures/tf: every rule has a failing and a clean one,
generated from the rule (its documented examples, or its case file's specs), each golden report
finds what its spec expects, regenerating gives the committed fixtures (drift), `--check` writes
nothing, and an interrupted regeneration leaves the old ones."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from siglint import checks
from siglint.cli import main
from siglint.fixturegen import regenerate as fixtures
from siglint.fixturegen import spec

ALL_RULES = checks.rules()

FIXTURES = ROOT / "fixtures"
CASES = ROOT / "tests" / "cases"
ALL = fixtures.find_fixtures(FIXTURES, CASES)
_CODE = re.compile(r": (SIG\d{3}) (?:error|warning|info) ")


def _golden_codes(fixture: fixtures.Fixture) -> set[str]:
    golden = (FIXTURES / fixture.relative / fixtures.GOLDEN_FILE).read_text(encoding="utf-8")
    return set(_CODE.findall(golden))


def test_every_rule_has_a_failing_and_a_clean_fixture() -> None:
    for rule in ALL_RULES:
        folder = f"rules/{rule.code}-{rule.name}/"
        mine = [f for f in ALL if f.relative.startswith(folder)]
        failing = [f for f in mine if f.relative.rsplit("/", 1)[1].startswith("fail")]
        assert any(rule.code in f.spec.expect and rule.code in _golden_codes(f) for f in failing), (
            f"{rule.code}: no fixtures/{folder}fail*/ whose spec expects it and whose report finds it"
        )
        assert any(f.relative == f"{folder}clean" and not f.spec.expect for f in mine), rule.code


@pytest.mark.parametrize("fixture", ALL, ids=lambda f: f.relative)
def test_golden_finds_what_the_spec_expects(fixture: fixtures.Fixture) -> None:
    """Exactly its codes; for a fixture made from a doc's failing example, at least its rule
    (the clean example must pass entirely)."""
    folder = FIXTURES / fixture.relative
    if fixture.exact:
        assert _golden_codes(fixture) == set(fixture.spec.expect)
    else:
        assert set(fixture.spec.expect) <= _golden_codes(fixture)
    assert fixture.spec.description
    if not fixture.spec.expect:
        golden = (folder / fixtures.GOLDEN_FILE).read_text(encoding="utf-8")
        assert golden.startswith("All checks passed: ")


def test_fixture_folders_are_complete() -> None:
    folders = {p.parent for tree in fixtures.TREES for p in (FIXTURES / tree).glob(f"**/{fixtures.GOLDEN_FILE}")}
    assert folders == {FIXTURES / f.relative for f in ALL}
    assert len(folders) == len(ALL) >= 2 * len(ALL_RULES) + 3
    exporters = {f.spec.exporter for f in ALL if f.spec.exporter}
    assert exporters == {"tf1_builder", "tf2_module", "keras_export"}
    for folder in folders:
        assert (folder / fixtures.GOLDEN_FILE).is_file(), folder


def test_committed_fixtures_have_not_drifted(tf: Any) -> None:
    """Regenerating into a scratch folder gives the committed fixtures: the same bytes for
    siglint's own, the same signatures and report for TensorFlow's exports."""
    out = io.StringIO()
    code = fixtures.check(FIXTURES, CASES, out)
    assert code == 0, out.getvalue()
    assert out.getvalue().endswith("All fixtures are up to date.\n")


def _copy(tmp_path: Path, relatives: list[str]) -> Path:
    root = tmp_path / "fixtures"
    for relative in relatives:
        shutil.copytree(FIXTURES / relative, root / relative)
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.glob("**/*")) if p.is_file()}


SOME = [
    "rules/SIG002-savedmodel-unparsable/fail",
    "rules/SIG301-classify-input-count/fail",
    "rules/SIG301-classify-input-count/clean",
    "rules/SIG005-duplicate-model-version/fail",
]
RULE_FIXTURES = len([f for f in ALL if f.relative.startswith("rules/")])


def test_regenerate_in_a_copy_gives_the_same_bytes(tmp_path: Path) -> None:
    root = _copy(tmp_path, ["rules"])
    before = _snapshot(root)
    (root / SOME[1] / fixtures.GOLDEN_FILE).write_text("stale\n")
    shutil.rmtree(root / SOME[3])
    out = io.StringIO()
    assert main(["fixtures", "regenerate", "--root", str(root), "--cases", str(CASES)], stdout=out) == 0
    assert _snapshot(root) == before
    assert out.getvalue() == f"Regenerated {RULE_FIXTURES} fixtures.\n"
    assert not list(root.glob(".regenerate-*"))


def test_check_reports_drift_and_writes_nothing(tmp_path: Path) -> None:
    root = _copy(tmp_path, ["rules"])
    check = ["fixtures", "regenerate", "--check", "--root", str(root), "--cases", str(CASES)]
    assert main(check, stdout=io.StringIO()) == 0
    model_file = root / SOME[1] / "model" / "1" / "saved_model.pb"
    model_file.write_bytes(model_file.read_bytes() + b"\x08\x01")
    (root / SOME[3] / fixtures.GOLDEN_FILE).unlink()
    before = _snapshot(root)
    out = io.StringIO()
    assert main(check, stdout=out) == 1
    assert _snapshot(root) == before
    assert out.getvalue().splitlines() == [
        f"drifted: {SOME[3]}: expected.txt is missing",
        f"drifted: {SOME[1]}: model/1/saved_model.pb differs",
        "2 fixture(s) drifted: run `siglint fixtures regenerate`",
    ]


def test_an_interrupted_regeneration_leaves_the_old_fixtures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(tmp_path, ["rules"])
    for relative in SOME:  # make every fixture stale, so a finished run would change them all
        (root / relative / fixtures.GOLDEN_FILE).write_text("stale\n")
    before = _snapshot(root)
    calls = []
    real_write = spec.write_folder

    def write_then_fail(folder_spec: spec.FolderSpec, folder: Any) -> None:
        calls.append(folder)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_write(folder_spec, folder)

    monkeypatch.setattr(spec, "write_folder", write_then_fail)
    with pytest.raises(KeyboardInterrupt):
        fixtures.regenerate(root, CASES, io.StringIO())
    assert len(calls) == 3
    assert _snapshot(root) == before
    assert not list(root.glob(".regenerate-*"))


def test_without_tensorflow_exports_are_kept_and_reports_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(tmp_path, ["tf/tf2_module", "rules"])
    monkeypatch.setattr(fixtures, "tensorflow_available", lambda: False)
    before = _snapshot(root)
    out = io.StringIO()
    assert fixtures.regenerate(root, CASES, out) == 0
    assert _snapshot(root) == before
    assert "skipped 1 TensorFlow-exported fixture(s) (kept as they are)" in out.getvalue()
    (root / "tf/tf2_module" / fixtures.GOLDEN_FILE).write_text("All checks passed: 1 model, 1 signature.\n")
    out = io.StringIO()
    assert fixtures.check(root, CASES, out) == 1
    assert "drifted: tf/tf2_module: expected.txt differs" in out.getvalue()
    assert "exports not re-run, reports checked" in out.getvalue()


def test_bad_spec_or_root_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fixtures", "regenerate", "--root", str(tmp_path / "nope")], stdout=io.StringIO()) == 2
    root, cases = tmp_path / "fixtures", tmp_path / "cases"
    (root / "rules").mkdir(parents=True)
    shutil.copytree(CASES, cases)
    broken = cases / "SIG001-savedmodel-file-missing.yaml"
    broken.write_text(broken.read_text().replace("expect: [SIG001]", "expected: [SIG001]"))
    assert main(["fixtures", "regenerate", "--root", str(root), "--cases", str(cases)], stdout=io.StringIO()) == 2
    assert "SIG001-savedmodel-file-missing.yaml: fixtures: " in capsys.readouterr().err
    assert list(root.iterdir()) == [root / "rules"] and not list((root / "rules").iterdir())


def test_tensorflow_exports_are_rebuilt_when_missing(tf: Any, tmp_path: Path) -> None:
    root = _copy(tmp_path, ["tf/tf2_module", "tf/tf1_builder"])
    golden = _snapshot(root)
    for name in ("tf2_module", "tf1_builder"):
        shutil.rmtree(root / "tf" / name / "model")
    assert fixtures.regenerate(root, CASES, io.StringIO()) == 0
    rebuilt = _snapshot(root)
    for name in ("tf2_module", "tf1_builder"):
        assert rebuilt[f"tf/{name}/model/1/saved_model.pb"]
        assert rebuilt[f"tf/{name}/expected.txt"] == golden[f"tf/{name}/expected.txt"]
    assert fixtures.check(root, CASES, io.StringIO()) == 0


def test_a_failed_swap_puts_the_old_tree_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path, ["rules"])
    (root / SOME[1] / fixtures.GOLDEN_FILE).write_text("stale\n")
    before = _snapshot(root)
    real_rename = Path.rename

    def rename(self: Path, target: Any) -> Any:
        if self.parent.name.startswith(".regenerate-") and self.name == "rules":
            raise OSError("disk full")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError, match="disk full"):
        fixtures.regenerate(root, CASES, io.StringIO())
    assert _snapshot(root) == before


def test_a_run_killed_mid_swap_is_repaired_by_the_next(tmp_path: Path) -> None:
    root = _copy(tmp_path, ["rules"])
    before = _snapshot(root)
    killed = root / ".regenerate-killed"
    killed.mkdir()
    (root / "rules").rename(killed / "rules.old")  # the old tree moved aside, the new one never in
    out = io.StringIO()
    assert fixtures.regenerate(root, CASES, out) == 0
    assert out.getvalue() == f"Regenerated {RULE_FIXTURES} fixtures.\n"
    assert _snapshot(root) == before and not killed.exists()


@pytest.mark.parametrize("stray", ["rules/README.md", f"{SOME[1]}/NOTES.md", "rules/SIG999-gone/fail/expected.txt"])
def test_files_no_fixture_generates_are_never_deleted(
    tmp_path: Path, stray: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regenerating refuses (exit 2, naming them) rather than delete what it did not write, and
    --check says what would stop it."""
    root = _copy(tmp_path, ["rules"])
    (root / stray).parent.mkdir(parents=True, exist_ok=True)
    (root / stray).write_text("a person's notes\n")
    before = _snapshot(root)
    argv = ["fixtures", "regenerate", "--root", str(root), "--cases", str(CASES)]
    assert main(argv, stdout=io.StringIO()) == 2
    assert stray in capsys.readouterr().err
    assert _snapshot(root) == before and not list(root.glob(".regenerate-*"))
    out = io.StringIO()
    assert main([*argv, "--check"], stdout=out) == 1
    assert f"{Path(stray).name} is not generated" in out.getvalue() or f"not generated: {stray}" in out.getvalue()


def test_check_reports_an_interrupted_regeneration(tmp_path: Path) -> None:
    """Killed between the swap's two renames: fixtures/rules is gone and the old tree waits in
    the staging folder. --check must not call that up to date; the next run puts it back."""
    root = _copy(tmp_path, ["rules"])
    before = _snapshot(root)
    killed = root / ".regenerate-killed"
    killed.mkdir()
    (root / "rules").rename(killed / "rules.old")
    (root / "tf").mkdir()  # still a fixtures folder
    out = io.StringIO()
    assert fixtures.check(root, CASES, out) == 1
    assert "interrupted: .regenerate-killed" in out.getvalue()
    assert fixtures.regenerate(root, CASES, io.StringIO()) == 0
    assert _snapshot(root) == before


def test_a_root_that_is_no_fixtures_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "src").mkdir()
    assert main(["fixtures", "regenerate", "--root", str(tmp_path), "--cases", str(CASES)], stdout=io.StringIO()) == 2
    assert "not a fixtures folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
