"""One SignatureDef from Python: siglint's view of it, every problem TF Serving would have with
it (`validate_signature_def`), and TensorFlow's own boolean (`is_valid_signature`)."""

from __future__ import annotations

from typing import Any

from siglint.engine.options import Options
from siglint.findings import Finding
from siglint.model.view import SignatureView, signature_from_proto
from siglint.run.lint import engine_for
from siglint.savedmodel import constants
from siglint.savedmodel.dtypes import DT_FLOAT, DT_STRING


def signature_view(signature_def: Any, key: str = "") -> SignatureView:
    """siglint's read-only view of any SignatureDef form `validate_signature_def` accepts."""
    from siglint.model.coerce import to_signature_proto  # the CLI never needs it

    return signature_from_proto(key, to_signature_proto(signature_def))


def validate_signature_def(
    signature_def: Any,
    *,
    key: str = "",
    tf2: bool = False,
    options: Options | None = None,
) -> list[Finding]:
    """Every problem TF Serving would have with one SignatureDef, as findings.

    `signature_def` may be TensorFlow's SignatureDef message, siglint's, serialized bytes, a
    text-format string or a dict (see `siglint.model.coerce`). `key` is the signature's key in its
    MetaGraphDef, if known (TF2's `__saved_model_init_op` is then recognised). `tf2=True` treats
    it as written by `tf.saved_model.save`, which always writes the predict method name, so a
    signature whose keys fit Classify or Regress is also checked against that contract.
    Raises `ValueError` only when `signature_def` is not a SignatureDef in any of those forms.
    """
    engine = engine_for(options or Options())
    findings = engine.check_signature(signature_view(signature_def, key), tf2=tf2)
    return sorted(findings, key=lambda f: f.sort_key)


def is_valid_signature(signature_def: Any) -> bool:
    """Exactly `tf.compat.v1.saved_model.is_valid_signature`, without TensorFlow.

    True when the signature passes TensorFlow's classify, regress or predict predicate (see
    signature_def_utils_impl.py). Shapes and tensor names are not looked at, and dtypes are
    compared exactly (DT_FLOAT_REF is not DT_FLOAT), as TensorFlow does.

    This is TensorFlow's boolean, not TF Serving's contract, and it is kept apart from the
    tf-serving pack on purpose: the two disagree both ways (it rejects zero-input Predict
    signatures and Classify signatures with a foreign second output, which TF Serving serves;
    it accepts rank-3 scores and fixed batches, which fail), so it cannot be derived from the
    pack and must stay TensorFlow's, case for case (tests/test_oracle_tf.py holds it to TF).
    """
    if signature_def is None:
        return False
    signature = signature_view(signature_def)
    return _is_valid_classify(signature) or _is_valid_regress(signature) or _is_valid_predict(signature)


def _is_valid_predict(sig: SignatureView) -> bool:
    return sig.method_name == constants.PREDICT_METHOD_NAME and bool(sig.inputs) and bool(sig.outputs)


def _is_valid_regress(sig: SignatureView) -> bool:
    return (
        sig.method_name == constants.REGRESS_METHOD_NAME
        and set(sig.inputs) == {constants.REGRESS_INPUTS}
        and sig.inputs[constants.REGRESS_INPUTS].dtype == DT_STRING
        and set(sig.outputs) == {constants.REGRESS_OUTPUTS}
        and sig.outputs[constants.REGRESS_OUTPUTS].dtype == DT_FLOAT
    )


def _is_valid_classify(sig: SignatureView) -> bool:
    allowed = {constants.CLASSIFY_OUTPUT_CLASSES, constants.CLASSIFY_OUTPUT_SCORES}
    classes = sig.outputs.get(constants.CLASSIFY_OUTPUT_CLASSES)
    scores = sig.outputs.get(constants.CLASSIFY_OUTPUT_SCORES)
    return (
        sig.method_name == constants.CLASSIFY_METHOD_NAME
        and set(sig.inputs) == {constants.CLASSIFY_INPUTS}
        and sig.inputs[constants.CLASSIFY_INPUTS].dtype == DT_STRING
        and bool(sig.outputs)
        and set(sig.outputs) <= allowed
        and (classes is None or classes.dtype == DT_STRING)
        and (scores is None or scores.dtype == DT_FLOAT)
    )
