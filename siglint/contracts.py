"""Contract packs: signature contracts stated as data, compiled once, evaluated by the engine.

A pack (rules/schema.json, documented in rules/README.md) lists contracts. A contract selects
signatures by key, method name or inferred intent and states what their inputs and outputs must
be. TF Serving's own Classify/Regress/Predict contracts are the bundled `tf-serving` pack: each of
its checks names the core rule (SIG3xx/4xx/5xx) whose findings it gives, so the core's contract
rules hold no second copy in Python. Other packs (bundled `tf-ranking`, `keras-export`, or a
user's file) give findings under the generic codes SIG601 and SIG602, with the contract's name.

Packs are compiled without jsonschema: a user's pack file is validated against the schema
first (`load_pack`), and the bundled packs are validated by the tests.
"""

from __future__ import annotations

import fnmatch
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from siglint.dtypes import DTYPE_NUMBERS, base_dtype, type_string
from siglint.findings import Problem, Severity
from siglint.options import TFRT, Profile
from siglint.schemas import first_error, json_path
from siglint.view import SignatureView, TensorView

CORE_PACK = "tf-serving"
BUNDLED_PACKS = ("tf-serving", "tf-ranking", "keras-export")
PACK_SUFFIXES = (".json", ".toml", ".yaml", ".yml")
INTENTS = ("classify", "regress", "predict")


class PackError(ValueError):
    """A pack siglint cannot use: the message names the file and the JSON path at fault."""


# --------------------------------------------------------------------------------------------
# Compiled form: small frozen records (picklable, so packs travel to worker processes).


class Bounds(NamedTuple):
    """`count` and `rank`: an exact number (low == high) or bounds (None: unbounded)."""

    low: int | None
    high: int | None

    def __contains__(self, value: object) -> bool:
        assert isinstance(value, int)
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    @property
    def text(self) -> str:
        if self.low == self.high:
            return str(self.low)
        if self.high is None:
            return f">= {self.low}"
        if self.low is None:
            return f"<= {self.high}"
        return f"{self.low} to {self.high}"


class Dtypes(NamedTuple):
    numbers: frozenset[int]
    negated: bool  # True: the dtype must be none of `numbers`
    text: str

    def allows(self, number: int) -> bool:
        return (number in self.numbers) != self.negated


DimPattern = tuple[int | str, ...]  # ints (n, or -1 for dynamic), "*" and at most one "..."


class Shapes(NamedTuple):
    patterns: tuple[DimPattern, ...]

    def allows(self, shape: tuple[int, ...]) -> bool:
        return any(_fits(shape, pattern) for pattern in self.patterns)

    @property
    def text(self) -> str:
        return " or ".join("(" + ", ".join(str(d) for d in p) + ")" for p in self.patterns)


def _fits(shape: tuple[int, ...], pattern: DimPattern) -> bool:
    if "..." in pattern:
        at = pattern.index("...")
        head, tail = pattern[:at], pattern[at + 1 :]
        if len(shape) < len(head) + len(tail):
            return False
        return _fits(shape[: len(head)], head) and _fits(shape[len(shape) - len(tail) :], tail)
    if len(shape) != len(pattern):
        return False
    for size, want in zip(shape, pattern):
        if want == "*":
            continue
        if want == -1:
            if size >= 0:  # a fixed size where the contract wants a dynamic dimension
                return False
        elif size >= 0 and size != want:  # an unknown size may still be `want`
            return False
    return True


class Selector(NamedTuple):
    """Matches a signature that matches every field given (None: not given)."""

    keys: tuple[str, ...] | None = None
    methods: tuple[str, ...] | None = None
    intents: tuple[str, ...] | None = None

    def matches(self, signature: SignatureView, intents: Iterable[str]) -> bool:
        if self.keys is not None and not any(fnmatch.fnmatchcase(signature.key, k) for k in self.keys):
            return False
        if self.methods is not None and signature.method_name not in self.methods:
            return False
        return self.intents is None or any(intent in self.intents for intent in intents)

    @property
    def text(self) -> str:
        parts = []
        if self.keys is not None:
            parts.append("keyed " + " or ".join(repr(k) for k in self.keys))
        if self.methods is not None:
            parts.append("with method " + " or ".join(self.methods))
        if self.intents is not None:
            parts.append("for " + " or ".join(self.intents))
        return " ".join(parts)


