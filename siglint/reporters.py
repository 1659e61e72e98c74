"""Reporters: each renders a whole LintResult to a stream. Exit codes are not their business."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import IO

from siglint.api import LintResult
from siglint.baseline import Comparison, entry_to_dict
from siglint.engine import Rule
from siglint.findings import Finding, Severity, one_line
from siglint.view import SignatureView

JSON_SCHEMA_VERSION = 1


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
        lines += [f"  {entry}" + (f" (x{count})" if count > 1 else "") for entry, count in comparison.stale]
    return lines


def _summary(result: LintResult, baseline: Comparison | None, stream: IO[str]) -> None:
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
            f"{self.bold(one_line(str(finding.location)))}: {self.severity(finding.code, level)} "
            f"{self.severity(level.value, level)} {one_line(finding.message)}"
        )


def report_text(
    result: LintResult,
    rules: tuple[Rule, ...],
    stream: IO[str],
    quiet: bool,
    baseline: Comparison | None = None,
    *,
    color: bool = False,
) -> None:
    """`concise`: one line per finding, then the summary."""
    style = Style(color)
    for finding in result.findings:
        print(style.finding(finding), file=stream)
    if not quiet:
        _summary(result, baseline, stream)


def report_full(
    result: LintResult,
    rules: tuple[Rule, ...],
    stream: IO[str],
    quiet: bool,
    baseline: Comparison | None = None,
    *,
    color: bool = False,
) -> None:
    """`full`: each finding's line, then the signature it concerns as a table of its tensors
    (the one at fault marked), expected and actual values, and the command that explains it."""
    style = Style(color)
    signatures = _signature_views(result)
    for finding in result.findings:
        print(style.finding(finding), file=stream)
        loc = finding.location
        signature = signatures.get((loc.path, loc.signature)) if loc.signature is not None else None
        if signature is not None:
            for line in _signature_table(signature, loc.io, loc.tensor):
                print(style.dim(line) if not line.startswith("  >") else style.bold(line), file=stream)
        for label, value in (("expected", finding.expected), ("actual", finding.actual)):
            if value is not None:
                print(f"  {label}: {one_line(value)}", file=stream)
        print(style.dim(f"  help: siglint explain {finding.code}"), file=stream)
        print(file=stream)
    if not quiet:
        _summary(result, baseline, stream)


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
    rows = [tuple(one_line(cell) for cell in row) for row in rows]
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
        json.dump([{"code": code, "name": name, "count": n} for code, name, n in rows], stream, indent=2)
        stream.write("\n")
        return
    width = max((len(str(n)) for _, _, n in rows), default=1)
    for code, name, n in rows:
        print(f"{n:>{width}}\t{code}\t{name}", file=stream)


def report_json(
    result: LintResult, rules: tuple[Rule, ...], stream: IO[str], quiet: bool, baseline: Comparison | None = None
) -> None:
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
    json.dump(document, stream, indent=2)
    stream.write("\n")


def _artifacts(result: LintResult) -> dict[str, str]:
    """Model directory -> the file read, for reporters that must name a file."""
    return {model.path: model.file for model in result.models if model.file}


def _artifact(files: dict[str, str], finding: Finding) -> str:
    return files.get(finding.location.path) or finding.location.path


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def report_github(
    result: LintResult, rules: tuple[Rule, ...], stream: IO[str], quiet: bool, baseline: Comparison | None = None
) -> None:
    files = _artifacts(result)
    for finding in result.findings:
        properties = (
            f"title={_escape_property(f'siglint ({finding.code})')},"
            f"file={_escape_property(_artifact(files, finding))}"
        )
        message = f"{finding.location}: {finding.code} {finding.message}"
        print(f"::{_GITHUB_LEVEL[finding.severity]} {properties}::{_escape_data(message)}", file=stream)
    if not quiet:
        _summary(result, baseline, stream)


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# The symbol relative artifact URIs are resolved against: the folder siglint ran in.
SARIF_SOURCE_ROOT = "%SRCROOT%"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# What XML 1.0 forbids (and a carriage return, which parsers turn into a newline).
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def _shown(character: str) -> str:
    """A character that cannot be written as it is, spelt visibly; a surrogate escape (a byte
    of a path that is not UTF-8) is shown as that byte: `\\xff`."""
    code = ord(character)
    if character == "\r":
        return "\\r"
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _without_lone_surrogates(text: str) -> str:
    return _LONE_SURROGATE.sub(lambda match: _shown(match.group()), text)


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: _shown(match.group()), text)


def _logical_name(finding: Finding) -> str:
    loc = finding.location
    parts = [",".join(loc.tags) if loc.tags else None, loc.signature, loc.io, loc.tensor]
    return "/".join(part for part in parts if part)


def _fingerprint(finding: Finding) -> str:
    """Stable across runs: code, model path, logical location and message."""
    import hashlib

    key = f"{finding.code}|{finding.location.path}|{_logical_name(finding)}|{finding.message}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


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


def report_sarif(
    result: LintResult, rules: tuple[Rule, ...], stream: IO[str], quiet: bool, baseline: Comparison | None = None
) -> None:
    """SARIF has no place for stale baseline entries: only the new findings are reported."""
    from siglint import __version__

    index = {rule.code: i for i, rule in enumerate(rules)}
    files = _artifacts(result)
    results = []
    for finding in result.findings:
        logical = _without_lone_surrogates(_logical_name(finding))
        entry = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": _without_lone_surrogates(f"{finding.location}: {finding.message}")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact_location(_artifact(files, finding)),
                        "region": {"startLine": 1},
                    },
                    **(
                        {"logicalLocations": [{"fullyQualifiedName": logical, "kind": "member"}]}
                        if logical
                        else {}
                    ),
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": _fingerprint(finding)},
        }
        if finding.contract:
            entry["properties"] = {"contract": _without_lone_surrogates(finding.contract)}
        results.append(entry)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "siglint",
                        "version": __version__,
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


JUNIT_PASSED = "All checks passed"


def _details(finding: Finding) -> str:
    """A finding's line as `text` prints it, then what was expected and found."""
    extras = (("expected", finding.expected), ("actual", finding.actual), ("contract", finding.contract))
    return "\n".join([str(finding), *(f"{label}: {value}" for label, value in extras if value is not None)])


