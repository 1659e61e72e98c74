"""Compiling a pack document into records. The document's structure is rules/schema.json's
business: a user's pack is validated against it before it gets here (`packs.load_pack`), and
the bundled packs are validated by the tests. What a JSON Schema cannot say is checked here:
names that must be unique, dtype names, `if` conditions that must suit the check, templates'
placeholders, shapes with two `...`, bounds the wrong way round, and contracts whose keys
contradict each other. Each problem is a PackError naming the file and the JSON path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from siglint.engine.contracts.records import (
    CONDITION_TENSOR_KINDS,
    CORE_PACK,
    MAP_KINDS,
    TENSOR_KINDS,
    Bounds,
    Check,
    Contract,
    Dtypes,
    Kind,
    Pack,
    PackError,
    Required,
    RuntimeSeverity,
    Selector,
    Shapes,
    Subject,
)
from siglint.engine.contracts.templates import DIM, VARIABLES, placeholders
from siglint.findings import Severity, printable
from siglint.io.documents import json_path
from siglint.io.quoting import bounded
from siglint.savedmodel.dtypes import DTYPE_NUMBERS

At = tuple[int | str, ...]


def compile_pack(document: Any, file: str, *, core: bool = False) -> Pack:
    """A Pack from a schema-valid pack document; raises PackError naming `file` and the JSON
    path. `core` is the bundled tf-serving pack, whose checks give the core rules' findings."""
    return _Compiler(file, core).pack(document)


