"""Quoting input in messages: a message may quote a key, a line or a value from a file, never all
of a stranger's megabytes of it."""

from __future__ import annotations

from collections.abc import Iterable

QUOTE_LIMIT = 300  # characters of input a message quotes


def bounded(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text`, cut to `limit` characters with a note of how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def listed(names: Iterable[str], limit: int = 8) -> str:
    """`a, b, c` in the order given (at most `limit`, then how many more), or `none`."""
    names = list(names)
    if not names:
        return "none"
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
