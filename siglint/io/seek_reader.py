"""The seek reader: what siglint needs from a `saved_model.pb` without reading its graph.

A SavedModel's SignatureDefs are a few KB of a file that can hold a GiB of graph constants. This
module walks the protobuf wire format of the two top levels (SavedModel -> MetaGraphDef), seeks
past `graph_def` and `object_graph_def`, and hands protobuf a reduced SavedModel made of the bytes
of every other field, verbatim, so that protobuf itself applies its semantics (fields in any order,
a repeated message field appended, a singular one merged, the last scalar and map entry winning,
UTF-8 checks). The fields it skips are validated exactly as protobuf validates siglint's `Opaque`
message type, one level deep, so the reader rejects what the full parse rejects. Every length is
checked against the end of the message that holds it, and so against the file size: a lie in the
framing is an `Unparsable` error, never a hang or a large allocation. The spans it records let
the graph reader (siglint.io.graph_reader) read a graph_def, and `read_object_graph` a TF2
object graph (for `siglint show`), when they are asked for.

Wire-format limits follow upb (protobuf's Python backend): a tag is at most 5 bytes and 32 bits,
a varint at most 10 bytes, a length at most 5 bytes; wire types 6 and 7 and a stray end-group
are corrupt, and so is field number 0 except in groups (found by the fuzzer in
tests/test_reader.py); messages and groups nest at most 100 deep.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from google.protobuf import message

from siglint.io.source import Source, SourceError
from siglint.savedmodel.proto import SavedModel

VARINT, I64, LEN, SGROUP, EGROUP, I32 = range(6)
MAX_DEPTH = 100  # upb's default recursion limit
_WINDOW = 8192  # bytes read at a time while walking field headers
# A skipped message up to this size is read and checked by protobuf itself, which is faster than
# walking it here; a larger one has only its field headers read.
_READ_TO_CHECK = 32 * 2**20
# A larger skipped message (a graph over 32 MiB) has its field headers walked, the first this many
# of them: a graph of millions of tiny nodes costs a bounded time, not a walk of them all.
_WALK_LIMIT = 100_000

# What the reduced SavedModel keeps of each (field number, wire type); anything else is checked
# and dropped (protobuf would keep it as an unknown field, which no view reads).
_KEEP, _META_GRAPH, _GRAPH, _PRESENCE = range(4)
_SAVED_MODEL_PLAN = {(1, VARINT): _KEEP, (2, LEN): _META_GRAPH}
_META_GRAPH_PLAN = {
    (1, LEN): _KEEP,  # meta_info_def: tags, tensorflow_version
    (2, LEN): _GRAPH,  # graph_def: skipped, its spans kept for a lazy read
    (3, LEN): _KEEP,  # saver_def
    (4, LEN): _KEEP,  # collection_def
    (5, LEN): _KEEP,  # signature_def
    (6, LEN): _KEEP,  # asset_file_def
    (7, LEN): _PRESENCE,  # object_graph_def: only whether it is there (a TF2 export)
}
_SAVED_MODEL_NAMES = {1: "saved_model_schema_version", 2: "meta_graphs"}
_META_GRAPH_NAMES = {
    1: "meta_info_def", 2: "graph_def", 3: "saver_def", 4: "collection_def",
    5: "signature_def", 6: "asset_file_def", 7: "object_graph_def",
}
_OBJECT_GRAPH_MARKER = b"\x3a\x00"  # field 7, length 0: sets HasField("object_graph_def")
# An object graph holds no tensors, and is read whole (`read_object_graph`) up to this size.
MAX_OBJECT_GRAPH = 256 * 2**20


class Unparsable(Exception):
    """The file is not a SavedModel protobuf; the message says where and why."""


class Span(NamedTuple):
    offset: int
    length: int


class SeekResult(NamedTuple):
    proto: Any  # a siglint.proto.SavedModel without graphs and object graphs
    # For each MetaGraphDef, the spans of its graph_def payloads (protobuf merges several), or
    # None when it has no graph_def field: where the graph rules will read it.
    graphs: tuple[tuple[Span, ...] | None, ...]
    bytes_read: int
    # The same for each MetaGraphDef's object_graph_def (a TF2 export's SavedObjectGraph).
    object_graphs: tuple[tuple[Span, ...] | None, ...] = ()


class _Window:
    """Positioned reads of one Source, with a small window for walking field headers."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.size = source.size
        self.bytes_read = 0
        self._window = b""
        self._window_start = 0

    def _read(self, offset: int, length: int) -> bytes:
        try:
            data = self.source.read(offset, length)
        except SourceError as error:
            raise Unparsable(str(error)) from None
        self.bytes_read += len(data)
        return data

    def head(self, pos: int, want: int) -> tuple[bytes, int]:
        """A buffer and the index of `pos` in it, with up to `want` bytes from `pos` (fewer at EOF)."""
        index = pos - self._window_start
        if index < 0 or index + min(want, self.size - pos) > len(self._window):
            self._window_start = pos
            self._window = self._read(pos, min(max(want, _WINDOW), self.size - pos))
            index = 0
        return self._window, index

    def read(self, offset: int, length: int) -> bytes:
        index = offset - self._window_start
        if 0 <= index and index + length <= len(self._window):
            return self._window[index : index + length]
        return self._read(offset, length)


