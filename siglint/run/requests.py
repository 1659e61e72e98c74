"""`siglint request`: an example request for a model's signature, and a request (a REST body or a
gRPC request) checked against the model as the server would run it."""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from siglint.engine.contracts.core import shaped_for
from siglint.engine.deployment import RequestContext
from siglint.engine.intent import Intent, intents
from siglint.engine.options import Options
from siglint.engine.profile import Profile
from siglint.engine.rule import Scope
from siglint.findings import LintResult, Location, ModelSummary
from siglint.io.documents import DocumentError, decode, read_bytes
from siglint.model.discover import PathsNotFound, discover
from siglint.model.examples import ExampleRequest, example_request
from siglint.model.load import load_model
from siglint.model.requests import Api, RequestView, request_from_proto
from siglint.model.view import MetaGraphView, ModelView, SignatureView
from siglint.run.lint import engine_for

TEXT_SUFFIXES = (".pbtxt", ".txt", ".textproto", ".prototxt")
# The request kinds `siglint request check --type` names, and the message each is read as.
REQUEST_TYPES = ("predict", "classify", "regress", "multi-inference", "prediction-log")
_MESSAGES = {
    "predict": "PredictRequest", "classify": "ClassificationRequest", "regress": "RegressionRequest",
    "multi-inference": "MultiInferenceRequest", "prediction-log": "PredictionLog",
}


class RequestError(Exception):
    """A model or request siglint cannot use: a usage error, with one line saying why."""


class Served(NamedTuple):
    model: ModelView
    meta_graph: MetaGraphView
    name: str  # the servable name requests use: the base path's name, else the model folder's


def served_model(path: str, options: Options) -> Served:
    """The model `path` names as the server would serve it: a SavedModel, or the latest version
    of a base path. Raises RequestError."""
    try:
        found = discover([path])
    except PathsNotFound as error:
        raise RequestError("; ".join(f"{p}: {problem}" for p, problem in error.problems)) from None
    if not found.models:
        raise RequestError(f"no SavedModel found under {path}")
    by_base = {os.path.dirname(m.path) for m in found.models if m.version is not None}
    if len(found.models) > 1 and not (len(by_base) == 1 and all(m.version is not None for m in found.models)):
        listed = ", ".join(m.path for m in found.models[:5])
        raise RequestError(f"{path} holds several models ({listed}): name one")
    target = max(found.models, key=lambda m: (m.version is not None, m.version or 0))
    loaded = load_model(target.path, target.version)
    if not isinstance(loaded, ModelView):
        raise RequestError(loaded.message)
    meta_graph = loaded.serving_meta_graph(options.profile.tags)
    if meta_graph is None:
        raise RequestError(
            f"{target.path} has no MetaGraphDef tagged {{{', '.join(options.profile.tags)}}}: Could not find meta "
            "graph def matching supplied tags"
        )
    base = os.path.dirname(os.path.abspath(target.path)) if target.version is not None else os.path.abspath(target.path)
    return Served(loaded, meta_graph, os.path.basename(base))


def choose_signature(served: Served, key: str | None, options: Options) -> SignatureView:
    signatures = {k: s for k, s in served.meta_graph.signatures.items() if not s.is_op_signature}
    wanted = key or options.profile.default_signature
    if wanted in signatures:
        return signatures[wanted]
    if key is None and len(signatures) == 1:
        return next(iter(signatures.values()))
    known = ", ".join(sorted(signatures)) or "none"
    raise RequestError(f'{served.model.path} has no signature "{wanted}" (signatures: {known}): use --signature KEY')


def meant_api(signature: SignatureView, tf2: bool) -> str:
    """The API a signature is meant for: Classify or Regress when its method name or (in a TF2
    export) its key shape says so, else Predict."""
    meant = intents(signature, tf2, shaped_for).apis - {Intent.PREDICT}
    return next(iter(meant)).value if len(meant) == 1 else "predict"


def api_for(signature: SignatureView, tf2: bool, profile: Profile) -> str:
    """The API a request for `signature` goes to: the one it is meant for when the server can run
    it there, else Predict, which runs any signature (TF Serving's own tests call a classify
    signature fed floats through Predict)."""
    from siglint.checks._requests import contract_problems

    api = meant_api(signature, tf2)
    if api != "predict" and next(contract_problems(Api(api), signature, profile), None) is not None:
        return "predict"
    return api