class Check(NamedTuple):
    """One constraint on a signature's inputs or outputs map, or on some of its tensors."""

    path: str  # JSON path in the pack, e.g. contracts[0].checks[3]
    subject: str  # "inputs", "outputs" or "tensors"
    kind: str  # count | require | any-of | only | dtype | rank | shape | same-dim
    value: Any  # Bounds | tuple[str, ...] | Dtypes | Shapes | int
    io: str | None = None  # tensors: "input", "output" or None (any)
    keys: tuple[str, ...] | None = None  # tensors: None: every tensor of that io
    conditions: tuple[tuple[str, Any], ...] = ()  # (kind, value) that must hold ("if")
    exact_dtype: bool = False
    profile: tuple[tuple[str, Any], ...] = ()  # (Profile field, value) the check runs under
    severity: tuple[Severity, Severity] | None = None  # (tf, tfrt); None: the contract's
    message: str | None = None
    expected: str | None = None
    actual: str | None = None
    rule: str | None = None
    source: tuple[str, ...] = ()


class Contract(NamedTuple):
    pack: str
    name: str
    path: str
    select: tuple[Selector, ...] = ()  # empty: every served signature; else any of them
    intent: str | None = None
    severity: tuple[Severity, Severity] = (Severity.ERROR, Severity.ERROR)
    checks: tuple[Check, ...] = ()
    # Required when the MetaGraphDef has at least this many signatures (0: always); None: not.
    required_from: int | None = None
    forbidden: bool = False
    same_as: tuple[str, ...] = ()
    message: str | None = None  # for a `required` or `forbidden` finding
    same_as_message: str | None = None
    description: str = ""
    source: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.pack}/{self.name}"

    def selects(self, signature: SignatureView, intents: Iterable[str]) -> bool:
        if signature.is_internal:
            return False
        intents = tuple(intents)
        return not self.select or any(s.matches(signature, intents) for s in self.select)

    @property
    def selector_text(self) -> str:
        return " or ".join(s.text for s in self.select) or "at all"


class Pack(NamedTuple):
    name: str
    file: str
    contracts: tuple[Contract, ...]
    description: str = ""

    def declared_intents(self, signature: SignatureView) -> set[str]:
        """Intents this pack's contracts declare for `signature` (selectors never use intents
        when a contract declares one)."""
        return {c.intent for c in self.contracts if c.intent and c.selects(signature, ())}

    def checks_for(self, rule: str) -> list[tuple[Contract, Check]]:
        return [(c, check) for c in self.contracts for check in c.checks if check.rule == rule]


# --------------------------------------------------------------------------------------------
# Evaluation


class Subject(NamedTuple):
    """What a check sees: a signature, its intents, the server profile, the MetaGraphDef's other
    signatures (empty for a lone SignatureDef)."""

    signature: SignatureView
    intents: frozenset[str]
    profile: Profile
    siblings: Mapping[str, SignatureView]


def evaluate(contract: Contract, check: Check, subject: Subject) -> Iterator[Problem]:
    """The problems `check` of `contract` finds in the subject's signature (the contract is
    assumed to select it)."""
    if any(getattr(subject.profile, field) != value for field, value in check.profile):
        return
    tf_severity, tfrt_severity = check.severity or contract.severity
    severity = tfrt_severity if subject.profile.runtime == TFRT else tf_severity
    base = {"signature": subject.signature.key or "DEFAULT", "method": subject.signature.method_name,
            "contract": contract.name, "pack": contract.pack}
    if check.subject == "tensors":
        found = _tensor_check(check, subject.signature)
    else:
        found = _map_check(check, subject.signature)
    for variables, tensor, io in found:
        variables = {**base, **variables}
        yield Problem(
            message=render(check.message or _DEFAULT_MESSAGES[check.kind], variables),
            tensor=tensor,
            io=io,
            expected=render(check.expected, variables) if check.expected is not None else variables.get("expected"),
            actual=render(check.actual, variables) if check.actual is not None else variables.get("actual"),
            severity=severity,
        )


Found = Iterator[tuple[dict[str, Any], str | None, str | None]]  # variables, tensor key, io


