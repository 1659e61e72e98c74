"""A FlatBuffer reader that goes through the Source seam and trusts nothing it reads.

FlatBuffers (google/flatbuffers, docs "Internals") are read in place: a table is a signed
offset to its vtable, whose 16-bit entries say where each field lies in the table; a table,
vector or string field holds an unsigned 32-bit offset forward from where it is stored; a vector
or string starts with its 32-bit length. Nothing in the format says a file is whole, so every
position read here is checked against the file's size first, and a FlatBufferError says which
field points where. The file is read a page at a time, and only the pages a read touches: a
model's tables are read without its weights.
"""

from __future__ import annotations

import struct
from collections import OrderedDict

from siglint.io.source import Source, SourceError

PAGE_BYTES = 1 << 16
CACHED_PAGES = 64  # 4 MiB at most, whatever the file's size
# What one file can make siglint hold and walk, whatever its tables claim: tables point at each
# other freely (many offsets may name one vector), so counts are bounded over the whole file.
READ_BYTES = 48 << 20  # strings, vectors and blobs read out (a scalar element counts as INT_COST)
INT_COST = 32  # what a 4-byte element costs once it is a Python int in a tuple
READ_TABLES = 300_000  # tables visited

_U8 = struct.Struct("<B")
_I8 = struct.Struct("<b")
_U16 = struct.Struct("<H")
_I32 = struct.Struct("<i")
_U32 = struct.Struct("<I")

BOOL, BYTE, INT, UINT = _U8, _I8, _I32, _U32


class FlatBufferError(ValueError):
    """The file is not a FlatBuffer siglint can read: the message says which field is wrong."""


class Pages:
    """The bytes of a Source, read in pages of PAGE_BYTES and kept in a small LRU cache."""

    def __init__(self, source: Source, cached_pages: int = CACHED_PAGES) -> None:
        self.source = source
        self.size = source.size
        self._pages: OrderedDict[int, bytes] = OrderedDict()
        self._cached = cached_pages
        self._bytes_left, self._tables_left = READ_BYTES, READ_TABLES

    def spend(self, cost: int, what: str) -> None:
        """Count `cost` bytes read out of the file; FlatBufferError past READ_BYTES."""
        self._bytes_left -= cost
        if self._bytes_left < 0:
            raise FlatBufferError(f"reading {what} takes siglint past the {READ_BYTES >> 20} MiB it reads of a file's tables")

    def visit(self, what: str) -> None:
        """Count one table visited; FlatBufferError past READ_TABLES."""
        self._tables_left -= 1
        if self._tables_left < 0:
            raise FlatBufferError(f"reading {what} takes siglint past the {READ_TABLES} tables it reads of a file")

    def _page(self, number: int) -> bytes:
        page = self._pages.get(number)
        if page is None:
            start = number * PAGE_BYTES
            try:
                page = self.source.read(start, min(PAGE_BYTES, self.size - start))
            except SourceError as error:
                raise FlatBufferError(f"cannot read byte {start}: {error}") from None
            self._pages[number] = page
            if len(self._pages) > self._cached:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def check(self, position: int, length: int, what: str) -> None:
        if position < 0 or length < 0 or position + length > self.size:
            raise FlatBufferError(
                f"{what} lies at bytes {position} to {position + length}, outside the file's {self.size} bytes"
            )

    def read(self, position: int, length: int, what: str) -> bytes:
        self.check(position, length, what)
        number, start = divmod(position, PAGE_BYTES)
        if start + length <= PAGE_BYTES:
            return self._page(number)[start:start + length]
        try:
            return self.source.read(position, length)
        except SourceError as error:
            raise FlatBufferError(f"cannot read {what}: {error}") from None

    def scalar(self, position: int, kind: struct.Struct, what: str) -> int:
        self.check(position, kind.size, what)
        number, start = divmod(position, PAGE_BYTES)
        if start + kind.size <= PAGE_BYTES:
            value: int = kind.unpack_from(self._page(number), start)[0]
            return value
        return int(kind.unpack(self.read(position, kind.size, what))[0])


