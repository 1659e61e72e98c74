"""TFRecord files as TensorFlow's reader reads them: siglint's reader (siglint/io/tfrecord.py,
pure Python) is held to TensorFlow's own (`tf.data.TFRecordDataset`, the same RecordReader TF
Serving's warmup uses) on every truncation and every flipped bit of a small file, word for word;
and hostile files cost a bounded amount of reading."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from siglint.io import crc32c, tfrecord
from siglint.io.source import LOCAL

RECORDS = [b"warm", b"", b"x" * 300]


def _write_with_tensorflow(tf: Any, path: Path, records: list[bytes]) -> bytes:
    with tf.io.TFRecordWriter(str(path)) as writer:
        for record in records:
            writer.write(record)
    return path.read_bytes()


def _tensorflow_reads(tf: Any, path: Path, dataset: bool = False) -> tuple[list[bytes], str | None]:
    """What TensorFlow's record reader makes of `path`: the records it yields, then its error
    (the message only), if any. TensorFlow's record iterator and `tf.data.TFRecordDataset` use
    the same reader (and say the same); the iterator is a hundred times faster."""
    records: list[bytes] = []
    reader = tf.data.TFRecordDataset(str(path)) if dataset else tf.compat.v1.io.tf_record_iterator(str(path))
    try:
        for record in reader:
            records.append(bytes(record.numpy()) if dataset else record)
    except tf.errors.OpError as error:
        message = re.sub(r"^\{\{function_node [^}]*\}\} ", "", error.message)
        return records, message.split(" [Op:")[0].strip()
    return records, None


def _siglint_reads(path: Path) -> tuple[list[bytes], str | None]:
    with LOCAL.open(str(path)) as source:
        found = tfrecord.read_records(source, max_records=100, max_bytes=2**30)
    return list(found.records), found.error.message if found.error else None


def test_crc32c_known_values() -> None:
    """RFC 3720 (iSCSI) appendix B.4 test vectors, and the classic check value."""
    assert crc32c.value(b"123456789") == 0xE3069283
    assert crc32c.value(bytes(32)) == 0x8A9136AA
    assert crc32c.value(b"\xff" * 32) == 0x62A8AB43
    assert crc32c.value(bytes(range(32))) == 0x46DD794E
    assert crc32c.value(b"") == 0


def test_framing_is_tensorflows(tf: Any, tmp_path: Path) -> None:
    data = _write_with_tensorflow(tf, tmp_path / "by-tf", RECORDS + [bytes(range(256)) * 4000])
    assert b"".join(tfrecord.frame(r) for r in RECORDS + [bytes(range(256)) * 4000]) == data
    assert _siglint_reads(tmp_path / "by-tf") == (RECORDS + [bytes(range(256)) * 4000], None)


def test_every_truncation_and_flipped_bit_reads_as_tensorflow_reads_it(tf: Any, tmp_path: Path) -> None:
    good = _write_with_tensorflow(tf, tmp_path / "good", RECORDS)
    variants = {f"cut at {n}": good[:n] for n in range(len(good))}
    variants |= {f"bit {i}.{bit}": good[:i] + bytes([good[i] ^ (1 << bit)]) + good[i + 1 :]
                 for i in range(len(good)) for bit in range(8)}
    path = tmp_path / "variant"
    for name, data in variants.items():
        path.write_bytes(data)
        assert _siglint_reads(path) == _tensorflow_reads(tf, path), name


def test_errors_say_what_tensorflow_says(tf: Any, tmp_path: Path) -> None:
    path = tmp_path / "f"
    cases = {
        b"model_config_list {}\n": "corrupted record at 0 (Is this even a TFRecord file?)",
        _write_with_tensorflow(tf, path, RECORDS)[:50]: "truncated record at 36' failed with Read less bytes than requested",
    }
    length = struct.pack("<Q", 1000)
    cases[length + struct.pack("<I", crc32c.masked_value(length)) + b"abc"] = (
        "truncated record at 0' failed with Read less bytes than requested"
    )
    for data, message in cases.items():
        path.write_bytes(data)
        assert _tensorflow_reads(tf, path)[1] == _tensorflow_reads(tf, path, dataset=True)[1] == message
        assert _siglint_reads(path)[1] == message


def _read_hostile(path: Path, **limits: int) -> tuple[tfrecord.Records, int]:
    source = LOCAL.open(str(path))
    try:
        found = tfrecord.read_records(source, **limits)
        return found, source.bytes_read
    finally:
        source.close()


def test_a_length_of_two_to_the_63_costs_nothing(tmp_path: Path) -> None:
    length = struct.pack("<Q", 2**63)
    path = tmp_path / "huge"
    path.write_bytes(length + struct.pack("<I", crc32c.masked_value(length)) + b"\0" * 1000)
    found, read = _read_hostile(path, max_records=10, max_bytes=2**30)
    assert found.records == () and found.error is not None
    assert found.error.message == "truncated record at 0' failed with Read less bytes than requested"
    assert read <= 32


def test_a_million_records_are_read_only_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "million"
    path.write_bytes(tfrecord.frame(b"r") * 1_000_000)
    found, read = _read_hostile(path, max_records=1001, max_bytes=2**30)
    assert len(found.records) == 1001 and found.error is None
    assert read <= 1001 * 2 * len(tfrecord.frame(b"r"))


def test_record_data_is_read_only_up_to_the_byte_bound(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(tfrecord.frame(b"a" * 1000) * 10)
    found, read = _read_hostile(path, max_records=100, max_bytes=2500)
    assert len(found.records) == 2 and found.stopped_at == 2 * len(tfrecord.frame(b"a" * 1000))
    assert read < 2 * 1100
