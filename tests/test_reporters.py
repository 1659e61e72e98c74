"""Structured reports for CI: SARIF URIs of any path, JUnit XML, GitLab Code Quality."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urljoin, urlsplit

import pytest
from sarif import valid_sarif

from siglint.cli import main

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
def test_sarif_uri_of_a_path_with_a_space_hash_percent_and_a_non_utf8_byte(odd_model: str, absolute: bool) -> None:
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
        assert result["message"]["text"].startswith(f"{path}".replace("\udcff", "\\xff") + "/00000123[serve]:")


def test_sarif_fingerprints_and_logical_locations_stay_as_they_were(testdata: Path) -> None:
    document = valid_sarif(run("--format", "sarif", str(testdata / BAD))[1])
    result = document["runs"][0]["results"][-1]
    model = str(testdata / BAD / "00000123")
    logical = "serve/regress_x_to_y2/output/outputs"
    message = "output 'outputs' has shape (1, 10, 10, 1): Expected output Tensor shape to be either " \
        "[batch_size] or [batch_size, 1] but got (1, 10, 10, 1)"
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
    document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "my model"
    with pytest.raises(AssertionError, match="is not a 'uri-reference'"):
        valid_sarif(json.dumps(document))
