"""Read-only views of a SavedModel: the only shape in which rules see a model.

No protobuf object passes this module: `from_proto` functions copy what the rules need into
frozen NamedTuples (the graph stays on disk), so a change of proto backend touches
`siglint.savedmodel.proto`, `load`, `coerce` and here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from siglint.savedmodel import constants
from siglint.savedmodel.dtypes import dtype_name

if TYPE_CHECKING:
    from siglint.model.tflite_view import TfliteView



def shape_text(dims: tuple[int, ...] | None, unknown: str = "unknown_rank") -> str:
    """Dimensions as saved_model_cli prints a shape: ``(-1, 3)``, ``()``; `unknown` for None."""
    return unknown if dims is None else "(" + ", ".join(str(size) for size in dims) + ")"

class TensorView(NamedTuple):
    key: str
    name: str
    encoding: str  # "name", "coo_sparse", "composite_tensor" or "" when none is set
    dtype: int
    shape: tuple[int, ...] | None  # None: unknown rank; -1: unknown dimension
    # Every graph tensor the TensorInfo refers to (one for `name`, three for coo_sparse, ...).
    tensor_names: tuple[str, ...] = ()
    has_shape: bool = True  # False: the TensorInfo has no tensor_shape at all (shape is then None)

    @property
    def dtype_name(self) -> str:
        return dtype_name(self.dtype)

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    @property
    def shape_text(self) -> str:
        """The shape as saved_model_cli prints it: ``(-1, 3)``, ``(-1)``, ``()``, ``unknown_rank``."""
        return shape_text(self.shape)

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
    # The SignatureDef as protobuf wire bytes (deterministic), for outputs that reproduce it whole
    # (TF Serving's GetModelMetadata JSON, defaults' values included); b"" when not made from one.
    serialized: bytes = b""

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


SAVEDMODEL = "savedmodel"  # ModelView.kind of a SavedModel directory
METADATA = "metadata"  # of a TF Serving GetModelMetadata response (siglint.model.metadata)
TFLITE = "tflite"  # of a TF Lite model (siglint.model.tflite): its MetaGraphDef is TF Serving's view


class ServedAs(NamedTuple):
    """The servable a GetModelMetadata response describes (its `model_spec`)."""

    name: str
    version: int | None = None
    version_label: str = ""


class ModelView(NamedTuple):
    path: str
    file: str  # the file read: path/saved_model.pb or path/saved_model.pbtxt (or the response)
    schema_version: int
    meta_graphs: tuple[MetaGraphView, ...]
    version: int | None = None  # the TF Serving version folder's number, if it is one
    kind: str = SAVEDMODEL
    served_as: ServedAs | None = None  # METADATA: what the server said it served
    tflite: TfliteView | None = None  # TFLITE: the model beyond TF Serving's signatures

    def without_graph_refs(self) -> ModelView:
        """The model as read, without where its graphs are (which only the seek reader knows)."""
        return self._replace(meta_graphs=tuple(mg._replace(graph=None) for mg in self.meta_graphs))

    def serving_meta_graph(self, tags: tuple[str, ...]) -> MetaGraphView | None:
        """The MetaGraphDef a server loads for `tags`: exact set equality, first match wins. A
        GetModelMetadata response holds the one the server loaded, whatever its tags; a TF Lite
        model, the signatures TF Serving gives it, whatever tags it is asked for."""
        if self.kind in (METADATA, TFLITE) and self.meta_graphs:
            return self.meta_graphs[0]._replace(tags=tuple(tags))
        wanted = set(tags)
        return next((mg for mg in self.meta_graphs if set(mg.tags) == wanted), None)


def _shape(info: Any, has_shape: bool) -> tuple[int, ...] | None:
    # No tensor_shape at all says nothing about the shape: treat it as unknown rank, as protobuf's
    # JSON form (which omits it) would be read.
    if not has_shape:
        return None
    shape = info.tensor_shape
    return None if shape.unknown_rank else tuple([dim.size for dim in shape.dim])


def _tensor_names(info: Any, encoding: str) -> tuple[str, ...]:
    if encoding == "name":
        return (info.name,)
    if encoding == "coo_sparse":
        coo = info.coo_sparse
        return (coo.values_tensor_name, coo.indices_tensor_name, coo.dense_shape_tensor_name)
    if encoding == "composite_tensor":
        return tuple(
            n for part in info.composite_tensor.components
            for n in _tensor_names(part, part.WhichOneof("encoding") or "")
        )
    return ()


def tensor_from_proto(key: str, info: Any) -> TensorView:
    encoding = info.WhichOneof("encoding") or ""
    has_shape = info.HasField("tensor_shape")
    return TensorView(key, info.name, encoding, info.dtype, _shape(info, has_shape), _tensor_names(info, encoding), has_shape)


_NO_DEFAULTS: frozenset[str] = frozenset()


def signature_from_proto(key: str, proto: Any) -> SignatureView:
    return SignatureView(  # positional: a model may hold 100,000 of them
        key,
        proto.method_name,
        {k: tensor_from_proto(k, v) for k, v in sorted(proto.inputs.items())},
        {k: tensor_from_proto(k, v) for k, v in sorted(proto.outputs.items())},
        frozenset(proto.defaults) if len(proto.defaults) else _NO_DEFAULTS,
        proto.SerializeToString(deterministic=True),
    )


def meta_graph_from_proto(proto: Any) -> MetaGraphView:
    info = proto.meta_info_def
    return MetaGraphView(
        tags=tuple(info.tags),
        tensorflow_version=info.tensorflow_version,
        is_tf2=proto.HasField("object_graph_def"),
        signatures={
            key: signature_from_proto(key, signature)
            for key, signature in sorted(proto.signature_def.items())
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