class _Compiler:
    def __init__(self, file: str, core: bool) -> None:
        self.file = file
        self.core = core

    def fail(self, at: Sequence[int | str], message: str) -> PackError:
        # The message may quote the pack (a name, a placeholder): bounded, on one line.
        return PackError(f"{self.file}: {json_path(at)}: {printable(bounded(message, 600))}")

    def pack(self, document: Mapping[str, Any]) -> Pack:
        name = document["name"]
        compiled = tuple(self.contract(name, c, ("contracts", i)) for i, c in enumerate(document["contracts"]))
        seen: set[str] = set()
        for index, contract in enumerate(compiled):
            if contract.name in seen:
                raise self.fail(("contracts", index, "name"), f"two contracts named {contract.name!r}")
            seen.add(contract.name)
        return Pack(name, self.file, compiled, str(document.get("description", "")))

    def contract(self, pack: str, doc: Mapping[str, Any], at: At) -> Contract:
        select = doc.get("select", [])
        selectors = tuple(
            self.selector(s) for s in (select if isinstance(select, list) else [select])
        )
        intent = doc.get("intent")
        if intent is not None and any(s.intents is not None for s in selectors):
            raise self.fail(at + ("intent",), "a contract that declares an intent cannot select by intents")
        severity = self.severity(doc.get("severity", "error"))
        required = self.required(doc.get("required", False))
        if required is not None and any(s.intents is not None for s in selectors):
            raise self.fail(at + ("required",), "a required contract cannot select by intents")
        forbidden = bool(doc.get("forbidden", False))
        if forbidden and required is not None:
            raise self.fail(at + ("forbidden",), "a contract cannot be both required and forbidden")
        if forbidden and not selectors:
            raise self.fail(at + ("forbidden",), "a forbidden contract needs `select`")
        checks = tuple(self.check(c, at + ("checks", i)) for i, c in enumerate(doc.get("checks", ())))
        checks += self.shorthand(doc, at)
        if forbidden and checks:
            raise self.fail(at + ("forbidden",), "a forbidden contract has no checks: every selected signature is a finding")
        message = doc.get("message")
        if message is not None:
            if required is None and not forbidden:
                raise self.fail(at + ("message",), "only a `required` or `forbidden` contract has a message")
            self.template(message, "required" if required is not None else "forbidden", at + ("message",))
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
            pack=pack, name=doc["name"], path=json_path(at), select=selectors, intent=intent, severity=severity,
            checks=checks, required=required, forbidden=forbidden,
            same_as=tuple(same_as), message=message, same_as_message=same_as_message,
            description=str(doc.get("description", "")), source=_sources(doc.get("source")),
        )

    def selector(self, doc: Mapping[str, Any]) -> Selector:
        def field(name: str) -> tuple[str, ...] | None:
            return tuple(doc[name]) if name in doc else None

        return Selector(keys=field("keys"), methods=field("methods"), intents=field("intents"))

    def severity(self, value: Any) -> RuntimeSeverity:
        if isinstance(value, dict):
            return RuntimeSeverity(tuple((runtime, Severity(level)) for runtime, level in value.items()))
        return RuntimeSeverity.same(Severity(value))

    def required(self, value: Any) -> Required | None:
        if value is False:
            return None
        return Required(value["min-signatures"]) if isinstance(value, dict) else Required()

    def check(self, doc: Mapping[str, Any], at: At) -> Check:
        subject = next(Subject(key) for key in ("inputs", "outputs", "tensors") if key in doc)
        rule = doc.get("rule")
        if self.core and rule is None:
            raise self.fail(at, f"every check of the {CORE_PACK} pack names its `rule`")
        if not self.core and rule is not None:
            raise self.fail(at + ("rule",), f"only the bundled {CORE_PACK} pack maps checks to rule codes; other packs' findings are SIG601")
        io: str | None = None
        keys: tuple[str, ...] | None = None
        if subject is Subject.TENSORS:
            selector = doc["tensors"]
            io = {"input": "input", "output": "output"}.get(selector.get("io", "any"))
            keys = tuple(selector["keys"]) if "keys" in selector else None
            kinds = [kind for kind in TENSOR_KINDS if kind.value in doc]
            if len(kinds) != 1:
                raise self.fail(at, "a `tensors` check needs exactly one of `dtype`, `rank`, `shape` or `same-dim`")
            kind = kinds[0]
            value = self.tensor_value(kind, doc[kind.value], at + (kind.value,))
            conditions = self.conditions(doc.get("if", {}), CONDITION_TENSOR_KINDS, "a tensors check", at + ("if",))
        else:
            for tensor_kind in (*TENSOR_KINDS, "exact-dtype"):
                name = getattr(tensor_kind, "value", tensor_kind)
                if name in doc:
                    raise self.fail(at + (name,), f"`{name}` goes with `tensors`, not `{subject.value}`")
            kinds = [Kind(name) for name in doc[subject.value]]
            if len(kinds) != 1:
                raise self.fail(at + (subject.value,), "needs exactly one of `count`, `require`, `any-of` or `only`")
            kind = kinds[0]
            value = self.map_value(kind, doc[subject.value][kind.value], at + (subject.value, kind.value))
            conditions = self.conditions(doc.get("if", {}), MAP_KINDS, "a map check", at + ("if",))
        for field in ("message", "expected", "actual"):
            if field in doc:
                self.template(doc[field], kind, at + (field,))
        profile = doc.get("profile", {})
        return Check(
            path=json_path(at), subject=subject, kind=kind, value=value, io=io, keys=keys,
            conditions=conditions, exact_dtype=bool(doc.get("exact-dtype", False)),
            profile=tuple((k.replace("-", "_"), v) for k, v in profile.items()),
            severity=self.severity(doc["severity"]) if "severity" in doc else None,
            message=doc.get("message"), expected=doc.get("expected"), actual=doc.get("actual"),
            rule=rule, source=_sources(doc.get("source")),
        )

    def map_value(self, kind: Kind, value: Any, at: At) -> Any:
        return self.bounds(value, at) if kind is Kind.COUNT else tuple(value)

    def conditions(
        self, doc: Mapping[str, Any], allowed: tuple[Kind, ...], what: str, at: At
    ) -> tuple[tuple[Kind, Any], ...]:
        """An `if`: conditions of the kinds `allowed` for this check's subject."""
        names = [kind.value for kind in allowed]
        compiled = []
        for name, value in doc.items():
            if name not in names:
                raise self.fail(at + (name,), f"unknown condition for {what} (one of {names})")
            kind = Kind(name)
            where = at + (name,)
            compiled.append((kind, self.map_value(kind, value, where) if kind in MAP_KINDS else self.tensor_value(kind, value, where)))
        return tuple(compiled)

    def tensor_value(self, kind: Kind, value: Any, at: At) -> Any:
        if kind is Kind.DTYPE:
            return self.dtypes(value, at)
        if kind is Kind.RANK:
            return self.bounds(value, at)
        if kind is Kind.SHAPE:
            return self.shapes(value, at)
        return value  # SAME_DIM: a dimension index

    def bounds(self, value: Any, at: At) -> Bounds:
        if isinstance(value, int):
            return Bounds(value, value)
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None and low > high:
            raise self.fail(at, f"min {low} is more than max {high}")
        return Bounds(low, high)

    def dtypes(self, value: Any, at: At) -> Dtypes:
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

    def shapes(self, value: Any, at: At) -> Shapes:
        patterns = value["one-of"] if isinstance(value, dict) else [value]
        compiled = []
        for index, pattern in enumerate(patterns):
            where = at + (("one-of", index) if isinstance(value, dict) else ())
            if pattern.count("...") > 1:
                raise self.fail(where, "at most one \"...\" in a shape")
            compiled.append(tuple(pattern))
        return Shapes(tuple(compiled))

    def template(self, template: str, kind: Kind | str, at: At) -> None:
        known = VARIABLES[kind]
        for name in placeholders(template):
            if name is None:
                raise self.fail(at, "a lone { or } (write {{ or }} for a brace)")
            if name not in known and not (kind in TENSOR_KINDS and DIM.fullmatch(name)):
                raise self.fail(at, f"unknown placeholder {{{name}}} (known: {', '.join(known)})")

    def shorthand(self, doc: Mapping[str, Any], at: At) -> tuple[Check, ...]:
        """`inputs`/`outputs` tensor specs and `allow-extra-*` as the checks they stand for."""
        checks: list[Check] = []
        for subject, io in ((Subject.INPUTS, "input"), (Subject.OUTPUTS, "output")):
            specs = doc.get(subject.value, {})
            where = json_path(at + (subject.value,))
            required = tuple(key for key, spec in specs.items() if not spec.get("optional", False))
            if required:
                checks.append(Check(where, subject, Kind.REQUIRE, required))
            for key, spec in specs.items():
                for kind in CONDITION_TENSOR_KINDS:
                    if kind.value in spec:
                        value = self.tensor_value(kind, spec[kind.value], at + (subject.value, key, kind.value))
                        checks.append(Check(json_path(at + (subject.value, key)), Subject.TENSORS, kind, value, io=io, keys=(key,)))
            if doc.get(f"allow-extra-{subject.value}", True) is False:
                checks.append(Check(json_path(at + (f"allow-extra-{subject.value}",)), subject, Kind.ONLY, tuple(specs)))
        return tuple(checks)


def _sources(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