def report_junit(
    result: LintResult, rules: tuple[Rule, ...], stream: IO[str], quiet: bool, baseline: Comparison | None = None
) -> None:
    """JUnit XML: a testsuite per model path, a testcase per finding. Only error findings are
    failures; warnings and info pass with their text in <system-out>. Only new findings when a
    baseline is given; `quiet` does not apply."""
    from xml.etree import ElementTree

    findings_by_path: dict[str, list[Finding]] = {model.path: [] for model in result.models}
    for finding in result.findings:
        findings_by_path.setdefault(finding.location.path, []).append(finding)
    suites = ElementTree.Element("testsuites", name="siglint")
    for path in sorted(findings_by_path):
        findings = findings_by_path[path]
        name = _xml_text(path)
        suite = ElementTree.SubElement(
            suites, "testsuite", name=name, tests=str(len(findings) or 1),
            failures=str(sum(f.severity is Severity.ERROR for f in findings)), errors="0", skipped="0",
        )
        if not findings:
            ElementTree.SubElement(suite, "testcase", classname=name, name=JUNIT_PASSED)
        for finding in findings:
            case = ElementTree.SubElement(
                suite, "testcase", classname=name, name=_xml_text(f"{finding.code} {finding.location}")
            )
            if finding.severity is Severity.ERROR:
                failure = ElementTree.SubElement(
                    case, "failure", message=_xml_text(finding.message), type=finding.code
                )
                failure.text = _xml_text(_details(finding))
            else:
                ElementTree.SubElement(case, "system-out").text = _xml_text(_details(finding))
    suites.set("tests", str(sum(int(suite.get("tests", "0")) for suite in suites)))
    suites.set("failures", str(result.total(Severity.ERROR)))
    suites.set("errors", "0")
    ElementTree.indent(suites)
    # Only ASCII, non-ASCII as character references: right whatever the stream's encoding.
    document = ElementTree.tostring(suites, encoding="unicode").encode("ascii", "xmlcharrefreplace")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(document.decode("ascii"))
    stream.write("\n")


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def report_gitlab(
    result: LintResult, rules: tuple[Rule, ...], stream: IO[str], quiet: bool, baseline: Comparison | None = None
) -> None:
    """GitLab Code Quality JSON: one issue per finding (only new ones when a baseline is given);
    `quiet` does not apply. A fingerprint is SARIF's; a repeat of an identical finding gets its
    own, so that GitLab keeps them apart."""
    import hashlib

    files = _artifacts(result)
    seen: dict[str, int] = {}
    issues = []
    for finding in result.findings:
        fingerprint = _fingerprint(finding)
        seen[fingerprint] = repeat = seen.get(fingerprint, 0) + 1
        if repeat > 1:
            fingerprint = hashlib.sha256(f"{fingerprint}|{repeat}".encode()).hexdigest()
        issues.append(
            {
                "description": _without_lone_surrogates(f"{finding.location}: {finding.message}"),
                "check_name": finding.code,
                "fingerprint": fingerprint,
                "severity": _GITLAB_SEVERITY[finding.severity],
                "location": {
                    "path": _without_lone_surrogates(_artifact(files, finding)),
                    "lines": {"begin": 1},
                },
            }
        )
    json.dump(issues, stream, indent=2)
    stream.write("\n")


# (result, rules, stream, quiet, baseline comparison or None); the text formats also take `color`.
Reporter = Callable[[LintResult, tuple[Rule, ...], IO[str], bool, "Comparison | None"], None]

REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "concise": report_text,
    "full": report_full,
    "json": report_json,
    "github": report_github,
    "sarif": report_sarif,
    "junit": report_junit,
    "gitlab": report_gitlab,
}

# Formats for people, which may be coloured on a terminal.
TEXT_FORMATS = frozenset({"text", "concise", "full"})
