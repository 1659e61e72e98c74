"""The graph reader on bad input, and the graph's cost: a corrupt, truncated, deep or huge graph
is a SIG800 finding or a note, in bounded time, never a traceback; the batched, walked and
text paths read the same records; a check that selects no graph rule reads no graph."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import scaled

from siglint.cli import main
from siglint.fixturegen import spec as specs
from siglint.fixturegen.graph_spec import FunctionSpec, GraphSpec, NodeSpec
from siglint.io.graph_reader import read_graph
from siglint.io.graph_records import DEFAULT_LIMITS, GraphTooLarge, GraphUndecodable, Limits
from siglint.io.seek_reader import Span, length_prefixed
from siglint.io.source import LocalSource
from siglint.model.load import load_model
from siglint.run.lint import lint_paths
from siglint.savedmodel import graph_proto

GRAPH = GraphSpec(
    nodes=(
        NodeSpec("x", "Placeholder", attrs={"dtype": "DT_FLOAT"}),
        NodeSpec("big", "Const", attrs={"dtype": "DT_FLOAT"}),
        NodeSpec("call", "StatefulPartitionedCall", ("x",), {"f": {"func": "f"}, "Tout": ["DT_FLOAT"], "_hook": {"funcs": ["g"]}}),
    ),
    functions=(
        FunctionSpec("f", {"y": "DT_FLOAT"}, (NodeSpec("r", "ReadFile", ("x",), {"_gradient_op_type": "Custom-1"}),)),
        FunctionSpec("g", {}),
    ),
)


def _graph_bytes(tensor_bytes: int = 0) -> bytes:
    """GRAPH's GraphDef, the Const `big` holding a tensor of `tensor_bytes` bytes, its library
    registering `g` as the gradient of op type `Custom-1`."""
    from siglint.fixturegen.graph_spec import meta_graph_bytes

    meta = graph_proto.GraphMetaGraph.FromString(meta_graph_bytes(GRAPH))
    if tensor_bytes:
        value = meta.graph_def.node[1].attr["value"]
        # TensorProto{dtype: DT_FLOAT, tensor_content: ...}: an Opaque message to the reader.
        value.tensor.MergeFromString(b"\x08\x01" + length_prefixed(4, b"\x00" * tensor_bytes))
    meta.graph_def.library.registered_gradients.add(gradient_func="g", registered_op_type="Custom-1")
    return bytes(meta.graph_def.SerializeToString())


def _read(data: bytes, limits: Limits = DEFAULT_LIMITS, *, every_function: bool = False) -> Any:
    import os

    fd = os.memfd_create("graph")
    os.write(fd, data)
    try:
        return read_graph(LocalSource("g", fd, len(data)), [Span(0, len(data))], limits, every_function=every_function)
    finally:
        os.close(fd)


def test_batched_and_walked_reads_are_the_same() -> None:
    data = _graph_bytes(tensor_bytes=5000)
    for every_function in (False, True):
        whole = _read(data, every_function=every_function)
        walked = _read(data, Limits(walk_above=100, batch_bytes=1000), every_function=every_function)
        assert _read(data, Limits(walk_above=100, batch_bytes=200), every_function=every_function) == whole
        assert whole == walked
        assert [n.name for n in whole.nodes] == ["x", "big", "call"]
        assert whole.functions[0].nodes[0].op == "ReadFile"
        assert whole.registered_gradients == (("g", "Custom-1"),)


def test_what_show_reads_beyond_the_rules() -> None:
    """The graph rules follow the functions an op declares (a call's `f`); read `every_function`,
    as `siglint show` works out what `tf.saved_model.load` does, every attribute naming a
    function counts, and a node's `_gradient_op_type` is kept."""
    data = _graph_bytes()
    rules, shown = _read(data), _read(data, every_function=True)
    assert rules.nodes[2].functions == (("f", "f"),) and rules.nodes[2].call == "f"
    assert sorted(shown.nodes[2].functions) == [("_hook", "g"), ("f", "f")] and shown.nodes[2].call == "f"
    assert rules.functions[0].nodes[0].gradient_op_type is None
    assert shown.functions[0].nodes[0].gradient_op_type == b"Custom-1"


def test_a_large_tensor_is_skipped_not_read() -> None:
    """The Const's 8 MiB tensor is walked over: the reader reads a few KB of the file."""
    import os

    data = _graph_bytes(tensor_bytes=8 * 2**20)
    fd = os.memfd_create("graph")
    os.write(fd, data)
    source = LocalSource("g", fd, len(data))
    record = read_graph(source, [Span(0, len(data))])
    os.close(fd)
    assert [n.op for n in record.nodes] == ["Placeholder", "Const", "StatefulPartitionedCall"]
    assert source.bytes_read < 100_000


def test_too_many_nodes_or_functions_is_too_large() -> None:
    data = _graph_bytes()
    with pytest.raises(GraphTooLarge, match="more than 2 nodes"):
        _read(data, Limits(max_nodes=2))
    with pytest.raises(GraphTooLarge, match="more than 0 functions"):
        _read(data, Limits(max_functions=0))


def _protobuf_accepts(data: bytes) -> bool:
    from google.protobuf import message

    try:
        graph_proto.GraphSavedModel.FromString(length_prefixed(2, length_prefixed(2, data)))
    except (message.DecodeError, RuntimeError, ValueError):
        return False
    return True


@pytest.mark.slow
def test_mutated_graphs_are_read_or_rejected_as_protobuf_does() -> None:
    """Truncations and bit flips of a graph with a walked tensor: the reader accepts exactly
    what protobuf's parse of the graph subset accepts (batched or walked), and never raises
    anything but GraphUndecodable."""
    rng = random.Random(15)
    original = _graph_bytes(tensor_bytes=300)  # walked below: larger than walk_above
    for _ in range(scaled(20_000, 2_000)):
        data = bytearray(original)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        for _ in range(rng.randrange(1, 4)):
            if data:
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        verdicts = []
        every_function = rng.random() < 0.5  # the graph rules' reading, or show's
        for limits in (Limits(), Limits(walk_above=64, batch_bytes=4096)):
            try:
                verdicts.append(_read(bytes(data), limits, every_function=every_function))
            except GraphUndecodable:
                verdicts.append(None)
            except GraphTooLarge:  # a mutated length can make a name longer than the small limits
                verdicts.append("too large")
        assert (verdicts[0] is not None) == _protobuf_accepts(bytes(data)), data.hex()
        if verdicts[1] != "too large":
            assert verdicts[0] == verdicts[1], data.hex()


def test_deep_nesting_is_undecodable_not_a_crash() -> None:
    """An attribute nested past protobuf's limit of 100 messages: rejected by protobuf, as by
    TensorFlow's parse."""
    value = b""
    for _ in range(120):  # NameAttrList{attr{value: AttrValue{func: NameAttrList{...}}}}
        value = length_prefixed(10, value)  # AttrValue.func
        value = length_prefixed(2, length_prefixed(1, b"a") + length_prefixed(2, value))  # attr entry
    attr = length_prefixed(10, value)  # AttrValue{func: NameAttrList{attr: ...}}
    node = length_prefixed(1, b"n") + length_prefixed(2, b"NoOp") + length_prefixed(5, length_prefixed(1, b"k") + length_prefixed(2, attr))
    with pytest.raises(GraphUndecodable):
        _read(length_prefixed(1, node))


def _write_model(tmp_path: Path, graph_data: bytes) -> Path:
    spec = specs.folder_spec(
        {
            "description": "",
            "expect": [],
            "models": [{"path": "m/1", "meta_graphs": [{"tags": ["serve"], "signatures": {}}]}],
        }
    )
    saved_model = specs.saved_model(spec.models[0].model)
    saved_model.meta_graphs[0].MergeFromString(length_prefixed(2, graph_data))
    folder = tmp_path / "m" / "1"
    folder.mkdir(parents=True)
    (folder / "saved_model.pb").write_bytes(saved_model.SerializeToString())
    return folder


def test_an_undecodable_graph_is_sig800_and_the_run_goes_on(tmp_path: Path, capsys: Any) -> None:
    good = _write_model(tmp_path / "good", _graph_bytes())
    bad = _write_model(tmp_path / "bad", length_prefixed(1, b"\x0a\x09tr"))
    result = lint_paths([str(bad), str(good)])
    assert [f.code for f in result.findings if f.code.startswith("SIG80")] == ["SIG800"]
    assert {f.code for f in result.findings if f.location.path == str(good)} == {"SIG102", "SIG810"}
    assert main(["scan", str(bad)]) == 2
    assert "siglint: error:" in capsys.readouterr().err


def test_a_graph_over_the_limits_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    folder = _write_model(tmp_path, _graph_bytes())
    from siglint.model import graph

    monkeypatch.setattr(graph.load_graph, "__defaults__", (Limits(max_nodes=2), None))
    assert main(["check", "-v", "--select", "SIG8", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "siglint: note:" in err and "more than 2 nodes" in err


def test_show_reads_graphs_within_the_same_limits(tmp_path: Path) -> None:
    """`siglint show` reads ops and functions with this reader: a graph over its limits is a note
    where the ops would be, as the rules skip it."""
    from siglint.model.details import OpsUsed, read_details
    from siglint.model.view import ModelView

    folder = _write_model(tmp_path, length_prefixed(1, length_prefixed(2, b"NoOp")) * 10_000)
    model = load_model(str(folder))
    assert isinstance(model, ModelView)
    assert read_details(model).ops == (OpsUsed(frozenset({"NoOp"})),)
    note = "siglint could not read its graph_def: more than 1,000 nodes"
    for walk_above in (DEFAULT_LIMITS.walk_above, 100):  # parsed whole, or walked and left at the limit
        assert read_details(model, Limits(max_nodes=1_000, walk_above=walk_above)).ops == (OpsUsed(None, note),)


def test_a_model_without_a_graph_is_a_note_only_with_verbose(capsys: Any) -> None:
    fixture = "fixtures/rules/SIG301-classify-input-count/fail/model"
    main(["check", fixture])
    assert "note" not in capsys.readouterr().err
    main(["check", "--verbose", fixture])
    err = capsys.readouterr().err
    assert "siglint: note:" in err and "graph rules (SIG800" in err and "has no graph_def" in err


def test_a_check_without_graph_rules_reads_no_graph(testdata: Path) -> None:
    script = (
        "import sys, io, contextlib\n"
        "from siglint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['check', '--ignore', 'SIG8', {str(testdata)!r}])\n"
        "print(sorted(m for m in sys.modules if m in ('siglint.model.graph', 'siglint.io.graph_reader', "
        "'siglint.io.graph_records', 'siglint.savedmodel.graph_proto', 'siglint.savedmodel.ops')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]"]


def test_load_model_reads_no_graph_bytes(testdata: Path) -> None:
    """Loading records where the graph is; reading it is the graph rules' business."""
    model = load_model(str(testdata / "tf_text_regression" / "01"))
    ref = model.meta_graphs[0].graph
    assert ref is not None and ref.spans and sum(length for _, length in ref.spans) > 2_000_000


def test_custom_ops_from_the_flag_or_the_config(tmp_path: Path) -> None:
    fixture = Path("fixtures/rules/SIG805-unregistered-op/fail/model").resolve()
    assert main(["check", "-q", "--isolated", "--select", "SIG805", str(fixture)]) == 1
    assert main(["check", "-q", "--isolated", "--select", "SIG805", "--custom-ops", "Other,MyTokenizer", str(fixture)]) == 0
    config = tmp_path / "siglint.toml"
    config.write_text('select = ["SIG805"]\n[profile]\ncustom-ops = ["MyTokenizer"]\n', encoding="utf-8")
    assert main(["check", "-q", "--config", str(config), str(fixture)]) == 0
