"""`--format json`: one document with every model looked at and every finding (documented in
the README; `version` changes only when a field is removed or changes meaning)."""

from __future__ import annotations

import json
from typing import IO

from siglint.findings import Severity
from siglint.report import Report
from siglint.report.baseline import entry_to_dict

JSON_SCHEMA_VERSION = 1


def report_json(report: Report, stream: IO[str]) -> None:
    json.dump(json_document(report), stream, indent=2)
    stream.write("\n")


def json_document(report: Report) -> dict[str, object]:
    """The document `--format json` writes (`siglint diff` adds its `diff` object to it)."""
    result, baseline = report.result, report.baseline
    document: dict[str, object] = {
        "version": JSON_SCHEMA_VERSION,
        "models": [model.to_dict() for model in result.models],
        "findings": [finding.to_dict() for finding in result.findings],
        "summary": {
            "models": len(result.models),
            **{severity.value: result.total(severity) for severity in Severity},
        },
    }
    if baseline is not None:
        document["baseline"] = {
            "known": baseline.known,
            "stale": [{**entry_to_dict(entry), "count": count} for entry, count in baseline.stale],
        }
    return document
