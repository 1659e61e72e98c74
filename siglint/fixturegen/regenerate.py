"""`siglint fixtures regenerate [--check] [--root DIR] [--cases DIR]`: rebuild every fixture.

A rule's fixtures, `<root>/rules/<CODE>-<name>/<variant>/`, are generated from the rule itself
(`siglint.fixturegen.rule_fixtures`: its documented examples, or the specs of its case file). A
folder under `<root>/tf/` holding a `spec.toml` (written by hand) names a TensorFlow exporter
(`siglint.fixturegen.tf_exporters`). Each fixture folder holds the model files and
`expected.txt`, siglint's own text report for the spec's `check` paths, run from the folder.

Regeneration is atomic: every tree is built in a hidden folder beside it, then swapped in by
renames, so an interrupted run leaves the old fixtures as they were. TensorFlow's bytes are not
deterministic, so a TF fixture counts as unchanged (and is kept as committed) when its
signatures and report are; without TensorFlow its model is kept and only its report is checked.
"""

from __future__ import annotations

import contextlib
import filecmp
import importlib.util
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from siglint import __version__
from siglint.engine.contracts.packs import load_pack
from siglint.engine.options import Options
from siglint.engine.profile import profile_from
from siglint.fixturegen import spec as specs
from siglint.fixturegen.rule_fixtures import Fixture, rule_fixtures
from siglint.model.load import load_model
from siglint.model.view import ModelView
from siglint.report import Report
from siglint.report.text import report_concise
from siglint.run.lint import lint_paths
from siglint.run.requests import check_request

TREES = ("rules", "tf")
SPEC_FILE = "spec.toml"
GOLDEN_FILE = "expected.txt"
_STAGING_PREFIX = ".regenerate-"


def find_fixtures(root: Path, cases: Path) -> list[Fixture]:
    """Every rule's generated fixtures, then the TensorFlow exports under `root`/tf."""
    exports = [
        Fixture(spec_path.parent.relative_to(root).as_posix(), specs.read_spec(spec_path))
        for spec_path in sorted((root / "tf").glob(f"**/{SPEC_FILE}"))
    ]
    return rule_fixtures(cases) + exports


def tensorflow_available() -> bool:
    return importlib.util.find_spec("tensorflow") is not None


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def report(folder: Path, spec: specs.FolderSpec) -> str:
    """siglint's text report for the spec's check paths, with paths relative to `folder` (a
    models.config's base paths are joined to the folder, which the report leaves out)."""
    absolute = str(folder.resolve())
    knobs = {key: absolute if (key, value) == ("model_config_list_root_dir", ".") else value for key, value in spec.profile}
    with _working_directory(folder):
        packs = tuple(load_pack(reference) for reference in spec.contracts)
        options = Options(profile=profile_from(knobs), packs=packs, model_config_file=spec.model_config_file)
        if spec.diff is not None:
            return _diff_report(spec, options).replace(f"{absolute}/", "")
        if spec.request is not None:
            result = check_request(spec.check[0], spec.request, options)
        else:
            result = lint_paths(list(spec.check), options)
    stream = io.StringIO()
    report_concise(Report(result, result.rules, __version__), stream)
    return stream.getvalue().replace(f"{absolute}/", "")


def _diff_report(spec: specs.FolderSpec, options: Options) -> str:
    """`siglint diff --level LEVEL` of the spec's check paths, as its text report."""
    from siglint.engine.diff import Level
    from siglint.report.diff import report_diff
    from siglint.run.diff import diff_paths

    diff, _ = diff_paths(list(spec.check), options, Level(spec.diff))
    stream = io.StringIO()
    report_diff("text", Report(diff.result, diff.result.rules, __version__), diff, stream)
    return stream.getvalue()


