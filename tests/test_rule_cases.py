"""Table-driven cases for every SIGNATURE-scope rule (sqlfluff style).

Each rule has one data file, ``tests/cases/<CODE>-<rule-name>.yaml``::

    rule: SIG306
    cases:
      - name: float-input                  # unique within the file; test id SIG306-float-input
        signature: {method_name: ..., inputs: {...}, outputs: {...}}   # or a text-format string
        key: serving_default               # optional; the signature's key (default below)
        tf2: true                          # optional; passed to validate_signature_def
        profile: {method_name_check: true} # optional; Profile fields
        xfail: "why siglint is wrong"      # optional; strict xfail
        findings:                          # findings OF THIS RULE; [] = must not fire
          - {tensor: inputs, io: input, severity: error, message: "substring"}
    pack: {name: ..., contracts: [...]}    # optional; a contract pack every case runs with

The multiset of (tensor, io, severity) of the rule's findings must equal the expected one, and
each expected message must be a substring of the message of the finding it is paired with.
Expectations come from docs/contracts.md and the rule docs, not from siglint's output.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from siglint import checks
from siglint.engine import contracts
from siglint.engine.options import Options
from siglint.engine.profile import Profile
from siglint.engine.rule import Scope
from siglint.findings import Finding
from siglint.run.signature import validate_signature_def

ALL_RULES = checks.rules()

CASES_DIR = Path(__file__).resolve().parent / "cases"
DEFAULT_KEY = "serving_default"
MIN_FAILING = 2
MIN_PASSING = 2

_FILE_KEYS = {"rule"}
# fixtures: siglint.fixturegen.rule_fixtures; diffs: a diff rule's cases (tests/test_diff_cases.py)
_OPTIONAL_FILE_KEYS = {"cases", "pack", "fixtures", "diffs"}
_CASE_KEYS = {"name", "signature", "key", "tf2", "profile", "findings", "xfail", "note"}
_FINDING_KEYS = {"tensor", "io", "severity", "message"}
_SEVERITIES = {"error", "warning", "info"}
_IOS = {"input", "output", None}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Case:
    code: str
    path: Path
    name: str
    signature: Any
    key: str
    tf2: bool
    profile: dict[str, Any]
    findings: tuple[dict[str, Any], ...]
    xfail: str | None
    packs: tuple[contracts.Pack, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.code}-{self.name}"

    @property
    def fails(self) -> bool:
        return bool(self.findings)


def _load_file(path: Path) -> tuple[str, list[Case]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not _FILE_KEYS <= set(data) <= _FILE_KEYS | _OPTIONAL_FILE_KEYS:
        raise ValueError(f"{path.name}: top level must have the keys {sorted(_FILE_KEYS)}")
    code = data["rule"]
    packs = ()
    if "pack" in data:  # a user's pack: schema-validated as `--contracts` would
        contracts.validate(data["pack"], path.name)
        packs = (contracts.compile_pack(data["pack"], path.name),)
    cases = []
    for raw in data.get("cases") or []:
        unknown = set(raw) - _CASE_KEYS
        if unknown or not {"name", "signature", "findings"} <= set(raw):
            raise ValueError(f"{path.name}: bad case keys in {raw.get('name')!r}: {sorted(raw)}")
        findings = tuple(raw["findings"] or ())
        for finding in findings:
            if set(finding) != _FINDING_KEYS:
                raise ValueError(f"{path.name}:{raw['name']}: finding needs {sorted(_FINDING_KEYS)}")
            if finding["severity"] not in _SEVERITIES or finding["io"] not in _IOS:
                raise ValueError(f"{path.name}:{raw['name']}: bad severity/io in {finding}")
            if (finding["tensor"] is None) != (finding["io"] is None):
                raise ValueError(f"{path.name}:{raw['name']}: tensor and io go together")
        cases.append(
            Case(
                code=code,
                path=path,
                name=raw["name"],
                signature=raw["signature"],
                key=raw.get("key", DEFAULT_KEY),
                tf2=bool(raw.get("tf2", False)),
                profile=dict(raw.get("profile") or {}),
                findings=findings,
                xfail=raw.get("xfail"),
                packs=packs,
            )
        )
    return code, cases


def _load_all() -> dict[Path, tuple[str, list[Case]]]:
    return {path: _load_file(path) for path in sorted(CASES_DIR.glob("*.yaml"))}


FILES = _load_all()
CASES = [case for _, cases in FILES.values() for case in cases]


def _params() -> list[Any]:
    params = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def _profile(fields: dict[str, Any]) -> Profile:
    fields = dict(fields)
    if "tags" in fields:
        fields["tags"] = tuple(fields["tags"])
    return Profile(**fields)


def _triple(finding: Finding) -> tuple[str | None, str | None, str]:
    return (finding.location.tensor, finding.location.io, finding.severity.value)


def _expected_triple(expected: dict[str, Any]) -> tuple[str | None, str | None, str]:
    return (expected["tensor"], expected["io"], expected["severity"])


def _pair_messages(expected: list[dict[str, Any]], actual: list[Finding]) -> bool:
    """Whether each expected finding can be paired with a distinct actual finding that has the
    same (tensor, io, severity) and a message containing the expected substring."""

    def match(i: int, used: frozenset[int]) -> bool:
        if i == len(expected):
            return True
        want = expected[i]
        for j, finding in enumerate(actual):
            if j in used or _triple(finding) != _expected_triple(want):
                continue
            if want["message"] in finding.message and match(i + 1, used | {j}):
                return True
        return False

    return match(0, frozenset())


def _describe(findings: list[Finding]) -> str:
    return "\n".join(
        f"  ({f.location.tensor}, {f.location.io}, {f.severity.value}) {f.message}" for f in findings
    ) or "  (none)"


@pytest.mark.parametrize("case", _params())
def test_rule_case(case: Case) -> None:
    options = Options(profile=_profile(case.profile), packs=case.packs)
    findings = validate_signature_def(case.signature, key=case.key, tf2=case.tf2, options=options)
    mine = [f for f in findings if f.code == case.code]

    expected = Counter(_expected_triple(e) for e in case.findings)
    actual = Counter(_triple(f) for f in mine)
    assert actual == expected, (
        f"{case.id}: expected (tensor, io, severity) {sorted(expected.elements(), key=str)}, "
        f"got:\n{_describe(mine)}"
    )
    assert _pair_messages(list(case.findings), mine), (
        f"{case.id}: expected message substrings "
        f"{[e['message'] for e in case.findings]} not found in:\n{_describe(mine)}"
    )


def _signature_rules() -> list[Any]:
    return [rule for rule in ALL_RULES if rule.scope is Scope.SIGNATURE]


def test_case_files_exist() -> None:
    assert CASES_DIR.is_dir() and FILES, f"no case files in {CASES_DIR}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_every_rule_has_one_case_file(rule: Any) -> None:
    """Adding a rule is its module and its case file: cases for a rule about one signature,
    fixture specs (`fixtures`) for a rule about files, layouts, MetaGraphDefs or packs."""
    expected_name = f"{rule.code}-{rule.name}.yaml"
    assert [p.name for p, (code, _) in FILES.items() if code == rule.code] == [expected_name]
    data = yaml.safe_load((CASES_DIR / expected_name).read_text(encoding="utf-8"))
    from_doc = (rule.scope is Scope.SIGNATURE and not rule.code.startswith(checks.PACK_RULES)) or checks.is_diff(rule.code)
    assert ("fixtures" in data) != from_doc, f"{expected_name}: fixtures come from the rule's docs" if from_doc else f"{expected_name}: needs `fixtures`"


@pytest.mark.parametrize("rule", _signature_rules(), ids=lambda rule: rule.code)
def test_every_signature_rule_has_cases(rule: Any) -> None:
    """A new SIGNATURE rule without a case file, or with too few cases, fails here. xfail cases
    do not count: they show what siglint gets wrong, not what it gets right."""
    files = [path for path, (code, _) in FILES.items() if code == rule.code]
    expected_name = f"{rule.code}-{rule.name}.yaml"
    assert [p.name for p in files] == [expected_name], (
        f"{rule.code} needs exactly one case file tests/cases/{expected_name}, found "
        f"{[p.name for p in files]}"
    )
    _, cases = FILES[files[0]]
    counted = [case for case in cases if not case.xfail]
    failing = sum(1 for case in counted if case.fails)
    passing = sum(1 for case in counted if not case.fails)
    assert failing >= MIN_FAILING, f"{expected_name}: {failing} failing cases, need {MIN_FAILING}"
    assert passing >= MIN_PASSING, f"{expected_name}: {passing} passing cases, need {MIN_PASSING}"


@pytest.mark.parametrize("path", sorted(FILES), ids=lambda path: path.name)
def test_case_file_is_well_formed(path: Path) -> None:
    code, cases = FILES[path]
    rule = checks.find_rule(code)
    assert rule is not None, f"{path.name} names unknown rule code {code!r}"
    assert rule.scope is Scope.SIGNATURE or not cases, f"{path.name}: {code} is not a SIGNATURE-scope rule"
    assert path.name == f"{rule.code}-{rule.name}.yaml", f"{path.name} should be named {rule.code}-{rule.name}.yaml"
    names = [case.name for case in cases]
    duplicates = sorted(name for name, n in Counter(names).items() if n > 1)
    assert not duplicates, f"{path.name}: duplicate case names {duplicates}"
    bad = [name for name in names if not isinstance(name, str) or not _NAME.match(name)]
    assert not bad, f"{path.name}: case names must be kebab-case: {bad}"
    for case in cases:
        unknown = set(case.profile) - set(Profile._fields)
        assert not unknown, f"{case.id}: unknown profile fields {sorted(unknown)}"
        assert case.xfail is None or (isinstance(case.xfail, str) and case.xfail.strip()), (
            f"{case.id}: xfail needs a reason"
        )
