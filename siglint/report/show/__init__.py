"""How `siglint show` prints a model (ModelInfo): saved_model_cli's text, siglint's JSON model
document, TF Serving's GetModelMetadata JSON, or a Markdown table; each format in its own
module, imported only when used. `--tag_set` and `--signature_def` narrow what the document
formats show (`narrowed`); the text follows saved_model_cli's own modes."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from siglint.model.details import OpsUsed
from siglint.model.info import ModelInfo
from siglint.model.view import SAVEDMODEL, TFLITE
from siglint.report.show.saved_model_cli import NotFound, Request, meta_graph_index, sanitized

Shower = Callable[[ModelInfo, Request], str]

# Format name -> "module:function" of this package.
SHOW_FORMATS = {
    "text": "saved_model_cli:render",
    "json": "document:render",
    "metadata": "metadata:render",
    "markdown": "markdown:render",
}


def shower(name: str, kind: str = SAVEDMODEL) -> Shower:
    """The function that prints a model of `kind` in format `name` (TF Lite's own text)."""
    module, function = SHOW_FORMATS[name].split(":")
    if name == "text" and kind == TFLITE:
        module = "tflite"
    found: Shower = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return found


def narrowed(info: ModelInfo, request: Request, default_tag_set: str | None = None) -> ModelInfo:
    """`info` with only the MetaGraphDef of `--tag_set` (or `default_tag_set`) and the signature
    of `--signature_def`, if given; NotFound with saved_model_cli's message when either is not
    there."""
    model, details = info.model, info.details
    tag_set = request.tag_set if request.tag_set is not None else default_tag_set
    if tag_set is None:
        if request.signature_def is not None:
            raise NotFound("--signature_def needs --tag_set, as in saved_model_cli")
        return info
    index = meta_graph_index(model, sanitized(tag_set))
    meta_graph = model.serving_meta_graph(model.meta_graphs[index].tags) or model.meta_graphs[index]
    ops: tuple[OpsUsed, ...] = (details.ops[index],)
    if request.signature_def is not None:
        if request.signature_def not in meta_graph.signatures:
            keys = ", ".join(meta_graph.signatures)
            raise NotFound(f'Could not find signature "{request.signature_def}". Please choose from: {keys}')
        meta_graph = meta_graph._replace(signatures={request.signature_def: meta_graph.signatures[request.signature_def]})
    return info._replace(model=model._replace(meta_graphs=(meta_graph,)), details=details._replace(ops=ops))


__all__ = ["SHOW_FORMATS", "NotFound", "Request", "narrowed", "shower"]
