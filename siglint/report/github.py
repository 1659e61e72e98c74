"""`--format github`: GitHub Actions workflow commands (`::error title=...,file=...::message`),
one per finding, escaped as the runner reads them; then the text summary."""

from __future__ import annotations

from typing import IO

from siglint.findings import Severity, printable
from siglint.report import Report
from siglint.report.locations import artifact, artifacts
from siglint.report.text import print_summary


def _escape_data(text: str) -> str:
    """A workflow command's data: printable, then the runner's own escapes."""
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def report_github(report: Report, stream: IO[str]) -> None:
    result = report.result
    files = artifacts(result)
    for finding in result.findings:
        properties = (
            f"title={_escape_property(f'siglint ({finding.code})')},"
            f"file={_escape_property(artifact(files, finding))}"
        ) + (f",line={finding.location.line}" if finding.location.line else "")
        message = f"{finding.location}: {finding.code} {finding.message}"
        print(f"::{_GITHUB_LEVEL[finding.severity]} {properties}::{_escape_data(message)}", file=stream)
    if not report.quiet:
        print_summary(result, report.baseline, stream)
