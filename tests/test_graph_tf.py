"""The graph rules against TensorFlow, the oracle: what siglint reads of a graph (its ops, each
node's outputs) equals what TensorFlow reads; problems planted in real exports are found, and
fail in TensorFlow with the error the finding quotes; clean exports give no graph finding.

Models: TF Serving's test models, and exports made here by `tf.saved_model.save`, Keras
`model.export()` and a TF1 `Builder` (binary and text), plus a `tf.function` that reads, writes
and prints, one with control flow, one with a TF Text op.
"""

from __future__ import annotations

import ast
import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_tf_exports import _export_keras, _export_tf1, _export_tf2_module

from siglint.cli import main
from siglint.model.graph import Graph, load_graph
from siglint.model.load import load_model
from siglint.model.view import ModelView
from siglint.run.lint import lint_paths

pytestmark = pytest.mark.tensorflow


def _export_unsafe(tf: Any, export_dir: Path) -> None:
    """The issue's planted problem: a tf.function that reads, writes and prints."""

    class Unsafe(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([], tf.string, name="path")])
        def serve(self, path):
            contents = tf.io.read_file(path)
            tf.io.write_file(path + ".copy", contents)
            tf.print("read", path)
            return {"length": tf.strings.length(contents)}

    module = Unsafe()
    tf.saved_model.save(module, str(export_dir), signatures={"serving_default": module.serve})


def _export_loop(tf: Any, export_dir: Path) -> None:
    """A tf.print inside a while loop's body: a function reached through `body`, not a call."""

    class Loop(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([], tf.int32, name="n")])
        def serve(self, n):
            total = tf.constant(0)
            for i in tf.range(n):
                tf.print("step", i)
                total += i
            return {"total": total}

    module = Loop()
    tf.saved_model.save(module, str(export_dir), signatures={"serving_default": module.serve})


