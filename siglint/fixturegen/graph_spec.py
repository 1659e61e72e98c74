"""The `graph` of a MetaGraphDef in a model spec (siglint.fixturegen.spec): nodes, library
functions, the init-op collections, the saver and the assets, as the graph rules read them::

    graph:
      nodes:
      - {name: x, op: Placeholder, attrs: {dtype: DT_FLOAT}}
      - {name: y, op: StatefulPartitionedCall, inputs: [x], attrs: {f: {func: serve}, Tout: [DT_FLOAT]}}
      functions:
      - name: serve
        outputs: {output_0: DT_FLOAT}
        nodes: [{name: read, op: ReadFile, inputs: [path]}]
      collections: {saved_model_main_op: [init]}
      saver: {filename: "save/Const:0", save: "save/Identity:0", restore: save/restore_all}
      assets: [{tensor: "Const:0", filename: vocab.txt}]

An attribute is a dtype (`DT_FLOAT`), an int, a bool, a list of dtypes or ints, a function
(`{func: name}`), a list of functions (`{funcs: [a, b]}`), or a string. A graph is written only
to a saved_model.pb (protobuf's text format drops the graph subset's fields of an Opaque one).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from siglint.savedmodel.dtypes import parse_dtype


class GraphSpecError(ValueError):
    """A graph spec that does not say what a graph is."""


class NodeSpec(NamedTuple):
    name: str
    op: str
    inputs: tuple[str, ...] = ()
    attrs: Mapping[str, Any] = {}


class FunctionSpec(NamedTuple):
    name: str
    outputs: Mapping[str, str]  # output arg name -> dtype name, in order
    nodes: tuple[NodeSpec, ...] = ()


class GraphSpec(NamedTuple):
    nodes: tuple[NodeSpec, ...] = ()
    functions: tuple[FunctionSpec, ...] = ()
    collections: Mapping[str, tuple[str, ...]] = {}  # node_list collections (the init op's)
    saver: tuple[str, str, str] | None = None  # filename, save and restore tensor/op names
    assets: tuple[tuple[str, str], ...] = ()  # (tensor name, filename)


def _table(data: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise GraphSpecError(f"{where} must be a table")
    if unknown := set(data) - allowed:
        raise GraphSpecError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    return data


def _node(data: Any, where: str) -> NodeSpec:
    table = _table(data, where, {"name", "op", "inputs", "attrs"})
    if not isinstance(table.get("name"), str) or not isinstance(table.get("op"), str):
        raise GraphSpecError(f"{where} needs a name and an op")
    return NodeSpec(table["name"], table["op"], tuple(table.get("inputs", ())), dict(table.get("attrs", {})))


def graph_spec(data: Any, where: str) -> GraphSpec:
    table = _table(data, where, {"nodes", "functions", "collections", "saver", "assets"})
    functions = []
    for index, function in enumerate(table.get("functions", [])):
        entry = _table(function, f"{where}.functions[{index}]", {"name", "outputs", "nodes"})
        functions.append(
            FunctionSpec(
                str(entry["name"]),
                dict(entry.get("outputs", {})),
                tuple(_node(n, f"{where}.functions[{index}].nodes[{i}]") for i, n in enumerate(entry.get("nodes", []))),
            )
        )
    saver = None
    if "saver" in table:
        names = _table(table["saver"], f"{where}.saver", {"filename", "save", "restore"})
        saver = (str(names.get("filename", "")), str(names.get("save", "")), str(names.get("restore", "")))
    return GraphSpec(
        nodes=tuple(_node(n, f"{where}.nodes[{i}]") for i, n in enumerate(table.get("nodes", []))),
        functions=tuple(functions),
        collections={key: tuple(values) for key, values in table.get("collections", {}).items()},
        saver=saver,
        assets=tuple((str(a["tensor"]), str(a["filename"])) for a in table.get("assets", [])),
    )


def _set_attr(value: Any, attr: Any, where: str) -> None:
    if isinstance(value, bool):
        attr.b = value
    elif isinstance(value, int):
        attr.i = value
    elif isinstance(value, str) and value.startswith("DT_"):
        attr.type = parse_dtype(value)
    elif isinstance(value, str):
        attr.s = value.encode("utf-8")
    elif isinstance(value, dict) and set(value) == {"func"}:
        attr.func.name = value["func"]
    elif isinstance(value, dict) and set(value) == {"funcs"}:
        for name in value["funcs"]:
            attr.list.func.add(name=name)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        attr.list.SetInParent()
        attr.list.type.extend(parse_dtype(v) for v in value)
    elif isinstance(value, list) and all(isinstance(v, int) for v in value):
        attr.list.SetInParent()
        attr.list.i.extend(value)
    else:
        raise GraphSpecError(f"{where}: cannot write attribute value {value!r}")


def _add_node(spec: NodeSpec, node: Any) -> None:
    node.name, node.op = spec.name, spec.op
    node.input.extend(spec.inputs)
    for key, value in spec.attrs.items():
        _set_attr(value, node.attr[key], f"node {spec.name!r} attr {key!r}")


def meta_graph_bytes(spec: GraphSpec) -> bytes:
    """The MetaGraphDef fields `spec` describes, serialized: merged into a MetaGraphDef, they
    give its graph_def, collection_def, saver_def and asset_file_def."""
    from siglint.savedmodel import graph_proto

    meta = graph_proto.GraphMetaGraph()
    graph = meta.graph_def
    graph.versions.producer = 1
    for node in spec.nodes:
        _add_node(node, graph.node.add())
    for function_spec in spec.functions:
        function = graph.library.function.add()
        function.signature.name = function_spec.name
        for name, dtype in function_spec.outputs.items():
            function.signature.output_arg.add(name=name, type=parse_dtype(dtype))
        for node in function_spec.nodes:
            _add_node(node, function.node_def.add())
    for key, values in spec.collections.items():
        meta.collection_def[key].node_list.value.extend(values)
    if spec.saver is not None:
        filename, save, restore = spec.saver
        meta.saver_def.filename_tensor_name = filename
        meta.saver_def.save_tensor_name = save
        meta.saver_def.restore_op_name = restore
    for tensor, filename in spec.assets:
        asset = meta.asset_file_def.add(filename=filename)
        asset.tensor_info.name = tensor
    return bytes(meta.SerializeToString(deterministic=True))
