"""Every TF Serving test SavedModel against its golden findings, plus the facts the goldens rest on.

Regenerate the goldens after an intended change with SIGLINT_UPDATE_GOLDEN=1, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT

from siglint import Severity, lint_paths
from siglint.cli import main

GOLDEN = ROOT / "tests" / "golden" / "tf-serving"
# One golden per TF Serving test model: the list does not depend on the folder being there.
MODELS = sorted(p.stem for p in GOLDEN.glob("*.txt"))


def _lint(testdata: Path, name: str):
    cwd = os.getcwd()
    os.chdir(testdata)
    try:
        return lint_paths([name])
    finally:
        os.chdir(cwd)


def test_every_testdata_model_has_a_golden(testdata: Path) -> None:
    assert len(MODELS) == 15  # 14 SavedModel folders and the metadata JSON folder
    assert sorted(p.name for p in testdata.iterdir() if p.is_dir()) == MODELS


@pytest.mark.parametrize("name", MODELS)
def test_golden_findings(testdata: Path, name: str) -> None:
    text = "".join(f"{finding}\n" for finding in _lint(testdata, name).findings)
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("SIGLINT_UPDATE_GOLDEN"):
        golden.write_text(text)
    assert text == golden.read_text()


def _codes(result, signature: str | None = None) -> set[str]:
    return {f.code for f in result.findings if signature is None or f.location.signature == signature}


def test_half_plus_three_regress_has_float_input(testdata: Path) -> None:
    result = _lint(testdata, "saved_model_half_plus_three")
    regress = [f for f in result.findings if f.location.signature == "tensorflow/serving/regress"]
    assert any(f.code == "SIG403" and f.actual == "DT_FLOAT" and f.location.tensor == "inputs" for f in regress)
    assert all(f.severity is not Severity.ERROR for f in result.findings if f.location.signature == "serving_default")


def test_mkl_rank4_regress_outputs(testdata: Path) -> None:
    result = _lint(testdata, "saved_model_half_plus_two_mkl")
    for signature in ("regress_x_to_y2", "regress_x2_to_y3"):
        assert {"SIG404", "SIG310"} <= _codes(result, signature)
    assert "SIG404" not in _codes(result, "regress_x_to_y")


def test_counter_zero_input_predict_is_only_a_rest_warning(testdata: Path) -> None:
    result = _lint(testdata, "saved_model_counter")
    for signature in ("get_counter", "incr_counter", "reset_counter"):
        found = [f for f in result.findings if f.location.signature == signature]
        assert "SIG502" in {f.code for f in found}
        assert not any(f.severity is Severity.ERROR for f in found)
    assert not result.has_errors
    grpc_only = main(["check", "--no-rest", "--select", "SIG5", str(testdata / "saved_model_counter")])
    assert grpc_only == 0


def test_tf2_init_op_is_skipped(testdata: Path) -> None:
    for name in ("saved_model_half_plus_two_tf2_cpu", "tf_text_regression"):
        result = _lint(testdata, name)
        assert any("__saved_model_init_op" in m.signatures for m in result.models)
        assert [f for f in result.findings if f.location.signature == "__saved_model_init_op"] == []


def test_tf2_classify_shaped_predict_signature(testdata: Path) -> None:
    result = _lint(testdata, "saved_model_half_plus_two_tf2_cpu")
    assert "SIG202" in _codes(result, "classify_x_to_y")
    assert not [f for f in result.findings if f.location.signature == "classify_x_to_y" and f.severity is Severity.ERROR]


def test_mlmd_unknown_rank_never_fires_shape_rules(testdata: Path) -> None:
    shape_rules = {"SIG306", "SIG308", "SIG309", "SIG310", "SIG404", "SIG507"}
    result = _lint(testdata, "saved_model_half_plus_two_mlmd")
    assert not [f for f in result.findings if f.code in shape_rules and f.location.tensor and "shape" in f.message]


def test_matrix_half_plus_two_is_clean(testdata: Path) -> None:
    result = _lint(testdata, "matrix_half_plus_two")
    assert result.findings == ()
    assert [m.signatures for m in result.models] == [("serving_default",)]


def test_every_model_is_read(testdata: Path) -> None:
    result = lint_paths([str(testdata)])
    loaded = [m for m in result.models if m.loaded]
    # 13 SavedModel folders, one of which has two versions, and 3 TF Lite models (their view is
    # TF Serving's signatures, under the tag-set it is asked for).
    assert len(loaded) == 17
    assert all(m.tag_sets == (("serve",),) for m in loaded)


def test_the_metadata_folder_holds_no_model(testdata: Path) -> None:
    """It holds GetModelMetadata JSON dumps, not a base path: no SIG003, but said as such."""
    result = _lint(testdata, "metadata")
    assert (result.findings, result.models, result.empty_paths) == ((), (), ("metadata",))
