"""FlexBuffer maps read as flatbuffers' C++ reader reads them (include/flatbuffers/flexbuffers.h:
GetRoot, Reference::AsMap, Map::Keys, Map::operator[], Reference::AsString), with every read
checked against the buffer.

The C++ reader trusts its buffer: an offset that points outside it reads whatever memory is
there. Here such a read is a FlexBufferError that says where, so a caller can tell what a
reader that trusts the buffer would do (crash, or read garbage) from what it reads. Widths are
read as ReadUInt64 reads them (1 byte below 2, 2 below 4, 4 below 8, else 8).
"""

from __future__ import annotations

from typing import NamedTuple

FBT_KEY = 4
FBT_STRING = 5
FBT_MAP = 9


class FlexBufferError(ValueError):
    """A read outside the buffer, or a structure the C++ reader cannot handle."""


def _uint(data: bytes, position: int, width: int, what: str) -> int:
    size = 1 if width < 2 else 2 if width < 4 else 4 if width < 8 else 8
    if position < 0 or position + size > len(data):
        raise FlexBufferError(f"{what} at byte {position} lies outside the {len(data)} bytes")
    return int.from_bytes(data[position:position + size], "little")


def c_string(data: bytes, position: int, what: str) -> bytes:
    """The bytes at `position` up to the first NUL (strlen), which must lie inside `data`."""
    if not 0 <= position < len(data):
        raise FlexBufferError(f"{what} at byte {position} lies outside the {len(data)} bytes")
    end = data.find(b"\0", position)
    if end < 0:
        raise FlexBufferError(f"{what} at byte {position} runs past the end without a terminating NUL")
    return data[position:end]


class Reference(NamedTuple):
    """flexbuffers::Reference: a value at `position`, stored `parent_width` bytes wide."""

    position: int
    parent_width: int
    byte_width: int
    type: int

    def indirect(self, data: bytes, what: str) -> int:
        return self.position - _uint(data, self.position, self.parent_width, what)


def packed(position: int, parent_width: int, packed_type: int) -> Reference:
    return Reference(position, parent_width, 1 << (packed_type & 3), packed_type >> 2)


def root(data: bytes) -> Reference:
    """GetRoot: the last byte is the root's width, the one before its packed type."""
    if len(data) < 2:
        raise FlexBufferError(f"{len(data)} bytes cannot hold a FlexBuffer root, which takes its last two bytes")
    width, packed_type = data[-1], data[-2]
    return packed(len(data) - 2 - width, width, packed_type)


class Map(NamedTuple):
    """flexbuffers::Map at `position`: `size` values `byte_width` wide, their packed types after
    them, and before them the offset and width of its keys vector."""

    position: int
    byte_width: int

    def size(self, data: bytes) -> int:
        return _uint(data, self.position - self.byte_width, self.byte_width, "the map's size")

    def keys(self, data: bytes) -> Keys:
        prefix = self.position - self.byte_width * 3
        width = _uint(data, prefix + self.byte_width, self.byte_width, "the map's keys width") & 0xFF
        position = prefix - _uint(data, prefix, self.byte_width, "the map's keys offset")
        return Keys(position, width)

    def value(self, data: bytes, index: int) -> Reference | None:
        """Vector::operator[]: None (a Null reference) past the map's size."""
        size = self.size(data)
        if index >= size:
            return None
        type_position = self.position + size * self.byte_width + index
        if not 0 <= type_position < len(data):
            raise FlexBufferError(f"the type of value {index} at byte {type_position} lies outside the {len(data)} bytes")
        return packed(self.position + index * self.byte_width, self.byte_width, data[type_position])


class Keys(NamedTuple):
    """The map's TypedVector of keys: offsets `width` bytes wide to NUL-terminated strings."""

    position: int
    width: int

    def size(self, data: bytes) -> int:
        return _uint(data, self.position - self.width, self.width, "the keys vector's size")

    def key(self, data: bytes, index: int) -> bytes:
        element = self.position + index * self.width
        return c_string(data, element - _uint(data, element, self.width, f"key {index}"), f"key {index}")


def as_map(data: bytes, reference: Reference) -> Map | None:
    """Reference::AsMap; None where it gives the empty map (the value is not a map)."""
    if reference.type != FBT_MAP:
        return None
    return Map(reference.indirect(data, "the map's offset"), reference.byte_width)


def lookup(data: bytes, table: Map, key: bytes) -> Reference | None:
    """Map::operator[]: glibc's bsearch over the keys with strcmp; None when it finds none."""
    keys = table.keys(data)
    count = keys.size(data)
    if count and keys.width not in (1, 2, 4, 8):
        raise FlexBufferError(f"the keys are {keys.width} bytes wide, which the C++ reader has no comparison for")
    low, high = 0, count
    while low < high:
        middle = (low + high) // 2
        found = keys.key(data, middle)
        if key < found:
            high = middle
        elif key > found:
            low = middle + 1
        else:
            return table.value(data, middle)
    return None


def stored_length(data: bytes, reference: Reference | None) -> int | None:
    """The length a string value's size field gives (String::size), None for other values."""
    if reference is None or reference.type != FBT_STRING:
        return None
    start = reference.indirect(data, "the string's offset")
    return _uint(data, start - reference.byte_width, reference.byte_width, "the string's size")


def as_c_string(data: bytes, reference: Reference | None) -> bytes:
    """Reference::AsString().c_str() taken as a C string: a string's or key's bytes up to its
    first NUL; b"" for any other value (AsString's empty string)."""
    if reference is None or reference.type not in (FBT_STRING, FBT_KEY):
        return b""
    return c_string(data, reference.indirect(data, "the string's offset"), "the string")
