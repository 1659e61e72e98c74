"""The seek reader (siglint.reader) against protobuf's full parse (load.parse_full).

For every TF Serving test model, TensorFlow's exports in fixtures/tf, and at least 100,000
mutated, truncated, re-ordered and field-duplicated variants of them, both give the same view (and the same graph bytes), or both
reject the input. The fuzzer is seeded, so a failure reproduces; SIGLINT_FUZZ_VARIANTS and
SIGLINT_FUZZ_SEED run more or other variants.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import scaled
from wire import field, varint

from siglint import lint_paths
from siglint.io import seek_reader as reader
from siglint.io.seek_reader import Unparsable
from siglint.io.source import LOCAL, LocalSource
from siglint.model.load import load_model, parse_full
from siglint.model.view import ModelView, model_from_proto

VARIANTS = int(os.environ.get("SIGLINT_FUZZ_VARIANTS") or scaled(100_000, 10_000))
FUZZ_SEED = int(os.environ.get("SIGLINT_FUZZ_SEED", "20261123"))
LEN, SGROUP, EGROUP = 2, 3, 4


# --- a minimal wire decoder (the encoder is tests/wire.py), for re-arranging valid inputs -------


def split(data: bytes) -> list[tuple[int, int, bytes, bytes]]:
    """(number, wire type, the field's bytes, its payload) of each field of valid `data`."""
    fields, pos = [], 0
    while pos < len(data):
        start = pos
        tag, pos = _decode(data, pos)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            _, pos = _decode(data, pos)
            payload = b""
        elif wire == LEN:
            length, pos = _decode(data, pos)
            payload, pos = data[pos : pos + length], pos + length
        else:
            pos += {1: 8, 5: 4}[wire]
            payload = b""
        fields.append((number, wire, data[start:pos], payload))
    return fields


def _decode(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if byte < 0x80:
            return value, pos


# --- the two readers, as comparable outcomes -------------------------------------------------------


class MemoryFile:
    """One anonymous in-memory file, rewritten for each variant (no disk, no path)."""

    def __init__(self) -> None:
        self.fd = os.memfd_create("siglint-fuzz")

    def load(self, data: bytes) -> int:
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)
        return self.fd


def seek_outcome(fd: int, data: bytes) -> Any:
    try:
        result = reader.read_saved_model(LocalSource("m/saved_model.pb", fd, len(data)))
    except Unparsable:
        return "rejected"
    return model_from_proto("m", "m/saved_model.pb", result.proto), graph_bytes(result, data)


def graph_bytes(result: reader.SeekResult, data: bytes) -> list[bytes | None]:
    """Each MetaGraphDef's graph as the seek reader located it (its spans, joined)."""
    return [
        None if spans is None else b"".join(data[s.offset : s.offset + s.length] for s in spans)
        for spans in result.graphs
    ]


def full_outcome(data: bytes) -> Any:
    try:
        proto = reader.parse_binary(data)
    except Unparsable:
        return "rejected"
    graphs = [
        mg.graph_def.SerializeToString() if mg.HasField("graph_def") else None
        for mg in proto.meta_graphs
    ]
    return model_from_proto("m", "m/saved_model.pb", proto), graphs


def assert_same(memory: MemoryFile, data: bytes, context: str) -> bool:
    """The two outcomes agree; True when the input was accepted."""
    ours = seek_outcome(memory.load(data), data)
    theirs = full_outcome(data)
    assert ours == theirs, f"{context}: seek reader {_brief(ours)} but full parse {_brief(theirs)}"
    return ours != "rejected"


def _brief(outcome: Any) -> str:
    return "rejected" if outcome == "rejected" else f"accepted ({outcome[0].meta_graphs!r:.300})"


# --- seeds -------------------------------------------------------------------------------------------


def serving_models(testdata: Path) -> list[Path]:
    return sorted(testdata.glob("*/*/saved_model.pb"))


def synthetic_seeds() -> list[bytes]:
    """Small valid SavedModels with what the reader must handle: two MetaGraphDefs, graphs and
    object graphs, unknown fields and groups, a repeated graph_def, non-minimal tags."""
    tensor = field(1, b"x:0") + b"\x10\x01" + field(3, field(2, b"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
    signature = field(1, field(1, b"inputs") + field(2, tensor)) + field(3, b"tensorflow/serving/predict")
    meta_info = field(4, b"serve") + field(5, b"2.21.0") + field(2, field(1, b"op"))
    graph = field(1, field(1, b"node") + field(2, b"Const")) + b"\x22\x02\x08\x01" + b"\x2b\x08\x01\x2c"
    first = field(1, meta_info) + field(2, graph) + field(5, field(1, b"serving_default") + field(2, signature))
    second = (
        field(5, field(1, b"other") + field(2, signature))
        + field(7, field(1, b"object"))
        + b"\x93\x01\x08\x05\x94\x01"  # an unknown group, field 18
        + field(2, field(1, b"more"))  # a second graph_def: merged
        + field(1, field(4, b"train"))
    )
    return [
        b"\x08\x01" + field(2, first) + field(2, second),
        field(2, second) + b"\x88\x00\x01" + field(99, b"unknown") + b"\x1d\x01\x02\x03\x04",
        b"\x08\x01" + field(2, b""),
    ]


# --- mutations ---------------------------------------------------------------------------------------


def _rearranged(rng: random.Random, data: bytes) -> bytes:
    """Top-level fields and one MetaGraphDef's fields shuffled, some duplicated or dropped."""
    top = split(data)
    meta_graphs = [i for i, f in enumerate(top) if f[0] == 2 and f[1] == LEN]
    if meta_graphs:
        index = rng.choice(meta_graphs)
        inner = [f[2] for f in split(top[index][3])]
        rng.shuffle(inner)
        if inner and rng.random() < 0.5:
            inner.insert(rng.randrange(len(inner) + 1), rng.choice(inner))
        if inner and rng.random() < 0.2:
            inner.pop(rng.randrange(len(inner)))
        top[index] = (2, LEN, field(2, b"".join(inner)), b"")
    raw = [f[2] for f in top]
    if rng.random() < 0.5:
        rng.shuffle(raw)
    if raw and rng.random() < 0.3:
        raw.append(rng.choice(raw))
    return b"".join(raw)


def _unknown_field(rng: random.Random) -> bytes:
    number = rng.choice([1, 2, 3, 5, 7, 8, 15, 16, 1000, 2**29 - 1])
    wire = rng.choice([0, 1, 2, 3, 5])
    tag = varint(number << 3 | wire)
    if wire == 0:
        return tag + varint(rng.getrandbits(rng.choice([7, 35, 64])))
    if wire == 1:
        return tag + rng.randbytes(8)
    if wire == 5:
        return tag + rng.randbytes(4)
    if wire == LEN:
        return tag + varint(3) + rng.randbytes(3)
    depth = rng.choice([1, 2, 5, 99, 100, 101])
    return tag * depth + varint(number << 3 | EGROUP) * depth


def _splice_unknown(rng: random.Random, data: bytes) -> bytes:
    top = split(data)
    meta_graphs = [i for i, f in enumerate(top) if f[0] == 2 and f[1] == LEN]
    if meta_graphs and rng.random() < 0.6:
        index = rng.choice(meta_graphs)
        inner = [f[2] for f in split(top[index][3])]
        inner.insert(rng.randrange(len(inner) + 1), _unknown_field(rng))
        top[index] = (2, LEN, field(2, b"".join(inner)), b"")
        return b"".join(f[2] for f in top)
    raw = [f[2] for f in top]
    raw.insert(rng.randrange(len(raw) + 1), _unknown_field(rng))
    return b"".join(raw)


def _length_lie(rng: random.Random, data: bytes) -> bytes:
    """A length-looking byte replaced by a boundary value: one more, one less, huge, 5+ bytes."""
    if not data:
        return data
    pos = rng.randrange(len(data))
    lie = rng.choice(
        [varint(data[pos] + 1), varint(max(data[pos] - 1, 0)), b"\xff\xff\xff\xff\x07",
         b"\x80\x80\x80\x80\x80\x00", varint(len(data)), varint(2**31), b"\xff" * 10 + b"\x01"]
    )
    return data[:pos] + lie + data[pos + 1 :]


def _bytes_level(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return rng.randbytes(rng.randrange(1, 8))
    pos = rng.randrange(len(data))
    kind = rng.randrange(6)
    if kind == 0:
        return data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1 :]
    if kind == 1:
        return data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1 :]
    if kind == 2:
        return data[:pos]  # truncation
    if kind == 3:
        return data[:pos] + rng.randbytes(rng.randrange(1, 9)) + data[pos:]
    if kind == 4:
        return data[:pos] + data[pos + rng.randrange(1, 17) :]
    return data + rng.randbytes(rng.randrange(1, 9))


def _inside_a_graph(rng: random.Random, data: bytes) -> bytes:
    """A mutation inside one MetaGraphDef's graph_def payload (the part siglint skips): a byte
    flipped, a field number 0, an unknown field, a length lie, a truncated inner field."""
    top = split(data)
    meta_graphs = [i for i, f in enumerate(top) if f[0] == 2 and f[1] == LEN]
    index = rng.choice(meta_graphs)
    inner = split(top[index][3])
    graphs = [i for i, f in enumerate(inner) if f[0] == 2 and f[1] == LEN]
    if not graphs:
        return _bytes_level(rng, data)
    position = rng.choice(graphs)
    graph = inner[position][3]
    mutated = rng.choice([
        lambda g: _bytes_level(rng, g),
        lambda g: _length_lie(rng, g),
        lambda g: g + b"\x00" + bytes([rng.randrange(256)]),  # field number 0
        lambda g: g + _unknown_field(rng),
        lambda g: g[: rng.randrange(len(g) + 1)],  # an inner field cut short
    ])(graph)
    inner[position] = (2, LEN, field(2, mutated), mutated)
    top[index] = (2, LEN, field(2, b"".join(f[2] for f in inner)), b"")
    return b"".join(f[2] for f in top)


MUTATORS: list[Callable[[random.Random, bytes], bytes]] = [
    _rearranged, _splice_unknown, _length_lie, _bytes_level, _bytes_level, _bytes_level, _inside_a_graph,
]


def variants(seeds: list[bytes], count: int, seed: int = FUZZ_SEED) -> Iterator[tuple[int, bytes]]:
    rng = random.Random(seed)
    for number in range(count):
        data = rng.choice(seeds)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            try:
                data = rng.choice(MUTATORS)(rng, data)
            except (IndexError, KeyError):  # a structural mutation of already-broken bytes
                data = _bytes_level(rng, data)
        yield number, data


# --- tests -------------------------------------------------------------------------------------------


def test_seek_reader_equals_full_parse_on_every_serving_model(testdata: Path) -> None:
    paths = serving_models(testdata)
    assert len(paths) >= 14
    for path in paths:
        fast = load_model(str(path.parent))
        assert isinstance(fast, ModelView), fast
        full = model_from_proto(str(path.parent), str(path), parse_full(str(path)))
        assert fast.without_graph_refs() == full, path
        with LOCAL.open(str(path)) as source:
            graphs = graph_bytes(reader.read_saved_model(source), path.read_bytes())
        for graph, proto_mg in zip(graphs, parse_full(str(path)).meta_graphs, strict=True):
            assert graph is not None and len(graph) == proto_mg.graph_def.ByteSize()
            assert graph == proto_mg.graph_def.SerializeToString(), path


def test_synthetic_seeds_exercise_merging_and_unknown_fields() -> None:
    memory = MemoryFile()
    for data in synthetic_seeds():
        assert assert_same(memory, data, "synthetic seed")
    model, graphs = seek_outcome(memory.load(synthetic_seeds()[0]), synthetic_seeds()[0])
    first, second = model.meta_graphs
    assert (first.tags, second.tags) == (("serve",), ("train",))
    assert not first.is_tf2 and second.is_tf2
    assert list(first.signatures) == ["serving_default"] and list(second.signatures) == ["other"]
    assert graphs[1] == field(1, b"more")  # both graph_def payloads of one MetaGraphDef, merged


def tensorflow_exports() -> list[Path]:
    """The TF1 Builder, TF2 tf.Module and Keras exports committed in fixtures/tf."""
    return sorted((Path(__file__).parents[1] / "fixtures" / "tf").glob("*/model/*/saved_model.pb"))


@pytest.mark.slow
def test_fuzzed_variants_agree_with_the_full_parse(testdata: Path) -> None:
    paths = [p for p in serving_models(testdata) if p.stat().st_size < 100_000]
    assert len(tensorflow_exports()) == 3
    seeds = [p.read_bytes() for p in paths + tensorflow_exports()] + synthetic_seeds()
    memory = MemoryFile()
    accepted = 0
    for number, data in variants(seeds, VARIANTS):
        accepted += assert_same(memory, data, f"variant {number} (SIGLINT_FUZZ_VARIANTS)")
    # Both kinds of outcome are well represented, so the agreement means something.
    assert VARIANTS * 0.1 < accepted < VARIANTS * 0.9, accepted


def test_large_model_is_rearranged_without_disagreement(testdata: Path) -> None:
    data = (testdata / "tf_text_regression" / "01" / "saved_model.pb").read_bytes()
    memory = MemoryFile()
    rng = random.Random(7)
    for number in range(60):
        mutated = _rearranged(rng, data) if number % 2 else _bytes_level(rng, data)
        assert_same(memory, mutated, f"tf_text_regression variant {number}")


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        (b"\x1b" * 100 + b"\x1c" * 100, True),  # groups nest to protobuf's limit of 100
        (b"\x1b" * 101 + b"\x1c" * 101, False),
        (field(2, field(2, b"\x1b" * 98 + b"\x1c" * 98)), True),  # 2 messages + 98 groups
        (field(2, field(2, b"\x1b" * 99 + b"\x1c" * 99)), False),
        (b"\x08" + b"\xff" * 9 + b"\x7f", True),  # a 10-byte varint may carry extra bits
        (b"\x08" + b"\xff" * 10 + b"\x01", False),
        (b"\x88\x80\x80\x80\x00\x01", True),  # a non-minimal 5-byte tag
        (b"\x88\x80\x80\x80\x80\x00\x01", False),
        (b"\x88\x80\x80\x80\x10\x01", False),  # a tag over 32 bits
        (b"\x1a\x80\x80\x80\x80\x00", True),  # a 5-byte length
        (b"\x1a\x80\x80\x80\x80\x80\x00", False),
        (b"\x00\x01", False),  # field number 0
        (field(2, field(2, b"\x00\x01\x03\x04")), False),  # ... in a graph too, as TF's GraphDef says
        (b"\x1b\x00\x01\x1c", True),  # ... and in a group
        (b"\x0e", False),  # wire type 6
        (b"\x0c", False),  # an end-group without a start
        (b"\x1b\x24", False),  # a group closed by another number
        (b"\x13\x0a\x00\x14", True),  # meta_graphs written as a group: an unknown field
        (b"\x0a\x00", True),  # schema version as a length: unknown
    ],
)
def test_wire_format_edges_match_protobuf(data: bytes, accepted: bool) -> None:
    memory = MemoryFile()
    assert assert_same(memory, b"\x08\x01" + data, "edge case") is accepted


