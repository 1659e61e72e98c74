"""Helpers shared by rule modules: the profile's say on method names, and the core rules whose
contract is the bundled tf-serving pack."""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.contracts.core import core_pack
from siglint.engine.contracts.evaluate import evaluate
from siglint.engine.contracts.records import CORE_PACK, Check, Contract
from siglint.engine.intent import Intent
from siglint.engine.profile import TF, Profile
from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity


def method_names_unchecked(profile: Profile) -> bool:
    """TFRT servables never look at method_name (tfrt_classifier.cc, tfrt_regressor.cc, ...)."""
    return profile.runtime != TF


def method_check_severity(profile: Profile) -> Severity | None:
    """ERROR where the server enforces method names (--enable_signature_method_name_check)."""
    return Severity.ERROR if profile.method_name_check else None


def contract_rule(code: str, name: str, module: str) -> Rule:
    """A core rule whose contract is the checks of the bundled tf-serving pack that name it: the
    rule's module holds its documentation (and nothing else), the pack what it checks and where
    that comes from. The module is not imported to check a model."""
    checks = core_pack().checks_for(code)
    if not checks:
        raise RuntimeError(f"{code}: no check of the {CORE_PACK} pack names this rule")
    defaults = {(check.severity or contract.severity).on(TF) for contract, check in checks}
    if len(defaults) != 1:
        raise RuntimeError(f"{code}: the {CORE_PACK} pack gives it several severities")

    # Per contract, its checks of this rule, and the APIs that select it when it selects by API
    # alone (a set test then, not a selector match).
    groups = [
        (contract, _intents_of([(contract, c) for c in items]), items)
        for contract, items in _by_contract(checks)
    ]

    def check(context: SignatureContext) -> Iterator[Problem]:
        for contract, apis, items in groups:
            if apis & context.intents if apis else contract.selects(context.signature, context.intents):
                for item in items:
                    yield from evaluate(contract, item, context)

    return Rule(code, name, defaults.pop(), Scope.SIGNATURE, check, module, intents=_intents_of(checks))


def _by_contract(checks: list[tuple[Contract, Check]]) -> list[tuple[Contract, list[Check]]]:
    groups: dict[str, tuple[Contract, list[Check]]] = {}
    for contract, item in checks:
        groups.setdefault(contract.path, (contract, []))[1].append(item)
    return list(groups.values())


def _intents_of(checks: list[tuple[Contract, Check]]) -> frozenset[Intent]:
    """The APIs whose contracts hold `checks`, when every one selects by API alone (the engine
    then skips the rule on other signatures without calling it); else empty (every API)."""
    selectors = [selector for contract, _ in checks for selector in contract.select or (None,)]
    if not selectors or any(s is None or s.intents is None or s.keys or s.methods for s in selectors):
        return frozenset()
    return frozenset(Intent(intent) for s in selectors for intent in s.intents)  # type: ignore[union-attr]
