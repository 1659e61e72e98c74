"""The library API, and the one module that runs the pipeline from paths to findings:
discover -> load -> view -> engine -> findings. The CLI is a thin layer over `lint_paths`."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from siglint import constants, schedule
from siglint.checks import ALL_RULES
from siglint.discover import ModelTarget, discover
from siglint.dtypes import DT_FLOAT, DT_STRING
from siglint.engine import Engine
from siglint.findings import Finding, Severity
from siglint.load import load_model
from siglint.options import Options
from siglint.view import ModelView, SignatureView, signature_from_proto


class ModelSummary(NamedTuple):
    """A model siglint looked at: what it read, or that it could not."""

    path: str
    file: str | None
    version: int | None
    loaded: bool
    tag_sets: tuple[tuple[str, ...], ...] = ()
    signatures: tuple[str, ...] = ()  # keys of the served MetaGraphDef
    # The served MetaGraphDef's signatures, for reports that show a finding's signature.
    signature_views: tuple[SignatureView, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "file": self.file,
            "version": self.version,
            "loaded": self.loaded,
            "tag_sets": [list(tags) for tags in self.tag_sets],
            "signatures": list(self.signatures),
        }


class LintResult(NamedTuple):
    findings: tuple[Finding, ...]
    models: tuple[ModelSummary, ...]
    # Failures of siglint itself on one model (a bug, not bad input): the run went on without it.
    internal_errors: tuple[str, ...] = ()
    # Folders given to check that hold no model at all (as given: `src/`).
    empty_paths: tuple[str, ...] = ()

    def total(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.total(Severity.ERROR) > 0


def lint_paths(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    options: Options | None = None,
    *,
    jobs: int | None = 1,
    progress: Callable[[int, int], None] | None = None,
) -> LintResult:
    """Lint every SavedModel found under `paths` (one path or several); never raises on a bad model.

    Raises `siglint.discover.PathsNotFound` (a FileNotFoundError) when a path does not exist. A
    folder that holds no model at all is listed in the result's `empty_paths`.

    `jobs` caps the processes used for many models (None: one per CPU; the CLI's default); the
    result is the same whatever it is. `progress(done, total)` is called as models are checked.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    options = options or Options()
    engine = Engine(ALL_RULES, options)
    found = discover([os.fspath(path) for path in paths])
    findings: list[Finding] = []
    for base in found.base_paths:
        findings += engine.check_base_path(base)
    for failure in found.failures:
        findings += engine.check_failure(failure)
    outcomes = schedule.run(
        functools.partial(_check_targets, options), found.models, jobs=jobs, on_lost=_lost, progress=progress
    )
    for outcome in outcomes:
        findings += outcome.findings
    return LintResult(
        findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        models=tuple(o.summary for o in outcomes if o.summary is not None),
        internal_errors=tuple(o.internal_error for o in outcomes if o.internal_error is not None),
        empty_paths=tuple(found.empty),
    )


class _Outcome(NamedTuple):
    """What checking one model gave: its findings and summary, or siglint's own failure on it."""

    findings: tuple[Finding, ...] = ()
    summary: ModelSummary | None = None
    internal_error: str | None = None


def _check_targets(options: Options, targets: Sequence[ModelTarget]) -> list[_Outcome]:
    engine = Engine(ALL_RULES, options)
    return [_check_target(engine, target) for target in targets]


def _check_target(engine: Engine, target: ModelTarget) -> _Outcome:
    try:
        loaded = load_model(target.path, target.version)
        if isinstance(loaded, ModelView):
            return _Outcome(tuple(engine.check_model(loaded)), _summary(loaded, engine.options))
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


def signature_view(signature_def: Any, key: str = "") -> SignatureView:
    """siglint's read-only view of any SignatureDef form `validate_signature_def` accepts."""
    from siglint.coerce import to_signature_proto  # the CLI never needs it

    return signature_from_proto(key, to_signature_proto(signature_def))


def validate_signature_def(
    signature_def: Any,
    *,
    key: str = "",
    tf2: bool = False,
    options: Options | None = None,
) -> list[Finding]:
    """Every problem TF Serving would have with one SignatureDef, as findings.

    `signature_def` may be TensorFlow's SignatureDef message, siglint's, serialized bytes, a
    text-format string or a dict (see `siglint.coerce`). `key` is the signature's key in its
    MetaGraphDef, if known (TF2's `__saved_model_init_op` is then recognised). `tf2=True` treats
    it as written by `tf.saved_model.save`, which always writes the predict method name, so a
    signature whose keys fit Classify or Regress is also checked against that contract.
    Raises `ValueError` only when `signature_def` is not a SignatureDef in any of those forms.
    """
    engine = Engine(ALL_RULES, options or Options())
    findings = engine.check_signature(signature_view(signature_def, key), tf2=tf2)
    return sorted(findings, key=lambda f: f.sort_key)


def is_valid_signature(signature_def: Any) -> bool:
    """Exactly `tf.compat.v1.saved_model.is_valid_signature`, without TensorFlow.

    True when the signature passes TensorFlow's classify, regress or predict predicate (see
    signature_def_utils_impl.py). Shapes and tensor names are not looked at, and dtypes are
    compared exactly (DT_FLOAT_REF is not DT_FLOAT), as TensorFlow does.
    """
    if signature_def is None:
        return False
    signature = signature_view(signature_def)
    return _is_valid_classify(signature) or _is_valid_regress(signature) or _is_valid_predict(signature)


def _is_valid_predict(sig: SignatureView) -> bool:
    return sig.method_name == constants.PREDICT_METHOD_NAME and bool(sig.inputs) and bool(sig.outputs)


def _is_valid_regress(sig: SignatureView) -> bool:
    return (
        sig.method_name == constants.REGRESS_METHOD_NAME
        and set(sig.inputs) == {constants.REGRESS_INPUTS}
        and sig.inputs[constants.REGRESS_INPUTS].dtype == DT_STRING
        and set(sig.outputs) == {constants.REGRESS_OUTPUTS}
        and sig.outputs[constants.REGRESS_OUTPUTS].dtype == DT_FLOAT
    )


def _is_valid_classify(sig: SignatureView) -> bool:
    allowed = {constants.CLASSIFY_OUTPUT_CLASSES, constants.CLASSIFY_OUTPUT_SCORES}
    classes = sig.outputs.get(constants.CLASSIFY_OUTPUT_CLASSES)
    scores = sig.outputs.get(constants.CLASSIFY_OUTPUT_SCORES)
    return (
        sig.method_name == constants.CLASSIFY_METHOD_NAME
        and set(sig.inputs) == {constants.CLASSIFY_INPUTS}
        and sig.inputs[constants.CLASSIFY_INPUTS].dtype == DT_STRING
        and bool(sig.outputs)
        and set(sig.outputs) <= allowed
        and (classes is None or classes.dtype == DT_STRING)
        and (scores is None or scores.dtype == DT_FLOAT)
    )
