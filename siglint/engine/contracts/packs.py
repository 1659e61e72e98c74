"""Finding and reading contract packs: the bundled ones (the project's top-level rules/, which
installs as the package `siglint.packs`), and users' files (.json, .toml, .yaml/.yml), each
validated against rules/schema.json before it is compiled."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from siglint.engine.contracts.compiler import compile_pack
from siglint.engine.contracts.records import BUNDLED_PACKS, CORE_PACK, Pack, PackError
from siglint.io.documents import PARSERS, DocumentError, decode, first_error, read_bytes

PACK_SUFFIXES = tuple(PARSERS)


def packs_folder() -> str:
    """The folder of the bundled packs and schema: the project's top-level rules/, which the
    wheel (and an editable install) maps to the package `siglint.packs`. In a plain checkout,
    run without installing, there is no such package: the checkout's rules/ beside siglint/."""
    import importlib.util

    spec = importlib.util.find_spec("siglint.packs")
    if spec is not None and spec.submodule_search_locations:
        return list(spec.submodule_search_locations)[0]
    siglint = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(os.path.dirname(siglint), "rules")


def read_bundled(name: str) -> Any:
    """The document of bundled pack `name` (or `schema`): trusted, so read as plain JSON."""
    with open(os.path.join(packs_folder(), f"{name}.json"), encoding="utf-8") as stream:
        return json.load(stream)


def bundled_pack(name: str) -> Pack:
    if name == CORE_PACK:
        raise PackError(f"{name}: the {CORE_PACK} pack is always on (its findings are the core rules)")
    return compile_pack(read_bundled(name), f"{name}.json")


def load_pack(reference: str, relative_to: str = ".") -> Pack:
    """A bundled pack by name (`tf-ranking`), or a user's pack file (.json, .toml, .yaml/.yml;
    a relative path is taken from `relative_to`), validated against rules/schema.json."""
    if reference in BUNDLED_PACKS:
        return bundled_pack(reference)
    path = reference if os.path.isabs(reference) else os.path.normpath(os.path.join(relative_to, reference))
    document = read_document(path)
    validate(document, path)
    return compile_pack(document, path)


def read_document(path: str) -> Any:
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in PACK_SUFFIXES:
        names = ", ".join(b for b in BUNDLED_PACKS if b != CORE_PACK)
        raise PackError(f"{path}: not a pack file (.json, .toml, .yaml or .yml) nor a bundled pack ({names})")
    try:
        return PARSERS[suffix](decode(read_bytes(path)))
    except DocumentError as error:
        message = "is a folder, not a pack file" if str(error) == "is a folder" else str(error)
        raise PackError(f"{path}: {message}") from None


def validate(document: Any, path: str) -> None:
    """Raise PackError for the most relevant way `document` breaks rules/schema.json."""
    error = first_error(read_bundled("schema"), document)
    if error is not None:
        raise PackError(f"{path}: {error}")


def merge_packs(*groups: Iterable[Pack]) -> tuple[Pack, ...]:
    """Each pack once; raises PackError for two different packs of one name."""
    packs: dict[str, Pack] = {}
    for group in groups:
        for pack in group:
            other = packs.get(pack.name)
            if other is not None and os.path.realpath(other.file) != os.path.realpath(pack.file):
                raise PackError(f"{pack.file}: name: {other.file} is also named {pack.name!r}")
            packs[pack.name] = pack
    return tuple(packs.values())
