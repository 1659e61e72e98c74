"""The rule engine: runs each selected rule on the subjects of its scope, then stamps every
problem with the rule's code, name and severity (or the one configured for it) and the
subject's location."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from siglint.discover import BasePath
from siglint.findings import Finding, Location, Problem, Severity
from siglint.intent import Intent, intents
from siglint.load import LoadFailure
from siglint.options import Options, Profile, SeverityOverrides
from siglint.view import MetaGraphView, ModelView, SignatureView

if TYPE_CHECKING:
    from siglint.contracts import Pack

_NO_SIGNATURES: Mapping[str, SignatureView] = MappingProxyType({})


class Scope(str, enum.Enum):
    BASE_PATH = "base-path"  # subject: BasePath
    LOAD = "load"  # subject: LoadFailure
    MODEL = "model"  # subject: ModelContext
    SIGNATURE = "signature"  # subject: SignatureContext


class ModelContext(NamedTuple):
    model: ModelView
    profile: Profile
    packs: tuple[Pack, ...] = ()  # contract packs beyond the core's tf-serving one

    @property
    def serving_meta_graph(self) -> MetaGraphView | None:
        return self.model.serving_meta_graph(self.profile.tags)


class SignatureContext(NamedTuple):
    signature: SignatureView
    intents: frozenset[Intent]
    profile: Profile
    packs: tuple[Pack, ...] = ()  # contract packs beyond the core's tf-serving one
    # The other signatures of its MetaGraphDef, by key (empty for a lone SignatureDef).
    siblings: Mapping[str, SignatureView] = _NO_SIGNATURES


Check = Callable[..., Iterable[Problem]]


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    scope: Scope
    check: Check
    doc: str
    # SIGNATURE rules only: the APIs whose contract the rule belongs to (empty: every API).
    intents: frozenset[Intent] = frozenset()
    # SIGNATURE rules only: True for the rule about TF2's init/train op signatures, which no
    # other rule sees.
    internal: bool = False

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()

    def applies_to(self, context: SignatureContext) -> bool:
        if context.signature.is_internal != self.internal:
            return False
        return not self.intents or bool(self.intents & context.intents)


class Engine:
    """Runs the selected rules; built once per run."""

    def __init__(self, rules: tuple[Rule, ...], options: Options = Options()) -> None:
        self.rules = rules
        self.options = options
        selected = [r for r in self.rules if self.options.selection(r.code)]
        self._by_scope = {scope: [r for r in selected if r.scope is scope] for scope in Scope}

    def check_base_path(self, base: BasePath) -> list[Finding]:
        return self._run(Scope.BASE_PATH, base, Location(base.path))

    def check_failure(self, failure: LoadFailure) -> list[Finding]:
        return self._run(Scope.LOAD, failure, Location(failure.path, version=failure.version))

    def check_model(self, model: ModelView) -> list[Finding]:
        context = ModelContext(model, self.options.profile, self.options.packs)
        findings = self._run(Scope.MODEL, context, Location(model.path, version=model.version))
        meta_graph = context.serving_meta_graph
        if meta_graph is not None:
            for signature in meta_graph.signatures.values():
                findings += self.check_signature(
                    signature, Location(model.path, meta_graph.tags, version=model.version), tf2=meta_graph.is_tf2,
                    siblings=meta_graph.signatures,
                )
        return findings

    def check_signature(
        self,
        signature: SignatureView,
        where: Location | None = None,
        tf2: bool = False,
        siblings: Mapping[str, SignatureView] = _NO_SIGNATURES,
    ) -> list[Finding]:
        context = SignatureContext(
            signature, self._intents(signature, tf2), self.options.profile, self.options.packs, siblings
        )
        where = (where or Location())._replace(signature=signature.key or None)
        return self._run(Scope.SIGNATURE, context, where)

    def _intents(self, signature: SignatureView, tf2: bool) -> frozenset[Intent]:
        """siglint's inference, unless a pack's contract declares what the signature is for."""
        declared = set().union(*(pack.declared_intents(signature) for pack in self.options.packs))
        return frozenset(Intent(i) for i in declared) if declared else intents(signature, tf2)

    def _run(self, scope: Scope, subject: object, where: Location) -> list[Finding]:
        findings: list[Finding] = []
        for rule in self._by_scope[scope]:
            if scope is Scope.SIGNATURE and not rule.applies_to(subject):  # type: ignore[arg-type]
                continue
            if self.options.path_ignores(where.path, rule.code):
                continue
            findings.extend(
                _stamp(rule, problem, where, self.options.severities) for problem in rule.check(subject)
            )
        return findings


def _stamp(rule: Rule, problem: Problem, where: Location, severities: SeverityOverrides) -> Finding:
    location = where
    if problem.tensor is not None:
        location = where._replace(tensor=problem.tensor, io=problem.io)
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severities(rule.code, problem.severity or rule.severity),
        message=problem.message,
        location=location,
        expected=problem.expected,
        actual=problem.actual,
        contract=problem.contract,
    )
