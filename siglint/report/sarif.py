"""`--format sarif`: SARIF 2.1.0 for code scanning, with every rule the run had on, logical
locations (`serve/regress_x_to_y/output/outputs`), stable fingerprints, and artifact URIs that
are valid URI references (percent-encoded, relative to `%SRCROOT%`, or `file://` URIs). SARIF has
no place for stale baseline entries: only the new findings are reported."""

from __future__ import annotations

import json
import os
from typing import IO

from siglint.findings import Finding, Severity
from siglint.report import Report
from siglint.report.escape import printable
from siglint.report.locations import artifact, artifacts, fingerprint, logical_name

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# The symbol relative artifact URIs are resolved against: the folder siglint ran in.
SARIF_SOURCE_ROOT = "%SRCROOT%"


def _percent_encoded(path: str) -> str:
    """`path` as a URI path: its bytes (those of a name that is not UTF-8 included) percent-encoded."""
    from urllib.parse import quote

    raw = os.fsencode(path)
    if os.sep != "/":
        raw = raw.replace(os.sep.encode(), b"/")
    return quote(raw, safe="/")


def _artifact_location(path: str) -> dict[str, str]:
    """An absolute path as a `file://` URI; a relative one as a URI reference relative to
    SARIF_SOURCE_ROOT."""
    if os.path.isabs(path):
        encoded = _percent_encoded(path)
        return {"uri": "file://" + (encoded if encoded.startswith("/") else f"/{encoded}")}
    return {"uri": _percent_encoded(path), "uriBaseId": SARIF_SOURCE_ROOT}


def _folder_uri(folder: str) -> str:
    uri = _artifact_location(folder)["uri"]
    return uri if uri.endswith("/") else f"{uri}/"


def _region(finding: Finding) -> dict[str, int]:
    """The finding's line and column in its file (a models.config's), else the file's first line."""
    location = finding.location
    region = {"startLine": location.line or 1}
    if location.line and location.column:
        region["startColumn"] = location.column
    return region


def report_sarif(report: Report, stream: IO[str]) -> None:
    result, rules = report.result, report.rules
    index = {rule.code: i for i, rule in enumerate(rules)}
    files = artifacts(result)
    results = []
    for finding in result.findings:
        logical = printable(logical_name(finding))
        entry = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": printable(f"{finding.location}: {finding.message}")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact_location(artifact(files, finding)),
                        "region": _region(finding),
                    },
                    **(
                        {"logicalLocations": [{"fullyQualifiedName": logical, "kind": "member"}]}
                        if logical
                        else {}
                    ),
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint(finding)},
        }
        if finding.contract:
            entry["properties"] = {"contract": printable(finding.contract)}
        results.append(entry)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "siglint",
                        "version": report.version,
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule.summary},
                                "fullDescription": {"text": rule.summary},
                                "help": {"text": rule.doc.strip(), "markdown": rule.doc.strip()},
                                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                            }
                            for rule in rules
                        ],
                    }
                },
                "originalUriBaseIds": {SARIF_SOURCE_ROOT: {"uri": _folder_uri(os.getcwd())}},
                "results": results,
            }
        ],
    }
    json.dump(document, stream, indent=2)
    stream.write("\n")