def build_example(served: Served, signature: SignatureView, profile: Profile) -> ExampleRequest:
    return example_request(served.model, signature, api_for(signature, served.meta_graph.is_tf2, profile))


def check_request(model_path: str, request_path: str, options: Options, kind: str | None = None) -> LintResult:
    """The findings of the request rules on the request in `request_path`; raises RequestError."""
    served = served_model(model_path, options)
    try:
        data = read_bytes(request_path)
    except DocumentError as error:
        raise RequestError(f"{request_path}: {error}") from None
    profile = options.profile
    base = RequestContext(RequestView(Api.NONE), served.meta_graph, profile, "", warmup=False)
    if request_path.endswith(".json") or kind is None and data.lstrip()[:1] == b"{":
        context = _rest_context(base, data)
    else:
        context = base._replace(request=_grpc_request(request_path, data, kind))
        signature = context.signature(context.signature_key)
        # A text ClassificationRequest reads as a RegressionRequest too: the signature decides.
        classify = kind is None and context.request.api is Api.CLASSIFY and signature is not None
        if classify and meant_api(signature, served.meta_graph.is_tf2) == "regress":  # type: ignore[arg-type]
            context = context._replace(request=context.request._replace(api=Api.REGRESS))
    engine = engine_for(options)
    where = Location(request_path, served.meta_graph.tags, signature=context.signature_key)
    findings = engine.check(Scope.REQUEST, context, where)
    summary = ModelSummary(
        served.model.path, served.model.file, served.model.version, True,
        tuple(mg.tags for mg in served.model.meta_graphs), tuple(served.meta_graph.signatures),
        tuple(served.meta_graph.signatures.values()), model=served.name,
    )
    return LintResult(tuple(sorted(findings, key=lambda f: f.sort_key)), (summary,), rules=engine.rule_infos(f.code for f in findings))


def _rest_context(base: RequestContext, data: bytes) -> RequestContext:
    from siglint.model import rest

    context = base._replace(rest=True)
    try:
        body = rest.parse_body(decode(data))
    except (rest.RestRejected, DocumentError) as error:
        return context._replace(rejected=str(error))
    examples = "examples" in body.document and "instances" not in body.document and "inputs" not in body.document
    view = RequestView(Api.CLASSIFY if examples else Api.PREDICT, signature_name=body.signature_name)
    context = context._replace(request=view)
    signature = context.signature(context.signature_key)
    if signature is None:
        return context  # SIG045 says so, in REST's words
    try:
        if examples:
            api = Api.REGRESS if meant_api(signature, base.meta_graph.is_tf2) == "regress" else Api.CLASSIFY  # type: ignore[union-attr]
            return context._replace(request=rest.examples_request(body, api))
        return context._replace(request=rest.predict_request(body, signature))
    except rest.RestRejected as error:
        return context._replace(rejected=str(error))


def _grpc_request(path: str, data: bytes, kind: str | None) -> RequestView:
    """A request in protobuf text format (its type found from its fields unless `kind` names
    it) or binary (a PredictRequest unless `kind` names another)."""
    from google.protobuf.message import DecodeError

    from siglint.savedmodel import textformat
    from siglint.serving import proto
    from siglint.serving.constants import upstream_names

    kinds = [kind] if kind else (list(_MESSAGES) if path.endswith(TEXT_SUFFIXES) else ["predict"])
    errors = []
    for name in kinds:
        message: Any = getattr(proto, _MESSAGES[name])()
        try:
            if path.endswith(TEXT_SUFFIXES):
                textformat.parse(decode(data), message, rename=upstream_names)
            else:
                message.MergeFromString(data)
            return request_from_proto(message)
        except (textformat.ParseError, DecodeError, DocumentError, RecursionError) as error:
            errors.append(f"{_MESSAGES[name]}: {upstream_names(str(error))}")
    raise RequestError(f"{path} is not a request siglint reads ({'; '.join(errors[:2])})")
