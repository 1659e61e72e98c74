"""The graph behind a MetaGraphDef's signatures, as the graph rules see it: its nodes by name,
its function library, the ops it uses and where, what each node outputs, what running some
names runs, and what TF Serving's loader reads beside the graph (the init op, the assets).

`load_graph` reads a GraphRef (siglint.model.view) through the Source seam with the graph reader
(siglint.io.graph_reader) for a saved_model.pb, or parses a .pbtxt again; nothing is read until a
graph rule asks. Names follow TensorFlow: a tensor name is `op:index` (`op` alone is output 0,
`ParseTensorName` in tensorflow/core/graph/tensor_id.cc), an input `^op` is a control input.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from siglint.io.graph_reader import read_graph
from siglint.io.graph_records import (
    DEFAULT_LIMITS,
    FunctionRecord,
    GraphRecord,
    GraphTooLarge,
    GraphUndecodable,
    Limits,
    NodeRecord,
    graph_from_message,
)
from siglint.io.seek_reader import Span
from siglint.io.source import Source, SourceError, read_chunks, storage_for
from siglint.model.view import GraphRef
from siglint.savedmodel import ops
from siglint.savedmodel.constants import CALL_OPS

__all__ = ["Graph", "GraphTooLarge", "GraphUndecodable", "Site", "load_graph", "parse_tensor_name"]

# The collections that name a TF1 init op, in the order the loader looks (loader_util.cc, GetInitOp).
INIT_OP_COLLECTIONS = ("saved_model_main_op", "legacy_init_op")
ASSETS_COLLECTION = "saved_model_assets"
_TENSOR_NAME = re.compile(r"^(.*):([0-9]+)$")


def parse_tensor_name(name: str) -> tuple[str, int]:
    """`x:1` -> ("x", 1); `x` -> ("x", 0); `^x` -> ("x", -1), as TensorFlow's ParseTensorName."""
    if name.startswith("^"):
        return name[1:], -1
    match = _TENSOR_NAME.match(name)
    if match:
        return match.group(1), int(match.group(2))
    return name, 0


class Site(NamedTuple):
    """Where an op is used: a node of the graph (function None), or of a function."""

    node: str
    function: str | None = None

    def __str__(self) -> str:
        return f"node {self.node!r} of function {self.function!r}" if self.function else f"graph node {self.node!r}"


class Asset(NamedTuple):
    tensor: str  # the graph tensor the loader feeds the file's path to
    filename: str  # relative to the model's assets/ folder


class Graph:
    """A MetaGraphDef's graph and what its loader reads beside it."""

    def __init__(
        self,
        record: GraphRecord,
        init_collections: Mapping[str, tuple[str, ...]] | None = None,
        assets: tuple[Asset, ...] = (),
    ) -> None:
        self.nodes: dict[str, NodeRecord] = {}
        for node in record.nodes:
            self.nodes.setdefault(node.name, node)
        self.functions: dict[str, FunctionRecord] = {}
        for function in record.functions:
            self.functions.setdefault(function.name, function)
        self.producer = record.producer
        self._sites: dict[bool, dict[str, list[Site]]] = {}
        self._running: dict[tuple[str, ...], set[Site]] = {}
        self.init_collections = dict(init_collections or {})
        self.assets = assets

    # -- outputs ---------------------------------------------------------------------------

    def output_types(self, node: NodeRecord) -> tuple[int, ...] | None:
        """The dtypes of `node`'s outputs, or None when siglint cannot tell (an op the registry
        lacks, an attribute it does not keep, a node whose attributes were not read)."""
        if node.attrs is None:
            return None
        function = self.functions.get(node.op)
        if function is not None:  # a node calling a library function by name
            outputs = tuple(
                ops.OutputArg(arg.dtype, arg.type_attr, arg.type_list_attr, arg.number_attr, arg.is_ref)
                for arg in function.outputs
            )
            return ops.output_types(outputs, node.attrs, {})
        spec = ops.spec(node.op)
        return None if spec is None else ops.output_types(spec.outputs, node.attrs, spec.defaults)

    # -- ops -------------------------------------------------------------------------------

    def _called(self, node: NodeRecord, calls_only: bool) -> Iterator[str]:
        if node.op in self.functions:
            yield node.op
        for key, name in node.functions:
            if not calls_only or (node.op in CALL_OPS and key == "f"):
                yield name

    def reachable_functions(self, roots: Iterable[NodeRecord], calls_only: bool = False) -> list[str]:
        """The library functions `roots` call, directly or not, in the order first reached.
        Every function an attribute names counts (the bodies of While, If, map_fn, ...); with
        `calls_only`, only what TensorFlow's ops_used_by_graph_def follows: a node whose op is a
        function, and the `f` of PartitionedCall and StatefulPartitionedCall."""
        seen: dict[str, None] = {}
        pending = [name for node in roots for name in self._called(node, calls_only)]
        while pending:
            name = pending.pop()
            if name in seen or name not in self.functions:
                continue
            seen[name] = None
            for node in self.functions[name].nodes:
                pending.extend(self._called(node, calls_only))
        return list(seen)

    def sites(self, calls_only: bool = False) -> Mapping[str, list[Site]]:
        """Where each op is used: the graph's nodes, then the nodes of the functions they reach
        (function names are ops too). Computed once per graph."""
        cached = self._sites.get(calls_only)
        if cached is None:
            cached = {}
            for node in self.nodes.values():
                cached.setdefault(node.op, []).append(Site(node.name))
            for name in self.reachable_functions(self.nodes.values(), calls_only):
                for node in self.functions[name].nodes:
                    cached.setdefault(node.op, []).append(Site(node.name, name))
            self._sites[calls_only] = cached
        return cached

    def ops_used(self, calls_only: bool = False) -> set[str]:
        """The ops the graph uses, function names left out: with `calls_only`, exactly
        TensorFlow's `meta_graph.ops_used_by_graph_def` (what `saved_model_cli scan` and
        `show --list_ops` print)."""
        return {op for op in self.sites(calls_only) if op not in self.functions}

    # -- what the loader runs ----------------------------------------------------------------

    def closure(self, names: Iterable[str]) -> set[str]:
        """The graph nodes `names` (tensor or node names) depend on, themselves included,
        through data and control inputs."""
        seen: set[str] = set()
        pending = [parse_tensor_name(name)[0] for name in names if name]
        while pending:
            name = pending.pop()
            node = self.nodes.get(name)
            if node is None or name in seen:
                continue
            seen.add(name)
            pending.extend(parse_tensor_name(i)[0] for i in node.inputs)
        return seen

    def running_sites(self, names: Iterable[str]) -> set[Site]:
        """The nodes running `names` (tensor or node names) runs: the graph nodes they depend on
        and the nodes of the functions those call. Computed once per graph and names."""
        key = tuple(names)
        if key not in self._running:
            self._running[key] = self._running_sites(key)
        return self._running[key]

    def _running_sites(self, names: tuple[str, ...]) -> set[Site]:
        nodes = self.closure(names)
        found = {Site(name) for name in nodes}
        for function in self.reachable_functions(self.nodes[name] for name in nodes):
            found.update(Site(node.name, function) for node in self.functions[function].nodes)
        return found


