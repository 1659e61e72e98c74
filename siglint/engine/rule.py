"""What a rule is, and what it sees: each rule checks subjects of one scope (a base path, a
model that failed to load, a model, or a signature) and yields Problems; the Engine gives them
the rule's identity, severity and location."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from siglint.engine.contracts.records import Pack
from siglint.engine.intent import Inference, Intent
from siglint.engine.profile import Profile
from siglint.findings import Problem, RuleInfo, Severity
from siglint.model.view import METADATA, SAVEDMODEL, TFLITE, MetaGraphView, ModelView, SignatureView

if TYPE_CHECKING:
    from siglint.model.graph import Graph

NO_SIGNATURES: Mapping[str, SignatureView] = MappingProxyType({})
SAVEDMODEL_ONLY = frozenset({SAVEDMODEL})  # Rule.model_kinds of a rule about files or tag-sets
TFLITE_ONLY = frozenset({TFLITE})  # of a rule about a TF Lite model (ModelView.tflite is set)
NOT_TFLITE = frozenset({SAVEDMODEL, METADATA})  # of a rule about TensorFlow sessions' own checks


class Scope(str, enum.Enum):
    BASE_PATH = "base-path"  # subject: siglint.model.discover.BasePath
    LOAD = "load"  # subject: siglint.model.load.LoadFailure
    MODEL = "model"  # subject: ModelContext
    SIGNATURE = "signature"  # subject: SignatureContext
    GRAPH = "graph"  # subject: GraphContext (the served MetaGraphDef's graph, read only for these)
    # A deployment's files (subjects in siglint.engine.deployment):
    WARMUP = "warmup"  # subject: WarmupContext
    REQUEST = "request"  # subject: RequestContext (a warmup record or a client's request)
    SERVER_CONFIG = "server-config"  # subject: ServerConfigContext
    CONFIGURED_MODEL = "configured-model"  # subject: ConfiguredModelContext
    # Two versions of a model (`siglint diff`; subjects in siglint.engine.diff):
    DIFF = "diff"  # subject: ModelPair
    DIFF_SIGNATURE = "diff-signature"  # subject: SignaturePair (a key both versions serve)


class ModelContext(NamedTuple):
    model: ModelView
    profile: Profile
    packs: tuple[Pack, ...] = ()  # contract packs beyond the core's tf-serving one

    @property
    def serving_meta_graph(self) -> MetaGraphView | None:
        return self.model.serving_meta_graph(self.profile.tags)


class SignatureContext(NamedTuple):
    """A signature, the APIs it is declared (or inferred) to serve, the server profile, the
    packs that are on, the other signatures of its MetaGraphDef (empty for a lone
    SignatureDef), and which of its APIs are only inferred, and why."""

    signature: SignatureView
    intents: frozenset[Intent]
    profile: Profile
    packs: tuple[Pack, ...] = ()
    siblings: Mapping[str, SignatureView] = NO_SIGNATURES
    inferred: tuple[Inference, ...] = ()


class GraphContext(NamedTuple):
    """The served MetaGraphDef of a model and its graph, read once for every graph rule."""

    model: ModelView
    meta_graph: MetaGraphView
    graph: Graph | None  # None: the graph cannot be decoded, `problem` says why
    profile: Profile
    problem: str | None = None


CheckFunction = Callable[..., Iterable[Problem]]


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    scope: Scope
    check: CheckFunction
    module: str  # the module whose docstring documents the rule (read when asked for)
    # SIGNATURE rules only: the APIs whose contract the rule belongs to (empty: every API).
    intents: frozenset[Intent] = frozenset()
    # SIGNATURE rules only: True for the rule about TF2's op signatures (`__saved_model_init_op`),
    # which every other rule skips.
    op_signatures: bool = False
    # The kinds of model (ModelView.kind) the rule can judge; None: every kind. A rule about a
    # SavedModel's files or tag-sets cannot judge what a GetModelMetadata response reports.
    model_kinds: frozenset[str] | None = None

    @property
    def doc(self) -> str:
        return self.info().doc

    @property
    def summary(self) -> str:
        return self.info().summary

    def judges(self, kind: str) -> bool:
        return self.model_kinds is None or kind in self.model_kinds

    def applies_to(self, context: SignatureContext) -> bool:
        if context.signature.is_op_signature != self.op_signatures:
            return False
        return not self.intents or bool(self.intents & context.intents)

    def info(self, severity: Severity | None = None) -> RuleInfo:
        """What a report says of this rule, at `severity` (default: its own)."""
        return RuleInfo(self.code, self.name, severity or self.severity, self.module)
