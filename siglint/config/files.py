"""Configuration files: `[tool.siglint]` in pyproject.toml or the top level of siglint.toml,
found as ruff finds its own and validated against `schema.json` (JSON Schema 2020-12) beside
this module. A file becomes a Config record; `siglint.config.settings` combines it with the
command line's flags into a run's Options."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from siglint.checks import matches_a_rule
from siglint.engine.contracts.records import Pack, PackError
from siglint.engine.options import SeverityOverrides
from siglint.engine.profile import KNOBS, Profile, profile_from
from siglint.findings import Severity
from siglint.io.documents import (
    DocumentError,
    decode,
    first_error,
    json_path,
    parse_toml,
    read_bytes,
)
from siglint.io.quoting import bounded

SIGLINT_TOML = "siglint.toml"
PYPROJECT_TOML = "pyproject.toml"

Codes = tuple[str, ...]


class ConfigError(ValueError):
    """A config file siglint cannot use: the message names the file and the key at fault."""


class Config(NamedTuple):
    """What one config file says (the defaults: no file)."""

    root: str = "."  # the file's folder: per-path-ignores patterns are relative to it
    select: Codes | None = None  # None: not set (every rule)
    extend_select: Codes = ()
    ignore: Codes = ()
    severities: SeverityOverrides = SeverityOverrides()
    per_path_ignores: tuple[tuple[str, Codes], ...] = ()
    profile: Profile = Profile()
    packs: tuple[Pack, ...] = ()  # the contract packs it names, loaded
    model_config_file: str | None = None  # relative to the current folder, as messages show it
    diff_level: str | None = None  # [diff] level: the level `siglint diff` reports at


def find_config(start: str | os.PathLike[str] = ".", skipped: list[str] | None = None) -> str | None:
    """The config file that applies in `start`: walking up from it, the first folder's
    siglint.toml, or its pyproject.toml if that has a [tool.siglint] table. The path returned
    is relative to the current folder, as messages show it. A candidate that cannot be read (a
    FIFO, a device, a folder, too large) is passed over, and `skipped` gets why."""
    folder = os.path.abspath(start)
    while True:
        siglint_toml = os.path.relpath(os.path.join(folder, SIGLINT_TOML))
        if os.path.isfile(siglint_toml):
            return siglint_toml
        if skipped is not None and os.path.lexists(siglint_toml):
            skipped.append(f"{siglint_toml}: not a regular file")
        pyproject = os.path.relpath(os.path.join(folder, PYPROJECT_TOML))
        if _may_hold_siglint_table(pyproject, skipped) and _siglint_table(pyproject, _read_toml(pyproject)) is not None:
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def read_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate one config file; raises ConfigError saying what is wrong and where."""
    path = os.fspath(path)
    document = _read_toml(path)
    table = _siglint_table(path, document)
    if table is None:
        raise ConfigError(f"{path}: no [tool.siglint] table")
    where: tuple[str, ...] = ("tool", "siglint") if _is_pyproject(path) else ()
    _validate(path, table, where)
    for key in ("select", "extend-select", "ignore"):
        _check_codes(path, where + (key,), enumerate(table.get(key, ())))
    _check_codes(path, where + ("severity",), ((code, code) for code in table.get("severity", {})))
    for pattern, codes in table.get("per-path-ignores", {}).items():
        _check_codes(path, where + ("per-path-ignores", pattern), enumerate(codes))
    root = table.get("profile", {}).get("model-config-list-root-dir")
    from siglint.model.server_config import is_relative

    if root and is_relative(root):  # ServerCore's own check (server_core.cc ValidateModelConfigList)
        at = json_path(where + ("profile", "model-config-list-root-dir"))
        raise ConfigError(f"{path}: {at}: Expected non-empty absolute path or URI; got {root}")
    return _config(path, table)


def _is_pyproject(path: str) -> bool:
    return os.path.basename(path) == PYPROJECT_TOML


_TOOL_SIGLINT = re.compile(r"tool\.siglint(?![\w-])")


