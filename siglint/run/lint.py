"""`lint_paths`: the one function that runs the pipeline from paths to findings:
discover -> load -> view -> engine -> findings. The CLI is a thin layer over it."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from siglint import checks
from siglint.engine.engine import DEPLOYMENT, TFLITE_RULES, Deferred, Engine
from siglint.engine.options import Options
from siglint.findings import Finding, LintResult, ModelSummary
from siglint.io.source import UnsupportedPath, storage_for
from siglint.model.discover import ModelTarget, PathsNotFound, Unreadable, discover
from siglint.model.load import FailureKind, LoadFailure, load_model
from siglint.model.view import ModelView
from siglint.model.warmup import warmup_path
from siglint.run import schedule


def engine_for(options: Options) -> Engine:
    """An Engine with the rules `options` select (only their modules are imported; a
    deployment's rules only once the run reads a models.config, a warmup file or a request, the
    TF Lite rules once it meets a TF Lite model)."""
    codes = [
        entry.code for entry in checks.entries()
        if options.selection.selects(entry.code) and not checks.is_diff(entry.code)  # `siglint diff`'s
    ]
    groups = {DEPLOYMENT: checks.is_deployment, TFLITE_RULES: checks.is_tflite}
    deferred = {}
    for group, belongs in groups.items():
        chosen = frozenset(code for code in codes if belongs(code))
        deferred[group] = Deferred(chosen, functools.partial(checks.rules, chosen))
    core = [code for code in codes if not any(code in waiting.codes for waiting in deferred.values())]
    return Engine(checks.rules(core), options, deferred)


def lint_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    options: Options | None = None,
    *,
    jobs: int | None = 1,
    progress: Callable[[int, int], None] | None = None,
    every_rule: bool = False,
) -> LintResult:
    """Lint every SavedModel found under `paths` (one path or several); never raises on a bad model.

    Raises `siglint.model.discover.PathsNotFound` (a FileNotFoundError) when a path does not
    exist. A folder that holds no model at all is listed in the result's `empty_paths`.

    `jobs` caps the processes used for many models (None: one per CPU; the CLI's default); the
    result is the same whatever it is. `progress(done, total)` is called as models are checked.
    The result's `rules` are those that ran, or with `every_rule` every selected one (a report
    that lists them all, as SARIF does, asks for that).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    options = options or Options()
    engine = engine_for(options)
    missing = _missing_config_file(options)
    try:
        found = discover([os.fspath(path) for path in paths])
    except PathsNotFound as error:
        raise PathsNotFound(error.problems + missing) from None
    if missing:
        raise PathsNotFound(missing)
    findings: list[Finding] = []
    targets = found.models
    if options.model_config_file:
        from siglint.run.deployment import check_server_config

        configured = check_server_config(engine, options.model_config_file)
        findings += configured.findings
        targets = _merged(found.models, configured.targets)
    for base in found.base_paths:
        findings += engine.check_base_path(base)
    for failure in found.failures:
        findings += engine.check_failure(_as_load_failure(failure))
    outcomes = schedule.run(
        functools.partial(_check_targets, options), targets, jobs=jobs, on_lost=_lost, progress=progress
    )
    for outcome in outcomes:
        findings += outcome.findings
    return LintResult(
        notes=tuple(note for outcome in outcomes for note in outcome.notes),
        warnings=tuple(warning for outcome in outcomes for warning in outcome.warnings),
        findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        models=tuple(o.summary for o in outcomes if o.summary is not None),
        rules=engine.rule_infos((f.code for f in findings), every=every_rule),
        internal_errors=tuple(o.internal_error for o in outcomes if o.internal_error is not None),
        empty_paths=tuple(found.empty),
    )


def _missing_config_file(options: Options) -> list[tuple[str, str]]:
    """A models.config that is not there is a usage error, as a missing path is."""
    path = options.model_config_file
    if not path:
        return []
    try:
        exists = storage_for(path).kind(path) is not None
    except UnsupportedPath as error:
        return [(path, str(error))]
    return [] if exists else [(path, "no such file or directory")]


def _merged(discovered: list[ModelTarget], configured: list[ModelTarget]) -> list[ModelTarget]:
    """A model both found under the paths and served by the models.config is checked once,
    under the config's name; one the config serves under two names, under each."""
    listed = {storage_for(t.path).identity(t.path) for t in configured}
    found = [t for t in discovered if storage_for(t.path).identity(t.path) not in listed]
    return sorted(found + list(dict.fromkeys(configured)), key=lambda target: (target.path, target.model or ""))


def _as_load_failure(unreadable: Unreadable) -> LoadFailure:
    """A path discovery could not use is a SavedModel that cannot be read (SIG002)."""
    return LoadFailure(unreadable.path, FailureKind.UNPARSABLE, unreadable.message)


class _Outcome(NamedTuple):
    """What checking one model gave: its findings and summary, or siglint's own failure on it."""

    findings: tuple[Finding, ...] = ()
    summary: ModelSummary | None = None
    internal_error: str | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _check_targets(options: Options, targets: Sequence[ModelTarget]) -> list[_Outcome]:
    engine = engine_for(options)
    return [_check_target(engine, target) for target in targets]


def _check_target(engine: Engine, target: ModelTarget) -> _Outcome:
    try:
        notes: list[str] = []
        warnings: list[str] = []
        loaded = _load(target, engine.options, notes, warnings)
        if isinstance(loaded, ModelView):
            findings = engine.check_model(loaded, notes)
            if storage_for(loaded.path).kind(warmup_path(loaded.path)) is not None:
                from siglint.run.deployment import check_warmup

                findings += check_warmup(engine, loaded)
            summary = model_summary(loaded, engine.options)._replace(model=target.model)
        else:
            findings = engine.check_failure(loaded)
            summary = ModelSummary(target.path, loaded.file, target.version, loaded=False, model=target.model)
        found = tuple(finding.for_model(target.model) for finding in findings)
        return _Outcome(found, summary, notes=tuple(notes), warnings=tuple(warnings))
    except Exception as error:  # noqa: BLE001 - one model's bug must not stop the run
        return _Outcome(internal_error=f"{target.path}: {type(error).__name__}: {error}")


def _load(target: ModelTarget, options: Options, notes: list[str], warnings: list[str]) -> ModelView | LoadFailure:
    """The target's views; a TF Lite model's compared with the SavedModel it was converted from
    (--converted-from, or the SavedModel beside it in its folder). A comparison that cannot be
    made is a note, or a warning when --converted-from asked for it."""
    profile = options.profile
    loaded = load_model(target.path, target.version, target.kind, profile.prefer_tflite_model)
    if not isinstance(loaded, ModelView) or loaded.tflite is None:
        return loaded
    source = options.converted_from or (loaded.path if loaded.tflite.saved_model_beside else None)
    if source is None:
        return loaded
    from siglint.model.conversion import compared

    loaded, note = compared(loaded, source, profile.tags)
    if note:
        (warnings if options.converted_from else notes).append(note)
    return loaded


def _lost(target: ModelTarget) -> _Outcome:
    return _Outcome(internal_error=f"{target.path}: the worker process checking it died")


def model_summary(model: ModelView, options: Options) -> ModelSummary:
    """What a report says of a model it read: its file, version, tag-sets and served signatures."""
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