def build(fixture: Fixture, source: Path, target: Path) -> None:
    """Write `fixture` (committed in `source`) into the empty folder `target`."""
    target.mkdir(parents=True)
    if fixture.spec.exporter:
        shutil.copyfile(source / SPEC_FILE, target / SPEC_FILE)
        from siglint.fixturegen.tf_exporters import EXPORTERS

        if fixture.spec.exporter not in EXPORTERS:
            raise specs.SpecError(
                f"{fixture.relative}: unknown exporter {fixture.spec.exporter!r} "
                f"(one of {', '.join(EXPORTERS)})"
            )
        EXPORTERS[fixture.spec.exporter](str(target / specs.EXPORT_PATH))
    else:
        specs.write_folder(fixture.spec, target)
    (target / GOLDEN_FILE).write_text(report(target, fixture.spec), encoding="utf-8")


def _model_views(folder: Path) -> dict[str, ModelView]:
    views = {}
    for path in sorted(folder.glob("**/saved_model.pb*")):
        loaded = load_model(str(path.parent))
        if isinstance(loaded, ModelView):
            relative = path.parent.relative_to(folder).as_posix()
            views[relative] = loaded.without_graph_refs()._replace(path=relative, file=path.name)
    return views


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.glob("**/*"))
        if path.is_file()
    }


def differences(fixture: Fixture, committed: Path, built: Path) -> list[str]:
    """How the committed fixture differs from a fresh build of it (empty: no drift)."""
    if not committed.is_dir():
        return ["not generated yet"]
    if fixture.spec.exporter:
        found = []
        if _model_views(committed) != _model_views(built):
            found.append("signatures differ")
        golden = committed / GOLDEN_FILE
        if not golden.is_file() or not filecmp.cmp(golden, built / GOLDEN_FILE, shallow=False):
            found.append(f"{GOLDEN_FILE} differs")
        return found
    old, new = _contents(committed), _contents(built)
    return [
        f"{name} {'is missing' if name not in old else 'is not generated' if name not in new else 'differs'}"
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]


def _golden_differs(fixture: Fixture, committed: Path) -> list[str]:
    """A TF fixture without TensorFlow: only its report can be checked, on the committed model."""
    golden = committed / GOLDEN_FILE
    if golden.is_file() and golden.read_text(encoding="utf-8") == report(committed, fixture.spec):
        return []
    return [f"{GOLDEN_FILE} differs"]


def check(root: Path, cases: Path, stdout: IO[str]) -> int:
    """Report drifted fixtures without writing anything; 1 if any drifted."""
    with_tf = tensorflow_available()
    drifted = []
    fixtures = find_fixtures(root, cases)
    with tempfile.TemporaryDirectory(prefix="siglint-fixtures-") as scratch:
        for fixture in fixtures:
            committed = root / fixture.relative
            if fixture.spec.exporter and not with_tf:
                found = _golden_differs(fixture, committed)
            else:
                built = Path(scratch) / fixture.relative
                build(fixture, committed, built)
                found = differences(fixture, committed, built)
            if found:
                drifted.append(fixture.relative)
                print(f"drifted: {fixture.relative}: {'; '.join(found)}", file=stdout)
    _say_if_tf_skipped(fixtures, with_tf, "exports not re-run, reports checked", stdout)
    for stale in sorted(root.glob(f"{_STAGING_PREFIX}*")):
        drifted.append(stale.name)
        print(f"interrupted: {stale.name} is left by a regeneration that was killed: run "
              "`siglint fixtures regenerate` to repair", file=stdout)
    for stray in _strays(root, {f.relative for f in fixtures}):
        drifted.append(stray)
        print(f"not generated: {stray} (regenerate will refuse to run while it is there)", file=stdout)
    if drifted:
        print(f"{len(drifted)} fixture(s) drifted: run `siglint fixtures regenerate`", file=stdout)
        return 1
    print("All fixtures are up to date.", file=stdout)
    return 0


