"""`siglint diff`'s reports: every format of `check`, the findings at the new version's path. The
formats for people end with the diff's own summary (which versions, at which level); `--format
json` adds a `diff` object naming both versions and the level."""

from __future__ import annotations

from typing import IO

from siglint.engine.diff import DiffResult
from siglint.findings import ModelSummary, Severity, printable
from siglint.report import TEXT_FORMATS, Report, reporter
from siglint.report.text import baseline_lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary_line(diff: DiffResult) -> str:
    """`Found 2 errors, 1 warning from export/2 to export/3 at level grpc (4 signatures compared).`"""
    result = diff.result
    old, new = diff.old.path, diff.new.path
    if old == new and diff.old.file and diff.new.file and diff.old.file != diff.new.file:
        # a folder's SavedModel against its model.tflite: the files say which is which
        old, new = diff.old.file, diff.new.file
    versions = f"from {old} to {new}"
    compared = f"{_plural(diff.compared, 'signature')} compared"
    if not result.findings:
        return printable(f"All checks passed: no {diff.level.value}-level change {versions} ({compared}).")
    counts = ", ".join(_plural(result.total(s), s.value) for s in Severity if result.total(s))
    return printable(f"Found {counts} {versions} at level {diff.level.value} ({compared}).")


def report_diff(fmt: str, report: Report, diff: DiffResult, stream: IO[str]) -> None:
    """Write `report` (the diff's findings) in format `fmt`."""
    if fmt in TEXT_FORMATS or fmt == "github":  # the findings, then the diff's own summary
        reporter(fmt)(report._replace(quiet=True), stream)
        if not report.quiet:
            print(summary_line(diff), file=stream)
            for line in baseline_lines(report.baseline) if report.baseline is not None else ():
                print(line, file=stream)
    elif fmt == "json":
        import json

        from siglint.report.json_document import json_document

        document = json_document(report)
        document["diff"] = {"level": diff.level.value, "old": _side(diff.old), "new": _side(diff.new), "compared": diff.compared}
        json.dump(document, stream, indent=2)
        stream.write("\n")
    else:
        reporter(fmt)(report, stream)


def _side(model: ModelSummary) -> dict[str, object]:
    return {"path": model.path, "file": model.file, "version": model.version, "signatures": list(model.signatures)}