def _sparse_model(path: Path, graph_bytes: int) -> None:
    """A saved_model.pb whose graph_def holds one node of `graph_bytes` zero bytes, written
    sparsely (no disk), with the signatures after the graph."""
    signature = field(5, field(1, b"serving_default") + field(2, field(3, b"tensorflow/serving/predict")))
    node_header = varint(1 << 3 | LEN) + varint(graph_bytes)
    graph_header = varint(2 << 3 | LEN) + varint(len(node_header) + graph_bytes)
    meta_info = field(1, field(4, b"serve"))
    meta_graph_length = len(meta_info) + len(graph_header) + len(node_header) + graph_bytes + len(signature)
    with open(path, "wb") as stream:
        stream.write(b"\x08\x01" + varint(2 << 3 | LEN) + varint(meta_graph_length) + meta_info)
        stream.write(graph_header + node_header)
        stream.seek(graph_bytes, os.SEEK_CUR)
        stream.write(signature)


def test_a_large_graph_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model_dir = tmp_path / "big" / "1"
    model_dir.mkdir(parents=True)
    _sparse_model(model_dir / "saved_model.pb", 1536 * 2**20)  # 1.5 GiB of graph
    read: list[int] = []
    real_pread = os.pread

    def counting_pread(fd: int, length: int, offset: int) -> bytes:
        data = real_pread(fd, length, offset)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "pread", counting_pread)
    model = load_model(str(model_dir))
    assert isinstance(model, ModelView), model
    assert sum(read) < 32 * 1024, read  # the headers and the signatures, not the graph
    assert list(model.meta_graphs[0].signatures) == ["serving_default"]
    with LOCAL.open(str(model_dir / "saved_model.pb")) as source:
        [graph] = reader.read_saved_model(source).graphs
    assert graph is not None and sum(span.length for span in graph) > 1536 * 2**20
    result = lint_paths(str(model_dir))
    # The node is 1.5 GiB of zero bytes: a field numbered 0, which protobuf (and so TensorFlow)
    # rejects; the graph rules find it from the node's first bytes.
    assert [f.code for f in result.findings] == ["SIG800", "SIG501", "SIG502"]
    assert sum(read) < 2 * 32 * 1024  # the whole run, too


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x08\x01\x12\x10\x0a\x02", "SavedModel: meta_graphs at byte 2 holds 16 bytes, but the file ends at byte 6"),
        (b"\x08\x01\x12\x04\x12\x05abc", "meta_graphs[0]: graph_def at byte 4 holds 5 bytes, but its message ends at byte 8"),
        (b"\x08\x01\x0f", "invalid field tag 0xf in SavedModel at byte 2"),
        (b"\x08\x01\x1b\x08\x01", "the group at byte 3 is never closed"),
    ],
)
def test_framing_errors_say_where(tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / "saved_model.pb").write_bytes(data)
    failure = load_model(str(tmp_path))
    assert not isinstance(failure, ModelView)
    assert "not a valid SavedModel protobuf: " in failure.message
    assert message in failure.message


