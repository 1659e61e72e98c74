"""Text from models (keys, names, paths) made safe for each kind of output: one line for a
terminal or a log, no lone surrogates for JSON consumers, only characters XML 1.0 allows."""

from __future__ import annotations

import re

from siglint.findings import one_line

__all__ = ["one_line", "shown", "without_lone_surrogates", "xml_text"]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# What XML 1.0 forbids (and a carriage return, which parsers turn into a newline).
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def shown(character: str) -> str:
    """A character that cannot be written as it is, spelt visibly; a surrogate escape (a byte
    of a path that is not UTF-8) is shown as that byte: `\\xff`."""
    code = ord(character)
    if character == "\r":
        return "\\r"
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def without_lone_surrogates(text: str) -> str:
    return _LONE_SURROGATE.sub(lambda match: shown(match.group()), text)


def xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: shown(match.group()), text)
