"""Table-driven cases for every rule of `siglint diff` (SIG7), at every level.

Each rule's case file, ``tests/cases/<CODE>-<rule-name>.yaml``, holds them under ``diffs``::

    rule: SIG720
    diffs:
      - name: input-removed                # unique within the file; test id SIG720-input-removed
        old: {signatures: {serving_default: {...}}}     # siglint.run.diff.model_view's forms
        new: {meta_graphs: [{tags: [serve], signatures: {...}}]}
        profile: {runtime: tfrt}           # optional; Profile fields
        levels: [grpc, rest, strict]       # where the rule finds `findings`; nothing at the others
        findings:                          # findings OF THIS RULE
          - {signature: serving_default, tensor: country, io: input, severity: error, message: "substring"}

`message` is a substring of the finding's message, or a list of them.

`findings` may instead map levels to findings (`{grpc: [...], strict: [...]}`) where they differ
by level; its keys are then the levels. A case with no findings must find nothing at any level.
Every level not listed must find nothing: a case listing `[rest, strict]` is a change that breaks
REST clients and not gRPC ones. Expectations come from TF Serving's sources (the messages are the server's),
not from siglint's output.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from siglint import checks
from siglint.checks._diff import level_of
from siglint.engine.diff import LEVELS, Level
from siglint.engine.options import Options
from siglint.engine.profile import Profile
from siglint.findings import Finding
from siglint.run.diff import diff_models

CASES_DIR = Path(__file__).resolve().parent / "cases"
DIFF_RULES = [rule for rule in checks.rules() if checks.is_diff(rule.code)]
_CASE_KEYS = {"name", "old", "new", "profile", "levels", "findings", "note"}
_FINDING_KEYS = {"signature", "tensor", "io", "severity", "message"}


class Case(NamedTuple):
    code: str
    name: str
    old: Any
    new: Any
    profile: dict[str, Any]
    findings: dict[Level, tuple[dict[str, Any], ...]]  # by level; none at the others

    @property
    def levels(self) -> tuple[Level, ...]:
        return tuple(level for level in LEVELS if level in self.findings)

    @property
    def id(self) -> str:
        return f"{self.code}-{self.name}"


def _load(rule: Any) -> list[Case]:
    path = CASES_DIR / f"{rule.code}-{rule.name}.yaml"
    if not path.is_file():
        return []  # tests/test_rule_cases.py says the file is missing
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for raw in data.get("diffs") or []:
        if not {"name", "old", "new"} <= set(raw) <= _CASE_KEYS:
            raise ValueError(f"{path.name}: bad case keys in {raw.get('name')!r}: {sorted(raw)}")
        findings = raw.get("findings") or ()
        if isinstance(findings, dict):
            if "levels" in raw:
                raise ValueError(f"{path.name}:{raw['name']}: findings by level give the levels")
            by_level = {Level(level): tuple(items) for level, items in findings.items()}
        else:
            levels = raw.get("levels") or ()
            if bool(levels) != bool(findings):
                raise ValueError(f"{path.name}:{raw['name']}: levels and findings go together")
            by_level = {Level(level): tuple(findings) for level in levels}
        if any(set(finding) != _FINDING_KEYS for items in by_level.values() for finding in items):
            raise ValueError(f"{path.name}:{raw['name']}: each finding needs {sorted(_FINDING_KEYS)}")
        cases.append(Case(rule.code, raw["name"], raw["old"], raw["new"], dict(raw.get("profile") or {}), by_level))
    return cases


CASES = [case for rule in DIFF_RULES for case in _load(rule)]


def _triple(finding: Finding) -> tuple[Any, ...]:
    loc = finding.location
    return (loc.signature, loc.tensor, loc.io, finding.severity.value)


def _profile(fields: dict[str, Any]) -> Profile:
    return Profile(**{key: tuple(value) if isinstance(value, list) else value for key, value in fields.items()})


def _found(case: Case, level: Level) -> list[Finding]:
    options = Options(profile=_profile(case.profile))
    return [f for f in diff_models(case.old, case.new, level=level, options=options) if f.code == case.code]


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.value)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_diff_case(case: Case, level: Level) -> None:
    found = _found(case, level)
    if level not in case.levels:
        assert found == [], f"{case.id} at {level.value}: expected nothing, got {[str(f) for f in found]}"
        return
    wanted = case.findings[level]
    expected = Counter((e["signature"], e["tensor"], e["io"], e["severity"]) for e in wanted)
    assert Counter(_triple(f) for f in found) == expected, [str(f) for f in found]
    for want in wanted:
        parts = want["message"] if isinstance(want["message"], list) else [want["message"]]
        assert any(
            all(part in f.message for part in parts) for f in found
            if _triple(f) == (want["signature"], want["tensor"], want["io"], want["severity"])
        ), f"{case.id}: {parts!r} not in {[f.message for f in found]}"


@pytest.mark.parametrize("rule", DIFF_RULES, ids=lambda rule: rule.code)
def test_every_diff_rule_has_cases_at_its_level(rule: Any) -> None:
    """Two cases that find the rule, at its level and every stricter one (not below), and two
    that find nothing."""
    cases = [case for case in CASES if case.code == rule.code]
    own = level_of(rule)
    failing = [case for case in cases if case.findings]
    assert len(failing) >= 2 and len([case for case in cases if not case.findings]) >= 2, rule.code
    assert any(case.levels == tuple(level for level in LEVELS if level.holds(own)) for case in failing), (
        f"{rule.code}: no case finds it exactly at {own.value} and the stricter levels"
    )
    for case in failing:
        assert all(level.holds(own) for level in case.levels), f"{case.id}: a {own.value} rule below its level"


@pytest.mark.parametrize("rule", DIFF_RULES, ids=lambda rule: rule.code)
def test_doc_examples_fail_and_pass(rule: Any) -> None:
    """The rule's documented failing example finds it at its level; the fix finds nothing at all."""
    from siglint.fixturegen.rule_fixtures import diff_examples

    bad, good = diff_examples(rule)
    level = level_of(rule)
    assert rule.code in [f.code for f in diff_models(bad["old"], bad["new"], level=level)]
    assert diff_models(good["old"], good["new"], level=level) == []


def test_diff_rules_are_documented_with_their_level() -> None:
    for rule in DIFF_RULES:
        level = level_of(rule)
        assert isinstance(level, Level) and f"Level: `{level.value}`" in rule.doc, rule.code