class _Field(NamedTuple):
    number: int
    wire: int
    start: int  # the tag's first byte
    value_start: int  # the payload's first byte (after the length, for LEN)
    end: int  # one past the field's last byte


class _Walker:
    def __init__(self, source: _Window) -> None:
        self.source = source

    def varint(self, pos: int, end: int, max_bytes: int, what: str) -> tuple[int, int]:
        buf, index = self.source.head(pos, max_bytes)
        available = min(max_bytes, end - pos, len(buf) - index)
        value = 0
        for shift in range(available):
            byte = buf[index + shift]
            value |= (byte & 0x7F) << (7 * shift)
            if byte < 0x80:
                return value, pos + shift + 1
        if available == max_bytes:
            raise Unparsable(f"{what} at byte {pos} is longer than {max_bytes} bytes")
        raise Unparsable(f"{what} at byte {pos} runs past the end of {self._end_name(end)}")

    def _end_name(self, end: int) -> str:
        return f"the file ({end} bytes)" if end == self.source.size else f"its message (byte {end})"

    def _advance(self, pos: int, length: int, end: int, label: str, at: int) -> int:
        """`pos + length`, if the `length` bytes of the field at `at` fit before `end`."""
        if length > end - pos:
            what = "the file ends" if end == self.source.size else "its message ends"
            raise Unparsable(f"{label} at byte {at} holds {length} bytes, but {what} at byte {end}")
        return pos + length

    def fields(
        self,
        start: int,
        end: int,
        depth: int,
        where: str,
        names: dict[int, str] | None = None,
    ) -> Iterator[_Field]:
        """Every field of the message occupying [start, end), checked as protobuf checks it.
        upb accepts field number 0 in groups, nowhere else."""
        pos = start
        while pos < end:
            field = self._field(pos, end, depth, where, names or {}, zero_ok=False)
            if field.wire == EGROUP:
                raise Unparsable(f"an end-group tag without a start in {where} at byte {pos}")
            yield field
            pos = field.end

    def _field(
        self, pos: int, end: int, depth: int, where: str, names: dict[int, str], *, zero_ok: bool
    ) -> _Field:
        """The field at `pos`, its value checked; an end-group tag is returned as it is."""
        tag, after = self.varint(pos, end, 5, f"a field tag of {where}")
        number, wire = tag >> 3, tag & 7
        if tag > 0xFFFFFFFF or (number == 0 and not zero_ok) or wire > I32:
            raise Unparsable(f"invalid field tag {tag:#x} in {where} at byte {pos}")
        label = f"{where}: {names.get(number) or f'field {number}'}"
        value_start = after
        if wire == LEN:
            length, value_start = self.varint(after, end, 5, f"the length of {label}")
            stop = self._advance(value_start, length, end, label, pos)
        elif wire == VARINT:
            stop = self.varint(after, end, 10, label)[1]
        elif wire in (I64, I32):
            stop = self._advance(after, 8 if wire == I64 else 4, end, label, pos)
        elif wire == SGROUP:
            stop = self._skip_group(after, end, number, depth + 1, label)
        else:  # EGROUP
            stop = after
        return _Field(number, wire, pos, value_start, stop)

    def _skip_group(self, pos: int, end: int, number: int, depth: int, where: str) -> int:
        if depth > MAX_DEPTH:
            raise Unparsable(f"{where}: groups nest deeper than protobuf's limit of {MAX_DEPTH}")
        start = pos
        while pos < end:
            field = self._field(pos, end, depth, where, {}, zero_ok=True)
            if field.wire == EGROUP:
                if field.number != number:
                    raise Unparsable(f"{where}: the group at byte {start} is closed as group {field.number}")
                return field.end
            pos = field.end
        raise Unparsable(f"{where}: the group at byte {start} is never closed")

    def check_opaque(self, field: _Field, where: str) -> None:
        """Validate a skipped field of a MetaGraphDef as protobuf parses its `Opaque` message:
        its own fields, not theirs. Up to 32 MiB it is handed to protobuf inside a SavedModel and
        a MetaGraphDef (so that protobuf's nesting limit counts the same); a larger one has its
        field headers walked, each length-delimited field one seek, the first _WALK_LIMIT."""
        length = field.end - field.value_start
        if length > _READ_TO_CHECK:
            for count, _ in enumerate(self.fields(field.value_start, field.end, 2, where)):
                if count >= _WALK_LIMIT:
                    break
            return
        payload = self.source.read(field.value_start, length)
        wrapped = _length_prefixed(2, _length_prefixed(field.number, payload))
        try:
            SavedModel().ParseFromString(wrapped)
        except (message.DecodeError, RuntimeError, ValueError):
            # Walk it to say where: the walk rejects what protobuf rejects.
            for _ in self.fields(field.value_start, field.end, 2, where):
                pass
            raise Unparsable(f"{where}: protobuf rejects its contents") from None


