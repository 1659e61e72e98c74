"""Read-only views of a SavedModel: the only shape in which rules see a model.

No protobuf object passes this module: `from_proto` functions copy what the rules need into
frozen NamedTuples (the graph stays on disk), so a change of proto backend touches
`siglint.savedmodel.proto`, `load`, `coerce` and here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from siglint.savedmodel import constants
from siglint.savedmodel.dtypes import dtype_name


class TensorView(NamedTuple):
    key: str
    name: str
    encoding: str  # "name", "coo_sparse", "composite_tensor" or "" when none is set
    dtype: int
    shape: tuple[int, ...] | None  # None: unknown rank; -1: unknown dimension
    # Every graph tensor the TensorInfo refers to (one for `name`, three for coo_sparse, ...).
    tensor_names: tuple[str, ...] = ()

    @property
    def dtype_name(self) -> str:
        return dtype_name(self.dtype)

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    @property
    def shape_text(self) -> str:
        """The shape as saved_model_cli prints it: ``(-1, 3)``, ``(-1)``, ``()``, ``unknown_rank``."""
        if self.shape is None:
            return "unknown_rank"
        return "(" + ", ".join(str(size) for size in self.shape) + ")"

    def dim(self, index: int) -> int | None:
        """The size of dimension `index` when it is known (not -1, rank known), else None."""
        if self.shape is None or index >= len(self.shape) or self.shape[index] < 0:
            return None
        return self.shape[index]


class SignatureView(NamedTuple):
    key: str
    method_name: str
    inputs: Mapping[str, TensorView]
    outputs: Mapping[str, TensorView]
    defaults: frozenset[str] = frozenset()

    def tensors(self) -> Iterator[tuple[str, TensorView]]:
        """Every input then every output, with "input" or "output"."""
        for tensor in self.inputs.values():
            yield "input", tensor
        for tensor in self.outputs.values():
            yield "output", tensor

    @property
    def is_op_signature(self) -> bool:
        """TF2's init/train op signatures (`__saved_model_init_op`): bookkeeping, never served."""
        return self.key in constants.OP_SIGNATURE_KEYS


class GraphRef(NamedTuple):
    """Where a MetaGraphDef's graph is, for the graph rules to read when they run
    (siglint.model.graph.load_graph): nothing of it is read while loading."""

    file: str  # the model file
    index: int  # the MetaGraphDef's position in it
    # saved_model.pb: the spans of its graph_def payloads, and the MetaGraphDef without its
    # graph (serialized: what names nodes, as the saver and the init op's collection). None for
    # a .pbtxt, which is parsed again.
    spans: tuple[tuple[int, int], ...] | None = None
    meta: bytes = b""


class MetaGraphView(NamedTuple):
    tags: tuple[str, ...]
    tensorflow_version: str
    is_tf2: bool  # has an object graph: written by tf.saved_model.save
    signatures: Mapping[str, SignatureView]
    graph: GraphRef | None = None  # None: the MetaGraphDef has no graph_def


class ModelView(NamedTuple):
    path: str
    file: str  # the file read: path/saved_model.pb or path/saved_model.pbtxt
    schema_version: int
    meta_graphs: tuple[MetaGraphView, ...]
    version: int | None = None  # the TF Serving version folder's number, if it is one

    def without_graph_refs(self) -> ModelView:
        """The model as read, without where its graphs are (which only the seek reader knows)."""
        return self._replace(meta_graphs=tuple(mg._replace(graph=None) for mg in self.meta_graphs))

    def serving_meta_graph(self, tags: tuple[str, ...]) -> MetaGraphView | None:
        """The MetaGraphDef a server loads for `tags`: exact set equality, first match wins."""
        wanted = set(tags)
        return next((mg for mg in self.meta_graphs if set(mg.tags) == wanted), None)


def _shape(info: Any) -> tuple[int, ...] | None:
    # No tensor_shape at all says nothing about the shape: treat it as unknown rank, as protobuf's
    # JSON form (which omits it) would be read.
    if not info.HasField("tensor_shape") or info.tensor_shape.unknown_rank:
        return None
    return tuple(int(dim.size) for dim in info.tensor_shape.dim)


def _tensor_names(info: Any) -> tuple[str, ...]:
    encoding = info.WhichOneof("encoding") or ""
    if encoding == "name":
        return (info.name,)
    if encoding == "coo_sparse":
        coo = info.coo_sparse
        return (coo.values_tensor_name, coo.indices_tensor_name, coo.dense_shape_tensor_name)
    if encoding == "composite_tensor":
        return tuple(n for part in info.composite_tensor.components for n in _tensor_names(part))
    return ()


def tensor_from_proto(key: str, info: Any) -> TensorView:
    return TensorView(
        key=key,
        name=info.name,
        encoding=info.WhichOneof("encoding") or "",
        dtype=int(info.dtype),
        shape=_shape(info),
        tensor_names=_tensor_names(info),
    )


def signature_from_proto(key: str, proto: Any) -> SignatureView:
    return SignatureView(
        key=key,
        method_name=proto.method_name,
        inputs={k: tensor_from_proto(k, proto.inputs[k]) for k in sorted(proto.inputs)},
        outputs={k: tensor_from_proto(k, proto.outputs[k]) for k in sorted(proto.outputs)},
        defaults=frozenset(proto.defaults),
    )


def meta_graph_from_proto(proto: Any) -> MetaGraphView:
    info = proto.meta_info_def
    return MetaGraphView(
        tags=tuple(info.tags),
        tensorflow_version=info.tensorflow_version,
        is_tf2=proto.HasField("object_graph_def"),
        signatures={
            key: signature_from_proto(key, proto.signature_def[key])
            for key in sorted(proto.signature_def)
        },
    )


def model_from_proto(path: str, file: str, proto: Any, version: int | None = None) -> ModelView:
    return ModelView(
        path=path,
        file=file,
        schema_version=int(proto.saved_model_schema_version),
        meta_graphs=tuple(meta_graph_from_proto(mg) for mg in proto.meta_graphs),
        version=version,
    )


def with_graph_refs(model: ModelView, proto: Any, spans: Any = None) -> ModelView:
    """`model` with where each MetaGraphDef's graph is: `spans` from the seek reader (one entry
    per MetaGraphDef: its graph_def's spans, or None without one) for a saved_model.pb, None for
    a .pbtxt (parsed again when a graph rule runs)."""
    meta_graphs = []
    for index, (view, mg) in enumerate(zip(model.meta_graphs, proto.meta_graphs)):
        if spans is not None and spans[index] is not None:
            view = view._replace(graph=GraphRef(model.file, index, tuple(spans[index]), mg.SerializeToString()))
        elif spans is None and mg.HasField("graph_def"):
            view = view._replace(graph=GraphRef(model.file, index))
        meta_graphs.append(view)
    return model._replace(meta_graphs=tuple(meta_graphs))
