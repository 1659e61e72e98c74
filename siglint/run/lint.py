"""`lint_paths`: the one function that runs the pipeline from paths to findings:
discover -> load -> view -> engine -> findings. The CLI is a thin layer over it."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from siglint import checks
from siglint.engine.engine import Engine
from siglint.engine.options import Options
from siglint.findings import Finding, LintResult, ModelSummary
from siglint.model.discover import ModelTarget, Unreadable, discover
from siglint.model.load import FailureKind, LoadFailure, load_model
from siglint.model.view import ModelView
from siglint.run import schedule


def engine_for(options: Options) -> Engine:
    """An Engine with the rules `options` select (only their modules are imported)."""
    codes = [entry.code for entry in checks.entries() if options.selection.selects(entry.code)]
    return Engine(checks.rules(codes), options)


def lint_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    options: Options | None = None,
    *,
    jobs: int | None = 1,
    progress: Callable[[int, int], None] | None = None,
) -> LintResult:
    """Lint every SavedModel found under `paths` (one path or several); never raises on a bad model.

    Raises `siglint.model.discover.PathsNotFound` (a FileNotFoundError) when a path does not
    exist. A folder that holds no model at all is listed in the result's `empty_paths`.

    `jobs` caps the processes used for many models (None: one per CPU; the CLI's default); the
    result is the same whatever it is. `progress(done, total)` is called as models are checked.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    options = options or Options()
    engine = engine_for(options)
    found = discover([os.fspath(path) for path in paths])
    findings: list[Finding] = []
    for base in found.base_paths:
        findings += engine.check_base_path(base)
    for failure in found.failures:
        findings += engine.check_failure(_as_load_failure(failure))
    outcomes = schedule.run(
        functools.partial(_check_targets, options), found.models, jobs=jobs, on_lost=_lost, progress=progress
    )
    for outcome in outcomes:
        findings += outcome.findings
    return LintResult(
        notes=tuple(note for outcome in outcomes for note in outcome.notes),
        findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        models=tuple(o.summary for o in outcomes if o.summary is not None),
        rules=engine.rule_infos(),
        internal_errors=tuple(o.internal_error for o in outcomes if o.internal_error is not None),
        empty_paths=tuple(found.empty),
    )


def _as_load_failure(unreadable: Unreadable) -> LoadFailure:
    """A path discovery could not use is a SavedModel that cannot be read (SIG002)."""
    return LoadFailure(unreadable.path, FailureKind.UNPARSABLE, unreadable.message)


class _Outcome(NamedTuple):
    """What checking one model gave: its findings and summary, or siglint's own failure on it."""

    findings: tuple[Finding, ...] = ()
    summary: ModelSummary | None = None
    internal_error: str | None = None
    notes: tuple[str, ...] = ()


def _check_targets(options: Options, targets: Sequence[ModelTarget]) -> list[_Outcome]:
    engine = engine_for(options)
    return [_check_target(engine, target) for target in targets]


def _check_target(engine: Engine, target: ModelTarget) -> _Outcome:
    try:
        loaded = load_model(target.path, target.version, target.kind)
        if isinstance(loaded, ModelView):
            notes: list[str] = []
            findings = tuple(engine.check_model(loaded, notes))
            return _Outcome(findings, _summary(loaded, engine.options), notes=tuple(notes))
        summary = ModelSummary(target.path, loaded.file, target.version, loaded=False)
        return _Outcome(tuple(engine.check_failure(loaded)), summary)
    except Exception as error:  # noqa: BLE001 - one model's bug must not stop the run
        return _Outcome(internal_error=f"{target.path}: {type(error).__name__}: {error}")


def _lost(target: ModelTarget) -> _Outcome:
    return _Outcome(internal_error=f"{target.path}: the worker process checking it died")


def _summary(model: ModelView, options: Options) -> ModelSummary:
    served = model.serving_meta_graph(options.profile.tags)
    return ModelSummary(
        path=model.path,
        file=model.file,
        version=model.version,
        loaded=True,
        tag_sets=tuple(mg.tags for mg in model.meta_graphs),
        signatures=tuple(served.signatures) if served else (),
        signature_views=tuple(served.signatures.values()) if served else (),
    )
