"""Applying a compiled contract to a signature: the problems each check finds, and those of
`forbidden`, `same-as` and `required` contracts. Every function here is pure."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from siglint.engine.contracts.records import Check, Contract, Kind, Subject
from siglint.engine.contracts.templates import DEFAULT_MESSAGES, render
from siglint.engine.intent import Inference
from siglint.engine.rule import SignatureContext
from siglint.findings import Problem, Severity
from siglint.model.view import SignatureView, TensorView
from siglint.savedmodel.dtypes import base_dtype, type_string


def evaluate(contract: Contract, check: Check, context: SignatureContext) -> Iterator[Problem]:
    """The problems `check` of `contract` finds in the context's signature (the contract is
    assumed to select it)."""
    profile = context.profile
    for field, value in check.profile:
        if getattr(profile, field) != value:
            return
    signature = context.signature
    base: dict[str, Any] = {}
    for variables, tensor, io in found(check, signature):
        if not base:  # the first problem: what every one shares
            severity = (check.severity or contract.severity).on(profile.runtime)
            inference = inferred_through(contract, context)
            if inference is not None and severity is Severity.ERROR:
                severity = Severity.WARNING
            base = {"signature": signature.key or "DEFAULT", "method": signature.method_name,
                    "contract": contract.name, "pack": contract.pack}
        variables = {**base, **variables}
        message = render(check.message or DEFAULT_MESSAGES[check.kind], variables)
        yield Problem(
            message=message if inference is None else f"{message} ({_inferred_note(inference)})",
            tensor=tensor,
            io=io,
            expected=render(check.expected, variables) if check.expected is not None else variables.get("expected"),
            actual=render(check.actual, variables) if check.actual is not None else variables.get("actual"),
            severity=severity,
        )


def inferred_through(contract: Contract, context: SignatureContext) -> Inference | None:
    """The inference that makes `contract` select the signature, when the APIs its method name
    (or a pack) declares do not: its findings are then warnings (Predict serves the signature;
    only a request to the inferred API fails). None when a declared API selects it."""
    if not context.inferred:
        return None
    inferred = {inference.intent for inference in context.inferred}
    if contract.selects(context.signature, context.intents - inferred):
        return None
    return next((i for i in context.inferred if contract.selects(context.signature, (i.intent,))), None)


def _inferred_note(inference: Inference) -> str:
    api = inference.intent.api
    return f"only {api} requests fail: {api} is inferred, {inference.reason}"


Found = Iterator[tuple[dict[str, Any], str | None, str | None]]  # variables, tensor key, io


def found(check: Check, signature: SignatureView) -> Found:
    """Each way `signature` breaks `check`, whatever the profile: the message's variables, and
    the tensor at fault (key and io) where there is one."""
    if check.subject is Subject.TENSORS:
        return _tensor_check(check, signature)
    return _map_check(check, signature)


def _map_check(check: Check, signature: SignatureView) -> Found:
    io = "input" if check.subject is Subject.INPUTS else "output"
    tensors = signature.inputs if check.subject is Subject.INPUTS else signature.outputs
    if not all(_map_holds(kind, value, tensors) for kind, value in check.conditions):
        return
    common: dict[str, Any] = {}
    for key in _map_violations(check.kind, check.value, tensors):
        common = common or {"io": io, "ios": check.subject.value, "count": len(tensors),
                            "keys": ", ".join(tensors) or "none"}
        if check.kind is Kind.COUNT:
            yield {**common, "expected": check.value.text, "actual": str(len(tensors))}, None, None
        elif check.kind is Kind.ONLY:
            yield {**common, "key": key, "expected": ", ".join(check.value) or "none", "actual": key}, key, io
        else:
            expected = key if check.kind is Kind.REQUIRE else " or ".join(check.value)
            yield {**common, "key": key, "expected": expected, "actual": ", ".join(tensors) or None}, None, None


def _map_violations(kind: Kind, value: Any, tensors: Mapping[str, TensorView]) -> Iterator[str | None]:
    """Each way the keys break the constraint: the key at fault (None: the map as a whole)."""
    if kind is Kind.COUNT:
        if len(tensors) not in value:
            yield None
    elif kind is Kind.REQUIRE:
        yield from (key for key in value if key not in tensors)
    elif kind is Kind.ANY_OF:
        if not any(key in tensors for key in value):
            yield None
    else:  # ONLY
        yield from (key for key in tensors if key not in value)


def _map_holds(kind: Kind, value: Any, tensors: Mapping[str, TensorView]) -> bool:
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


def _tensor_holds(kind: Kind, value: Any, tensor: TensorView, exact: bool) -> bool:
    """False only when the tensor is known to break the condition (an unknown rank or size
    breaks nothing)."""
    if kind is Kind.DTYPE:
        return bool(value.allows(_compared_dtype(tensor, exact)))
    if tensor.shape is None:
        return True
    if kind is Kind.RANK:
        return len(tensor.shape) in value
    return bool(value.allows(tensor.shape))  # SHAPE


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
    if check.kind is Kind.SAME_DIM:
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
        actual = tensor.dtype_name if check.kind is Kind.DTYPE else tensor.shape_text
        yield {**variables, "expected": check.value.text, "actual": actual}, tensor.key, io


def same_as_problem(contract: Contract, context: SignatureContext) -> Problem | None:
    """A `same-as` contract: the signature must equal one of the listed signatures that exist."""
    others = [context.siblings[key] for key in contract.same_as if key in context.siblings]
    if not others or any(_structure(other) == _structure(context.signature) for other in others):
        return None
    listed = " or ".join(repr(other.key) for other in others)
    variables = {"signature": context.signature.key or "DEFAULT", "targets": listed,
                 "contract": contract.name, "pack": contract.pack}
    message = contract.same_as_message or "signature {signature!r} is not the same as {targets} (method, keys, dtypes and shapes)"
    return Problem(render(message, variables), expected=listed, actual=context.signature.key,
                   severity=contract.severity.on(context.profile.runtime))


def _structure(signature: SignatureView) -> tuple[Any, ...]:
    def tensors(tensors: Mapping[str, TensorView]) -> tuple[Any, ...]:
        return tuple(sorted((k, t.encoding, t.dtype, t.shape) for k, t in tensors.items()))

    return signature.method_name, tensors(signature.inputs), tensors(signature.outputs)


def forbidden_problem(contract: Contract, context: SignatureContext) -> Problem:
    signature = context.signature
    variables = {"signature": signature.key or "DEFAULT", "method": signature.method_name,
                 "contract": contract.name, "pack": contract.pack}
    message = contract.message or "signature {signature!r} (method {method!r}) must not be served"
    return Problem(render(message, variables), severity=contract.severity.on(context.profile.runtime))


def missing_problem(contract: Contract, signatures: Sequence[SignatureView], runtime: str) -> Problem | None:
    """A `required` contract that no served signature meets (None: met, or not required here)."""
    if contract.required is None:
        return None
    served = [s for s in signatures if not s.is_op_signature]
    if len(served) < contract.required.min_signatures:
        return None
    # A required contract's selectors never use intents (they are inferred per signature).
    if any(contract.selects(signature, ()) for signature in served):
        return None
    variables = {"selector": contract.selector_text, "count": len(served),
                 "contract": contract.name, "pack": contract.pack}
    message = contract.message or "no served signature {selector}"
    return Problem(render(message, variables), expected=contract.selector_text, actual=None,
                   severity=contract.severity.on(runtime))


def holds(check: Check, signature: SignatureView) -> bool:
    """True when `signature` breaks `check` in no way."""
    return not any(True for _ in found(check, signature))