def test_a_seek_reader_bug_falls_back_to_the_full_parse(
    testdata: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model_dir = testdata / "saved_model_half_plus_two_cpu" / "00000123"
    expected = load_model(str(model_dir))

    def broken(source: object) -> reader.SeekResult:
        raise IndexError("a bug")

    monkeypatch.setattr(reader, "read_saved_model", broken)
    model = load_model(str(model_dir))
    # Read whole, the model has no graph spans: the graph rules skip it.
    assert isinstance(model, ModelView) and isinstance(expected, ModelView)
    assert model == expected.without_graph_refs()


def test_tensorflow_rejects_field_number_0_inside_a_graph_as_siglint_does(tf: Any) -> None:
    """The oracle for the case above: TensorFlow's own SavedModel message (GraphDef typed)."""
    from google.protobuf.message import DecodeError
    from tensorflow.core.protobuf import saved_model_pb2

    data = b"\x08\x01" + field(2, field(2, b"\x00\x01\x03\x04"))
    with pytest.raises(DecodeError):
        saved_model_pb2.SavedModel.FromString(data)
    memory = MemoryFile()
    assert assert_same(memory, data, "field 0 in a graph") is False


@pytest.mark.parametrize("megabytes", [8, 64])
def test_a_graph_of_zero_bytes_is_rejected_at_once(tmp_path: Path, megabytes: int) -> None:
    """A graph_def of zero bytes is field number 0, over and over: TF says `Wire format was
    corrupt`; siglint said "All checks passed" after walking it for minutes."""
    model = tmp_path / "m" / "1"
    model.mkdir(parents=True)
    payload = bytes(megabytes * 2**20)
    (model / "saved_model.pb").write_bytes(b"\x08\x01" + field(2, field(1, field(4, b"serve")) + field(2, payload)))
    failure = load_model(str(model))
    assert not isinstance(failure, ModelView)
    assert "meta_graphs[0].graph_def" in failure.message


def test_a_graph_of_many_tiny_nodes_is_read_in_one_pass(tmp_path: Path) -> None:
    """16M empty NodeDefs (32 MB): protobuf checks them at once, rather than a walk of each."""
    model = tmp_path / "m" / "1"
    model.mkdir(parents=True)
    nodes = b"\x0a\x00" * (16 * 10**6)
    (model / "saved_model.pb").write_bytes(b"\x08\x01" + field(2, field(1, field(4, b"serve")) + field(2, nodes)))
    loaded = load_model(str(model))
    assert isinstance(loaded, ModelView) and loaded.meta_graphs[0].tags == ("serve",)
