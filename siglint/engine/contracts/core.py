"""The bundled tf-serving pack: TF Serving's Classify, Regress and Predict contracts, the one
place they are stated. The core rules SIG3xx, SIG4xx and SIG5xx give the findings of its checks
(each check names its rule), and the intent a TF2 signature's keys are shaped for is read from
it too: a signature is shaped for Classify or Regress when it meets that contract's key checks
and the dtype of its input.

The pack is compiled ahead of time into `core_compiled.py` (`python -m
siglint.engine.contracts.core` writes it), so that checking a model neither parses JSON nor
compiles: a start-up cost. The compiled form records the size and CRC-32 of the JSON it was made
from; if the bundled JSON differs (an edited copy), it is compiled from the JSON as it is, so the
JSON stays the source of truth.
"""

from __future__ import annotations

import enum
import importlib
import os
import zlib
from typing import Any

from siglint.engine.contracts.evaluate import holds
from siglint.engine.contracts.records import CORE_PACK, Check, Contract, Kind, Pack, Subject
from siglint.engine.intent import Intent
from siglint.model.view import SignatureView

_CORE: list[Pack] = []


def _bundled_json() -> bytes:
    """The bytes of rules/tf-serving.json, from the packs folder (siglint.packs, or a checkout's
    rules/)."""
    try:
        folder = os.path.dirname(importlib.import_module("siglint.packs").__file__ or "")
    except ModuleNotFoundError:  # a plain checkout: rules/ beside siglint/
        from siglint.engine.contracts.packs import packs_folder

        folder = packs_folder()
    with open(os.path.join(folder, f"{CORE_PACK}.json"), "rb") as stream:
        return stream.read()


def _digest(data: bytes) -> tuple[int, int]:
    return len(data), zlib.crc32(data)


def core_pack() -> Pack:
    """The bundled tf-serving pack, once per process (validated by the tests)."""
    if not _CORE:
        data = _bundled_json()
        from siglint.engine.contracts import core_compiled

        if core_compiled.SOURCE == _digest(data):
            _CORE.append(core_compiled.PACK)
        else:
            _CORE.append(_compile(data))
    return _CORE[0]


def _compile(data: bytes) -> Pack:
    import json

    from siglint.engine.contracts.compiler import compile_pack

    return compile_pack(json.loads(data), f"{CORE_PACK}.json", core=True)


def _shape_checks(contract: Contract) -> tuple[Check, ...]:
    """What makes a signature look made for `contract`: its checks of the keys, and of the
    dtype of its inputs."""
    return tuple(
        check for check in contract.checks
        if check.on_keys or (check.kind is Kind.DTYPE and check.io == "input" and check.subject is Subject.TENSORS)
    )


def shaped_for(signature: SignatureView) -> Intent | None:
    """CLASSIFY or REGRESS when `signature` has exactly that contract's keys and an input of
    serialized Examples (DT_STRING), else None. A numeric `inputs` -> `outputs` signature is an
    ordinary Predict signature with generic key names (old predict_signature_def wrote those)."""
    if not _SHAPES:
        pack = core_pack()
        _SHAPES.extend((intent, _shape_checks(pack.contract(intent.value))) for intent in (Intent.CLASSIFY, Intent.REGRESS))
    for intent, checks in _SHAPES:
        if all(holds(check, signature) for check in checks):
            return intent
    return None


_SHAPES: list[tuple[Intent, tuple[Check, ...]]] = []  # per intent, its contract's shape checks


# --------------------------------------------------------------------------------------------
# The compiled form, as Python


def compiled_module() -> str:
    """The text of core_compiled.py for the bundled JSON as it is now."""
    data = _bundled_json()
    return _MODULE.format(source=_digest(data), pack=_literal(_compile(data), 1))


def _literal(value: Any, depth: int) -> str:
    """`value` (records, enums, tuples, frozensets, plain values) as a Python expression,
    broken over lines, indented by `depth` levels, where one line would be long."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, frozenset):
        return f"frozenset({{{', '.join(sorted(_literal(v, depth) for v in value))}}})" if value else "frozenset()"
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        defaults = type(value)._field_defaults
        parts = [
            f"{field}={_literal(item, depth + 1)}"
            for field, item in zip(value._fields, value)
            if field not in defaults or item != defaults[field]
        ]
        return _wrap(f"{type(value).__name__}(", parts, ")", depth)
    if isinstance(value, tuple):
        parts = [_literal(item, depth + 1) for item in value]
        return _wrap("(", parts, ",)" if len(parts) == 1 else ")", depth)
    return repr(value)


def _wrap(opening: str, parts: list[str], closing: str, depth: int) -> str:
    """One line for a short value, and for every value below a contract's checks (a check per
    line); otherwise a part per line."""
    line = opening + ", ".join(parts) + closing
    if "\n" not in line and (depth > 4 or len(line) + 4 * depth <= 96):
        return line
    inner = "    " * depth
    return opening + "\n" + "".join(f"{inner}{part},\n" for part in parts) + "    " * (depth - 1) + closing.lstrip(",")


_MODULE = '''# ruff: noqa: E501
"""The bundled tf-serving pack (rules/tf-serving.json), compiled.

Generated by `python -m siglint.engine.contracts.core`; do not edit. SOURCE is the size and CRC-32
of the JSON it was made from (`siglint.engine.contracts.core` compiles the JSON instead when they
differ).
"""

from __future__ import annotations

from siglint.engine.contracts.records import (
    Bounds,
    Check,
    Contract,
    Dtypes,
    Kind,
    Pack,
    RuntimeSeverity,
    Selector,
    Shapes,
    Subject,
)
from siglint.findings import Severity

SOURCE = {source}
PACK = {pack}
'''


if __name__ == "__main__":
    with open(os.path.join(os.path.dirname(__file__), "core_compiled.py"), "w", encoding="utf-8") as stream:
        stream.write(compiled_module())
