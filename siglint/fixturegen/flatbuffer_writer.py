"""FlatBuffers and FlexBuffer maps written without the flatbuffers package, for fixtures.

A FlatBuffer is laid out front to back: the root offset and file identifier, then each table
before the tables, vectors and strings it points to, so every offset points forward as the
format requires (uoffset_t is unsigned), each vtable just before its table. Scalars are aligned
to their size, vectors' lengths to 4 and their elements to theirs, as flatbuffers' Verifier
checks. The bytes are deterministic.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import NamedTuple

# A field's value: a scalar (struct format and value), or a reference to an object.
Scalar = tuple[str, int]


class String(NamedTuple):
    data: bytes


class Vector(NamedTuple):
    """A vector of scalars (`format` is a struct format: "<i", "B") or of objects (format None)."""

    format: str | None
    items: Sequence[int | Object]
    align: int = 4  # force_align (a Buffer's data asks for 16)


class Table(NamedTuple):
    fields: dict[int, Scalar | Object]  # slot -> value; absent slots are not written


Object = Table | Vector | String


def _pad(out: bytearray, align: int, after: int = 0) -> None:
    """Pad `out` so that the position `after` bytes later is aligned."""
    while (len(out) + after) % align:
        out.append(0)


def flatbuffer(root: Table, identifier: bytes = b"") -> bytes:
    out = bytearray(8 if identifier else 4)
    if identifier:
        out[4:8] = identifier
    pending: list[tuple[int, Object]] = [(0, root)]  # (where the offset to it goes, the object)
    while pending:
        at, target = pending.pop(0)
        position = _write(out, target, pending)
        struct.pack_into("<I", out, at, position - at)
    return bytes(out)


def _write(out: bytearray, target: Object, pending: list[tuple[int, Object]]) -> int:
    if isinstance(target, String):
        _pad(out, 4)
        position = len(out)
        out += struct.pack("<I", len(target.data)) + target.data + b"\0"
        return position
    if isinstance(target, Vector):
        size = struct.calcsize(target.format) if target.format else 4
        _pad(out, max(size, target.align, 4), after=4)
        position = len(out)
        out += struct.pack("<I", len(target.items))
        if target.format == "B" and isinstance(target.items, (bytes, bytearray)):
            out += target.items  # a buffer's data: bytes as they are
            return position
        for item in target.items:
            if target.format:
                out += struct.pack(target.format, item)
            else:
                pending.append((len(out), item))  # type: ignore[arg-type]
                out += b"\0\0\0\0"
        return position
    return _write_table(out, target, pending)


def _write_table(out: bytearray, table: Table, pending: list[tuple[int, Object]]) -> int:
    # Inline fields: scalars at their size, references as 4-byte offsets; the largest first, so
    # that each sits aligned once the table starts at an 8-byte boundary.
    inline = []
    for slot, value in table.fields.items():
        size = 4 if isinstance(value, (Table, Vector, String)) else struct.calcsize(value[0])
        inline.append((size, slot, value))
    inline.sort(key=lambda item: (-item[0], item[1]))
    offsets, cursor = {}, 4
    for size, slot, _ in inline:
        cursor += -cursor % size
        offsets[slot] = cursor
        cursor += size
    table_size = cursor + -cursor % 4
    slots = max(table.fields, default=-1) + 1
    vtable = struct.pack(f"<{2 + slots}H", 4 + 2 * slots, table_size, *(offsets.get(i, 0) for i in range(slots)))
    _pad(out, 2)
    vtable_position = len(out)
    out += vtable
    _pad(out, 8)
    position = len(out)
    out += bytes(table_size)
    struct.pack_into("<i", out, position, position - vtable_position)
    for _, slot, value in inline:
        if isinstance(value, (Table, Vector, String)):
            pending.append((position + offsets[slot], value))
        else:
            struct.pack_into(value[0], out, position + offsets[slot], value[1])
    return position


def flexbuffer_map(entries: dict[bytes, bytes]) -> bytes:
    """A FlexBuffer map of keys to strings (as flexbuffers::Builder writes `fbb.String(key,
    value)` inside StartMap/EndMap), every width 4 bytes; keys sorted as EndMap sorts them."""
    out = bytearray()
    keys = sorted(entries)
    key_positions = []
    for key in keys:
        key_positions.append(len(out))
        out += key + b"\0"
    value_positions = []
    for key in keys:
        _pad(out, 4)
        out += struct.pack("<I", len(entries[key]))
        value_positions.append(len(out))
        out += entries[key] + b"\0"
    _pad(out, 4)
    out += struct.pack("<I", len(keys))
    keys_vector = len(out)
    for position in key_positions:
        out += struct.pack("<I", len(out) - position)
    out += struct.pack("<I", len(out) - keys_vector) + struct.pack("<I", 4) + struct.pack("<I", len(keys))
    map_position = len(out)
    for position in value_positions:
        out += struct.pack("<I", len(out) - position)
    out += bytes((5 << 2) | 2 for _ in keys)  # FBT_STRING, 32-bit size
    _pad(out, 4)
    root = len(out)
    out += struct.pack("<I", root - map_position) + bytes([(9 << 2) | 2, 4])  # FBT_MAP, 32-bit; width 4
    return bytes(out)
