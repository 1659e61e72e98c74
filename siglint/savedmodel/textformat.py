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

import ast
import codecs
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from google.protobuf import text_format

from siglint.savedmodel.proto import PACKAGE

ParseError = text_format.ParseError


class FieldPosition(NamedTuple):
    """Where a field is set in the text (1-based line and byte column), and for a map field the
    key the entry holds."""

    field: str
    line: int
    column: int
    key: str | None = None


# A field's place in the message tree: (field name, occurrence) from the top message down; the
# n-th time a field is named in the text is occurrence n (an element of a repeated field).
FieldPath = tuple[tuple[str, int], ...]
Positions = dict[FieldPath, FieldPosition]


def tensorflow_names(text: str) -> str:
    """`text` with siglint's SavedModel message names as TensorFlow's (``tensorflow.SignatureDef``)."""
    return text.replace(f"{PACKAGE}.", "tensorflow.")

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

    def __init__(self, message_type: Any, positions: Positions | None = None) -> None:
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
        # Where each field is set, when asked (`positions`): the path of each open bracket's
        # message, the name last seen and where, and a map entry's key being read.
        self.positions = positions
        self.at = 0  # the absolute offset of the token being read
        self.line_start = 0  # the absolute offset of the current line
        self.paths: list[FieldPath] = [()]
        self.counts: dict[tuple[FieldPath, str], int] = {}
        self.pending: tuple[str, int, int] | None = None
        self.named: FieldPath | None = None  # the field just named by `name:`
        self.key_from: int | None = None  # where in `kept` a map key's string starts

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
                    self._lines(run.group(), self.offset + position)
                    position = run.end()
                    continue
            token = _TOKEN.match(buffer, position)
            if token is None:  # cannot happen: every byte starts some token
                raise ParseError(f"{self.line}: unexpected byte {buffer[position:position + 1]!r}")
            text = token.group()
            if token.end() == end and not final and text[:1] not in b"{}<>[]:,;\"'":
                break  # a name, a number, blanks or a comment that may go on in the next chunk
            self.at = self.offset + position
            position = token.end()
            self._token(text)
        return position

    def _lines(self, piece: bytes, start: int) -> None:
        """Count the newlines of `piece`, which starts at absolute offset `start`."""
        count = piece.count(b"\n")
        if count:
            self.line += count
            self.line_start = start + piece.rindex(b"\n") + 1

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
                if self.key_from is not None:
                    self._keep(buffer[position:index])
                    self._key_read(b"".join(self.kept[self.key_from :]))
                    return index
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
            if self.positions is not None and self.named is not None and self.named[-1][0] == "key":
                self.key_from = len(self.kept)  # a map entry's key: its text is read at its end
            self.named = None
            self._keep(text)
            return
        if first in (b"{", b"<"):
            self._open(text)
            return
        if first == b"[":
            self.list_field.append(self.field)
            self.stack.append((b"]", self.stack[-1][1], self.skipping))
            self._keep(text)
            return  # `name: [`: the elements keep the path `name:` gave (self.named)
        if first in (b"}", b">", b"]"):
            self._close(text)
            return
        if first in (b" ", b"\t", b"\r", b"\n", b"\v", b"\f", b"#"):
            # A comment is dropped (nothing follows it on its line), and a long run of blanks
            # becomes one space or its newlines: protobuf's tokenizer takes memory in
            # proportion to a run of blanks (800 MB for 5 MB of spaces).
            newlines = text.count(b"\n")
            self._lines(text, self.at)
            if first == b"#":
                text = b""
            elif len(text) > _LONG_BLANKS:
                text = b"\n" * newlines or b" "
            self._keep(text)
            return
        if first not in (b":", b",", b";"):
            self.field = text.decode("utf-8", "replace")
        if self.positions is not None and not self.skipping:
            self._name_or_value(text)
        self._keep(text)

    def _name_or_value(self, text: bytes) -> None:
        """Positions: a word before `:` or `{` names a field; `:` makes it an occurrence."""
        if text == b":":
            if self.pending:
                self.named = self._occurrence()
            return
        if text in (b",", b";"):
            return
        self.pending = (text.decode("utf-8", "replace"), self.line, self.at - self.line_start + 1)
        if self.named is not None and self.named[-1][0] == "key":  # a key that is a number
            self._key_read(text)
        self.named = None

    def _occurrence(self) -> FieldPath:
        """Record the field just named (self.pending) as its next occurrence in the open message."""
        assert self.pending is not None and self.positions is not None
        name, line, column = self.pending
        parent = self.paths[-1]
        index = self.counts.get((parent, name), 0)
        self.counts[(parent, name)] = index + 1
        path = parent + ((name, index),)
        self.positions[path] = FieldPosition(name, line, column)
        self.pending = None
        return path

    def _key_read(self, literal: bytes) -> None:
        """A map entry's `key:` value: set as the key of the entry's own position."""
        self.key_from = None
        entry = self.paths[-1]
        descriptor = self.stack[-1][1]
        if self.positions is None or not entry or descriptor is None or not descriptor.GetOptions().map_entry:
            return
        try:
            key = ast.literal_eval(literal.decode("utf-8"))
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return
        position = self.positions.get(entry)
        if position is not None:
            self.positions[entry] = position._replace(key=str(key))

    def _open(self, bracket: bytes) -> None:
        field = self.list_field[-1] if self.stack[-1][0] == b"]" else self.field
        descriptor = self.stack[-1][1]
        child = None
        if descriptor is not None and field is not None and not self.skipping:
            found = descriptor.fields_by_name.get(field)
            child = found.message_type if found is not None else None
        opaque = child is not None and child.name == "Opaque"
        if self.positions is not None:
            # `name {`, `name: {`, or an element of `name: [{...}, ...]` (the list's path).
            path = self._occurrence() if self.pending else self.named or self.paths[-1]
            self.paths.append(path)
            self.named = None
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
        if self.positions is not None and expected != b"]":
            self.paths.pop()
        self.pending = self.named = None
        self._keep(bracket)
        self.field = None


