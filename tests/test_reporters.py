"""Structured reports for CI: SARIF URIs of any path, JUnit XML, GitLab Code Quality."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

import pytest
from junitparser import Failure, JUnitXml, TestCase
from sarif import valid_sarif

from siglint.cli import main
from siglint.findings import Finding, LintResult, Location, Severity
from siglint.report import Report
from siglint.report.gitlab import report_gitlab

BAD = "saved_model_half_plus_two_mkl"  # 4 errors, 2 warnings
WARN = "saved_model_counter"  # warnings and info only
CLEAN = "matrix_half_plus_two"
# A folder name no URI may hold as it is: a space, `#` (a fragment), `%41` (decodes to "A")
# and a byte that is not UTF-8.
ODD_NAME = b"my model #1 %41 \xff"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", "--isolated", *argv], stdout=out)
    return code, out.getvalue()


@pytest.fixture
def no_savedmodel(tmp_path: Path) -> str:
    """A version folder with variables/ and no SavedModel: SIG001, a finding with no file read."""
    folder = tmp_path / "export" / "00000123"
    (folder / "variables").mkdir(parents=True)
    return str(folder)


@pytest.fixture
def odd_model(tmp_path: Path, testdata: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """`models/<ODD_NAME>`, a copy of BAD, relative to the current folder (tmp_path)."""
    shutil.copytree(testdata / BAD, os.fsdecode(os.path.join(os.fsencode(tmp_path), b"models", ODD_NAME)))
    monkeypatch.chdir(tmp_path)
    return os.fsdecode(os.path.join(b"models", ODD_NAME))


def _resolved_path(document: dict[str, Any], location: dict[str, Any]) -> bytes:
    """The file path bytes an artifactLocation names, resolved against its uriBaseId."""
    run_ = document["runs"][0]
    uri = location["uri"]
    if "uriBaseId" in location:
        uri = urljoin(run_["originalUriBaseIds"][location["uriBaseId"]]["uri"], uri)
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("file", "", "", "")
    return unquote_to_bytes(parts.path)


def _no_lone_surrogates(text: str) -> None:
    json.loads(text)  # valid JSON
    json.dumps(json.loads(text), ensure_ascii=False).encode("utf-8")  # strict: no lone surrogate


@pytest.mark.parametrize("absolute", [False, True], ids=["relative", "absolute"])
def test_sarif_uri_of_a_path_with_a_space_hash_percent_and_a_non_utf8_byte(
    odd_model: str, absolute: bool
) -> None:
    path = os.path.abspath(odd_model) if absolute else odd_model
    code, out = run("--format", "sarif", path)
    assert code == 1
    _no_lone_surrogates(out)
    document = valid_sarif(out)
    run_ = document["runs"][0]
    base = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file:///") and base.endswith("/")
    assert unquote_to_bytes(urlsplit(base).path) == os.fsencode(os.getcwd()) + b"/"
    model_file = os.fsencode(os.path.join(path, "00000123", "saved_model.pb"))
    assert len(run_["results"]) == 6
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        if absolute:
            assert "uriBaseId" not in location and location["uri"].startswith("file:///")
        else:
            assert location["uriBaseId"] == "%SRCROOT%"
            assert unquote_to_bytes(location["uri"]) == model_file
        assert _resolved_path(document, location) == os.fsencode(os.path.abspath(os.fsdecode(model_file)))
        # Messages name the path with the byte shown, never as a lone surrogate.
        assert result["message"]["text"].startswith(path.replace("\udcff", "\\xff") + "/00000123[serve]:")


def test_sarif_fingerprints_and_logical_locations_stay_as_they_were(testdata: Path) -> None:
    document = valid_sarif(run("--format", "sarif", str(testdata / BAD))[1])
    result = document["runs"][0]["results"][-1]
    model = str(testdata / BAD / "00000123")
    logical = "serve/regress_x_to_y2/output/outputs"
    message = (
        "output 'outputs' has shape (1, 10, 10, 1): Expected output Tensor shape to be either "
        "[batch_size] or [batch_size, 1] but got (1, 10, 10, 1)"
    )
    assert result["ruleId"] == "SIG404"
    assert result["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": logical, "kind": "member"}]
    assert result["partialFingerprints"]["primaryLocationLineHash"] == hashlib.sha256(
        f"SIG404|{model}|{logical}|{message}".encode()
    ).hexdigest()
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": Path(model, "saved_model.pb").as_uri()
    }


def test_the_sarif_check_rejects_a_uri_with_a_space(testdata: Path) -> None:
    document = valid_sarif(run("--format", "sarif", str(testdata / BAD))[1])
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    location["artifactLocation"]["uri"] = "my model"
    with pytest.raises(AssertionError, match="is not a 'uri-reference'"):
        valid_sarif(json.dumps(document))


# --format junit ---------------------------------------------------------------------------------

JUNIT_XSD = Path(__file__).parent / "data" / "junit-10.xsd"
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def valid_junit(text: str) -> JUnitXml:
    """`text` read by junitparser, after checking it against Jenkins' JUnit XSD."""
    import xmlschema

    assert text.isascii() and not XML_FORBIDDEN.search(text)
    xmlschema.XMLSchema(JUNIT_XSD).validate(text.encode("ascii"))
    report = JUnitXml.fromstring(text)
    assert isinstance(report, JUnitXml) and report.name == "siglint"
    return report


