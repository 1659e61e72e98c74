"""The ops a stock `tensorflow_model_server` registers, and what each outputs: the snapshot
`op_registry.txt` beside this module (written by `python -m siglint.fixturegen.op_registry`
from the installed TensorFlow, TF Text and the sources it cites), read the first time a rule
asks. Lines are parsed one op at a time, as asked.

Each op is listed under where it comes from: TensorFlow's own section holds every op TensorFlow
registers, which is what `siglint show` asks (`registered_by_tensorflow`) to tell, as
`saved_model_cli` does, a model a plain TensorFlow cannot load."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import NamedTuple

from siglint.savedmodel.dtypes import DTYPE_NUMBERS, REF_OFFSET

REGISTRY_FILE = os.path.join(os.path.dirname(__file__), "op_registry.txt")
TENSORFLOW = "tensorflow"  # the package of the registry's first section, `[tensorflow 2.21.0]`

AttrValue = int | tuple[int, ...] | bytes | str | tuple[str, ...]


class OutputArg(NamedTuple):
    """One output argument of an op (OpDef.ArgDef): a fixed dtype, or the attribute naming it."""

    dtype: int = 0
    type_attr: str = ""
    list_attr: str = ""  # a list(type) attribute: one output per type
    count_attr: str = ""  # an int attribute: that many outputs of the type
    is_ref: bool = False


class OpSpec(NamedTuple):
    name: str
    source: str  # the section it comes from: "tensorflow 2.21.0", "tensorflow-text 2.21.1", ...
    outputs: tuple[OutputArg, ...]
    defaults: Mapping[str, AttrValue]
    function_attrs: tuple[str, ...] = ()  # the attributes of type func or list(func)


@functools.lru_cache(maxsize=1)
def _lines() -> dict[str, tuple[str, str]]:
    """op -> (its section, the rest of its line)."""
    found: dict[str, tuple[str, str]] = {}
    section = ""
    with open(REGISTRY_FILE, encoding="utf-8") as stream:
        for line in stream:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                section = line.strip("[]")
                continue
            name, _, rest = line.partition("\t")
            found[name] = (section, rest)
    return found


def registered(op: str) -> bool:
    return op in _lines()


def registered_by_tensorflow(op: str) -> bool:
    """Whether TensorFlow itself registers `op`, not only a library a stock server links (TF
    Text, TF Decision Forests): whether a plain TensorFlow (saved_model_cli's) can load it."""
    entry = _lines().get(op)
    return entry is not None and entry[0].partition(" ")[0] == TENSORFLOW


@functools.lru_cache(maxsize=1)
def sources() -> tuple[str, ...]:
    """The registry's sections, in order: where its ops come from."""
    return tuple(dict.fromkeys(section for section, _ in _lines().values()))


def _value(text: str) -> AttrValue:
    if text.startswith("["):
        return tuple(DTYPE_NUMBERS[name] for name in text.strip("[]").split(",") if name)
    return DTYPE_NUMBERS[text] if text.startswith("DT_") else int(text)


def _output(token: str) -> OutputArg:
    is_ref = token.endswith("&")
    token = token.rstrip("&")
    count, _, kind = token.rpartition("*")
    if kind.startswith("["):
        return OutputArg(list_attr=kind.strip("[]"), count_attr=count, is_ref=is_ref)
    if kind.startswith("$"):
        return OutputArg(type_attr=kind[1:], count_attr=count, is_ref=is_ref)
    return OutputArg(dtype=DTYPE_NUMBERS[kind], count_attr=count, is_ref=is_ref)


@functools.lru_cache(maxsize=4096)
def spec(op: str) -> OpSpec | None:
    """What the registry says of `op`, or None when a stock server does not register it."""
    entry = _lines().get(op)
    if entry is None:
        return None
    section, rest = entry
    outputs, _, rest = rest.partition("\t")
    defaults, _, functions = rest.partition("\t")
    return OpSpec(
        op,
        section,
        tuple(_output(token) for token in outputs.split()),
        {key: _value(value) for key, _, value in (item.partition("=") for item in defaults.split())},
        tuple(functions.split()),
    )


@functools.lru_cache(maxsize=4096)
def function_attrs(op: str) -> tuple[str, ...] | None:
    """The attributes of `op` that name functions; None for an op the registry lacks."""
    entry = spec(op)
    return None if entry is None else entry.function_attrs


def output_types(
    outputs: tuple[OutputArg, ...], attrs: Mapping[str, AttrValue], defaults: Mapping[str, AttrValue]
) -> tuple[int, ...] | None:
    """The dtypes of a node's outputs, given its op's output arguments and the node's attributes
    (a default fills in an attribute the node leaves out); None when an attribute is missing."""

    def attr(name: str) -> AttrValue | None:
        return attrs.get(name, defaults.get(name))

    types: list[int] = []
    for arg in outputs:
        if arg.list_attr:
            listed = attr(arg.list_attr)
            if not isinstance(listed, tuple) or not all(isinstance(t, int) for t in listed):
                return None
            some = [int(t) for t in listed]
        else:
            dtype = arg.dtype or attr(arg.type_attr)
            if not isinstance(dtype, int):
                return None
            some = [dtype]
        if arg.count_attr:
            count = attr(arg.count_attr)
            if not isinstance(count, int) or count < 0 or count > 1_000_000:
                return None
            some = some * count
        types.extend(t + REF_OFFSET if arg.is_ref else t for t in some)
    return tuple(types)
