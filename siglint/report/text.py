"""The formats for people: `concise` (alias `text`: one line per finding, then a summary),
`full` (each finding with the signature it concerns), and `--statistics`."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from siglint.findings import Finding, LintResult, Severity, printable
from siglint.model.view import SignatureView
from siglint.report import Report

if TYPE_CHECKING:
    from siglint.report.baseline import Comparison


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary_line(result: LintResult) -> str:
    models = _plural(len(result.models), "model")
    signatures = _plural(sum(len(m.signatures) for m in result.models), "signature")
    if not result.findings:
        return f"All checks passed: {models}, {signatures}."
    counts = ", ".join(
        _plural(result.total(severity), severity.value)
        for severity in Severity
        if result.total(severity)
    )
    return f"Found {counts} in {models} ({signatures})."


def baseline_lines(comparison: Comparison) -> list[str]:
    """What the text summary says about a baseline: how much it hid, and its stale entries."""
    lines = [f"{_plural(comparison.known, 'finding')} in the baseline not shown."]
    if comparison.stale:
        stale = sum(count for _, count in comparison.stale)
        lines.append(f"Stale baseline entries ({stale}), no longer found (paths relative to the baseline file):")
        lines += [f"  {printable(str(entry))}" + (f" (x{count})" if count > 1 else "") for entry, count in comparison.stale]
    return lines


def print_summary(result: LintResult, baseline: Comparison | None, stream: IO[str]) -> None:
    print(summary_line(result), file=stream)
    for line in baseline_lines(baseline) if baseline is not None else ():
        print(line, file=stream)


class Style:
    """ANSI colours for a terminal, or none: bold locations, codes and severities in their colour."""

    _SEVERITY = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}

    def __init__(self, color: bool) -> None:
        self.color = color

    def _wrap(self, text: str, sgr: str) -> str:
        return f"\x1b[{sgr}m{text}\x1b[0m" if self.color else text

    def bold(self, text: str) -> str:
        return self._wrap(text, "1")

    def dim(self, text: str) -> str:
        return self._wrap(text, "2")

    def severity(self, text: str, severity: Severity) -> str:
        return self._wrap(text, f"1;{self._SEVERITY[severity]}")

    def finding(self, finding: Finding) -> str:
        """One finding on one line (`Finding.__str__`), its parts coloured."""
        if not self.color:
            return str(finding)
        level = finding.severity
        return (
            f"{self.bold(printable(str(finding.location)))}: {self.severity(finding.code, level)} "
            f"{self.severity(level.value, level)} {printable(finding.message)}"
        )


def report_concise(report: Report, stream: IO[str]) -> None:
    """One line per finding, then the summary."""
    style = Style(report.color)
    for finding in report.result.findings:
        print(style.finding(finding), file=stream)
    if not report.quiet:
        print_summary(report.result, report.baseline, stream)


def report_full(report: Report, stream: IO[str]) -> None:
    """Each finding's line, then the signature it concerns as a table of its tensors (the one
    at fault marked), expected and actual values, and the command that explains it."""
    style = Style(report.color)
    signatures = _signature_views(report.result)
    for finding in report.result.findings:
        print(style.finding(finding), file=stream)
        loc = finding.location
        signature = signatures.get((loc.path, loc.signature)) if loc.signature is not None else None
        if signature is not None:
            for line in _signature_table(signature, loc.io, loc.tensor):
                print(style.dim(line) if not line.startswith("  >") else style.bold(line), file=stream)
        for label, value in (("expected", finding.expected), ("actual", finding.actual)):
            if value is not None:
                print(f"  {label}: {printable(value)}", file=stream)
        print(style.dim(f"  help: siglint explain {finding.code}"), file=stream)
        print(file=stream)
    if not report.quiet:
        print_summary(report.result, report.baseline, stream)


def _signature_views(result: LintResult) -> dict[tuple[str, str], SignatureView]:
    return {(m.path, s.key): s for m in result.models for s in m.signature_views}


def _signature_table(signature: SignatureView, io: str | None, tensor: str | None) -> list[str]:
    method = signature.method_name or "no method name"
    lines = [f"  signature {signature.key!r} ({method})"]
    rows = [("io", "key", "dtype", "shape", "name")]
    marks = [False]
    for kind, view in signature.tensors():
        rows.append((kind, view.key, view.dtype_name, view.shape_text, view.name or view.encoding or "-"))
        marks.append(kind == io and view.key == tensor)
    if len(rows) == 1:
        return lines + ["    (no inputs or outputs)"]
    rows = [tuple(printable(cell) for cell in row) for row in rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for mark, row in zip(marks, rows):
        text = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
        lines.append(("  > " if mark else "    ") + text)
    return lines


def statistics(findings: tuple[Finding, ...]) -> list[tuple[str, str, int]]:
    """(code, name, count) of each rule that found something, most frequent first."""
    counts: dict[tuple[str, str], int] = {}
    for finding in findings:
        counts[(finding.code, finding.name)] = counts.get((finding.code, finding.name), 0) + 1
    return sorted(((code, name, n) for (code, name), n in counts.items()), key=lambda row: (-row[2], row[0]))


def report_statistics(result: LintResult, stream: IO[str], as_json: bool) -> None:
    """`--statistics`: how many findings each rule gave, instead of the findings."""
    rows = statistics(result.findings)
    if as_json:
        import json

        json.dump([{"code": code, "name": name, "count": n} for code, name, n in rows], stream, indent=2)
        stream.write("\n")
        return
    width = max((len(str(n)) for _, _, n in rows), default=1)
    for code, name, n in rows:
        print(f"{n:>{width}}\t{code}\t{name}", file=stream)
