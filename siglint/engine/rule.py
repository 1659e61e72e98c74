"""What a rule is, and what it sees: each rule checks subjects of one scope (a base path, a
model that failed to load, a model, or a signature) and yields Problems; the Engine gives them
the rule's identity, severity and location."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from siglint.engine.contracts.records import Pack
from siglint.engine.intent import Intent
from siglint.engine.profile import Profile
from siglint.findings import Problem, RuleInfo, Severity
from siglint.model.view import MetaGraphView, ModelView, SignatureView

if TYPE_CHECKING:  # a deployment's views: imported by the rules that read them
    from siglint.model.requests import RequestView
    from siglint.model.server_config import ConfiguredModel, ServerConfigView
    from siglint.model.warmup import WarmupFile

NO_SIGNATURES: Mapping[str, SignatureView] = MappingProxyType({})


class Scope(str, enum.Enum):
    BASE_PATH = "base-path"  # subject: siglint.model.discover.BasePath
    LOAD = "load"  # subject: siglint.model.load.LoadFailure
    MODEL = "model"  # subject: ModelContext
    SIGNATURE = "signature"  # subject: SignatureContext
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


class WarmupContext(NamedTuple):
    """A model's warmup file, as the server reads it when it loads the model."""

    warmup: WarmupFile
    profile: Profile


class RequestContext(NamedTuple):
    """A request the server would run against a model: a warmup record, or a client's request
    (`siglint request check`)."""

    request: RequestView
    meta_graph: MetaGraphView | None  # the MetaGraphDef the server loads (None: there is none)
    profile: Profile
    origin: str  # what the messages call it: "assets.extra/tf_serving_warmup_requests record 3"
    warmup: bool = True  # replayed at load (a failure fails the load) rather than sent by a client
    rest: bool = False  # a REST body, read by the server's JSON layer first
    rejected: str | None = None  # the JSON layer's error for a REST body it cannot convert

    def signature(self, key: str) -> SignatureView | None:
        return self.meta_graph.signatures.get(key) if self.meta_graph is not None else None

    @property
    def signature_key(self) -> str:
        """The key the server looks up: the one named, else the default one (a MultiInference
        request's first task's)."""
        request = self.request
        if request.tasks:
            return request.tasks[0].signature_name or self.profile.default_signature
        return request.signature_key(self.profile.default_signature)


class ServerConfigContext(NamedTuple):
    """A models.config (the server's --model_config_file) as a whole."""

    config: ServerConfigView
    profile: Profile


class ConfiguredModelContext(NamedTuple):
    """One model a models.config lists (the `position`-th), with what its base path holds."""

    model: ConfiguredModel
    position: int
    config: ServerConfigView
    profile: Profile


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
