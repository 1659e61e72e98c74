"""The Python API: every accepted SignatureDef form gives the same findings; bad forms raise
ValueError; findings are frozen records with to_dict()."""

from __future__ import annotations

import pytest
from google.protobuf import json_format, text_format

from siglint import Severity, is_valid_signature, signature_view, validate_signature_def
from siglint.model.coerce import to_signature_proto

COMPACT = {
    "method_name": "tensorflow/serving/classify",
    "inputs": {"inputs": {"name": "examples:0", "dtype": "DT_FLOAT", "shape": [-1, 4]}},
    "outputs": {
        "scores": {"name": "scores:0", "dtype": "DT_FLOAT", "shape": [-1]},
        "classes": {"name": "classes:0", "dtype": "DT_INT64", "shape": [-1, 3]},
    },
}


def forms() -> dict[str, object]:
    proto = to_signature_proto(COMPACT)
    return {
        "compact dict": COMPACT,
        "message": proto,
        "bytes": proto.SerializeToString(),
        "text": text_format.MessageToString(proto),
        "json dict": json_format.MessageToDict(proto),
        "json dict, proto names": json_format.MessageToDict(proto, preserving_proto_field_name=True),
    }


def test_every_form_gives_the_same_findings() -> None:
    results = {name: validate_signature_def(value) for name, value in forms().items()}
    expected = results["compact dict"]
    assert [f.code for f in expected] == ["SIG306", "SIG306", "SIG307", "SIG308"]
    for name, findings in results.items():
        assert findings == expected, name


def test_findings_are_frozen_records() -> None:
    finding = validate_signature_def(COMPACT, key="classify")[0]
    with pytest.raises(AttributeError):
        finding.code = "SIG000"  # type: ignore[misc]
    record = finding.to_dict()
    assert record["signature"] == "classify" and record["tensor"] == "inputs"
    assert record["io"] == "input" and record["severity"] == "error"
    assert record["path"] is None and record["tags"] is None
    assert finding.severity is Severity.ERROR and finding.expected == "(-1)"


def test_compact_shapes_and_names() -> None:
    view = signature_view({"inputs": {"x": {"dtype": "float"}, "s": {"dtype": 7, "shape": []}},
                           "outputs": {"y": {"dtype": "DT_FLOAT_REF", "shape": [None, 2]}},
                           "defaults": ["x"], "method": "tensorflow/serving/predict"})
    assert view.inputs["x"].shape is None and view.inputs["s"].shape == ()
    assert view.inputs["x"].name == "x:0" and view.outputs["y"].name == "y_output:0"
    assert view.outputs["y"].shape == (-1, 2) and view.outputs["y"].dtype == 101
    assert view.defaults == frozenset({"x"}) and view.method_name == "tensorflow/serving/predict"


@pytest.mark.parametrize(
    "bad",
    [42, ["inputs"], b"\xff\xff\xff", "inputs {", {"inputs": ["x"]}, {"inputs": {"x": {"dtype": "DT_NOPE"}}},
     {"inputs": {"x": {"shape": "wide"}}}, {"unknown_field": 1}],
)
def test_bad_forms_raise_value_error(bad: object) -> None:
    with pytest.raises(ValueError):
        validate_signature_def(bad)


def test_is_valid_signature_none_and_forms() -> None:
    assert is_valid_signature(None) is False
    good = {"method_name": "tensorflow/serving/regress",
            "inputs": {"inputs": {"dtype": "DT_STRING"}}, "outputs": {"outputs": {"dtype": "DT_FLOAT"}}}
    assert is_valid_signature(good) is True
    assert is_valid_signature(to_signature_proto(good).SerializeToString()) is True
    ref = {**good, "outputs": {"outputs": {"dtype": "DT_FLOAT_REF"}}}
    assert is_valid_signature(ref) is False
    assert [f.code for f in validate_signature_def(ref)] == ["SIG509"]


def test_the_public_names_import_lazily_and_all_resolve() -> None:
    """`import siglint` costs nothing; each public name is where `__all__` says."""
    import subprocess
    import sys

    import siglint

    assert sorted(siglint.__all__) == sorted([*siglint._API, "__version__"])
    for name in siglint.__all__:
        assert getattr(siglint, name) is not None
    script = "import sys, siglint; print(sorted(m for m in sys.modules if m.startswith('siglint')))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['siglint']"
