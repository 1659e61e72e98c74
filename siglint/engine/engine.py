"""The Engine: runs each selected rule on the subjects of its scope, then stamps every problem
with the rule's code, name and severity (or the one configured for it) and the subject's
location. It also says which rules a run has on, at which severity, for the reports.

A rule reports at most FINDINGS_PER_RULE findings on one subject (a model, a signature), then
one more that counts the rest: a signature of a million inputs that all feed one tensor gives
eleven findings, not a million."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from siglint.engine.contracts.core import shaped_for
from siglint.engine.intent import Intent, Intents, intents
from siglint.engine.options import Options
from siglint.engine.rule import (
    NO_SIGNATURES,
    GraphContext,
    ModelContext,
    Rule,
    Scope,
    SignatureContext,
)
from siglint.findings import Finding, Location, Problem, RuleInfo, Severity
from siglint.io.quoting import bounded
from siglint.model.discover import BasePath
from siglint.model.load import FailureKind, LoadFailure
from siglint.model.view import SAVEDMODEL, TFLITE, MetaGraphView, ModelView, SignatureView

# A message quotes keys and names from the model: at most this long, whatever they are.
MESSAGE_LIMIT = 1000
FINDINGS_PER_RULE = 10
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Deferred(NamedTuple):
    """Rules loaded the first time a run meets what they judge: a deployment's files, a TF Lite
    model. Most runs never do, and pay nothing for them at start-up."""

    codes: frozenset[str]
    load: Callable[[], tuple[Rule, ...]]


DEPLOYMENT, TFLITE_RULES = "deployment", "tflite"  # the groups of deferred rules


class Engine:
    """Runs the selected rules; built once per run. The `deferred` groups load more rules the
    first time a subject of theirs is checked (DEPLOYMENT: the scopes of a deployment's files;
    TFLITE_RULES: a TF Lite model, or a file that fails to load as one)."""

    def __init__(
        self,
        rules: tuple[Rule, ...],
        options: Options | None = None,
        deferred: Mapping[str, Deferred] | None = None,
    ) -> None:
        self.rules = rules
        self.options = options = options or Options()
        self._deferred = dict(deferred or {})
        self.selected = tuple(r for r in self.rules if options.selection.selects(r.code))
        self._by_scope = {scope: tuple(r for r in self.selected if r.scope is scope) for scope in Scope}
        # The signature rules that apply, by (path, op signature?, intents): a model's
        # signatures mostly share a few combinations, so dispatch is one dict lookup each.
        self._dispatch: dict[tuple[str, bool, frozenset[Intent], str], tuple[Rule, ...]] = {}
        # The rules of a scope that apply at a path (per-path ignores matched once per path).
        self._scoped: dict[tuple[Scope, str], tuple[Rule, ...]] = {}

    def _load_deferred(self, *groups: str) -> None:
        """Load the deferred rules of `groups` not loaded yet."""
        for group in groups:
            waiting = self._deferred.pop(group, None)
            if waiting is None:
                continue
            loaded = waiting.load()
            chosen = tuple(r for r in loaded if self.options.selection.selects(r.code))
            self.rules = tuple(sorted(self.rules + loaded, key=lambda rule: rule.code))
            self.selected = tuple(sorted(self.selected + chosen, key=lambda rule: rule.code))
            for rule in chosen:
                self._by_scope[rule.scope] += (rule,)
            self._dispatch.clear()
            self._scoped.clear()

    def rule_infos(self, codes: Iterable[str] = (), every: bool = False) -> tuple[RuleInfo, ...]:
        """The selected rules, each at the severity this run gives it; the deferred ones when
        they ran, when `codes` (those of the findings) name one, or with `every`."""
        if every:
            self._load_deferred(*self._deferred)
        else:
            found = set(codes)
            self._load_deferred(*(group for group, waiting in self._deferred.items() if waiting.codes & found))
        return tuple(rule.info(self.options.severities.severity_of(rule.code, rule.severity)) for rule in self.selected)

    def check_base_path(self, base: BasePath) -> list[Finding]:
        return self._run(self._rules(Scope.BASE_PATH, base.path), base, Location(base.path))

    def check_failure(self, failure: LoadFailure) -> list[Finding]:
        if failure.kind is FailureKind.TFLITE_UNPARSABLE:
            self._load_deferred(TFLITE_RULES)
        where = Location(failure.path, version=failure.version)
        return self._run(self._rules(Scope.LOAD, failure.path), failure, where)

    def check_model(self, model: ModelView, notes: list[str] | None = None) -> list[Finding]:
        """The findings of `model`; what could not be checked is added to `notes`."""
        if model.kind == TFLITE:
            self._load_deferred(TFLITE_RULES)
        context = ModelContext(model, self.options.profile, self.options.packs)
        where = Location(model.path, version=model.version)
        rules = tuple(rule for rule in self._rules(Scope.MODEL, model.path) if rule.judges(model.kind))
        findings = self._run(rules, context, where)
        meta_graph = context.serving_meta_graph
        if meta_graph is None:
            return findings
        if self._rules(Scope.SIGNATURE, model.path):
            where = Location(model.path, meta_graph.tags, version=model.version)
            for signature in meta_graph.signatures.values():
                findings += self.check_signature(signature, where, meta_graph.is_tf2, meta_graph.signatures, model.kind)
        graph_rules = self._rules(Scope.GRAPH, model.path)
        if graph_rules:
            findings += self._check_graph(model, meta_graph, graph_rules, notes if notes is not None else [])
        return findings

    def _check_graph(
        self, model: ModelView, meta_graph: MetaGraphView, rules: tuple[Rule, ...], notes: list[str]
    ) -> list[Finding]:
        """The graph rules on the served graph, read here once (never when no graph rule is on)."""
        from siglint.model.graph import (
            GraphTooLarge,
            GraphUndecodable,
            load_graph,
            parse_tensor_name,
        )

        where = Location(model.path, meta_graph.tags, version=model.version)
        skipped = f"{model.path}: the graph rules ({', '.join(r.code for r in rules)}) skipped"
        if meta_graph.graph is None:
            notes.append(f"{skipped}: the MetaGraphDef {{{','.join(meta_graph.tags)}}} has no graph_def")
            return []
        graph, problem = None, None
        # The rules type the outputs of the nodes the signatures name, and no others.
        named = {
            parse_tensor_name(name)[0]
            for signature in meta_graph.signatures.values()
            for _, tensor in signature.tensors()
            for name in tensor.tensor_names
        }
        try:
            graph = load_graph(meta_graph.graph, attrs_of=named)
        except GraphTooLarge as error:
            notes.append(f"{skipped}: its graph has {error}, more than siglint reads")
            return []
        except GraphUndecodable as error:
            problem = str(error)
        context = GraphContext(model, meta_graph, graph, self.options.profile, problem)
        return self._run(rules, context, where)
    def wants(self, *scopes: Scope) -> bool:
        """Whether any selected rule checks subjects of these scopes (to skip reading them)."""
        self._load_deferred(DEPLOYMENT)
        return any(self._by_scope[scope] for scope in scopes)

    def check(self, scope: Scope, subject: object, where: Location) -> list[Finding]:
        """The findings of the selected rules of `scope` on `subject`, at `where`: the scopes of
        a deployment (warmup files, requests, models.config files and the models they list)."""
        self._load_deferred(DEPLOYMENT)
        return self._run(self._rules(scope, where.path), subject, where)

    def check_signature(
        self,
        signature: SignatureView,
        where: Location | None = None,
        tf2: bool = False,
        siblings: Mapping[str, SignatureView] = NO_SIGNATURES,
        kind: str = SAVEDMODEL,
    ) -> list[Finding]:
        where = (where or Location())._replace(signature=signature.key or None)
        found = self._intents(signature, tf2)
        key = (where.path, signature.is_op_signature, found.apis, kind)
        rules = self._dispatch.get(key)
        if rules is None:
            rules = self._dispatch[key] = tuple(
                rule for rule in self._rules(Scope.SIGNATURE, where.path)
                if rule.op_signatures == signature.is_op_signature
                and (not rule.intents or rule.intents & found.apis)
                and rule.judges(kind)
            )
        if not rules:
            return []
        options = self.options
        context = SignatureContext(signature, found.apis, options.profile, options.packs, siblings, found.inferred)
        return self._run(rules, context, where)

    def _rules(self, scope: Scope, path: str) -> tuple[Rule, ...]:
        found = self._scoped.get((scope, path))
        if found is None:
            ignores = self.options.path_ignores
            found = tuple(rule for rule in self._by_scope[scope] if not ignores.ignores(path, rule.code))
            self._scoped[(scope, path)] = found
        return found

    def _intents(self, signature: SignatureView, tf2: bool) -> Intents:
        """siglint's inference, unless a pack's contract declares what the signature is for."""
        declared = set().union(*(pack.declared_intents(signature) for pack in self.options.packs))
        if declared:
            return Intents(frozenset(Intent(i) for i in declared))
        return intents(signature, tf2, shaped_for)

    def _run(self, rules: Iterable[Rule], subject: object, where: Location) -> list[Finding]:
        findings: list[Finding] = []
        for rule in rules:
            problems = iter(rule.check(subject))
            for count, problem in enumerate(problems):
                if count == FINDINGS_PER_RULE:
                    findings.append(self._rest(rule, problem, problems, where))
                    break
                findings.append(self._stamp(rule, problem, where))
        return findings

    def _severity(self, rule: Rule, problem: Problem) -> Severity:
        return self.options.severities.severity_of(rule.code, problem.severity or rule.severity)

    def _stamp(self, rule: Rule, problem: Problem, where: Location) -> Finding:
        location = where
        if problem.signature is not None:
            location = location._replace(signature=problem.signature)
        if problem.tensor is not None:
            location = location._replace(tensor=problem.tensor, io=problem.io)
        if problem.line is not None:
            location = location._replace(line=problem.line, column=problem.column)
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=self._severity(rule, problem),
            message=bounded(problem.message, MESSAGE_LIMIT),
            location=location,
            expected=None if problem.expected is None else bounded(problem.expected),
            actual=None if problem.actual is None else bounded(problem.actual),
            contract=problem.contract,
        )

    def _rest(self, rule: Rule, first: Problem, problems: Iterable[Problem], where: Location) -> Finding:
        """One finding for the problems past the cap: how many, at the worst of their severities
        (counted as they come: none is kept)."""
        count, worst = 1, self._severity(rule, first)
        for problem in problems:
            count += 1
            severity = self._severity(rule, problem)
            if _RANK[severity] < _RANK[worst]:
                worst = severity
        subject = "signature" if where.signature is not None else "model"
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=worst,
            message=f"and {count} more {rule.code} findings in this {subject} "
            f"(the first {FINDINGS_PER_RULE} of each rule are shown)",
            location=where,
        )