def _map_check(check: Check, signature: SignatureView) -> Found:
    io = "input" if check.subject == "inputs" else "output"
    tensors = signature.inputs if check.subject == "inputs" else signature.outputs
    if not all(_map_holds(kind, value, tensors) for kind, value in check.conditions):
        return
    common = {"io": io, "ios": check.subject, "count": len(tensors), "keys": ", ".join(tensors) or "none"}
    for key in _map_violations(check.kind, check.value, tensors):
        if check.kind == "count":
            yield {**common, "expected": check.value.text, "actual": str(len(tensors))}, None, None
        elif check.kind == "only":
            yield {**common, "key": key, "expected": ", ".join(check.value) or "none", "actual": key}, key, io
        else:
            expected = key if check.kind == "require" else " or ".join(check.value)
            yield {**common, "key": key, "expected": expected, "actual": ", ".join(tensors) or None}, None, None


def _map_violations(kind: str, value: Any, tensors: Mapping[str, TensorView]) -> Iterator[str | None]:
    """Each way the keys break the constraint: the key at fault (None: the map as a whole)."""
    if kind == "count":
        if len(tensors) not in value:
            yield None
    elif kind == "require":
        yield from (key for key in value if key not in tensors)
    elif kind == "any-of":
        if not any(key in tensors for key in value):
            yield None
    else:  # only
        yield from (key for key in tensors if key not in value)


def _map_holds(kind: str, value: Any, tensors: Mapping[str, TensorView]) -> bool:
    return not any(True for _ in _map_violations(kind, value, tensors))


def _selected(check: Check, signature: SignatureView) -> list[tuple[str, TensorView]]:
    chosen = []
    for io, tensors in (("input", signature.inputs), ("output", signature.outputs)):
        if check.io not in (None, io):
            continue
        keys = check.keys if check.keys is not None else tuple(tensors)
        chosen += [(io, tensors[key]) for key in keys if key in tensors]
    return [
        (io, tensor) for io, tensor in chosen
        if all(_tensor_holds(kind, value, tensor, check.exact_dtype) for kind, value in check.conditions)
    ]


def _compared_dtype(tensor: TensorView, exact: bool) -> int:
    return tensor.dtype if exact else base_dtype(tensor.dtype)


def _tensor_holds(kind: str, value: Any, tensor: TensorView, exact: bool) -> bool:
    """False only when the tensor is known to break the condition (an unknown rank or size
    breaks nothing)."""
    if kind == "dtype":
        return bool(value.allows(_compared_dtype(tensor, exact)))
    if tensor.shape is None:
        return True
    if kind == "rank":
        return len(tensor.shape) in value
    return bool(value.allows(tensor.shape))  # shape


def _tensor_variables(io: str, tensor: TensorView, exact: bool) -> dict[str, Any]:
    compared = _compared_dtype(tensor, exact)
    variables: dict[str, Any] = {
        "io": io, "key": tensor.key, "dtype": tensor.dtype_name, "tf_type": type_string(compared),
        "shape": tensor.shape_text, "rank": "unknown" if tensor.rank is None else tensor.rank,
    }
    for index, size in enumerate(tensor.shape or ()):
        variables[f"dim{index}"] = size
    return variables


def _tensor_check(check: Check, signature: SignatureView) -> Found:
    tensors = _selected(check, signature)
    if check.kind == "same-dim":
        known = [(tensor.key, tensor.dim(check.value)) for _, tensor in tensors]
        known = [(key, size) for key, size in known if size is not None]
        for (first_key, first), (second_key, second) in itertools.pairwise(known):
            if first != second:
                variables = {"dim": check.value, "first_key": first_key, "first": first,
                             "second_key": second_key, "second": second,
                             "expected": str(second), "actual": str(first)}
                yield variables, None, None
                return
        return
    for io, tensor in tensors:
        if _tensor_holds(check.kind, check.value, tensor, check.exact_dtype):
            continue
        variables = _tensor_variables(io, tensor, check.exact_dtype)
        actual = tensor.dtype_name if check.kind == "dtype" else tensor.shape_text
        yield {**variables, "expected": check.value.text, "actual": actual}, tensor.key, io


def same_as_problem(contract: Contract, subject: Subject) -> Problem | None:
    """A `same-as` contract: the signature must equal one of the listed signatures that exist."""
    others = [subject.siblings[key] for key in contract.same_as if key in subject.siblings]
    if not others or any(_structure(other) == _structure(subject.signature) for other in others):
        return None
    listed = " or ".join(repr(other.key) for other in others)
    variables = {"signature": subject.signature.key or "DEFAULT", "targets": listed,
                 "contract": contract.name, "pack": contract.pack}
    message = contract.same_as_message or "signature {signature!r} is not the same as {targets} (method, keys, dtypes and shapes)"
    return Problem(render(message, variables), expected=listed, actual=subject.signature.key,
                   severity=_severity(contract, subject.profile.runtime))


