"""`siglint show` in text: what TensorFlow 2.21's `saved_model_cli show` prints, line for line
(tensorflow/python/tools/saved_model_cli.py: `show`, `_show_all`, `_show_inputs_outputs_mgd`,
`_print_tensor_info`, `_show_defined_functions`, `_print_args`), from siglint's views.

Where saved_model_cli's output varies between runs, siglint prints one fixed order: the op set,
dict values and the keys its errors list are sorted, and a function's options follow the order
TensorFlow loads them (saved_model_cli sorts them by names that carry a process-wide counter).
saved_model_cli erases the last ", " of a listed value with two backspace characters; siglint
prints the text as a terminal shows it, without them, and escapes every control character.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from siglint.findings import printable
from siglint.model import structure
from siglint.model.details import ConcreteFunctionView, Functions, OpsUsed
from siglint.model.info import ModelInfo
from siglint.model.view import METADATA, TFLITE, MetaGraphView, ModelView, SignatureView, TensorView


class Request(NamedTuple):
    """saved_model_cli's `show` flags."""

    tag_set: str | None = None
    signature_def: str | None = None
    all: bool = False
    list_ops: bool = False


class NotFound(Exception):
    """The tag-set or signature key asked for is not in the model (saved_model_cli's message).
    `printed` is what saved_model_cli prints before it stops (the ops, with --list_ops)."""

    def __init__(self, message: str, printed: str = "") -> None:
        super().__init__(message)
        self.printed = printed


def render(info: ModelInfo, request: Request) -> str:
    """The text, or NotFound; every line is escaped (no control characters) and ends with a newline."""
    printed: list[str] = []
    try:
        for line in _lines(info, request):
            printed.append(printable(line) + "\n")
    except NotFound as error:
        raise NotFound(str(error), "".join(printed)) from None
    return "".join(printed)


def _lines(info: ModelInfo, request: Request) -> Iterator[str]:
    model = info.model
    if request.all:
        yield from _all(info)
        return
    if request.tag_set is None:
        if request.list_ops:
            yield "--list_ops must be paired with a tag-set or with --all."
        yield "The given SavedModel contains the following tag-sets:"
        for tags in sorted(list(mg.tags) for mg in model.meta_graphs):
            yield repr(", ".join(sorted(tags)))
        return
    if request.list_ops:
        index = meta_graph_index(model, sanitized(request.tag_set))
        yield _ops_line(model.meta_graphs[index], info.details.ops[index])
    if request.signature_def is None:
        # get_signature_def_map passes the tag-set as given, unsanitized.
        meta_graph = model.meta_graphs[meta_graph_index(model, request.tag_set)]
        yield "The given SavedModel MetaGraphDef contains SignatureDefs with the following keys:"
        for key in sorted(meta_graph.signatures):
            yield f'SignatureDef key: "{key}"'
        return
    meta_graph = model.meta_graphs[meta_graph_index(model, sanitized(request.tag_set))]
    yield from _signature(meta_graph, request.signature_def, indent=0)


def sanitized(tag_set: str) -> str:
    """saved_model_cli's `_sanitize_nonempty_str_list` of the tag-set, joined again."""
    tags = [tag.strip() for tag in tag_set.split(",") if tag.strip()]
    if not tags:
        raise NotFound("tag_set must contain at least one non-empty item.")
    return ",".join(tags)


def meta_graph_index(model: ModelView, tag_set: str) -> int:
    """saved_model_utils.get_meta_graph_def: empty tags dropped, set equality, first match. A
    GetModelMetadata response's one MetaGraphDef is the one the server loaded, whatever its tags."""
    if model.kind in (METADATA, TFLITE) and model.meta_graphs:
        return 0
    if model.kind == TFLITE:
        raise NotFound("TF Serving serves no signatures of this TF Lite model: it can read none of its signature_defs_metadata")
    wanted = {tag for tag in tag_set.split(",") if tag}
    for index, meta_graph in enumerate(model.meta_graphs):
        if set(meta_graph.tags) == wanted:
            return index
    available = [",".join(mg.tags) for mg in model.meta_graphs]
    raise NotFound(
        f"MetaGraphDef associated with tag-set {tag_set} could not be found in the SavedModel. "
        f"Please use one of the following tag-sets: {available}"
    )


def signature_lines(meta_graph: MetaGraphView, key: str, indent: int) -> Iterator[str]:
    """One signature as `show --signature_def` prints it, indented `indent` levels (for the
    other text layouts of show)."""
    return _signature(meta_graph, key, indent)


