"""Text from models (keys, names, paths) made safe for each kind of output: `printable` for
whatever a person reads (a terminal, a CI log, a code-scanning page), and only what XML 1.0
allows in the JUnit report. Machine formats (JSON) keep the text as it is: JSON escapes it."""

from __future__ import annotations

from siglint.findings import printable

__all__ = ["printable", "xml_text"]

_NOT_XML = {0xFFFE: "\\ufffe", 0xFFFF: "\\uffff"}


def xml_text(text: str) -> str:
    """Each line of `text` printable, its newlines kept (XML allows them), and the two
    non-characters XML 1.0 also forbids escaped."""
    return "\n".join(printable(line) for line in text.split("\n")).translate(_NOT_XML)
