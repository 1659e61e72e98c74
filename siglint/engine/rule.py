"""What a rule is, and what it sees: each rule checks subjects of one scope (a base path, a
model that failed to load, a model, or a signature) and yields Problems; the Engine gives them
the rule's identity, severity and location."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from siglint.engine.contracts.records import Pack
from siglint.engine.intent import Intent
from siglint.engine.profile import Profile
from siglint.findings import Problem, RuleInfo, Severity
from siglint.model.view import MetaGraphView, ModelView, SignatureView

NO_SIGNATURES: Mapping[str, SignatureView] = MappingProxyType({})


class Scope(str, enum.Enum):
    BASE_PATH = "base-path"  # subject: siglint.model.discover.BasePath
    LOAD = "load"  # subject: siglint.model.load.LoadFailure
    MODEL = "model"  # subject: ModelContext
    SIGNATURE = "signature"  # subject: SignatureContext
    # A deployment's files (subjects in siglint.engine.deployment):
    WARMUP = "warmup"  # subject: WarmupContext
    REQUEST = "request"  # subject: RequestContext (a warmup record or a client's request)
    SERVER_CONFIG = "server-config"  # subject: ServerConfigContext
    CONFIGURED_MODEL = "configured-model"  # subject: ConfiguredModelContext


class ModelContext(NamedTuple):
    model: ModelView
    profile: Profile
    packs: tuple[Pack, ...] = ()  # contract packs beyond the core's tf-serving one

    @property
    def serving_meta_graph(self) -> MetaGraphView | None:
        return self.model.serving_meta_graph(self.profile.tags)


class SignatureContext(NamedTuple):
    """A signature, the APIs it is inferred (or declared) to serve, the server profile, the
    packs that are on, and the other signatures of its MetaGraphDef (empty for a lone
    SignatureDef)."""

    signature: SignatureView
    intents: frozenset[Intent]
    profile: Profile
    packs: tuple[Pack, ...] = ()
    siblings: Mapping[str, SignatureView] = NO_SIGNATURES


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

    @property
    def doc(self) -> str:
        return self.info().doc

    @property
    def summary(self) -> str:
        return self.info().summary

    def applies_to(self, context: SignatureContext) -> bool:
        if context.signature.is_op_signature != self.op_signatures:
            return False
        return not self.intents or bool(self.intents & context.intents)

    def info(self, severity: Severity | None = None) -> RuleInfo:
        """What a report says of this rule, at `severity` (default: its own)."""
        return RuleInfo(self.code, self.name, severity or self.severity, self.module)
