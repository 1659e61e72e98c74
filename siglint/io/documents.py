"""The files siglint reads besides models: config files, contract packs, baselines and fixture
specs. Each is read through the Source seam (regular files only, at most MAX_DOCUMENT_BYTES),
parsed as JSON, TOML or YAML, and validated against a JSON Schema where it has one, every
problem reported as one line: a JSON path and what is wrong there. Errors are DocumentError
without the file's path, which each caller puts in front in its own error type. `jsonschema`,
`tomllib` and `yaml` are imported only when a file needs them, so a plain `siglint check` never
pays for them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from siglint.io.source import Kind, SourceError, read_all, storage_for

# Far more than any real config file, pack or baseline; a bound on what a stranger's file costs.
MAX_DOCUMENT_BYTES = 64 * 2**20


class DocumentError(ValueError):
    """A document that cannot be used; the message says why, without the file's path."""


def read_bytes(path: str, max_size: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of the regular file `path`; raises DocumentError."""
    storage = storage_for(path)
    try:
        source = storage.open(path)
    except SourceError as error:
        if storage.kind(path) is Kind.DIR:
            raise DocumentError("is a folder") from None
        raise DocumentError(f"cannot read: {error}") from None
    try:
        if source.size > max_size:
            raise DocumentError(f"cannot read: it is {source.size} bytes, over the limit of {max_size}")
        return read_all(source)
    except SourceError as error:
        raise DocumentError(f"cannot read: {error}") from None
    finally:
        source.close()


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(f"not UTF-8 text: {error.reason} at byte {error.start}") from None


def parse_json(text: str) -> Any:
    """JSON, with a key given twice in one object rejected (the last would silently win)."""

    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DocumentError(f"duplicate key {key!r}")
            seen.add(key)
        return dict(pairs)

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as error:
        raise DocumentError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise DocumentError("not valid JSON: it nests too deeply") from None


def parse_toml(text: str) -> Any:
    from siglint.io import toml

    try:
        return toml.loads(text)
    except toml.TOMLError as error:
        raise DocumentError(f"not valid TOML: {error}") from None


def parse_yaml(text: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise DocumentError("reading YAML needs PyYAML: pip install 'siglint[yaml]'") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DocumentError(f"not valid YAML: {' '.join(str(error).split())}") from None


PARSERS: dict[str, Callable[[str], Any]] = {
    ".json": parse_json, ".toml": parse_toml, ".yaml": parse_yaml, ".yml": parse_yaml,
}


def json_path(parts: Iterable[int | str]) -> str:
    """`contracts[0].checks[2].dtype`; keys that are not plain words are quoted."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            if re.fullmatch(r"[A-Za-z0-9_-]+", part):
                key = part
            else:
                import json

                key = json.dumps(part)
            text += f".{key}" if text else key
    return text or "(top level)"


def first_error(schema: Any, instance: Any, at: tuple[int | str, ...] = ()) -> str | None:
    """The most relevant way `instance` breaks `schema` (JSON Schema 2020-12), as
    `<json path>: <message>` with `at` before the instance's own path; None when it is valid."""
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(instance))
    if error is None:
        return None
    where = at + tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{json_path(where + (unknown[0],))}: unknown key"
    choices = error.schema.get("oneOf", []) if error.validator == "oneOf" else []
    if choices and all(set(choice) == {"required"} for choice in choices):
        names = ", ".join(f"`{choice['required'][0]}`" for choice in choices)
        return f"{json_path(where)}: needs exactly one of {names}"
    return f"{json_path(where)}: {error.message}"
