"""TFRecord files, read as TensorFlow's record reader reads them
(tensorflow/core/lib/io/record_reader.cc: ReadRecord, ReadChecksummed), through the Source seam.

A record is a little-endian uint64 length, the masked CRC-32C of those 8 bytes, the data, and
the masked CRC-32C of the data. The reader's errors are kept word for word (`corrupted record at
<offset>`, `truncated record at <offset>' failed with ...`), as is its leniency: fewer than 12
bytes after the last record read as the end of the file. Every length is checked against what
the file holds before anything is read, so a length of 2**63 costs nothing; `max_records` and
`max_bytes` bound the work on a hostile file.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from siglint.io import crc32c
from siglint.io.source import Source

HEADER_BYTES = 12  # uint64 length + its masked CRC
FOOTER_BYTES = 4  # the data's masked CRC
_SIZE_MAX = 2**64 - 1
_HEADER = struct.Struct("<QI")
_CRC = struct.Struct("<I")


class FramingError(NamedTuple):
    """Where a file stops being TFRecord: the record (0-based), and TensorFlow's message."""

    record: int
    offset: int
    message: str


class Records(NamedTuple):
    records: tuple[bytes, ...]
    error: FramingError | None = None
    # The offset reading stopped at because of `max_bytes` (None: the whole file was read, or
    # `max_records` records were).
    stopped_at: int | None = None
    # Bytes after the last record, too few for a header: the reader takes them for the end.
    trailing: int = 0


def read_records(source: Source, *, max_records: int, max_bytes: int) -> Records:
    """The records of `source`, at most `max_records` of them and `max_bytes` of data; raises
    SourceError when the file cannot be read."""
    records: list[bytes] = []
    offset, data_bytes = 0, 0
    while len(records) < max_records:
        left = source.size - offset
        if left < HEADER_BYTES:  # InputBuffer::ReadNBytes's OutOfRange: the end, to the reader
            return Records(tuple(records), trailing=left)
        length, length_crc = _HEADER.unpack(source.read(offset, HEADER_BYTES))
        if crc32c.masked_value(source.read(offset, 8)) != length_crc:
            return Records(tuple(records), FramingError(len(records), offset, _corrupted(offset)))
        error = _data_error(length, offset, left - HEADER_BYTES)
        if error is not None:
            return Records(tuple(records), FramingError(len(records), offset, error))
        if data_bytes + length > max_bytes:
            return Records(tuple(records), stopped_at=offset)
        data_offset = offset + HEADER_BYTES
        data = source.read(data_offset, length)
        (data_crc,) = _CRC.unpack(source.read(data_offset + length, FOOTER_BYTES))
        if crc32c.masked_value(data) != data_crc:
            return Records(tuple(records), FramingError(len(records), offset, _corrupted(data_offset)))
        records.append(data)
        data_bytes += length
        offset = data_offset + length + FOOTER_BYTES
    return Records(tuple(records))


def _corrupted(offset: int) -> str:
    # TFRecord files have no magic number: the reader adds a reminder for a bad first header.
    return f"corrupted record at {offset}" + (" (Is this even a TFRecord file?)" if offset == 0 else "")


def _data_error(length: int, offset: int, left: int) -> str | None:
    """TensorFlow's error for a record of `length` bytes at `offset` with `left` bytes after its
    header, or None when it fits."""
    if length >= _SIZE_MAX - FOOTER_BYTES:
        return "record size too large"
    if length + FOOTER_BYTES <= left:
        return None
    return f"truncated record at {offset}' failed with Read less bytes than requested"


def frame(data: bytes) -> bytes:
    """`data` as one TFRecord (what tf.io.TFRecordWriter writes for it)."""
    length = struct.pack("<Q", len(data))
    return length + _CRC.pack(crc32c.masked_value(length)) + data + _CRC.pack(crc32c.masked_value(data))

