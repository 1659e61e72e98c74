"""What the rules of a deployment's files see (the subjects of the WARMUP, REQUEST,
SERVER_CONFIG and CONFIGURED_MODEL scopes): a model's warmup file, a request the server would run,
a models.config and each model it lists. Apart from siglint.engine.rule so that a run that reads
none of these files imports none of them."""

from __future__ import annotations

from typing import NamedTuple

from siglint.engine.profile import Profile
from siglint.model.requests import RequestView
from siglint.model.server_config import ConfiguredModel, ServerConfigView
from siglint.model.view import MetaGraphView, SignatureView
from siglint.model.warmup import WarmupFile


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