def _suites(report: JUnitXml) -> dict[str, list[TestCase]]:
    """Suite name -> its testcases, after checking every count the report states."""
    suites = {}
    for suite in report:
        cases = list(suite)
        assert (suite.tests, suite.errors, suite.skipped) == (len(cases), 0, 0)
        assert suite.failures == sum(not case.is_passed for case in cases)
        assert all(case.classname == suite.name for case in cases)
        suites[suite.name] = cases
    assert list(suites) == sorted(suites)
    assert report.tests == sum(len(cases) for cases in suites.values())
    assert report.failures == sum(suite.failures for suite in report) and report.errors == 0
    return suites


def test_junit_has_a_suite_per_model_path_and_a_case_per_finding(testdata: Path, no_savedmodel: str) -> None:
    paths = [str(testdata / name) for name in (BAD, WARN, CLEAN)] + [no_savedmodel]
    code, text = run("--format", "junit", *paths)
    findings = json.loads(run("--format", "json", *paths)[1])["findings"]
    lines = run("-q", *paths)[1].splitlines()  # `location: CODE severity message`, as findings
    assert code == 1 and len(lines) == len(findings)
    suites = _suites(valid_junit(text))
    models = [str(testdata / name) for name in (f"{BAD}/00000123", f"{WARN}/00000123", f"{CLEAN}/1")] + [no_savedmodel]
    assert set(suites) == set(models)  # SIG001: a version folder with no SavedModel
    cases = [case for name in suites for case in suites[name] if case.name != "All checks passed"]
    assert len(cases) == len(findings)
    for case, finding, line in zip(cases, findings, lines, strict=True):
        location = line.split(f": {finding['code']} ", 1)[0]
        assert (case.classname, case.name) == (finding["path"], f"{finding['code']} {location}")
        details = "\n".join([line, *(f"{key}: {finding[key]}" for key in ("expected", "actual") if finding[key])])
        if finding["severity"] == "error":
            [failure] = case.result
            assert isinstance(failure, Failure)
            assert (failure.type, failure.message, failure.text) == (finding["code"], finding["message"], details)
        else:  # a warning or info never fails the report
            assert case.is_passed and case.system_out == details
    bad = str(testdata / BAD / "00000123")
    assert f"SIG404 {bad}[serve]:regress_x_to_y2:outputs" in {case.name for case in suites[bad]}
    assert [suites[no_savedmodel][0].name] == [f"SIG001 {no_savedmodel}"]
    [passed] = suites[str(testdata / CLEAN / "1")]
    assert passed.name == "All checks passed" and passed.is_passed


def test_junit_of_warnings_only_has_no_failure(testdata: Path) -> None:
    code, text = run("--format", "junit", str(testdata / WARN))
    report = valid_junit(text)
    assert code == 0 and report.failures == 0 and report.tests > 1
    assert all(case.is_passed for suite in report for case in suite)


def test_junit_escapes_markup_control_characters_and_bytes_that_are_not_utf8(odd_model: str) -> None:
    marked_up = os.path.join(b"models", b'<a & "b">\x1b\r\x7f', b"1")
    shutil.copytree(os.path.join(os.fsencode(odd_model), b"00000123"), marked_up)
    code, text = run("--format", "junit", "models")
    suites = _suites(valid_junit(text))
    assert code == 1
    assert set(suites) == {'models/<a & "b">\\x1b\\r\\x7f/1', "models/my model #1 %41 \\xff/00000123"}
    for name, cases in suites.items():
        assert len(cases) == 6
        assert all(case.name.split(" ", 1)[1].startswith(f"{name}[serve]:") for case in cases)
        assert all(failure.text.startswith(name) for case in cases for failure in case.result)
    assert "\\x1b" in text and "\x1b" not in text and "&lt;a &amp; " in text


# --format gitlab --------------------------------------------------------------------------------

GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def test_gitlab_code_quality_fields(testdata: Path, no_savedmodel: str) -> None:
    paths = [str(testdata / BAD), str(testdata / WARN), no_savedmodel]
    code, out = run("--format", "gitlab", *paths)
    document = json.loads(run("--format", "json", *paths)[1])
    files = {model["path"]: model["file"] for model in document["models"]}
    issues = json.loads(out)
    assert code == 1 and isinstance(issues, list) and len(issues) == len(document["findings"])
    lines = run("-q", *paths)[1].splitlines()
    for issue, finding, line in zip(issues, document["findings"], lines, strict=True):
        location = line.split(f": {finding['code']} ", 1)[0]
        assert issue == {
            "description": f"{location}: {finding['message']}",
            "check_name": finding["code"],
            "fingerprint": issue["fingerprint"],
            "severity": GITLAB_SEVERITY[finding["severity"]],
            "location": {"path": files.get(finding["path"]) or finding["path"], "lines": {"begin": 1}},
        }
        assert isinstance(issue["fingerprint"], str) and re.fullmatch("[0-9a-f]{64}", issue["fingerprint"])
    assert {issue["severity"] for issue in issues} == {"major", "minor", "info"}
    paths_by_code = {issue["check_name"]: issue["location"]["path"] for issue in issues}
    assert paths_by_code["SIG001"] == no_savedmodel  # no file read: the path given
    assert paths_by_code["SIG404"] == str(testdata / BAD / "00000123" / "saved_model.pb")


def gitlab_fingerprints(*argv: str) -> list[str]:
    return [issue["fingerprint"] for issue in json.loads(run("--format", "gitlab", *argv)[1])]


def test_gitlab_fingerprints_are_unique_and_stable(
    testdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fingerprints = gitlab_fingerprints(str(testdata))
    assert len(fingerprints) > 50 and len(set(fingerprints)) == len(fingerprints)
    monkeypatch.chdir(tmp_path)  # another run, from elsewhere
    assert gitlab_fingerprints(str(testdata)) == fingerprints
    results = valid_sarif(run("--format", "sarif", str(testdata))[1])["runs"][0]["results"]
    assert [r["partialFingerprints"]["primaryLocationLineHash"] for r in results] == fingerprints


def test_gitlab_fingerprints_of_identical_findings_differ() -> None:
    where = Location("m/1", ("serve",), "sig")
    finding = Finding("SIG310", "fixed-batch-size", Severity.WARNING, "same", where)
    out = io.StringIO()
    report_gitlab(Report(LintResult((finding, finding), ()), (), "0"), out)
    first, second = (issue["fingerprint"] for issue in json.loads(out.getvalue()))
    assert first != second


def test_gitlab_path_and_description_never_hold_a_lone_surrogate(odd_model: str) -> None:
    out = run("--format", "gitlab", odd_model)[1]
    _no_lone_surrogates(out)
    shown = "models/my model #1 %41 \\xff/00000123"
    assert {issue["location"]["path"] for issue in json.loads(out)} == {f"{shown}/saved_model.pb"}
    assert all(issue["description"].startswith(f"{shown}[serve]:") for issue in json.loads(out))


# Every structured format: --baseline reports only new findings; -q changes nothing --------------


@pytest.mark.parametrize("fmt", ["junit", "gitlab", "sarif"])
def test_structured_formats_with_a_baseline_and_quiet(
    fmt: str, testdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(testdata / BAD, tmp_path / "models" / "old")
    monkeypatch.chdir(tmp_path)
    assert run("--write-baseline", "baseline.json", "models")[0] == 0
    shutil.copytree(testdata / WARN, tmp_path / "models" / "new")
    code, out = run("--format", fmt, "--baseline", "baseline.json", "models")
    assert code == 0 and run("-q", "--format", fmt, "--baseline", "baseline.json", "models") == (code, out)
    document = json.loads(run("--format", "json", "--baseline", "baseline.json", "models")[1])
    assert {finding["path"] for finding in document["findings"]} == {"models/new/00000123"}
    if fmt == "junit":
        suites = _suites(valid_junit(out))
        assert [case.name for case in suites["models/old/00000123"]] == ["All checks passed"]
        assert all(case.name.startswith("SIG") for case in suites["models/new/00000123"])
    elif fmt == "gitlab":
        paths = {issue["location"]["path"] for issue in json.loads(out)}
        assert paths == {"models/new/00000123/saved_model.pb"}
    else:
        results = valid_sarif(out)["runs"][0]["results"]
        assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
            "models/new/00000123/saved_model.pb"
        }
