"""JSON Schema validation of the files siglint reads (config files, contract packs), reported as
one line: a JSON path and what is wrong there. `jsonschema` is imported only when a file is
validated, so a plain `siglint check` never pays for it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any


def json_path(parts: Iterable[int | str]) -> str:
    """`contracts[0].checks[2].dtype`; keys that are not plain words are quoted."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part)
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
