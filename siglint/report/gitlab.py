"""`--format gitlab`: GitLab Code Quality JSON, one issue per finding (only new ones when a
baseline is given)."""

from __future__ import annotations

import json
from typing import IO

from siglint.findings import Severity
from siglint.report import Report
from siglint.report.escape import printable
from siglint.report.locations import artifact, artifacts, fingerprint

_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def report_gitlab(report: Report, stream: IO[str]) -> None:
    """GitLab Code Quality JSON: one issue per finding (only new ones when a baseline is given);
    `quiet` does not apply. A fingerprint is SARIF's; a repeat of an identical finding gets its
    own, so that GitLab keeps them apart."""
    import hashlib

    result = report.result
    files = artifacts(result)
    seen: dict[str, int] = {}
    issues = []
    for finding in result.findings:
        key = fingerprint(finding)
        seen[key] = repeat = seen.get(key, 0) + 1
        if repeat > 1:
            key = hashlib.sha256(f"{key}|{repeat}".encode()).hexdigest()
        issues.append(
            {
                "description": printable(f"{finding.location}: {finding.message}"),
                "check_name": finding.code,
                "fingerprint": key,
                "severity": _GITLAB_SEVERITY[finding.severity],
                "location": {
                    "path": printable(artifact(files, finding)),
                    "lines": {"begin": finding.location.line or 1},
                },
            }
        )
    json.dump(issues, stream, indent=2)
    stream.write("\n")
