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

from siglint.io.quoting import bounded
from siglint.io.source import Kind, SourceError, read_all, storage_for

# Far more than any real config file, pack or spec; a bound on what a stranger's file costs.
MAX_DOCUMENT_BYTES = 16 * 2**20
# Deeper than any real document; a bound on the parsers' (and the validators') recursion.
MAX_NESTING = 64


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
                raise DocumentError(f"duplicate key {bounded(repr(key))}")
            seen.add(key)
        return dict(pairs)

    def parse() -> Any:
        try:
            return json.loads(text, object_pairs_hook=no_duplicates)
        except json.JSONDecodeError as error:
            raise DocumentError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from None

    return within_limits("JSON", parse)


def parse_toml(text: str) -> Any:
    from siglint.io import toml

    def parse() -> Any:
        try:
            return toml.loads(text)
        except toml.TOMLError as error:
            raise DocumentError(f"not valid TOML: {bounded(str(error))}") from None

    return within_limits("TOML", parse)


def parse_yaml(text: str) -> Any:
    """YAML without aliases: `*name` could make a few hundred bytes expand to gigabytes."""
    try:
        import yaml
    except ImportError:
        raise DocumentError("reading YAML needs PyYAML: pip install 'siglint[yaml]'") from None

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise DocumentError(
                    f"not valid YAML: aliases (*name) are not allowed, line {mark.line + 1} column {mark.column + 1}"
                )
            return super().compose_node(parent, index)

    def parse() -> Any:
        try:
            return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError as error:
            raise DocumentError(f"not valid YAML: {bounded(' '.join(str(error).split()))}") from None

    return within_limits("YAML", parse)


def within_limits(format_name: str, parse: Callable[[], Any]) -> Any:
    """`parse()`, refusing a document nested deeper than MAX_NESTING and a number too long for
    Python to read, each as one line."""
    try:
        document = parse()
    except RecursionError:
        document = None
        too_deep = True
    except ValueError as error:
        if isinstance(error, DocumentError):
            raise
        raise DocumentError(f"not valid {format_name}: {bounded(str(error))}") from None
    else:
        too_deep = _deeper_than(document, MAX_NESTING)
    if too_deep:
        raise DocumentError(f"not valid {format_name}: nested deeper than {MAX_NESTING} levels")
    return document


def _deeper_than(document: Any, limit: int) -> bool:
    """True when lists and tables nest more than `limit` deep (walked without recursion)."""
    pending = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (dict, list)):
            if depth >= limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


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
                key = bounded(part, 80)
            else:
                import json

                key = bounded(json.dumps(part), 80)
            text += f".{key}" if text else key
    return text or "(top level)"


def first_error(schema: Any, instance: Any, at: tuple[int | str, ...] = ()) -> str | None:
    """The most relevant way `instance` breaks `schema` (JSON Schema 2020-12), as
    `<json path>: <message>` with `at` before the instance's own path; None when it is valid."""
    import jsonschema

    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(instance))
    if error is None:
        return None
    return _described(error, at)


def _described(error: Any, at: tuple[int | str, ...]) -> str:
    where = at + tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{json_path(where + (unknown[0],))}: unknown key"
    choices = error.schema.get("oneOf", []) if error.validator == "oneOf" else []
    if choices and all(set(choice) == {"required"} for choice in choices):
        names = ", ".join(f"`{choice['required'][0]}`" for choice in choices)
        return f"{json_path(where)}: needs exactly one of {names}"
    return f"{json_path(where)}: {bounded(error.message)}"
