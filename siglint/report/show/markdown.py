"""`siglint show --format markdown`: a model's signatures as one GitHub-flavoured Markdown table
per MetaGraphDef, for model cards and pull requests. TF2's op signatures
(`__saved_model_init_op`), which no client calls, are left out."""

from __future__ import annotations

from collections.abc import Iterator

from siglint.findings import printable
from siglint.model.info import ModelInfo
from siglint.model.view import MetaGraphView
from siglint.report.show import Request, narrowed


def render(info: ModelInfo, request: Request) -> str:
    return "".join(f"{line}\n" for line in _lines(narrowed(info, request)))


def _lines(info: ModelInfo) -> Iterator[str]:
    servable = info.servable
    version = f" version {servable.version}" if servable.version is not None else ""
    for number, meta_graph in enumerate(info.model.meta_graphs):
        if number:
            yield ""
        tags = ", ".join(meta_graph.tags)
        yield f"### {_code(servable.name)}{version}, tag-set {_code(tags)}"
        yield ""
        yield from _table(meta_graph)


def _table(meta_graph: MetaGraphView) -> Iterator[str]:
    yield "| signature | method | | key | dtype | shape |"
    yield "|---|---|---|---|---|---|"
    shown = [s for s in meta_graph.signatures.values() if not s.is_op_signature]
    if not shown:
        yield "| (none) | | | | | |"
    for signature in shown:
        first = True
        for io, tensor in signature.tensors():
            key = _code(tensor.key) + (" (has a default)" if io == "input" and tensor.key in signature.defaults else "")
            head = f"| {_code(signature.key)} | {_code(signature.method_name)} " if first else "| | "
            yield f"{head}| {io} | {key} | {tensor.dtype_name} | {tensor.shape_text} |"
            first = False
        if first:
            yield f"| {_code(signature.key)} | {_code(signature.method_name)} | | | | |"


def _code(text: str) -> str:
    """`text` as inline code in a table cell, or escaped text when it holds a backtick."""
    text = printable(text).replace("|", "\\|")
    if not text:
        return '""'
    return f"`{text}`" if "`" not in text else text.replace("`", "\\`")