def regenerate(root: Path, cases: Path, stdout: IO[str]) -> int:
    """Rebuild every fixture into a hidden folder under `root`, then swap each tree in."""
    with_tf = tensorflow_available()
    for stale in root.glob(f"{_STAGING_PREFIX}*"):  # left by a run that was killed
        for tree in TREES:
            if not (root / tree).exists() and (stale / f"{tree}.old").is_dir():
                (stale / f"{tree}.old").rename(root / tree)  # killed between the swap's renames
        shutil.rmtree(stale)
    fixtures = find_fixtures(root, cases)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=root))
    try:
        for fixture in fixtures:
            committed, built = root / fixture.relative, staging / fixture.relative
            if fixture.spec.exporter and not with_tf:
                shutil.copytree(committed, built)
                continue
            build(fixture, committed, built)
            if fixture.spec.exporter and not differences(fixture, committed, built):
                shutil.rmtree(built)  # TensorFlow's new bytes, same signatures: keep the old ones
                shutil.copytree(committed, built)
        strays = sorted(_files(root, TREES) - _files(staging, TREES))
        if strays:
            raise specs.SpecError(
                f"{root}: holds files no fixture generates, which regenerating would delete: "
                f"{', '.join(strays[:10])}{' ...' if len(strays) > 10 else ''} (move them out of the "
                "fixtures trees, or remove them yourself)"
            )
        for tree in TREES:
            if (staging / tree).is_dir():
                _swap(staging / tree, root / tree, staging / f"{tree}.old")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _say_if_tf_skipped(fixtures, with_tf, "kept as they are", stdout)
    print(f"Regenerated {len(fixtures)} fixtures.", file=stdout)
    return 0


def _files(root: Path, trees: tuple[str, ...]) -> set[str]:
    return {
        path.relative_to(root).as_posix()
        for tree in trees
        for path in (root / tree).rglob("*")
        if path.is_symlink() or not path.is_dir()
    }


def _strays(root: Path, generated: set[str]) -> list[str]:
    """Files under the fixtures trees that belong to no fixture (a README, notes, the folder of
    a rule that is gone): regenerating would delete them, so it refuses while they are there."""
    strays = []
    for tree in TREES:
        for path in sorted((root / tree).rglob("*")):
            if path.is_dir() and not path.is_symlink():
                continue
            relative = path.relative_to(root).as_posix()
            if not any(relative.startswith(f"{fixture}/") for fixture in generated):
                strays.append(relative)
    return strays


def _swap(new: Path, target: Path, old: Path) -> None:
    """Swap the tree `new` in for `target`, keeping the old one as `old`. Between the two
    renames `target` is missing for a moment; a run killed there leaves the old tree in the
    staging folder, which `--check` reports and the next run puts back."""
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old.exists():
            old.rename(target)  # the staging folder is deleted next: never with the old tree in it
        raise


def _say_if_tf_skipped(
    fixtures: list[Fixture], with_tf: bool, what: str, stdout: IO[str]
) -> None:
    exported = [f.relative for f in fixtures if f.spec.exporter]
    if exported and not with_tf:
        print(
            f"skipped {len(exported)} TensorFlow-exported fixture(s) ({what}): TensorFlow is not "
            "installed",
            file=stdout,
        )


def main(root: str, check_only: bool, stdout: IO[str], cases: str | None = None) -> int:
    """The `siglint fixtures regenerate` command: exit 0, 1 on drift (`--check`), 2 on a bad
    spec or a missing root. `cases` defaults to the project's tests/cases beside `root`."""
    folder = Path(root).resolve()
    case_folder = Path(cases).resolve() if cases else folder.parent / "tests" / "cases"
    try:
        if not folder.is_dir():
            raise specs.SpecError(f"{root}: no such fixtures folder")
        if not any((folder / tree).is_dir() for tree in TREES):
            raise specs.SpecError(f"{root}: not a fixtures folder (it has no {' or '.join(f'{t}/' for t in TREES)})")
        if not case_folder.is_dir():
            raise specs.SpecError(f"{cases or case_folder}: no such case folder (--cases)")
        return check(folder, case_folder, stdout) if check_only else regenerate(folder, case_folder, stdout)
    except specs.SpecError as error:
        print(f"siglint: error: {error}", file=sys.stderr)
        return 2
