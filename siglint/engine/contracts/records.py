"""The compiled form of a contract pack: small frozen records, picklable so that packs travel
to worker processes. `compiler` builds them from a pack document, `evaluate` applies them."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, NamedTuple

from siglint.engine.profile import RUNTIMES
from siglint.findings import Severity
from siglint.model.view import SignatureView

CORE_PACK = "tf-serving"
BUNDLED_PACKS = ("tf-serving", "tf-ranking", "keras-export")
INTENTS = ("classify", "regress", "predict")


class PackError(ValueError):
    """A pack siglint cannot use: the message names the file and the JSON path at fault."""


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
        if self.keys is not None and not any(_key_matches(signature.key, k) for k in self.keys):
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


def _key_matches(key: str, pattern: str) -> bool:
    """`pattern` with fnmatch's wildcards (case-sensitive), matched in linear time."""
    if not any(c in pattern for c in "*?["):
        return key == pattern
    from siglint.engine.globs import name_glob

    return name_glob(pattern).matches(key)


class Subject(enum.Enum):
    """What a check constrains: the keys of the inputs or outputs map, or some tensors."""

    INPUTS = "inputs"
    OUTPUTS = "outputs"
    TENSORS = "tensors"


class Kind(enum.Enum):
    """The constraint: on a map's keys (the first four) or on tensors (the rest)."""

    COUNT = "count"
    REQUIRE = "require"
    ANY_OF = "any-of"
    ONLY = "only"
    DTYPE = "dtype"
    RANK = "rank"
    SHAPE = "shape"
    SAME_DIM = "same-dim"


MAP_KINDS = (Kind.COUNT, Kind.REQUIRE, Kind.ANY_OF, Kind.ONLY)
TENSOR_KINDS = (Kind.DTYPE, Kind.RANK, Kind.SHAPE, Kind.SAME_DIM)
CONDITION_TENSOR_KINDS = (Kind.DTYPE, Kind.RANK, Kind.SHAPE)


class RuntimeSeverity(NamedTuple):
    """A severity for each servable runtime (`--runtime`)."""

    by_runtime: tuple[tuple[str, Severity], ...]

    @classmethod
    def same(cls, severity: Severity) -> RuntimeSeverity:
        return cls(tuple((runtime, severity) for runtime in RUNTIMES))

    def on(self, runtime: str) -> Severity:
        return next(severity for name, severity in self.by_runtime if name == runtime)


class Check(NamedTuple):
    """One constraint on a signature's inputs or outputs map, or on some of its tensors."""

    path: str  # JSON path in the pack, e.g. contracts[0].checks[3]
    subject: Subject
    kind: Kind
    value: Any  # Bounds | tuple[str, ...] | Dtypes | Shapes | int
    io: str | None = None  # tensors: "input", "output" or None (any)
    keys: tuple[str, ...] | None = None  # tensors: None: every tensor of that io
    conditions: tuple[tuple[Kind, Any], ...] = ()  # (kind, value) that must hold ("if")
    exact_dtype: bool = False
    profile: tuple[tuple[str, Any], ...] = ()  # (Profile field, value) the check runs under
    severity: RuntimeSeverity | None = None  # None: the contract's
    message: str | None = None
    expected: str | None = None
    actual: str | None = None
    rule: str | None = None
    source: tuple[str, ...] = ()

    @property
    def on_keys(self) -> bool:
        """A check of a map's keys (not of tensors)."""
        return self.subject is not Subject.TENSORS


class Required(NamedTuple):
    """A `required` contract: a served signature must match its selector, once the MetaGraphDef
    has at least `min_signatures` served signatures (0: always, even with none)."""

    min_signatures: int = 0


class Contract(NamedTuple):
    pack: str
    name: str
    path: str
    select: tuple[Selector, ...] = ()  # empty: every served signature; else any of them
    intent: str | None = None
    severity: RuntimeSeverity = RuntimeSeverity.same(Severity.ERROR)
    checks: tuple[Check, ...] = ()
    required: Required | None = None
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
        if signature.is_op_signature:
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

    def contract(self, name: str) -> Contract:
        return next(c for c in self.contracts if c.name == name)