def parse_chunks(
    chunks: Iterable[bytes],
    message: Any,
    known_only: bool = False,
    *,
    positions: Positions | None = None,
    rename: Callable[[str], str] = tensorflow_names,
) -> None:
    """Parse the text that `chunks` (bytes, in order) hold into `message`; raises ParseError
    naming TensorFlow's message types (``tensorflow.SignatureDef``), as TensorFlow's would.
    `known_only` skips the fields `message`'s schema lacks instead of refusing them: for reading
    parts of a file that a strict parse has read already. Any values (`[type.googleapis.com/...]`)
    are resolved in the message's own descriptor pool. `positions`, when given, gets where each
    field is set (for findings that point at a line); `rename` rewrites message names in errors."""
    scanner = _Scanner(message.DESCRIPTOR, positions)
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
        # Raised again with TensorFlow's (or TF Serving's) message names, line and column kept.
        text = re.sub(r"^\d+:\d+ : ", "", rename(str(error))) if error.GetLine() is not None else rename(str(error))
        raise ParseError(text, error.GetLine(), error.GetColumn()) from None
    if scanner.stopped is not None:  # protobuf took what the scanner refused: refuse it anyway
        raise ParseError(scanner.stopped)


def parse(
    text: str,
    message: Any,
    known_only: bool = False,
    *,
    positions: Positions | None = None,
    rename: Callable[[str], str] = tensorflow_names,
) -> None:
    """`parse_chunks` of one string (a text-format SignatureDef, a models.config)."""
    data = text.encode("utf-8", "surrogatepass")
    chunks = (data[start : start + _CHUNK] for start in range(0, len(data), _CHUNK))
    parse_chunks(chunks, message, known_only, positions=positions, rename=rename)


def parse_known(text: str, message: Any) -> None:
    """`parse` with `known_only`: the fields `message`'s schema has, every other one skipped."""
    parse(text, message, known_only=True)
