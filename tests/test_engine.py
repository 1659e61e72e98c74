"""The engine's own promises: a rule reports at most FINDINGS_PER_RULE findings on one subject,
then one that counts the rest at the worst of their severities; and what the dispatch skips
(rules of other APIs) it would not have reported anyway."""

from __future__ import annotations

from siglint import validate_signature_def
from siglint.engine.engine import FINDINGS_PER_RULE

_TENSOR = {"dtype": "DT_FLOAT", "shape": [-1], "name": "x:0"}


def test_findings_past_the_cap_are_counted_in_one() -> None:
    inputs = {f"x{index:03}": _TENSOR for index in range(FINDINGS_PER_RULE + 15)}
    signature = {"method_name": "tensorflow/serving/predict", "inputs": inputs,
                 "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1], "name": "y:0"}}}
    findings = [f for f in validate_signature_def(signature, key="serving_default") if f.code == "SIG505"]
    assert len(findings) == FINDINGS_PER_RULE + 1
    (rest,) = [f for f in findings if f.location.tensor is None]
    # x000 is fed first; every other of the 24 inputs feeds x:0 again: 10 shown, 14 counted.
    assert rest.message.startswith("and 14 more SIG505 findings in this signature")
    assert rest.severity.value == "error"


def test_under_the_cap_nothing_is_summed_up() -> None:
    inputs = {f"x{index}": _TENSOR for index in range(FINDINGS_PER_RULE + 1)}
    signature = {"method_name": "tensorflow/serving/predict", "inputs": inputs,
                 "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1], "name": "y:0"}}}
    findings = [f for f in validate_signature_def(signature, key="serving_default") if f.code == "SIG505"]
    assert len(findings) == FINDINGS_PER_RULE and all(f.location.tensor for f in findings)


def test_a_predict_signature_gets_no_classify_or_regress_rule() -> None:
    """Contract rules are dispatched by API: a Predict signature whose outputs would break
    Classify's contract gets no SIG3xx, and the same tensors declared Classify do."""
    tensors = {"inputs": {"inputs": {"dtype": "DT_FLOAT", "shape": [-1]}},
               "outputs": {"classes": {"dtype": "DT_INT64", "shape": [-1]}}}
    predict = validate_signature_def({"method_name": "tensorflow/serving/predict", **tensors})
    classify = validate_signature_def({"method_name": "tensorflow/serving/classify", **tensors})
    assert not [f for f in predict if f.code.startswith(("SIG3", "SIG4"))]
    assert {"SIG306", "SIG307", "SIG308"} <= {f.code for f in classify}
