"""What the rules of `siglint diff` see: two versions of a model (the subject of the DIFF
scope), and each signature key both serve (DIFF_SIGNATURE), at the level of compatibility the
run asks for.

Levels follow buf's breaking-change categories, loosest last: `grpc` (buf's WIRE) is what breaks
gRPC Predict, Classify and Regress clients, which address tensors by key with typed
TensorProtos; `rest` (WIRE_JSON) adds what breaks REST clients too (JSON row and columnar
formats, base64 `_bytes` outputs, defaults the REST API ignores); `strict` (FILE) is any change
of a served signature. Each level holds the looser ones, as buf's do: a run at `rest` reports
every gRPC break as well, because a stock tensorflow_model_server serves both APIs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from siglint.engine.profile import Profile
from siglint.findings import LintResult, ModelSummary
from siglint.model.view import METADATA, SAVEDMODEL, MetaGraphView, ModelView, SignatureView


class Level(str, enum.Enum):
    GRPC = "grpc"
    REST = "rest"
    STRICT = "strict"

    def holds(self, other: Level) -> bool:
        """Whether a run at this level reports what breaks at `other` (strict holds rest holds grpc)."""
        return LEVELS.index(self) >= LEVELS.index(other)


LEVELS = (Level.GRPC, Level.REST, Level.STRICT)  # loosest first
DEFAULT_LEVEL = Level.GRPC
# Model kinds whose tensor names are graph tensor names (a TFLite model's are not): the names of
# two such models are compared; across other kinds, signatures are compared by key alone.
_GRAPH_NAMED = frozenset({SAVEDMODEL, METADATA})
_NO_SIGNATURES: Mapping[str, SignatureView] = MappingProxyType({})


def served_signatures(meta_graph: MetaGraphView | None) -> Mapping[str, SignatureView]:
    """The signatures clients call: every one but TF2's op signatures (`__saved_model_init_op`)."""
    if meta_graph is None:
        return _NO_SIGNATURES
    return {key: s for key, s in meta_graph.signatures.items() if not s.is_op_signature}


class ModelPair(NamedTuple):
    """The version serving (`old`) and the one about to be served (`new`)."""

    old: ModelView
    new: ModelView
    profile: Profile
    level: Level

    @property
    def old_meta_graph(self) -> MetaGraphView | None:
        return self.old.serving_meta_graph(self.profile.tags)

    @property
    def new_meta_graph(self) -> MetaGraphView | None:
        return self.new.serving_meta_graph(self.profile.tags)

    @property
    def old_signatures(self) -> Mapping[str, SignatureView]:
        return served_signatures(self.old_meta_graph)

    @property
    def new_signatures(self) -> Mapping[str, SignatureView]:
        return served_signatures(self.new_meta_graph)

    @property
    def both_have_tag_sets(self) -> bool:
        """Whether both sides know their MetaGraphDefs' tag-sets (a GetModelMetadata response
        holds only the one the server loaded, under no tags)."""
        return self.old.kind == SAVEDMODEL and self.new.kind == SAVEDMODEL

    @property
    def graph_names(self) -> bool:
        """Whether both sides' tensor names are graph tensor names, which can be compared."""
        return self.old.kind in _GRAPH_NAMED and self.new.kind in _GRAPH_NAMED


class SignaturePair(NamedTuple):
    """One signature key both versions serve: the old signature and the new one."""

    key: str
    old: SignatureView
    new: SignatureView
    profile: Profile
    level: Level = DEFAULT_LEVEL
    # Both sides name graph tensors (SavedModels, GetModelMetadata responses): their tensor
    # names can be compared.
    graph_names: bool = True


class DiffResult(NamedTuple):
    """What `siglint diff` found: the findings (at the new version's path), the two versions,
    the level, how many signatures both serve (compared key by key), and what it could not
    compare (for a note on stderr)."""

    result: LintResult
    old: ModelSummary
    new: ModelSummary
    level: Level
    compared: int
    notes: tuple[str, ...] = ()
