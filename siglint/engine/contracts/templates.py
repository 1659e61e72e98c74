"""Message templates of contract packs: `{name}` or `{name!r}` placeholders, `{{` and `}}` for
braces, no attribute or index access. The compiler checks every placeholder against VARIABLES
when a pack is read, so rendering never fails."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from siglint.engine.contracts.records import Kind

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(!r)?\}|[{}]")


def render(template: str, variables: Mapping[str, Any]) -> str:
    def substitute(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in ("{{", "}}"):
            return text[0]
        value = variables.get(match.group(1), "?")
        return repr(value) if match.group(2) else str(value)

    return _PLACEHOLDER.sub(substitute, template)


def placeholders(template: str) -> Iterator[str | None]:
    """Each placeholder's name; None for a stray brace."""
    for match in _PLACEHOLDER.finditer(template):
        if match.group(0) in ("{{", "}}"):
            continue
        yield match.group(1)


_COMMON = ("signature", "method", "contract", "pack", "expected", "actual")
_MAP = _COMMON + ("io", "ios", "count", "keys")
_TENSOR = _COMMON + ("io", "key", "dtype", "tf_type", "shape", "rank")
# The placeholders each kind of message may use: a check's kind, or a contract's own messages.
VARIABLES: dict[Kind | str, tuple[str, ...]] = {
    Kind.COUNT: _MAP,
    Kind.REQUIRE: _MAP + ("key",),
    Kind.ANY_OF: _MAP,
    Kind.ONLY: _MAP + ("key",),
    Kind.DTYPE: _TENSOR,
    Kind.RANK: _TENSOR,
    Kind.SHAPE: _TENSOR,
    Kind.SAME_DIM: _COMMON + ("dim", "first_key", "first", "second_key", "second"),
    "required": ("contract", "pack", "selector", "count"),
    "forbidden": ("signature", "method", "contract", "pack"),
    "same-as": ("signature", "contract", "pack", "targets"),
}
DIM = re.compile(r"dim[0-9]+")  # {dim0}, {dim1}, ...: a tensor's sizes

DEFAULT_MESSAGES = {
    Kind.COUNT: "signature has {count} {ios}, expected {expected}",
    Kind.REQUIRE: "no {io} keyed {key!r} ({ios}: {keys})",
    Kind.ANY_OF: "no {io} keyed {expected} ({ios}: {keys})",
    Kind.ONLY: "{io} {key!r} is not allowed (allowed: {expected})",
    Kind.DTYPE: "{io} {key!r} is {dtype}, expected {expected}",
    Kind.RANK: "{io} {key!r} has shape {shape}, expected rank {expected}",
    Kind.SHAPE: "{io} {key!r} has shape {shape}, expected {expected}",
    Kind.SAME_DIM: "{first_key!r} and {second_key!r} disagree on dimension {dim}: {first} vs. {second}",
}


