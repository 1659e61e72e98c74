"""A minimal protobuf wire encoder for tests that build files byte by byte."""

from __future__ import annotations

LEN = 2  # the length-delimited wire type


def varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    """Field `number` holding `payload`, length-delimited."""
    return varint(number << 3 | LEN) + varint(len(payload)) + payload
