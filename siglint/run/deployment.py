"""What surrounds a model on a TF Serving deployment, checked with it: the server's models.config
(the models it lists, their base paths and the versions their policies serve) and each model's
warmup file (every record run against the model's signatures as the server would run it).
"""

from __future__ import annotations

from typing import NamedTuple

from siglint.engine.deployment import (
    ConfiguredModelContext,
    RequestContext,
    ServerConfigContext,
    WarmupContext,
)
from siglint.engine.engine import Engine
from siglint.engine.rule import Scope
from siglint.findings import Finding, Location
from siglint.model.discover import ModelTarget
from siglint.model.view import ModelView
from siglint.serving import constants

# The views of a deployment's files are imported when a run reads one: most runs read none.


class ConfigCheck(NamedTuple):
    """The findings about a models.config, and the model versions it makes the server serve."""

    findings: list[Finding]
    targets: list[ModelTarget]


def check_server_config(engine: Engine, path: str) -> ConfigCheck:
    from siglint.model.server_config import read_server_config

    profile = engine.options.profile
    config = read_server_config(path, profile.model_config_list_root_dir)
    findings = engine.check(Scope.SERVER_CONFIG, ServerConfigContext(config, profile), Location(path))
    targets: list[ModelTarget] = []
    for index, model in enumerate(config.models):
        where = Location(path, line=model.line, column=model.column, model=model.name)
        findings += engine.check(Scope.CONFIGURED_MODEL, ConfiguredModelContext(model, index, config, profile), where)
        base = model.storage.base
        if base is None:
            continue
        if base.versions:  # with none, SIG019 has said it for the config
            findings += [finding.for_model(model.name) for finding in engine.check_base_path(base)]
        for version, name in model.served:
            targets.append(ModelTarget(f"{base.path.rstrip('/')}/{name}", version, model=model.name))
    return ConfigCheck(findings, targets)


def check_warmup(engine: Engine, model: ModelView) -> list[Finding]:
    """The findings about the model's warmup file, when it has one and the server replays it."""
    profile = engine.options.profile
    if not profile.model_warmup or not engine.wants(Scope.WARMUP, Scope.REQUEST):
        return []
    from siglint.model.requests import Api, RequestView
    from siglint.model.warmup import read_warmup

    warmup = read_warmup(model.path)
    if warmup is None:
        return []
    findings = engine.check(Scope.WARMUP, WarmupContext(warmup, profile), Location(model.path, version=model.version))
    meta_graph = model.serving_meta_graph(profile.tags)
    for index, record in enumerate(warmup.records):
        if not isinstance(record, RequestView):
            continue  # SIG042
        context = RequestContext(record, meta_graph, profile, f"{constants.WARMUP_PATH} record {index + 1}")
        where = Location(
            model.path,
            meta_graph.tags if meta_graph is not None else None,
            signature=None if record.api in (Api.NONE, Api.SESSION_RUN) else context.signature_key,
            version=model.version,
        )
        findings += engine.check(Scope.REQUEST, context, where)
    return findings