@pytest.fixture(scope="module")
def exports(tf: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("graph_exports")
    dirs = {name: root / name for name in ("tf2_module", "keras", "tf1_pb", "tf1_pbtxt", "unsafe", "loop")}
    _export_tf2_module(tf, dirs["tf2_module"])
    _export_keras(tf, dirs["keras"])
    _export_tf1(tf, dirs["tf1_pb"], dirs["tf1_pbtxt"])
    _export_unsafe(tf, dirs["unsafe"])
    _export_loop(tf, dirs["loop"])
    return dirs


def _tf_saved_model(path: Path) -> Any:
    from tensorflow.python.saved_model import loader_impl

    return loader_impl.parse_saved_model(str(path))


def _graphs(path: Path) -> list[Graph]:
    model = load_model(str(path))
    assert isinstance(model, ModelView), model
    return [load_graph(mg.graph) for mg in model.meta_graphs if mg.graph is not None]


def _models(testdata: Path, exports: dict[str, Path]) -> list[Path]:
    serving = sorted({p.parent for p in testdata.glob("*/*/saved_model.pb")})
    assert len(serving) >= 14
    return serving + list(exports.values())


# --- what siglint reads equals what TensorFlow reads ----------------------------------------------


def test_ops_used_equal_tensorflows(testdata: Path, exports: dict[str, Path]) -> None:
    """`ops_used(calls_only=True)` is meta_graph.ops_used_by_graph_def (saved_model_cli's op set),
    and the default (every function an attribute names) contains it."""
    from tensorflow.python.framework import meta_graph
    from tensorflow.python.tools import saved_model_cli

    for path in _models(testdata, exports):
        tf_meta_graphs = _tf_saved_model(path).meta_graphs
        theirs = [set(meta_graph.ops_used_by_graph_def(mg.graph_def)) for mg in tf_meta_graphs]
        # saved_model_cli show --list_ops prints this set.
        assert theirs == [saved_model_cli._get_ops_in_metagraph(mg) for mg in tf_meta_graphs]
        ours = _graphs(path)
        assert [g.ops_used(calls_only=True) for g in ours] == theirs, path
        for graph, ops in zip(ours, theirs, strict=True):
            assert graph.ops_used() >= ops, path


def test_the_loop_body_is_followed_where_tensorflow_does_not(exports: dict[str, Path]) -> None:
    (graph,) = _graphs(exports["loop"])
    assert "PrintV2" in graph.ops_used()
    assert "PrintV2" not in graph.ops_used(calls_only=True)  # as ops_used_by_graph_def


def test_output_types_equal_tensorflows(tf: Any, tf_text: Any, testdata: Path, exports: dict[str, Path]) -> None:
    """For every node of every graph, the outputs siglint computes (count and dtypes), where it
    computes them, are those of the op TensorFlow imports."""
    compared = 0
    for path in _models(testdata, exports):
        for graph, tf_meta in zip(_graphs(path), _tf_saved_model(path).meta_graphs, strict=True):
            with tf.Graph().as_default() as tf_graph:
                tf.compat.v1.import_graph_def(tf_meta.graph_def, name="")
            for node in graph.nodes.values():
                ours = graph.output_types(node)
                if ours is None:
                    continue
                theirs = tuple(t.dtype.as_datatype_enum for t in tf_graph.get_operation_by_name(node.name).outputs)
                assert ours == theirs, (path, node.name, node.op)
                compared += 1
    assert compared > 1000


def test_nodes_equal_tensorflows(testdata: Path, exports: dict[str, Path]) -> None:
    """Every node's name, op and inputs, and every function's name and nodes, read from .pb
    (in batches or walked) and .pbtxt files alike."""
    for path in _models(testdata, exports):
        for graph, tf_meta in zip(_graphs(path), _tf_saved_model(path).meta_graphs, strict=True):
            theirs = {n.name: (n.op, tuple(n.input)) for n in tf_meta.graph_def.node}
            assert {name: (n.op, n.inputs) for name, n in graph.nodes.items()} == theirs, path
            tf_functions = {f.signature.name: [n.op for n in f.node_def] for f in tf_meta.graph_def.library.function}
            assert {name: [n.op for n in f.nodes] for name, f in graph.functions.items()} == tf_functions, path


# --- clean models: no graph finding that is an error ----------------------------------------------


def test_no_graph_error_on_serving_models_and_exports(testdata: Path, exports: dict[str, Path]) -> None:
    paths = [str(p) for p in _models(testdata, exports) if p.name != "unsafe"]
    result = lint_paths(paths)
    assert len(result.models) == len(paths)
    errors = [f for f in result.findings if f.code.startswith("SIG8") and f.severity.value == "error"]
    assert errors == []
    assert not result.notes  # every one of them has a graph, read whole


# --- planted problems ---------------------------------------------------------------------------------


def _rewrite(tf: Any, source: Path, target: Path, edit: Any) -> None:
    """A copy of the SavedModel at `source` whose saved_model.pb `edit(saved_model)` changed."""
    from tensorflow.core.protobuf import saved_model_pb2

    shutil.copytree(source, target)
    saved_model = saved_model_pb2.SavedModel.FromString((source / "saved_model.pb").read_bytes())
    edit(saved_model)
    (target / "saved_model.pb").write_bytes(saved_model.SerializeToString())


def _codes(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in lint_paths([str(path)]).findings:
        found.setdefault(finding.code, []).append(finding.message)
    return found


def _run_in_tensorflow(tf: Any, path: Path, fetch: str) -> str:
    """The error TensorFlow's C++ session gives fetching `fetch` from the loaded model, as TF
    Serving runs it (a callable: GraphExecutionState::PruneGraph)."""
    from tensorflow.core.protobuf import config_pb2

    with tf.Graph().as_default(), tf.compat.v1.Session() as session:
        tf.compat.v1.saved_model.loader.load(session, ["serve"], str(path))
        options = config_pb2.CallableOptions(fetch=[fetch])
        with pytest.raises(Exception) as raised:  # TensorFlow's error types vary
            session._make_callable_from_options(options)
    return str(raised.value)


@pytest.mark.parametrize("export", ["tf1_pb", "tf2_module"])
def test_a_missing_tensor_name_is_found_and_fails_in_tensorflow(
    tf: Any, exports: dict[str, Path], tmp_path: Path, export: str
) -> None:
    def edit(saved_model: Any) -> None:
        outputs = saved_model.meta_graphs[0].signature_def["serving_default"].outputs
        next(iter(outputs.values())).name = "no_such_node:0"

    _rewrite(tf, exports[export], tmp_path / "m", edit)
    found = _codes(tmp_path / "m")
    assert len(found["SIG801"]) == 1
    quoted = "Tensor no_such_node:0, specified in either feed_devices or fetch_devices was not found in the Graph"
    assert quoted in found["SIG801"][0]
    assert quoted in _run_in_tensorflow(tf, tmp_path / "m", "no_such_node:0")


def test_an_output_index_past_the_call_is_found_and_fails_in_tensorflow(
    tf: Any, exports: dict[str, Path], tmp_path: Path
) -> None:
    def edit(saved_model: Any) -> None:
        outputs = saved_model.meta_graphs[0].signature_def["serving_default"].outputs
        next(iter(outputs.values())).name = "StatefulPartitionedCall:7"

    _rewrite(tf, exports["tf2_module"], tmp_path / "m", edit)
    (message,) = _codes(tmp_path / "m")["SIG801"]
    error = _run_in_tensorflow(tf, tmp_path / "m", "StatefulPartitionedCall:7")
    assert "num of outputs: 2) does not have output 7" in message
    assert "num of outputs: 2) does not have output 7" in error


def test_an_unknown_op_is_found_and_does_not_load_in_tensorflow(
    tf: Any, exports: dict[str, Path], tmp_path: Path
) -> None:
    def edit(saved_model: Any) -> None:
        node = next(n for n in saved_model.meta_graphs[0].graph_def.node if n.name == "probability")
        node.op = "MyTokenizer"

    _rewrite(tf, exports["tf1_pb"], tmp_path / "m", edit)
    (message,) = _codes(tmp_path / "m")["SIG805"]
    assert "Op type not registered 'MyTokenizer'" in message
    with tf.Graph().as_default(), tf.compat.v1.Session() as session, pytest.raises(
        Exception, match="Op type not registered 'MyTokenizer'"
    ):
        tf.compat.v1.saved_model.loader.load(session, ["serve"], str(tmp_path / "m"))
    code = main(["check", "-q", "--custom-ops", "MyTokenizer", "--select", "SIG805", str(tmp_path / "m")])
    assert code == 0


def test_a_function_that_reads_writes_and_prints_is_found(exports: dict[str, Path]) -> None:
    found = _codes(exports["unsafe"])
    assert {"SIG810", "SIG811", "SIG812"} <= set(found)
    assert "'ReadFile'" in found["SIG810"][0] and "'WriteFile'" in found["SIG811"][0]
    assert "'PrintV2'" in found["SIG812"][0]
    assert "SIG805" not in found and "SIG801" not in found


# --- siglint scan prints what saved_model_cli scan prints --------------------------------------------


def _saved_model_cli_lines(path: Path, denylist: set[str]) -> list[str]:
    from tensorflow.python.tools import saved_model_cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for meta_graph_def in _tf_saved_model(path).meta_graphs:
            saved_model_cli.scan_meta_graph_def(meta_graph_def, denylist)
    return out.getvalue().splitlines()


def _normalized(lines: list[str]) -> list[tuple[str, Any]]:
    """Each line with its printed set read back as a set (Python prints sets in no fixed order)."""
    return [(line.split(": ", 1)[0], ast.literal_eval(line.split(": ", 1)[1])) for line in lines]


@pytest.mark.parametrize("denylist", [None, "PrintV2,Const,MatMul"])
def test_scan_prints_what_saved_model_cli_prints(
    testdata: Path, exports: dict[str, Path], denylist: str | None
) -> None:
    from tensorflow.python.tools import saved_model_cli

    ops = set(denylist.split(",")) if denylist else saved_model_cli._OP_DENYLIST
    for path in _models(testdata, exports):
        out = io.StringIO()
        main(["scan", str(path), *(["--op_denylist", denylist] if denylist else [])], stdout=out)
        ours = out.getvalue().splitlines()
        assert _normalized(ours) == _normalized(_saved_model_cli_lines(path, ops)), path
        assert all(set(ast.literal_eval(line.split(": ", 1)[1])) == set() or "{" in line for line in ours)


def test_scan_of_the_unsafe_export(exports: dict[str, Path]) -> None:
    out = io.StringIO()
    code = main(["scan", str(exports["unsafe"])], stdout=out)
    assert code == 1
    assert out.getvalue() == (
        "MetaGraph with tag set ['serve'] contains the following denylisted ops: "
        "{'PrintV2', 'ReadFile', 'WriteFile'}\n"
    )


# --- the schema subset is TensorFlow's, field for field ---------------------------------------------


def _repeated(field: Any) -> bool:
    return bool(field.is_repeated) if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED


def test_the_graph_schema_is_tensorflows(tf: Any) -> None:
    """Every field of every message of the graph subset (the graph rules' and show's) has the
    number, kind and cardinality TensorFlow's has (Opaque standing for any message siglint does
    not decode)."""
    from google.protobuf import any_pb2
    from tensorflow.core.framework import (
        attr_value_pb2,
        function_pb2,
        graph_pb2,
        node_def_pb2,
        op_def_pb2,
        versions_pb2,
    )
    from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2, saver_pb2
    from tensorflow.python.keras.protobuf import saved_metadata_pb2

    from siglint.savedmodel import graph_proto, graph_schema

    theirs = {
        "GraphDef": graph_pb2.GraphDef, "NodeDef": node_def_pb2.NodeDef, "AttrValue": attr_value_pb2.AttrValue,
        "NameAttrList": attr_value_pb2.NameAttrList, "FunctionDef": function_pb2.FunctionDef,
        "FunctionDefLibrary": function_pb2.FunctionDefLibrary, "RegisteredGradient": function_pb2.RegisteredGradient,
        "OpDef": op_def_pb2.OpDef, "ArgDef": op_def_pb2.OpDef.ArgDef, "VersionDef": versions_pb2.VersionDef,
        "SaverDef": saver_pb2.SaverDef, "CollectionDef": meta_graph_pb2.CollectionDef,
        "AssetFileDef": meta_graph_pb2.AssetFileDef, "GraphMetaGraph": meta_graph_pb2.MetaGraphDef,
        "GraphSavedModel": saved_model_pb2.SavedModel, "Any": any_pb2.Any,
        "KerasSavedMetadata": saved_metadata_pb2.SavedMetadata, "KerasSavedObject": saved_metadata_pb2.SavedObject,
    }
    assert set(theirs) == {message.name for message in graph_schema.build_file().message_type}
    pool = graph_proto._POOL
    checked = 0
    pending = [(pool.FindMessageTypeByName(f"siglint.proto.{name}"), tf_type.DESCRIPTOR) for name, tf_type in theirs.items()]
    while pending:
        ours, tf_descriptor = pending.pop()
        for field in ours.fields:
            tf_field = tf_descriptor.fields_by_number[field.number]
            assert (field.name, _repeated(field)) == (tf_field.name, _repeated(tf_field)), (ours.full_name, field.name)
            if field.message_type is not None and field.message_type.name != "Opaque":
                assert tf_field.message_type is not None, (ours.full_name, field.name)
                if field.message_type.name.endswith("Entry") or field.message_type.containing_type is not None:
                    pending.append((field.message_type, tf_field.message_type))
            elif field.message_type is None:
                assert field.type == tf_field.type, (ours.full_name, field.name)
            checked += 1
    assert checked > 50


def test_a_lambda_layer_in_keras_metadata_is_found(tf: Any, exports: dict[str, Path], tmp_path: Path) -> None:
    import json

    from tensorflow.python.keras.protobuf import saved_metadata_pb2

    metadata = saved_metadata_pb2.SavedMetadata()
    metadata.nodes.add(node_id=1, node_path="root.layer-1", identifier="_tf_keras_layer",
                       metadata=json.dumps({"class_name": "Lambda", "name": "double"}))
    metadata.nodes.add(node_id=2, node_path="root.layer-2", identifier="_tf_keras_layer",
                       metadata=json.dumps({"class_name": "Dense", "name": "dense"}))
    shutil.copytree(exports["tf1_pb"], tmp_path / "m")
    (tmp_path / "m" / "keras_metadata.pb").write_bytes(metadata.SerializeToString())
    found = _codes(tmp_path / "m")
    assert len(found["SIG814"]) == 1 and "'double' (root.layer-1)" in found["SIG814"][0]


def test_tf_text_ops_are_a_stock_servers(tf: Any, tf_text: Any, tmp_path: Path) -> None:
    """An export that tokenizes with TF Text uses ops the model server links: no SIG805."""

    class Tokenize(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="text")])
        def serve(self, text):
            tokens = tf_text.WhitespaceTokenizer().tokenize(text)
            return {"count": tokens.row_lengths()}

    module = Tokenize()
    tf.saved_model.save(module, str(tmp_path / "m"), signatures={"serving_default": module.serve})
    (graph,) = _graphs(tmp_path / "m")
    assert any(op.startswith("TFText>") or "Whitespace" in op for op in graph.ops_used())
    assert "SIG805" not in _codes(tmp_path / "m")