def _signature(meta_graph: MetaGraphView, key: str, indent: int) -> Iterator[str]:
    signature: SignatureView | None = meta_graph.signatures.get(key)
    if signature is None:
        raise NotFound(f'Could not find signature "{key}". Please choose from: {", ".join(meta_graph.signatures)}')
    pad = "  " * indent
    yield f"{pad}The given SavedModel SignatureDef contains the following input(s):"
    for tensor in signature.inputs.values():
        yield f"{pad}  inputs['{tensor.key}'] tensor_info:"
        yield from _tensor(tensor, pad + "  ")
    yield f"{pad}The given SavedModel SignatureDef contains the following output(s):"
    for tensor in signature.outputs.values():
        yield f"{pad}  outputs['{tensor.key}'] tensor_info:"
        yield from _tensor(tensor, pad + "  ")
    yield f"{pad}Method name is: {signature.method_name}"


def _tensor(tensor: TensorView, pad: str) -> Iterator[str]:
    yield f"{pad}    dtype: {tensor.dtype_name}"
    # A TensorInfo without tensor_shape reads as an empty shape there: "()".
    yield f"{pad}    shape: {tensor.shape_text if tensor.has_shape else '()'}"
    yield f"{pad}    name: {tensor.name}"


def _ops_line(meta_graph: MetaGraphView, ops: OpsUsed) -> str:
    head = f"The MetaGraph with tag set {list(meta_graph.tags)!r} contains the following ops:"
    if ops.ops is None:
        return f"{head} N/A ({ops.note})"
    shown = "{" + ", ".join(repr(op) for op in sorted(ops.ops)) + "}" if ops.ops else "set()"
    return f"{head} {shown}"


def _all(info: ModelInfo) -> Iterator[str]:
    model = info.model
    order = sorted(range(len(model.meta_graphs)), key=lambda i: list(model.meta_graphs[i].tags))
    for index in order:
        meta_graph = model.meta_graphs[index]
        yield ""
        yield f"MetaGraphDef with tag-set: '{', '.join(meta_graph.tags)}' contains the following SignatureDefs:"
        for key in meta_graph.signatures:
            yield ""
            yield f"signature_def['{key}']:"
            yield from _signature(meta_graph, key, indent=1)
        yield _ops_line(meta_graph, info.details.ops[index])
    if info.details.functions is not None:
        yield from _functions(info.details.functions)


def _functions(functions: Functions) -> Iterator[str]:
    yield ""
    if functions.tensorflow_cannot_list:
        yield f"Concrete Functions: N/A (could not be listed due to {functions.tensorflow_cannot_list})"
        return
    if functions.siglint_cannot_read:
        yield f"Concrete Functions: N/A (siglint could not read {functions.siglint_cannot_read})"
        return
    yield "Concrete Functions:"
    for number, function in enumerate(functions.functions):
        if number:
            yield ""
        yield f"  Function Name: '{function.name}'"
        for index, concrete in enumerate(function.concrete_functions, 1):
            yield from _option(index, concrete)


def _option(index: int, function: ConcreteFunctionView) -> Iterator[str]:
    if function.problem:
        yield f"    Option #{index}: siglint cannot show it as saved_model_cli does: {function.problem}"
        return
    arguments: tuple[Any, ...] = function.arguments if function.arguments is not None else function.argument_keywords
    if arguments:
        yield f"    Option #{index}"
        yield "      Callable with:"
        yield from _arguments(arguments, "Argument")
    if function.keyword_arguments:
        # saved_model_cli iterates the kwargs dict, so it prints their names only.
        yield from _arguments(tuple(function.keyword_arguments), "Named Argument")


def _arguments(arguments: tuple[Any, ...], kind: str) -> Iterator[str]:
    pad = "        "
    for index, element in enumerate(arguments, 1):
        yield f"{pad}{kind} #{index}"
        cannot = structure.unrenderable(element)
        if cannot is not None:
            yield f"{pad}  (siglint cannot show this argument as saved_model_cli does: it is {cannot.what})"
            continue
        try:
            yield from _argument(element, pad + "  ")
        except structure.LoadFails as error:
            yield f"{pad}  (saved_model_cli fails on this argument: {error})"


def _argument(element: Any, pad: str) -> Iterator[str]:
    if isinstance(element, str):
        yield f"{pad}{element}"
    elif isinstance(element, structure.TensorSpec):
        yield f"{pad}{element.name}: {element!r}"
    elif structure.is_iterable(element):
        items = ", ".join(_quoted(value) for value in structure.iterate(element))
        yield f"{pad}DType: {structure.type_name(element)}"
        yield f"{pad}Value: [{items}]"
    elif isinstance(element, dict):
        items = ", ".join(f"'{key}': {_quoted(value)}" for key, value in element.items())
        yield f"{pad}DType: dict"
        yield f"{pad}Value: {{{items}}}"
    else:
        yield f"{pad}DType: {structure.type_name(element)}"
        yield f"{pad}Value: {element}"


def _quoted(value: Any) -> str:
    """saved_model_cli's `_maybe_add_quotes`: a string in single quotes, as it is; anything else
    as `str` shows it."""
    return f"'{value}'" if isinstance(value, str) else str(value)
