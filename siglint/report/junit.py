"""`--format junit`: JUnit XML for CI test reports: a testsuite per model path, a testcase per
finding. Only error findings are failures, so warnings never turn a report red."""

from __future__ import annotations

from typing import IO

from siglint.findings import Finding, Severity
from siglint.report import Report
from siglint.report.escape import xml_text

JUNIT_PASSED = "All checks passed"


def _details(finding: Finding) -> str:
    """A finding's line as `text` prints it, then what was expected and found."""
    extras = (("expected", finding.expected), ("actual", finding.actual), ("contract", finding.contract))
    return "\n".join([str(finding), *(f"{label}: {value}" for label, value in extras if value is not None)])


def report_junit(report: Report, stream: IO[str]) -> None:
    """JUnit XML: a testsuite per model path, a testcase per finding. Only error findings are
    failures; warnings and info pass with their text in <system-out>. Only new findings when a
    baseline is given; `quiet` does not apply."""
    from xml.etree import ElementTree

    result = report.result

    findings_by_path: dict[str, list[Finding]] = {model.path: [] for model in result.models}
    for finding in result.findings:
        findings_by_path.setdefault(finding.location.path, []).append(finding)
    suites = ElementTree.Element("testsuites", name="siglint")
    for path in sorted(findings_by_path):
        findings = findings_by_path[path]
        name = xml_text(path)
        suite = ElementTree.SubElement(
            suites, "testsuite", name=name, tests=str(len(findings) or 1),
            failures=str(sum(f.severity is Severity.ERROR for f in findings)), errors="0", skipped="0",
        )
        if not findings:
            ElementTree.SubElement(suite, "testcase", classname=name, name=JUNIT_PASSED)
        for finding in findings:
            case = ElementTree.SubElement(
                suite, "testcase", classname=name, name=xml_text(f"{finding.code} {finding.location}")
            )
            if finding.severity is Severity.ERROR:
                failure = ElementTree.SubElement(
                    case, "failure", message=xml_text(finding.message), type=finding.code
                )
                failure.text = xml_text(_details(finding))
            else:
                ElementTree.SubElement(case, "system-out").text = xml_text(_details(finding))
    suites.set("tests", str(sum(int(suite.get("tests", "0")) for suite in suites)))
    suites.set("failures", str(result.total(Severity.ERROR)))
    suites.set("errors", "0")
    ElementTree.indent(suites)
    # Only ASCII, non-ASCII as character references: right whatever the stream's encoding.
    document = ElementTree.tostring(suites, encoding="unicode").encode("ascii", "xmlcharrefreplace")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(document.decode("ascii"))
    stream.write("\n")
