"""Fuzzers for every document a stranger can hand siglint besides a binary model (that one has
tests/test_reader.py): configs, contract packs, baselines and `.pbtxt` models. Each mutates
seed documents (bytes flipped, tokens cut, brackets and quotes inserted, deep nesting, long
numbers, YAML anchors, lines duplicated) and requires the reader to answer with its own error
type as one bounded line, or a result, within a bounded time: no traceback, no hang.

The `.pbtxt` fuzzer is also a differential against TensorFlow's full text-format parse: what
TensorFlow parses, siglint parses to the same signatures and tags; what siglint refuses,
TensorFlow refuses (siglint only checks the structure of the graph it drops, so it may accept
a graph TensorFlow would not). Variants: 10,000 per fuzzer in CI, 1,000 elsewhere
(SIGLINT_FUZZ_VARIANTS sets both)."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, scaled

from siglint.config.files import ConfigError, read_config
from siglint.engine.contracts.packs import load_pack
from siglint.engine.contracts.records import PackError
from siglint.findings import Finding, Location, Severity
from siglint.model.load import LoadFailure, load_model
from siglint.report.baseline import BaselineError, read_baseline, write_baseline

pytestmark = pytest.mark.slow

VARIANTS = int(os.environ.get("SIGLINT_FUZZ_VARIANTS") or scaled(10_000, 1_000))
SLOWEST_SECONDS = 2.0  # one variant, however hostile
MESSAGE_LIMIT = 4000  # characters in one error message

_INSERTS = (
    b"{", b"}", b"[", b"]", b"<", b">", b'"', b"'", b"\\", b"#", b"\n", b":", b",", b"=", b"\x00",
    b"\xff", b"\xc3", "é".encode(), "\u202e".encode(), b"&a ", b"*a", b"!!python/object", b"---",
    b"9" * 5000, b"-1", b"1e309", b"[" * 5000, b"{" * 3000, b'"\\u0000"', b"graph_def {", b"\t",
    b"inf", b"nan", b"0x", b"~", b"null", b"true",
)


def _mutate(seed: bytes, rng: random.Random) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(data) + 1)
        choice = rng.random()
        if choice < 0.3:
            data[where:where] = rng.choice(_INSERTS)
        elif choice < 0.5 and data:
            del data[where : where + rng.randint(1, 16)]
        elif choice < 0.65 and data:
            data[min(where, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.8:
            lines = bytes(data).split(b"\n")
            line = rng.randrange(len(lines))
            lines.insert(line, lines[line])
            data = bytearray(b"\n".join(lines))
        elif choice < 0.9:
            del data[where:]
        else:
            start = rng.randrange(len(data) + 1)
            data[where:where] = data[start : start + rng.randint(1, 200)] * rng.randint(1, 50)
    return bytes(data)


def _fuzz(
    seeds: list[bytes], suffix: str, read: Callable[[str], Any], error: type[Exception], tmp_path: Path
) -> tuple[int, int]:
    """Feed VARIANTS mutants of `seeds` to `read` (given a file path); returns (accepted, refused)."""
    rng = random.Random(12)
    accepted = refused = 0
    path = str(tmp_path / f"input{suffix}")
    slowest = (0.0, b"")
    for _ in range(VARIANTS):
        data = _mutate(rng.choice(seeds), rng)
        with open(path, "wb") as stream:
            stream.write(data)
        start = time.perf_counter()
        try:
            read(path)
            accepted += 1
        except error as raised:
            message = str(raised)
            assert "\n" not in message and len(message) <= MESSAGE_LIMIT, (message[:300], data[:300])
            refused += 1
        except Exception as raised:  # anything else is a bug: show the input
            raise AssertionError(f"{type(raised).__name__}: {str(raised)[:300]} on {data[:500]!r}") from raised
        took = time.perf_counter() - start
        slowest = max(slowest, (took, data))
    assert slowest[0] <= SLOWEST_SECONDS, f"{slowest[0]:.2f} s on {slowest[1][:300]!r}"
    return accepted, refused


CONFIG = (ROOT / "README.md").read_text().split("```toml\n[tool.siglint]\n", 1)[1].split("```", 1)[0]


def test_config_fuzzer(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "churn.toml").write_text(_churn_pack())
    seeds = [CONFIG.encode()]
    accepted, refused = _fuzz(seeds, ".toml", read_config, ConfigError, tmp_path)
    assert accepted and refused  # the mutations reach both sides


def _churn_pack() -> str:
    return (ROOT / "README.md").read_text().split("# contracts/churn.toml\n", 1)[1].split("```", 1)[0]


def _pack_seeds() -> list[tuple[str, bytes]]:
    import yaml

    seeds = [(".json", (ROOT / "rules" / f"{name}.json").read_bytes()) for name in ("tf-ranking", "keras-export")]
    seeds.append((".toml", _churn_pack().encode()))
    from siglint.io.toml import loads

    seeds.append((".yaml", yaml.safe_dump(loads(_churn_pack())).encode()))  # small: PyYAML is slow
    return seeds


@pytest.mark.parametrize("suffix", [".json", ".toml", ".yaml"])
def test_pack_fuzzer(suffix: str, tmp_path: Path) -> None:
    seeds = [data for kind, data in _pack_seeds() if kind == suffix]
    accepted, refused = _fuzz(seeds, suffix, load_pack, PackError, tmp_path)
    assert refused and (accepted or suffix != ".json")


def test_baseline_fuzzer(tmp_path: Path) -> None:
    findings = [
        Finding("SIG307", "classify-output-dtype", Severity.ERROR, "m",
                Location(str(tmp_path / "export" / str(version)), ("serve",), "classify", "classes", "output", version))
        for version in (1, 2)
    ] + [Finding("SIG601", "contract-violation", Severity.ERROR, "m", Location(str(tmp_path / "m")), contract="p/c")]
    seed_path = tmp_path / "seed.json"
    write_baseline(seed_path, findings)

    def read(path: str) -> Any:
        read_baseline(path).compare(findings)

    accepted, refused = _fuzz([seed_path.read_bytes()], ".json", read, BaselineError, tmp_path)
    assert accepted and refused


def _text_seeds() -> list[bytes]:
    seeds = [path.read_bytes() for path in sorted((ROOT / "fixtures").rglob("saved_model.pbtxt"))]
    return [seed for seed in seeds if len(seed) < 20_000][:12]


def test_pbtxt_fuzzer(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()

    def read(path: str) -> Any:
        os.replace(path, folder / "saved_model.pbtxt")
        result = load_model(str(folder))
        if isinstance(result, LoadFailure):
            assert "\n" not in result.message and len(result.message) <= MESSAGE_LIMIT, result.message[:300]
        return result

    accepted, refused = _fuzz(_text_seeds(), ".pbtxt", read, AssertionError, tmp_path)
    assert accepted == VARIANTS and refused == 0  # every answer is a view or a finding


def test_pbtxt_agrees_with_tensorflow(tf: Any, tmp_path: Path) -> None:
    from google.protobuf import text_format
    from tensorflow.core.protobuf import saved_model_pb2

    from siglint.savedmodel import textformat
    from siglint.savedmodel.proto import SavedModel

    rng = random.Random(21)
    seeds = _text_seeds()
    both = siglint_only = neither = 0
    for _ in range(VARIANTS):
        data = _mutate(rng.choice(seeds), rng)
        theirs = saved_model_pb2.SavedModel()
        try:
            text_format.Parse(data.decode("utf-8"), theirs)
            tf_ok = True
        except (text_format.ParseError, UnicodeDecodeError, ValueError, RecursionError):
            tf_ok = False
        ours = SavedModel()
        try:
            textformat.parse_chunks([data[i : i + 4096] for i in range(0, len(data), 4096)], ours)
            ok = True
        except textformat.ParseError:
            ok = False
        assert ok or not tf_ok, f"siglint refuses what TensorFlow parses: {data[:600]!r}"
        if ok and tf_ok:
            both += 1
            assert _modelled(ours) == _modelled(theirs), data[:600]
        elif ok:
            siglint_only += 1
        else:
            neither += 1
    assert both and neither, (both, siglint_only, neither)


def _modelled(model: Any) -> list[Any]:
    """What siglint reads of a SavedModel: per MetaGraphDef, tags and signatures (serialized
    deterministically, so that TensorFlow's and siglint's messages compare)."""
    return [
        (
            list(meta_graph.meta_info_def.tags),
            meta_graph.HasField("graph_def"),
            {key: _signature(value) for key, value in meta_graph.signature_def.items()},
        )
        for meta_graph in model.meta_graphs
    ]


def _signature(signature: Any) -> Any:
    def tensors(mapping: Any) -> dict[str, Any]:
        return {
            key: (info.name, info.dtype, info.WhichOneof("encoding"),
                  None if not info.HasField("tensor_shape") else
                  (info.tensor_shape.unknown_rank, [d.size for d in info.tensor_shape.dim]))
            for key, info in mapping.items()
        }

    return signature.method_name, tensors(signature.inputs), tensors(signature.outputs), sorted(signature.defaults)
