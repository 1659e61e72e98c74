"""The Engine: runs each selected rule on the subjects of its scope, then stamps every problem
with the rule's code, name and severity (or the one configured for it) and the subject's
location. It also says which rules a run has on, at which severity, for the reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from siglint.engine.contracts.core import shaped_for
from siglint.engine.intent import Intent, intents
from siglint.engine.options import Options
from siglint.engine.rule import NO_SIGNATURES, ModelContext, Rule, Scope, SignatureContext
from siglint.findings import Finding, Location, Problem, RuleInfo
from siglint.model.discover import BasePath
from siglint.model.load import LoadFailure
from siglint.model.view import ModelView, SignatureView


class Engine:
    """Runs the selected rules; built once per run. `deferred` loads more rules the first time
    a subject of their scopes is checked: the rules of a deployment's files, which most runs
    never read, cost no start-up."""

    def __init__(
        self,
        rules: tuple[Rule, ...],
        options: Options = Options(),
        deferred: Callable[[], tuple[Rule, ...]] | None = None,
        deferred_codes: frozenset[str] = frozenset(),
    ) -> None:
        self.rules = rules
        self.options = options
        self._deferred, self._deferred_codes = deferred, deferred_codes
        self.selected = tuple(r for r in self.rules if options.selection.selects(r.code))
        self._by_scope = {scope: [r for r in self.selected if r.scope is scope] for scope in Scope}

    def _load_deferred(self) -> None:
        if self._deferred is not None:
            loaded, self._deferred = self._deferred(), None
            chosen = tuple(r for r in loaded if self.options.selection.selects(r.code))
            self.rules = tuple(sorted(self.rules + loaded, key=lambda rule: rule.code))
            self.selected = tuple(sorted(self.selected + chosen, key=lambda rule: rule.code))
            for rule in chosen:
                self._by_scope[rule.scope].append(rule)

    def rule_infos(self, codes: Iterable[str] = (), every: bool = False) -> tuple[RuleInfo, ...]:
        """The selected rules, each at the severity this run gives it; the deferred ones when
        they ran, when `codes` (those of the findings) name one, or with `every`."""
        if every or self._deferred_codes.intersection(codes):
            self._load_deferred()
        return tuple(rule.info(self.options.severities.severity_of(rule.code, rule.severity)) for rule in self.selected)

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
                    signature, Location(model.path, meta_graph.tags, version=model.version),
                    tf2=meta_graph.is_tf2, siblings=meta_graph.signatures,
                )
        return findings

    def wants(self, *scopes: Scope) -> bool:
        """Whether any selected rule checks subjects of these scopes (to skip reading them)."""
        self._load_deferred()
        return any(self._by_scope[scope] for scope in scopes)

    def check(self, scope: Scope, subject: object, where: Location) -> list[Finding]:
        """The findings of the selected rules of `scope` on `subject`, at `where`: the scopes of
        a deployment (warmup files, requests, models.config files and the models they list)."""
        self._load_deferred()
        return self._run(scope, subject, where)

    def check_signature(
        self,
        signature: SignatureView,
        where: Location | None = None,
        tf2: bool = False,
        siblings: Mapping[str, SignatureView] = NO_SIGNATURES,
    ) -> list[Finding]:
        context = SignatureContext(
            signature, self._intents(signature, tf2), self.options.profile, self.options.packs, siblings
        )
        where = (where or Location())._replace(signature=signature.key or None)
        return self._run(Scope.SIGNATURE, context, where)

    def _intents(self, signature: SignatureView, tf2: bool) -> frozenset[Intent]:
        """siglint's inference, unless a pack's contract declares what the signature is for."""
        declared = set().union(*(pack.declared_intents(signature) for pack in self.options.packs))
        return frozenset(Intent(i) for i in declared) if declared else intents(signature, tf2, shaped_for)

    def _run(self, scope: Scope, subject: object, where: Location) -> list[Finding]:
        findings: list[Finding] = []
        for rule in self._by_scope[scope]:
            if scope is Scope.SIGNATURE and not rule.applies_to(subject):  # type: ignore[arg-type]
                continue
            if self.options.path_ignores.ignores(where.path, rule.code):
                continue
            findings.extend(self._stamp(rule, problem, where) for problem in rule.check(subject))
        return findings

    def _stamp(self, rule: Rule, problem: Problem, where: Location) -> Finding:
        location = where
        if problem.tensor is not None:
            location = location._replace(tensor=problem.tensor, io=problem.io)
        if problem.line is not None:
            location = location._replace(line=problem.line, column=problem.column)
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=self.options.severities.severity_of(rule.code, problem.severity or rule.severity),
            message=problem.message,
            location=location,
            expected=problem.expected,
            actual=problem.actual,
            contract=problem.contract,
        )