def _may_hold_siglint_table(pyproject: str, skipped: list[str] | None = None) -> bool:
    """A cheap scan before parsing: most pyproject.toml files have no siglint table, and a plain
    `siglint check` should not pay for parsing them (nor for importing tomllib). It looks for a
    `tool.siglint` header or key, however spaced and quoted."""
    try:
        text = read_bytes(pyproject).decode("utf-8", "replace")
    except DocumentError as error:  # none there, or one that cannot be read: no config here
        if skipped is not None and os.path.lexists(pyproject):
            skipped.append(f"{pyproject}: {error}")
        return False
    table = ""
    for line in text.splitlines():
        compact = re.sub(r"[\s\"']", "", line)
        if compact.startswith("["):
            table = key = compact.strip("[]")
        elif "=" in compact:
            key = compact.split("=", 1)[0]
            key = f"{table}.{key}" if table else key
        else:
            continue
        if _TOOL_SIGLINT.match(key):
            return True
    return False


def _read_toml(path: str) -> dict[str, Any]:
    try:
        document: dict[str, Any] = parse_toml(decode(read_bytes(path)))
    except DocumentError as error:
        message = str(error)
        if not message.startswith(("cannot read", "not valid TOML")):
            message = f"not valid TOML: {message}"  # not UTF-8
        raise ConfigError(f"{path}: {message}") from None
    return document


def _siglint_table(path: str, document: dict[str, Any]) -> Any:
    if not _is_pyproject(path):
        return document
    tool = document.get("tool")
    return tool.get("siglint") if isinstance(tool, dict) else None


def _validate(path: str, table: Any, where: tuple[str, ...]) -> None:
    import json

    with open(os.path.join(os.path.dirname(__file__), "schema.json"), encoding="utf-8") as stream:
        schema = json.load(stream)
    error = first_error(schema, table, where)
    if error is not None:
        raise ConfigError(f"{path}: {error}")


def _check_codes(path: str, at: tuple[str, ...], codes: Iterable[tuple[int | str, str]]) -> None:
    for index, code in codes:
        if not matches_a_rule(code):
            # A table key is named by the path already; a list item is not.
            value = f"{bounded(repr(code), 100)} " if isinstance(index, int) else ""
            raise ConfigError(f"{path}: {json_path(at + (index,))}: {value}matches no rule code")


def _codes(values: Iterable[str]) -> Codes:
    return tuple(value.upper() for value in values)


def _config(path: str, table: Mapping[str, Any]) -> Config:
    values = table.get("profile", {})
    profile = {
        knob.field: tuple(values[knob.key]) if knob.kind is tuple else values[knob.key]
        for knob in KNOBS
        if knob.key in values
    }
    return Config(
        root=os.path.dirname(os.path.abspath(path)),
        select=_codes(table["select"]) if "select" in table else None,
        extend_select=_codes(table.get("extend-select", ())),
        ignore=_codes(table.get("ignore", ())),
        severities=SeverityOverrides(
            tuple((code.upper(), Severity(value)) for code, value in table.get("severity", {}).items())
        ),
        per_path_ignores=tuple(
            (pattern, _codes(codes)) for pattern, codes in table.get("per-path-ignores", {}).items()
        ),
        profile=profile_from(profile),
        packs=_packs(path, table.get("contracts", ())),
        model_config_file=_relative_to(path, table["model-config-file"]) if "model-config-file" in table else None,
        diff_level=table.get("diff", {}).get("level"),
    )


def _relative_to(config: str, path: str) -> str:
    """`path`, written relative to the config file's folder, as the current folder reaches it."""
    if os.path.isabs(path):
        return path
    return os.path.relpath(os.path.join(os.path.dirname(os.path.abspath(config)), path))


def _packs(path: str, references: Iterable[str]) -> tuple[Pack, ...]:
    """The packs a config file names; pack files are relative to its folder."""
    from siglint.engine.contracts.packs import load_pack, merge_packs

    folder = os.path.dirname(path) or "."
    try:
        return merge_packs(load_pack(reference, folder) for reference in references)
    except PackError as error:
        raise ConfigError(str(error)) from None
