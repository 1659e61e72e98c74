"""`siglint show --format json`: siglint's own model document, `{"version": 1, "model": ...}`
(ModelInfo.to_dict; documented in the README). `version` changes only when a field is removed
or changes meaning, as in `siglint check`'s JSON."""

from __future__ import annotations

import json

from siglint.model.info import ModelInfo
from siglint.report.show import Request, narrowed

JSON_SCHEMA_VERSION = 1


def render(info: ModelInfo, request: Request) -> str:
    document = {"version": JSON_SCHEMA_VERSION, "model": narrowed(info, request).to_dict()}
    return json.dumps(document, indent=2) + "\n"