class Table:
    """One table of the buffer: its fields by slot (their order in the schema's declaration)."""

    __slots__ = ("_vtable", "_vtable_size", "pages", "position", "what")

    def __init__(self, pages: Pages, position: int, what: str) -> None:
        pages.visit(what)
        self.pages, self.position, self.what = pages, position, what
        vtable = position - pages.scalar(position, _I32, f"{what}'s vtable offset")
        size = pages.scalar(vtable, _U16, f"{what}'s vtable")
        if size % 2:  # flatbuffers' Verifier: an even size; below 4, the table holds no field
            raise FlatBufferError(f"{what}'s vtable at byte {vtable} claims {size} bytes, not a vtable")
        pages.check(vtable, size, f"{what}'s vtable")
        self._vtable, self._vtable_size = vtable, size

    def field(self, slot: int) -> int | None:
        """Where field `slot` lies, None when the table does not hold it."""
        entry = 4 + 2 * slot
        if entry + 2 > self._vtable_size:
            return None
        offset = self.pages.scalar(self._vtable + entry, _U16, f"{self.what}'s vtable")
        return self.position + offset if offset else None

    def scalar(self, slot: int, kind: struct.Struct, default: int, name: str) -> int:
        position = self.field(slot)
        return default if position is None else self.pages.scalar(position, kind, f"{self.what}.{name}")

    def _target(self, slot: int, name: str) -> int | None:
        position = self.field(slot)
        if position is None:
            return None
        return position + self.pages.scalar(position, _U32, f"{self.what}.{name}")

    def table(self, slot: int, name: str) -> Table | None:
        target = self._target(slot, name)
        return None if target is None else Table(self.pages, target, f"{self.what}.{name}")

    def vector(self, slot: int, name: str, element: int) -> Vector | None:
        """The vector field `slot` of `element`-byte elements (4 for offsets to tables/strings)."""
        target = self._target(slot, name)
        return None if target is None else Vector(self.pages, target, element, f"{self.what}.{name}")

    def string(self, slot: int, name: str, limit: int) -> bytes | None:
        target = self._target(slot, name)
        return None if target is None else read_string(self.pages, target, f"{self.what}.{name}", limit)


class Vector:
    """A vector of the buffer: its length, and its elements by index."""

    __slots__ = ("element", "length", "pages", "start", "what")

    def __init__(self, pages: Pages, position: int, element: int, what: str) -> None:
        self.length = pages.scalar(position, _U32, f"{what}'s length")
        self.start = position + 4
        pages.check(self.start, self.length * element, f"{what} ({self.length} elements)")
        self.pages, self.element, self.what = pages, element, what

    def scalars(self, kind: struct.Struct, limit: int) -> tuple[int, ...]:
        """Every element, read at once; FlatBufferError when there are more than `limit`."""
        if self.length > limit:
            raise FlatBufferError(f"{self.what} has {self.length} elements, more than siglint reads ({limit})")
        self.pages.spend(self.length * INT_COST, self.what)
        data = self.pages.read(self.start, self.length * kind.size, self.what)
        return tuple(value for (value,) in kind.iter_unpack(data))

    def _target(self, index: int) -> int:
        position = self.start + index * 4
        return position + self.pages.scalar(position, _U32, f"{self.what}[{index}]")

    def table(self, index: int) -> Table:
        return Table(self.pages, self._target(index), f"{self.what}[{index}]")

    def string(self, index: int, limit: int) -> bytes:
        return read_string(self.pages, self._target(index), f"{self.what}[{index}]", limit)


def read_string(pages: Pages, position: int, what: str, limit: int) -> bytes:
    length = pages.scalar(position, _U32, f"{what}'s length")
    if length > limit:
        raise FlatBufferError(f"{what} is a string of {length} bytes, longer than siglint reads ({limit})")
    pages.spend(length, what)
    return pages.read(position + 4, length, what)


def root(pages: Pages, what: str) -> Table:
    """The root table (a buffer without a size prefix, as TF Lite writes them)."""
    return Table(pages, pages.scalar(0, _U32, f"the offset of the {what} table"), what)