def _structure(signature: SignatureView) -> tuple[Any, ...]:
    def tensors(tensors: Mapping[str, TensorView]) -> tuple[Any, ...]:
        return tuple(sorted((k, t.encoding, t.dtype, t.shape) for k, t in tensors.items()))

    return signature.method_name, tensors(signature.inputs), tensors(signature.outputs)


def forbidden_problem(contract: Contract, subject: Subject) -> Problem:
    variables = {"signature": subject.signature.key or "DEFAULT", "method": subject.signature.method_name,
                 "contract": contract.name, "pack": contract.pack}
    message = contract.message or "signature {signature!r} (method {method!r}) must not be served"
    return Problem(render(message, variables), severity=_severity(contract, subject.profile.runtime))


def missing_problem(contract: Contract, signatures: Sequence[SignatureView], runtime: str) -> Problem | None:
    """A `required` contract that no served signature meets (None: met, or not required here)."""
    if contract.required_from is None:
        return None
    served = [s for s in signatures if not s.is_internal]
    if len(served) < contract.required_from:
        return None
    # A required contract's selectors never use intents (they are inferred per signature).
    if any(contract.selects(signature, ()) for signature in served):
        return None
    variables = {"selector": contract.selector_text, "count": len(served),
                 "contract": contract.name, "pack": contract.pack}
    message = contract.message or "no served signature {selector}"
    return Problem(render(message, variables), expected=contract.selector_text, actual=None,
                   severity=_severity(contract, runtime))


def _severity(contract: Contract, runtime: str) -> Severity:
    return contract.severity[1] if runtime == TFRT else contract.severity[0]


# --------------------------------------------------------------------------------------------
# Message templates: {name} or {name!r}; {{ and }} are braces. No attribute or index access.

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(!r)?\}|[{}]")


