"""Text format (`saved_model.pbtxt`, text-format SignatureDefs), read as TensorFlow reads it
(`text_format.Parse`: strict, every field name known), in bounded memory.

A `.pbtxt` is mostly graph: node after node, constants as long escaped strings. siglint models
none of that (its schema types those fields as `Opaque`). So the text is streamed once through a
small scanner that follows the message types of siglint's schema and drops the body of every
`Opaque` field (`graph_def { ... }` becomes `graph_def {}`, its newlines kept so that line
numbers stay true), checking only what it drops is well formed: brackets that pair, strings
closed on their line, UTF-8 throughout. Comments are dropped, and a run of over 1024 blanks
becomes one space (or the newlines it held): a column in protobuf's message after such a run
counts from the shortened text. What is left, the modelled text, is parsed by protobuf's
public `text_format.Parse`, which is strict. Memory is the modelled text plus one chunk, and the
longest string being dropped, whatever the file's size; time is linear in it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import Any

from google.protobuf import text_format

from siglint.savedmodel.proto import PACKAGE

ParseError = text_format.ParseError

_CHUNK = 1 << 20
_LONG_BLANKS = 1024  # a run of blanks longer than this is shortened (see the module docstring)
# Outside a string: blanks, a comment, a quote, one punctuation mark, or a run of anything else
# (a name, a number, an enum value). A token that touches the end of the buffer may go on in the
# next chunk, so the scanner stops before it and carries it over.
_TOKEN = re.compile(rb'[ \t\r\n\v\f]+|#[^\n]*|["\']|[{}<>\[\]:,;]|[^ \t\r\n\v\f#"\'{}<>\[\]:,;]+')
# Inside a dropped body: runs of bytes that cannot open, close or quote anything.
_SKIPPABLE = re.compile(rb'[^{}<>\[\]"\'#]+')
_CLOSE = {b"{": b"}", b"<": b">", b"[": b"]"}
# A string's body after its opening quote: plain bytes and backslash escapes, in one C-speed match.
_STRING_BODY = {
    quote: re.compile(rb"[^" + quote + rb"\\\n]*(?:\\[^\n][^" + quote + rb"\\\n]*)*")
    for quote in (b'"', b"'")
}


class _Scanner:
    """Turns the text, fed in chunks, into the modelled text (see the module's docstring)."""

    def __init__(self, message_type: Any) -> None:
        self.kept: list[bytes] = []
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.offset = 0  # bytes consumed before the buffer
        self.line = 1
        self.carry = b""
        # One frame per open bracket: (closing bracket, message descriptor or None, skipping).
        self.stack: list[tuple[bytes, Any, bool]] = [(b"", message_type, False)]
        self.field: str | None = None  # the last name seen where a field name may stand
        self.list_field: list[str | None] = []  # the field of each open `[`
        self.string: bytes | None = None  # the quote of the string being read, if any
        self.escaped = False
        # Set at a mistake in the modelled text: the scanner keeps the offending bytes and stops,
        # so that protobuf, which stops there too, reports it in its own words.
        self.stopped: str | None = None

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.stopped is not None:
            return
        try:
            self.decoder.decode(data, final)
        except UnicodeDecodeError as error:
            raise ParseError(f"not UTF-8 text ({error.reason} at byte {self.offset + len(self.carry) + error.start})") from None
        buffer = self.carry + data
        position = self._scan(buffer, final)
        self.carry = buffer[position:]
        self.offset += position
        if final and self.stopped is None and any(skipping for _, _, skipping in self.stack):
            what = "a string is not closed" if self.string is not None else "a bracket is not closed"
            raise ParseError(f"{self.line}: {what}")

    def _mistake(self, kept: bytes, what: str) -> None:
        """A mistake: raised where protobuf cannot see it (in a dropped body), else left to it."""
        if self.skipping:
            raise ParseError(f"{self.line}: {what}")
        self._keep(kept)
        self.stopped = f"{self.line}: {what}"

    @property
    def skipping(self) -> bool:
        return self.stack[-1][2]

    def _keep(self, piece: bytes) -> None:
        if self.skipping:
            self.kept.append(b"\n" * piece.count(b"\n"))  # line numbers stay true
        else:
            self.kept.append(piece)

    def _scan(self, buffer: bytes, final: bool) -> int:
        position, end = 0, len(buffer)
        while position < end and self.stopped is None:
            if self.string is not None:
                position = self._in_string(buffer, position)
                continue
            if self.skipping:
                run = _SKIPPABLE.match(buffer, position)
                if run:
                    self._keep(run.group())
                    self.line += run.group().count(b"\n")
                    position = run.end()
                    continue
            token = _TOKEN.match(buffer, position)
            if token is None:  # cannot happen: every byte starts some token
                raise ParseError(f"{self.line}: unexpected byte {buffer[position:position + 1]!r}")
            text = token.group()
            if token.end() == end and not final and text[:1] not in b"{}<>[]:,;\"'":
                break  # a name, a number, blanks or a comment that may go on in the next chunk
            position = token.end()
            self._token(text)
        return position

    def _in_string(self, buffer: bytes, position: int) -> int:
        """Consume the string being read, up to its closing quote or the buffer's end."""
        index = position
        if self.escaped and index < len(buffer):  # a backslash ended the last chunk
            self.escaped = False
            index += 1
        body = _STRING_BODY[self.string].match(buffer, index)  # type: ignore[index]
        index = body.end() if body else index
        if index < len(buffer):
            stop = buffer[index : index + 1]
            if stop == self.string:
                self.string = None
                index += 1
            elif stop == b"\\" and index + 1 == len(buffer):
                self.escaped = True
                index += 1
            else:  # a newline, or a backslash before one
                self._mistake(buffer[position : index + 1], "a string runs past the end of its line")
                return len(buffer)
        self._keep(buffer[position:index])
        return index

    def _token(self, text: bytes) -> None:
        first = text[:1]
        if first in (b'"', b"'"):
            self.string = text
            self._keep(text)
            return
        if first in (b"{", b"<"):
            self._open(text)
            return
        if first == b"[":
            self.list_field.append(self.field)
            self.stack.append((b"]", self.stack[-1][1], self.skipping))
            self._keep(text)
            return
        if first in (b"}", b">", b"]"):
            self._close(text)
            return
        if first in (b" ", b"\t", b"\r", b"\n", b"\v", b"\f", b"#"):
            # A comment is dropped (nothing follows it on its line), and a long run of blanks
            # becomes one space or its newlines: protobuf's tokenizer takes memory in
            # proportion to a run of blanks (800 MB for 5 MB of spaces).
            newlines = text.count(b"\n")
            self.line += newlines
            if first == b"#":
                text = b""
            elif len(text) > _LONG_BLANKS:
                text = b"\n" * newlines or b" "
            self._keep(text)
            return
        if first not in (b":", b",", b";"):
            self.field = text.decode("utf-8", "replace")
        self._keep(text)

    def _open(self, bracket: bytes) -> None:
        field = self.list_field[-1] if self.stack[-1][0] == b"]" else self.field
        descriptor = self.stack[-1][1]
        child = None
        if descriptor is not None and field is not None and not self.skipping:
            found = descriptor.fields_by_name.get(field)
            child = found.message_type if found is not None else None
        opaque = child is not None and child.name == "Opaque"
        self._keep(bracket)
        self.stack.append((_CLOSE[bracket], child, self.skipping or opaque))
        self.field = None

    def _close(self, bracket: bytes) -> None:
        expected, _, _ = self.stack[-1]
        if len(self.stack) == 1 or bracket != expected:
            self._mistake(bracket, f"{bracket.decode()} does not close what was opened")
            return
        if expected == b"]":
            self.list_field.pop()
        self.stack.pop()
        self._keep(bracket)
        self.field = None


def parse_chunks(chunks: Iterable[bytes], message: Any, known_only: bool = False) -> None:
    """Parse the text that `chunks` (bytes, in order) hold into `message`; raises ParseError
    naming TensorFlow's message types (``tensorflow.SignatureDef``), as TensorFlow's would.
    `known_only` skips the fields `message`'s schema lacks instead of refusing them: for reading
    parts of a file that a strict parse has read already. Any values (`[type.googleapis.com/...]`)
    are resolved in the message's own descriptor pool."""
    scanner = _Scanner(message.DESCRIPTOR)
    for chunk in chunks:
        scanner.feed(chunk)
        if scanner.stopped is not None:
            break
    scanner.feed(b"", final=True)
    try:
        text_format.Parse(
            b"".join(scanner.kept).decode("utf-8"), message,
            allow_unknown_field=known_only, descriptor_pool=message.DESCRIPTOR.file.pool,
        )
    except text_format.ParseError as error:
        raise ParseError(str(error).replace(f"{PACKAGE}.", "tensorflow.")) from None
    if scanner.stopped is not None:  # protobuf took what the scanner refused: refuse it anyway
        raise ParseError(scanner.stopped)


def parse(text: str, message: Any, known_only: bool = False) -> None:
    """`parse_chunks` of one string (a text-format SignatureDef from Python)."""
    data = text.encode("utf-8", "surrogatepass")
    parse_chunks((data[start : start + _CHUNK] for start in range(0, len(data), _CHUNK)), message, known_only)


def parse_known(text: str, message: Any) -> None:
    """`parse` with `known_only`: the fields `message`'s schema has, every other one skipped."""
    parse(text, message, known_only=True)