def _length_prefixed(number: int, payload: bytes | bytearray) -> bytes:
    out = bytearray()
    for value in ((number << 3) | LEN, len(payload)):
        while value > 0x7F:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
    return bytes(out) + payload


class _MetaGraphSpans(NamedTuple):
    graph: tuple[Span, ...] | None
    object_graph: tuple[Span, ...] | None


def _reduced_meta_graph(walker: _Walker, field: _Field, index: int) -> tuple[bytearray, _MetaGraphSpans]:
    where = f"meta_graphs[{index}]"
    reduced = bytearray()
    graph: list[Span] | None = None
    object_graph: list[Span] | None = None
    kept = Span(field.value_start, 0)  # the run of kept fields not read yet: one read each
    for inner in walker.fields(field.value_start, field.end, 1, where, _META_GRAPH_NAMES):
        action = _META_GRAPH_PLAN.get((inner.number, inner.wire))
        if action == _KEEP and inner.start == kept.offset + kept.length:
            kept = Span(kept.offset, inner.end - kept.offset)
            continue
        if kept.length:
            reduced += walker.source.read(kept.offset, kept.length)
        kept = Span(inner.end, 0)
        span = Span(inner.value_start, inner.end - inner.value_start)
        if action == _KEEP:
            kept = Span(inner.start, inner.end - inner.start)
        elif action == _GRAPH:
            walker.check_opaque(inner, f"{where}.graph_def")
            graph = (graph or []) + [span]
        elif action == _PRESENCE:
            walker.check_opaque(inner, f"{where}.object_graph_def")
            reduced += _OBJECT_GRAPH_MARKER
            object_graph = (object_graph or []) + [span]
        # Anything else is an unknown field to protobuf (an unknown number, or a known number with
        # another wire type): its framing is checked, and no view reads it.
    if kept.length:
        reduced += walker.source.read(kept.offset, kept.length)
    return reduced, _MetaGraphSpans(
        None if graph is None else tuple(graph), None if object_graph is None else tuple(object_graph)
    )


def read_saved_model(source: Source) -> SeekResult:
    """The reduced SavedModel of `source`, a `saved_model.pb`."""
    walker = _Walker(_Window(source))
    size = source.size
    reduced = bytearray()
    spans: list[_MetaGraphSpans] = []
    try:
        for field in walker.fields(0, size, 0, "SavedModel", _SAVED_MODEL_NAMES):
            action = _SAVED_MODEL_PLAN.get((field.number, field.wire))
            if action == _KEEP:
                reduced += walker.source.read(field.start, field.end - field.start)
            elif action == _META_GRAPH:
                meta_graph, found = _reduced_meta_graph(walker, field, len(spans))
                reduced += _length_prefixed(2, meta_graph)
                spans.append(found)
    except Unparsable as error:
        raise Unparsable(f"not a valid SavedModel protobuf: {error}") from None
    return SeekResult(
        parse_binary(bytes(reduced)),
        tuple(s.graph for s in spans),
        walker.source.bytes_read,
        tuple(s.object_graph for s in spans),
    )


def parse_binary(data: bytes) -> Any:
    """protobuf's own parse of a serialized SavedModel, its error worded as the reader's."""
    proto = SavedModel()
    try:
        proto.ParseFromString(data)
    except (message.DecodeError, RuntimeError, ValueError) as error:
        detail = str(error).replace("siglint.proto.", "tensorflow.")
        raise Unparsable(f"not a valid SavedModel protobuf: {detail}") from None
    return proto


def read_object_graph(source: Source, spans: Iterable[Span]) -> Any:
    """The object_graph_def whose payloads lie at `spans` of `source` (as `read_saved_model`
    found them; protobuf merges several), a SavedObjectGraph of siglint.savedmodel.inspect_proto."""
    from siglint.savedmodel.inspect_proto import SavedObjectGraph

    spans = tuple(spans)
    total = sum(span.length for span in spans)
    if total > MAX_OBJECT_GRAPH:
        raise Unparsable(f"object_graph_def: {total} bytes is over siglint's limit of {MAX_OBJECT_GRAPH}")
    proto = SavedObjectGraph()
    for span in spans:
        try:
            proto.MergeFromString(source.read(span.offset, span.length))
        except SourceError as error:
            raise Unparsable(str(error)) from None
        except (message.DecodeError, RuntimeError, ValueError) as error:
            raise Unparsable(f"object_graph_def: {error}") from None
    return proto


# The wire-format walk, shared with the graph reader (siglint.io.graph_reader), which reads a
# graph_def the way this module reads the SavedModel around it.
Window = _Window
Walker = _Walker
Field = _Field
length_prefixed = _length_prefixed