def render(template: str, variables: Mapping[str, Any]) -> str:
    def substitute(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in ("{{", "}}"):
            return text[0]
        value = variables.get(match.group(1), "?")
        return repr(value) if match.group(2) else str(value)

    return _PLACEHOLDER.sub(substitute, template)


def _placeholders(template: str) -> Iterator[str | None]:
    """Each placeholder's name; None for a stray brace."""
    for match in _PLACEHOLDER.finditer(template):
        if match.group(0) in ("{{", "}}"):
            continue
        yield match.group(1)


_COMMON = ("signature", "method", "contract", "pack", "expected", "actual")
_MAP = _COMMON + ("io", "ios", "count", "keys")
_TENSOR = _COMMON + ("io", "key", "dtype", "tf_type", "shape", "rank")
VARIABLES: dict[str, tuple[str, ...]] = {
    "count": _MAP,
    "require": _MAP + ("key",),
    "any-of": _MAP,
    "only": _MAP + ("key",),
    "dtype": _TENSOR,
    "rank": _TENSOR,
    "shape": _TENSOR,
    "same-dim": _COMMON + ("dim", "first_key", "first", "second_key", "second"),
    "required": ("contract", "pack", "selector", "count"),
    "forbidden": ("signature", "method", "contract", "pack"),
    "same-as": ("signature", "contract", "pack", "targets"),
}
_DIM = re.compile(r"dim[0-9]+")

_DEFAULT_MESSAGES = {
    "count": "signature has {count} {ios}, expected {expected}",
    "require": "no {io} keyed {key!r} ({ios}: {keys})",
    "any-of": "no {io} keyed {expected} ({ios}: {keys})",
    "only": "{io} {key!r} is not allowed (allowed: {expected})",
    "dtype": "{io} {key!r} is {dtype}, expected {expected}",
    "rank": "{io} {key!r} has shape {shape}, expected rank {expected}",
    "shape": "{io} {key!r} has shape {shape}, expected {expected}",
    "same-dim": "{first_key!r} and {second_key!r} disagree on dimension {dim}: {first} vs. {second}",
}


# --------------------------------------------------------------------------------------------
# Compiling a pack document (already schema-valid for user packs)


_MAP_KINDS = ("count", "require", "any-of", "only")
_TENSOR_KINDS = ("dtype", "rank", "shape", "same-dim")
_SEVERITIES = {s.value: s for s in Severity}


def compile_pack(document: Any, file: str, *, core: bool = False) -> Pack:
    """A Pack from a parsed pack document; raises PackError naming `file` and the JSON path."""
    compiler = _Compiler(file, core)
    return compiler.pack(document)


class _Compiler:
    def __init__(self, file: str, core: bool) -> None:
        self.file = file
        self.core = core

    def fail(self, at: Sequence[int | str], message: str) -> PackError:
        return PackError(f"{self.file}: {json_path(at)}: {message}")

    def pack(self, document: Any) -> Pack:
        if not isinstance(document, dict):
            raise self.fail((), "a pack is a table/object with `name` and `contracts`")
        name = document.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(("name",), "required: the pack's name")
        contracts = document.get("contracts")
        if not isinstance(contracts, list) or not contracts:
            raise self.fail(("contracts",), "required: a non-empty list of contracts")
        compiled = tuple(self.contract(name, c, ("contracts", i)) for i, c in enumerate(contracts))
        seen: set[str] = set()
        for index, contract in enumerate(compiled):
            if contract.name in seen:
                raise self.fail(("contracts", index, "name"), f"two contracts named {contract.name!r}")
            seen.add(contract.name)
        return Pack(name, self.file, compiled, str(document.get("description", "")))

    def contract(self, pack: str, doc: Mapping[str, Any], at: tuple[int | str, ...]) -> Contract:
        name = doc.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(at + ("name",), "required: the contract's name")
        select = doc.get("select", [])
        selectors = tuple(
            self.selector(s, at + (("select", i) if isinstance(select, list) else ("select",)))
            for i, s in enumerate(select if isinstance(select, list) else [select])
        )
        intent = doc.get("intent")
        if intent is not None and any(s.intents is not None for s in selectors):
            raise self.fail(at + ("intent",), "a contract that declares an intent cannot select by intents")
        severity = self.severity(doc.get("severity", "error"), at + ("severity",))
        required = doc.get("required", False)
        required_from = (required["min-signatures"] if isinstance(required, dict) else 0) if required else None
        if required_from is not None and any(s.intents is not None for s in selectors):
            raise self.fail(at + ("required",), "a required contract cannot select by intents")
        forbidden = bool(doc.get("forbidden", False))
        if forbidden and required_from is not None:
            raise self.fail(at + ("forbidden",), "a contract cannot be both required and forbidden")
        if forbidden and not selectors:
            raise self.fail(at + ("forbidden",), "a forbidden contract needs `select`")
        checks = tuple(self.check(c, at + ("checks", i)) for i, c in enumerate(doc.get("checks", ())))
        checks += self.shorthand(doc, at)
        if forbidden and checks:
            raise self.fail(at + ("forbidden",), "a forbidden contract has no checks: every selected signature is a finding")
        message = doc.get("message")
        if message is not None:
            if required_from is None and not forbidden:
                raise self.fail(at + ("message",), "only a `required` or `forbidden` contract has a message")
            self.template(message, "required" if required_from is not None else "forbidden", at + ("message",))
        same_as = doc.get("same-as", ())
        same_as_message = None
        if isinstance(same_as, dict):
            same_as_message = same_as.get("message")
            if same_as_message is not None:
                self.template(same_as_message, "same-as", at + ("same-as", "message"))
            same_as = same_as.get("keys", ())
        if self.core:
            for key in ("required", "forbidden", "same-as", "intent", "inputs", "outputs"):
                if key in doc:
                    raise self.fail(at + (key,), f"the {CORE_PACK} pack states its contracts as `checks` with a `rule`")
        return Contract(
            pack=pack, name=name, path=json_path(at), select=selectors, intent=intent, severity=severity,
            checks=checks, required_from=required_from, forbidden=forbidden,
            same_as=tuple(same_as), message=message, same_as_message=same_as_message,
            description=str(doc.get("description", "")), source=_sources(doc.get("source")),
        )

    def selector(self, doc: Mapping[str, Any], at: tuple[int | str, ...]) -> Selector:
        if not isinstance(doc, dict) or not doc:
            raise self.fail(at, "a selector needs keys, methods or intents")
        for intent in doc.get("intents", ()):
            if intent not in INTENTS:
                raise self.fail(at + ("intents",), f"{intent!r} is not one of {list(INTENTS)}")

        def field(name: str) -> tuple[str, ...] | None:
            return tuple(doc[name]) if name in doc else None

        return Selector(keys=field("keys"), methods=field("methods"), intents=field("intents"))

    def severity(self, value: Any, at: tuple[int | str, ...]) -> tuple[Severity, Severity]:
        if isinstance(value, dict):
            return (self.one_severity(value.get("tf"), at + ("tf",)), self.one_severity(value.get("tfrt"), at + ("tfrt",)))
        severity = self.one_severity(value, at)
        return severity, severity

    def one_severity(self, value: Any, at: tuple[int | str, ...]) -> Severity:
        if value not in _SEVERITIES:
            raise self.fail(at, f"{value!r} is not one of ['error', 'warning', 'info']")
        return _SEVERITIES[value]

    def check(self, doc: Mapping[str, Any], at: tuple[int | str, ...]) -> Check:
        subjects = [key for key in ("inputs", "outputs", "tensors") if key in doc]
        if len(subjects) != 1:
            raise self.fail(at, "a check needs exactly one of `inputs`, `outputs` or `tensors`")
        subject = subjects[0]
        rule = doc.get("rule")
        if self.core and rule is None:
            raise self.fail(at, f"every check of the {CORE_PACK} pack names its `rule`")
        if not self.core and rule is not None:
            raise self.fail(at + ("rule",), f"only the bundled {CORE_PACK} pack maps checks to rule codes; other packs' findings are SIG601")
        io: str | None = None
        keys: tuple[str, ...] | None = None
        if subject == "tensors":
            selector = doc["tensors"]
            io = {"input": "input", "output": "output"}.get(selector.get("io", "any"))
            keys = tuple(selector["keys"]) if "keys" in selector else None
            kinds = [kind for kind in _TENSOR_KINDS if kind in doc]
            if len(kinds) != 1:
                raise self.fail(at, "a `tensors` check needs exactly one of `dtype`, `rank`, `shape` or `same-dim`")
            kind = kinds[0]
            value = self.tensor_value(kind, doc[kind], at + (kind,))
            conditions = self.tensor_conditions(doc.get("if", {}), at + ("if",))
        else:
            for kind in _TENSOR_KINDS + ("exact-dtype",):
                if kind in doc:
                    raise self.fail(at + (kind,), f"`{kind}` goes with `tensors`, not `{subject}`")
            kinds = list(doc[subject])
            if len(kinds) != 1 or kinds[0] not in _MAP_KINDS:
                raise self.fail(at + (subject,), "needs exactly one of `count`, `require`, `any-of` or `only`")
            kind = kinds[0]
            value = self.map_value(kind, doc[subject][kind], at + (subject, kind))
            conditions = self.map_conditions(doc.get("if", {}), at + ("if",))
        for field in ("message", "expected", "actual"):
            if field in doc:
                self.template(doc[field], kind, at + (field,))
        profile = doc.get("profile", {})
        return Check(
            path=json_path(at), subject=subject, kind=kind, value=value, io=io, keys=keys,
            conditions=conditions, exact_dtype=bool(doc.get("exact-dtype", False)),
            profile=tuple((k.replace("-", "_"), v) for k, v in profile.items()),
            severity=self.severity(doc["severity"], at + ("severity",)) if "severity" in doc else None,
            message=doc.get("message"), expected=doc.get("expected"), actual=doc.get("actual"),
            rule=rule, source=_sources(doc.get("source")),
        )

    def map_value(self, kind: str, value: Any, at: tuple[int | str, ...]) -> Any:
        if kind == "count":
            return self.bounds(value, at)
        if not isinstance(value, list) or not value or not all(isinstance(k, str) and k for k in value):
            raise self.fail(at, "expected a non-empty list of keys")
        return tuple(value)

    def map_conditions(self, doc: Any, at: tuple[int | str, ...]) -> tuple[tuple[str, Any], ...]:
        if not isinstance(doc, dict):
            raise self.fail(at, "expected a table/object")
        for kind in doc:
            if kind not in _MAP_KINDS:
                raise self.fail(at + (kind,), f"unknown condition for a map check (one of {list(_MAP_KINDS)})")
        return tuple((kind, self.map_value(kind, value, at + (kind,))) for kind, value in doc.items())

    def tensor_conditions(self, doc: Any, at: tuple[int | str, ...]) -> tuple[tuple[str, Any], ...]:
        if not isinstance(doc, dict):
            raise self.fail(at, "expected a table/object")
        for kind in doc:
            if kind not in ("dtype", "rank", "shape"):
                raise self.fail(at + (kind,), "unknown condition for a tensors check (one of ['dtype', 'rank', 'shape'])")
        return tuple((kind, self.tensor_value(kind, value, at + (kind,))) for kind, value in doc.items())

    def tensor_value(self, kind: str, value: Any, at: tuple[int | str, ...]) -> Any:
        if kind == "dtype":
            return self.dtypes(value, at)
        if kind == "rank":
            return self.bounds(value, at)
        if kind == "shape":
            return self.shapes(value, at)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:  # same-dim
            raise self.fail(at, "expected a dimension index (0 or more)")
        return value

    def bounds(self, value: Any, at: tuple[int | str, ...]) -> Bounds:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return Bounds(value, value)
        if isinstance(value, dict) and value and set(value) <= {"min", "max"}:
            low, high = value.get("min"), value.get("max")
            if low is not None and high is not None and low > high:
                raise self.fail(at, f"min {low} is more than max {high}")
            return Bounds(low, high)
        raise self.fail(at, "expected a number (0 or more) or {min, max}")

    def dtypes(self, value: Any, at: tuple[int | str, ...]) -> Dtypes:
        negated = isinstance(value, dict)
        names = value["not"] if negated else ([value] if isinstance(value, str) else value)
        numbers = []
        for index, name in enumerate(names):
            if name not in DTYPE_NUMBERS:
                where = at + (("not", index) if negated else (index,) if isinstance(value, list) else ())
                raise self.fail(where, f"unknown dtype {name!r} (DT_FLOAT, DT_STRING, DT_INT64, ...)")
            numbers.append(DTYPE_NUMBERS[name])
        if negated:
            text = "not " + ", ".join(names)
        else:
            text = names[0] if len(names) == 1 else "one of " + ", ".join(names)
        return Dtypes(frozenset(numbers), negated, text)

    def shapes(self, value: Any, at: tuple[int | str, ...]) -> Shapes:
        patterns = value["one-of"] if isinstance(value, dict) else [value]
        compiled = []
        for index, pattern in enumerate(patterns):
            where = at + (("one-of", index) if isinstance(value, dict) else ())
            if pattern.count("...") > 1:
                raise self.fail(where, "at most one \"...\" in a shape")
            compiled.append(tuple(pattern))
        return Shapes(tuple(compiled))

    def template(self, template: str, kind: str, at: tuple[int | str, ...]) -> None:
        known = VARIABLES[kind]
        for name in _placeholders(template):
            if name is None:
                raise self.fail(at, "a lone { or } (write {{ or }} for a brace)")
            if name not in known and not (kind in _TENSOR_KINDS and _DIM.fullmatch(name)):
                raise self.fail(at, f"unknown placeholder {{{name}}} (known: {', '.join(known)})")

    def shorthand(self, doc: Mapping[str, Any], at: tuple[int | str, ...]) -> tuple[Check, ...]:
        """`inputs`/`outputs` tensor specs and `allow-extra-*` as the checks they stand for."""
        checks: list[Check] = []
        for subject, io in (("inputs", "input"), ("outputs", "output")):
            specs = doc.get(subject, {})
            where = json_path(at + (subject,))
            required = tuple(key for key, spec in specs.items() if not spec.get("optional", False))
            if required:
                checks.append(Check(where, subject, "require", required))
            for key, spec in specs.items():
                for kind in ("dtype", "rank", "shape"):
                    if kind in spec:
                        value = self.tensor_value(kind, spec[kind], at + (subject, key, kind))
                        checks.append(Check(json_path(at + (subject, key)), "tensors", kind, value, io=io, keys=(key,)))
            if doc.get(f"allow-extra-{subject}", True) is False:
                checks.append(Check(json_path(at + (f"allow-extra-{subject}",)), subject, "only", tuple(specs)))
        return tuple(checks)


def _sources(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def describe(pack: Pack) -> str:
    """`siglint contracts`: a pack's contracts, what each selects and where it comes from."""
    lines = [f"{pack.name} ({pack.file})"]
    if pack.description:
        lines.append(f"  {pack.description}")
    for contract in pack.contracts:
        traits = [f"signatures {contract.selector_text}" if contract.select else "every served signature"]
        if contract.required_from == 0:
            traits.append("required")
        elif contract.required_from is not None:
            traits.append(f"required when there are {contract.required_from} or more signatures")
        if contract.forbidden:
            traits.append("forbidden")
        if contract.intent:
            traits.append(f"served by {contract.intent}")
        if contract.same_as:
            traits.append("same as " + " or ".join(repr(k) for k in contract.same_as))
        count = len(contract.checks)
        traits.append(f"{count} check{'' if count == 1 else 's'}")
        lines.append(f"  - {contract.title}: {', '.join(traits)}")
        if contract.description:
            lines.append(f"      {contract.description}")
        for source in contract.source:
            lines.append(f"      source: {source}")
    return "\n".join(lines) + "\n\n"


# --------------------------------------------------------------------------------------------
# Finding and reading packs


def packs_folder() -> str:
    """The folder of the bundled packs and schema: the project's top-level rules/, which the
    wheel (and an editable install) maps to the package `siglint.packs`. In a plain checkout,
    run without installing, there is no such package: the checkout's rules/ beside siglint/."""
    import importlib.util

    spec = importlib.util.find_spec("siglint.packs")
    if spec is not None and spec.submodule_search_locations:
        return list(spec.submodule_search_locations)[0]
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules")


def _read_bundled(name: str) -> Any:
    with open(os.path.join(packs_folder(), f"{name}.json"), encoding="utf-8") as stream:
        return json.load(stream)


_CORE: list[Pack] = []


def core_pack() -> Pack:
    """The bundled tf-serving pack, compiled once per process (validated by the tests)."""
    if not _CORE:
        _CORE.append(compile_pack(_read_bundled(CORE_PACK), f"{CORE_PACK}.json", core=True))
    return _CORE[0]


def bundled_pack(name: str) -> Pack:
    if name == CORE_PACK:
        raise PackError(f"{name}: the {CORE_PACK} pack is always on (its findings are the core rules)")
    return compile_pack(_read_bundled(name), f"{name}.json")


def load_pack(reference: str, relative_to: str = ".") -> Pack:
    """A bundled pack by name (`tf-ranking`), or a user's pack file (.json, .toml, .yaml/.yml;
    a relative path is taken from `relative_to`), validated against rules/schema.json."""
    if reference in BUNDLED_PACKS:
        return bundled_pack(reference)
    path = reference if os.path.isabs(reference) else os.path.normpath(os.path.join(relative_to, reference))
    document = read_document(path)
    validate(document, path)
    return compile_pack(document, path)


def read_document(path: str) -> Any:
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in PACK_SUFFIXES:
        names = ", ".join(b for b in BUNDLED_PACKS if b != CORE_PACK)
        raise PackError(f"{path}: not a pack file (.json, .toml, .yaml or .yml) nor a bundled pack ({names})")
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except IsADirectoryError:
        raise PackError(f"{path}: is a folder, not a pack file") from None
    except OSError as error:
        raise PackError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PackError(f"{path}: not UTF-8 text: {error.reason} at byte {error.start}") from None
    return _PARSERS[suffix](path, text)


def _reject_duplicates(path: str) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        for key in keys:
            if keys.count(key) > 1:
                raise PackError(f"{path}: duplicate key {key!r}")
        return dict(pairs)

    return hook


def _parse_json(path: str, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates(path))
    except json.JSONDecodeError as error:
        raise PackError(f"{path}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None


def _parse_toml(path: str, text: str) -> Any:
    from siglint import _toml

    try:
        return _toml.loads(text)
    except _toml.TOMLError as error:
        raise PackError(f"{path}: not valid TOML: {error}") from None


def _parse_yaml(path: str, text: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise PackError(f"{path}: reading a YAML pack needs PyYAML: pip install 'siglint[yaml]'") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PackError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None


_PARSERS: dict[str, Callable[[str, str], Any]] = {
    ".json": _parse_json, ".toml": _parse_toml, ".yaml": _parse_yaml, ".yml": _parse_yaml,
}


def schema() -> Any:
    with open(os.path.join(packs_folder(), "schema.json"), encoding="utf-8") as stream:
        return json.load(stream)


def validate(document: Any, path: str) -> None:
    """Raise PackError for the most relevant way `document` breaks rules/schema.json."""
    error = first_error(schema(), document)
    if error is not None:
        raise PackError(f"{path}: {error}")
