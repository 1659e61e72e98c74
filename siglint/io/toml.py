"""The one TOML reader of config files, contract packs and fixture specs: the standard library's
`tomllib` from Python 3.11, the `tomli` backport before it (a dependency there). Imported on
first use, so a run that reads no TOML file never pays for it."""

from __future__ import annotations

import sys
from typing import Any


class TOMLError(ValueError):
    """Text that is not valid TOML; the message says where."""


def loads(text: str | bytes) -> dict[str, Any]:
    """The document `text` holds (bytes must be UTF-8); raises TOMLError."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise TOMLError(f"not UTF-8 text: {error.reason} at byte {error.start}") from None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TOMLError(str(error)) from None