# --------------------------------------------------------------------------------------------
# Loading


def load_graph(ref: GraphRef, limits: Limits = DEFAULT_LIMITS, attrs_of: Collection[str] | None = None) -> Graph:
    """The graph `ref` points at, with the attributes of the graph nodes named in `attrs_of`
    (None: every graph node's), which `Graph.output_types` needs; raises GraphUndecodable
    (protobuf would reject it, or the file can no longer be read) or GraphTooLarge."""
    from siglint.savedmodel import graph_proto

    storage = storage_for(ref.file)
    try:
        source = storage.open(ref.file)
    except SourceError as error:
        raise GraphUndecodable(f"cannot read {ref.file}: {error}") from None
    try:
        if ref.spans is not None:
            record = read_graph(source, (Span(*span) for span in ref.spans), limits, attrs_of)
            meta = _parse_meta(graph_proto.GraphMetaGraph, ref.meta)
        else:
            meta = _parse_text_meta(source, ref.index)
            record = graph_from_message(meta.graph_def, limits, attrs_of)
    except SourceError as error:
        raise GraphUndecodable(f"cannot read {ref.file}: {error}") from None
    finally:
        source.close()
    return Graph(record, *_loader_facts(meta))


def _parse_meta(message_type: Any, data: bytes) -> Any:
    from google.protobuf import message

    try:
        return message_type.FromString(data)
    except (message.DecodeError, RuntimeError, ValueError):
        raise GraphUndecodable("the MetaGraphDef's saver_def, collection_def or asset_file_def") from None


def _parse_text_meta(source: Source, index: int) -> Any:
    """The MetaGraphDef at `index` of a `.pbtxt`, in the graph subset: streamed, constants
    dropped as they go by (siglint.savedmodel.textformat); the fields the subset lacks are
    skipped (the file was read strictly when the model was loaded)."""
    from siglint.savedmodel import graph_proto, textformat

    saved_model = graph_proto.GraphSavedModel()
    try:
        textformat.parse_chunks(read_chunks(source), saved_model, known_only=True)
    except (textformat.ParseError, ValueError, RecursionError) as error:
        raise GraphUndecodable(f"not valid text format ({error})") from None
    if index >= len(saved_model.meta_graphs):
        raise GraphUndecodable("the file changed since it was read")
    return saved_model.meta_graphs[index]


def _loader_facts(meta: Any) -> tuple[dict[str, tuple[str, ...]], tuple[Asset, ...]]:
    collections = {
        key: tuple(meta.collection_def[key].node_list.value)
        for key in INIT_OP_COLLECTIONS
        if key in meta.collection_def
    }
    return collections, _assets(meta)


def _assets(meta: Any) -> tuple[Asset, ...]:
    """AssetFileDefs as the loader reads them (loader_util.cc, GetAssetFileDefs): the
    MetaGraphDef's own, else the `saved_model_assets` collection's."""
    from siglint.savedmodel import graph_proto

    definitions = list(meta.asset_file_def)
    if not definitions and ASSETS_COLLECTION in meta.collection_def:
        for packed in meta.collection_def[ASSETS_COLLECTION].any_list.value:
            definitions.append(_parse_meta(graph_proto.AssetFileDef, packed.value))
    return tuple(Asset(d.tensor_info.name, d.filename) for d in definitions)
