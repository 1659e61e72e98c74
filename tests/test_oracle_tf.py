"""TensorFlow as the oracle for `siglint.is_valid_signature`.

1. Every `is_valid_signature` case of TF's own signature_def_utils_test.py (contracts.md §1.5),
   plus `None` and the extra probes, built with TF's protos exactly as TF's test builds them.
2. A differential test: 10,000 generated SignatureDefs, each judged by TF and by siglint, also
   passed to siglint as serialized bytes and as text format (same answer, same findings).

TensorFlow is imported through the `tf` fixture only (never at module level).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import scaled
from google.protobuf import text_format
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import siglint

pytestmark = pytest.mark.tensorflow

CLASSIFY = "tensorflow/serving/classify"
REGRESS = "tensorflow/serving/regress"
PREDICT = "tensorflow/serving/predict"

DT_INVALID, DT_FLOAT, DT_DOUBLE, DT_STRING, DT_INT64, DT_HALF = 0, 1, 2, 7, 9, 19
DT_FLOAT_REF, DT_STRING_REF = 101, 107
DT_OUT_OF_ENUM = 77
S, F = DT_STRING, DT_FLOAT


@pytest.fixture(scope="module")
def pb2(tf: Any) -> Any:
    """TF's own proto modules (importing them needs TensorFlow, hence behind the fixture)."""
    from tensorflow.core.framework import types_pb2
    from tensorflow.core.protobuf import meta_graph_pb2

    # The literals above must be TF's enum numbers.
    assert (types_pb2.DT_STRING, types_pb2.DT_FLOAT) == (S, F)
    assert (types_pb2.DT_FLOAT_REF, types_pb2.DT_STRING_REF) == (DT_FLOAT_REF, DT_STRING_REF)
    assert (types_pb2.DT_DOUBLE, types_pb2.DT_INT64) == (DT_DOUBLE, DT_INT64)
    assert types_pb2.DT_HALF == DT_HALF
    return meta_graph_pb2


def _tf_signature(meta_graph_pb2: Any, method_name: str, inputs: dict, outputs: dict) -> Any:
    """As TF's test builds them: TensorInfo name "foobar", a dtype, no shape."""
    signature = meta_graph_pb2.SignatureDef()
    signature.method_name = method_name
    for field, tensors in ((signature.inputs, inputs), (signature.outputs, outputs)):
        for key, dtype in tensors.items():
            field[key].name = "foobar"
            field[key].dtype = dtype
    return signature


# ---------------------------------------------------------------------------------------------
# 1. TF's signature_def_utils_test.py, case by case (contracts.md §1.5)
# ---------------------------------------------------------------------------------------------

_CLASSES_SCORES = {"classes": S, "scores": F}
_PREDICT_OK = dict(inputs={"foo": S, "bar": F}, outputs={"baz": S, "qux": F})

TF_TEST_CASES = [
    # (id, method_name, inputs, outputs, expected)
    ("01-classify-classes-scores", CLASSIFY, {"inputs": S}, {"classes": S, "scores": F}, True),
    ("02-classify-classes", CLASSIFY, {"inputs": S}, {"classes": S}, True),
    ("03-classify-scores", CLASSIFY, {"inputs": S}, {"scores": F}, True),
    ("04-regress", REGRESS, {"inputs": S}, {"outputs": F}, True),
    ("05-predict", PREDICT, _PREDICT_OK["inputs"], _PREDICT_OK["outputs"], True),
    ("06-wrong-method-name", "WRONG method name", {"inputs": S}, _CLASSES_SCORES, False),
    ("07-classify-float-inputs", CLASSIFY, {"inputs": F}, {"classes": S, "scores": F}, False),
    ("08-classify-float-classes", CLASSIFY, {"inputs": S}, {"classes": F, "scores": F}, False),
    ("09-classify-string-scores", CLASSIFY, {"inputs": S}, {"classes": S, "scores": S}, False),
    ("10-classify-no-inputs", CLASSIFY, {}, {"classes": S, "scores": F}, False),
    ("11-classify-wrong-input-key", CLASSIFY, {"inputs_WRONG": S}, _CLASSES_SCORES, False),
    (
        "12-classify-wrong-output-key",
        CLASSIFY,
        {"inputs": S},
        {"classes_WRONG": S, "scores": F},
        False,
    ),
    ("13-classify-no-outputs", CLASSIFY, {"inputs": S}, {}, False),
    (
        "14-classify-extra-output",
        CLASSIFY,
        {"inputs": S},
        {"classes": S, "scores": F, "extra_WRONG": S},
        False,
    ),
    ("15-regress-float-inputs", REGRESS, {"inputs": F}, {"outputs": F}, False),
    ("16-regress-string-outputs", REGRESS, {"inputs": S}, {"outputs": S}, False),
    ("17-regress-no-inputs", REGRESS, {}, {"outputs": F}, False),
    ("18-regress-wrong-input-key", REGRESS, {"inputs_WRONG": S}, {"outputs": F}, False),
    ("19-regress-wrong-output-key", REGRESS, {"inputs": S}, {"outputs_WRONG": F}, False),
    ("20-regress-no-outputs", REGRESS, {"inputs": S}, {}, False),
    ("21-regress-extra-output", REGRESS, {"inputs": S}, {"outputs": F, "extra_WRONG": S}, False),
    ("22-predict-no-inputs", PREDICT, {}, _PREDICT_OK["outputs"], False),
    ("23-predict-no-outputs", PREDICT, _PREDICT_OK["inputs"], {}, False),
]

EXTRA_PROBES = [
    ("probe-empty-method-regress-keys", "", {"inputs": S}, {"outputs": F}, False),
    ("probe-predict-method-regress-keys", PREDICT, {"inputs": S}, {"outputs": F}, True),
    ("probe-classify-x-float-to-y-float", CLASSIFY, {"x": F}, {"y": F}, False),
    (
        "probe-classify-extra-second-input",
        CLASSIFY,
        {"inputs": S, "extra_WRONG": S},
        {"classes": S, "scores": F},
        False,
    ),
]


def _case_params(cases: list) -> list:
    return [pytest.param(*case[1:], id=case[0]) for case in cases]


def test_table_has_23_tf_cases() -> None:
    assert len(TF_TEST_CASES) == 23
    assert sum(1 for case in TF_TEST_CASES if case[-1]) == 5


@pytest.mark.parametrize(
    ("method_name", "inputs", "outputs", "expected"), _case_params(TF_TEST_CASES + EXTRA_PROBES)
)
def test_tf_signature_def_utils_case(
    tf: Any, pb2: Any, method_name: str, inputs: dict, outputs: dict, expected: bool
) -> None:
    signature = _tf_signature(pb2, method_name, inputs, outputs)
    assert tf.compat.v1.saved_model.is_valid_signature(signature) is expected
    assert siglint.is_valid_signature(signature) is expected
    findings = siglint.validate_signature_def(signature)
    if not expected:
        assert findings, "TF rejects this signature but siglint reports nothing"
    # The same signature in siglint's other input forms.
    for other in (signature.SerializeToString(), text_format.MessageToString(signature)):
        assert siglint.is_valid_signature(other) is expected
        assert siglint.validate_signature_def(other) == findings


def test_none_is_not_a_valid_signature(tf: Any) -> None:
    assert tf.compat.v1.saved_model.is_valid_signature(None) is False
    assert siglint.is_valid_signature(None) is False
    with pytest.raises(ValueError):
        siglint.validate_signature_def(None)


# ---------------------------------------------------------------------------------------------
# 2. Differential test against TF on generated SignatureDefs
# ---------------------------------------------------------------------------------------------

METHODS = [CLASSIFY, REGRESS, PREDICT]
JUNK_METHODS = [
    "",
    "WRONG method name",
    "tensorflow/serving/Predict",
    "tensorflow/serving/predict ",
    "tensorflow/supervised/training",
]
DTYPES = [
    S, F, DT_FLOAT_REF, DT_STRING_REF, DT_DOUBLE, DT_INT64, DT_INVALID, DT_HALF, DT_OUT_OF_ENUM
]
INPUT_KEYS = ["inputs", "outputs", "classes", "scores", "x", "examples", "inputs_WRONG"]
OUTPUT_KEYS = ["outputs", "classes", "scores", "inputs", "y", "probabilities", "classes_WRONG"]
# None: no tensor_shape field at all (what TF's test writes); "unknown": unknown_rank.
SHAPES = [None, "unknown", (), (-1,), (-1, 1), (1, 10, 10, 1), (-1, 3)]
DEFAULT_KINDS = ["float", "string", "int64", "tensor_content", "dtype_only"]


def _chance(draw: Any, percent: int) -> bool:
    return draw(st.integers(0, 99)) < percent


@st.composite
def _tensor(draw: Any, dtype: int | None = None) -> dict:
    """One TensorInfo: `dtype` most of the time when given, else any dtype of the pool."""
    if dtype is None or _chance(draw, 15):
        dtype = draw(st.sampled_from(DTYPES))
    roll = draw(st.integers(0, 99))
    if roll < 85:
        encoding = "name"
    elif roll < 92:
        encoding = "empty_name"
    else:
        encoding = "coo_sparse" if roll < 98 else "none"
    return {"dtype": dtype, "encoding": encoding, "shape": draw(st.sampled_from(SHAPES))}


def _tensors(draw: Any, pool: list, min_size: int = 0) -> dict:
    keys = draw(st.lists(st.sampled_from(pool), min_size=min_size, max_size=3, unique=True))
    return {key: draw(_tensor()) for key in keys}


@st.composite
def signature_specs(draw: Any) -> dict:
    """A SignatureDef as plain data, about half built to pass one of TF's predicates."""
    if _chance(draw, 25):  # anything goes
        method = draw(st.sampled_from(METHODS + JUNK_METHODS))
        inputs = _tensors(draw, INPUT_KEYS)
        outputs = _tensors(draw, OUTPUT_KEYS)
    else:  # well-formed for one method, then perhaps broken a little
        kind = draw(st.sampled_from(METHODS))
        method = kind if not _chance(draw, 12) else draw(st.sampled_from(METHODS + JUNK_METHODS))
        if kind == CLASSIFY:
            inputs = {"inputs": draw(_tensor(S))}
            which = draw(st.sampled_from([("classes",), ("scores",), ("classes", "scores")]))
            outputs = {key: draw(_tensor(S if key == "classes" else F)) for key in which}
        elif kind == REGRESS:
            inputs = {"inputs": draw(_tensor(S))}
            outputs = {"outputs": draw(_tensor(F))}
        else:
            inputs = _tensors(draw, INPUT_KEYS, min_size=1)
            outputs = _tensors(draw, OUTPUT_KEYS, min_size=1)
        if _chance(draw, 20):
            mutation = draw(
                st.sampled_from(["add_input", "add_output", "drop_inputs", "drop_outputs"])
            )
            if mutation == "add_input":
                inputs.setdefault(draw(st.sampled_from(INPUT_KEYS)), draw(_tensor()))
            elif mutation == "add_output":
                outputs.setdefault(draw(st.sampled_from(OUTPUT_KEYS)), draw(_tensor()))
            elif mutation == "drop_inputs":
                inputs = {}
            else:
                outputs = {}
    defaults = {}
    if _chance(draw, 20):
        pool = sorted(inputs) + ["z"]  # "z": a default for no input
        keys = st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True)
        for key in draw(keys):
            defaults[key] = draw(st.sampled_from(DEFAULT_KINDS))
    return {"method_name": method, "inputs": inputs, "outputs": outputs, "defaults": defaults}


def _build(meta_graph_pb2: Any, spec: dict) -> Any:
    signature = meta_graph_pb2.SignatureDef(method_name=spec["method_name"])
    for field, tensors in (
        (signature.inputs, spec["inputs"]),
        (signature.outputs, spec["outputs"]),
    ):
        for key, tensor in tensors.items():
            info = field[key]
            info.dtype = tensor["dtype"]
            if tensor["encoding"] == "name":
                info.name = f"{key}:0"
            elif tensor["encoding"] == "empty_name":
                info.name = ""
            elif tensor["encoding"] == "coo_sparse":
                info.coo_sparse.values_tensor_name = f"{key}/values:0"
                info.coo_sparse.indices_tensor_name = f"{key}/indices:0"
                info.coo_sparse.dense_shape_tensor_name = f"{key}/shape:0"
            shape = tensor["shape"]
            if shape == "unknown":
                info.tensor_shape.unknown_rank = True
            elif shape is not None:
                info.tensor_shape.SetInParent()
                for size in shape:
                    info.tensor_shape.dim.add(size=size)
    for key, kind in spec["defaults"].items():
        default = signature.defaults[key]  # a TensorProto, as tf.saved_model.save writes it
        if kind == "float":
            default.dtype = F
            default.tensor_shape.SetInParent()
            default.float_val.append(1.5)
        elif kind == "string":
            default.dtype = S
            default.tensor_shape.SetInParent()
            default.string_val.append(b"default")
        elif kind == "int64":
            default.dtype = DT_INT64
            default.tensor_shape.SetInParent()
            default.int64_val.append(3)
        elif kind == "tensor_content":
            default.dtype = F
            default.tensor_shape.dim.add(size=2)
            default.tensor_content = b"\x00\x00\x80?\x00\x00\x00@"  # [1.0, 2.0]
        else:
            default.dtype = F
    return signature


EXAMPLES = scaled(10_000, 1_000)
_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same signatures on every run, so CI is reproducible
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.mark.slow
def test_differential_against_tf(tf: Any, pb2: Any) -> None:
    """siglint.is_valid_signature == TF's on every generated signature; TF-invalid => findings."""
    tf_is_valid = tf.compat.v1.saved_model.is_valid_signature
    outcomes: Counter = Counter()

    @_SETTINGS
    @given(signature_specs())
    def check(spec: dict) -> None:
        signature = _build(pb2, spec)
        note(f"signature (text format):\n{text_format.MessageToString(signature)}")
        expected = tf_is_valid(signature)
        outcomes[expected] += 1
        assert siglint.is_valid_signature(signature) == expected, f"TF says {expected}"
        if not expected:
            findings = siglint.validate_signature_def(signature)
            assert findings, "TF rejects this signature but siglint reports nothing"

    check()

    total = sum(outcomes.values())
    assert total >= EXAMPLES, outcomes
    # Both of TF's answers must be well represented, or the test proves little.
    assert outcomes[True] >= total // 5 and outcomes[False] >= total // 5, outcomes


@pytest.mark.slow
def test_input_forms_agree(tf: Any, pb2: Any) -> None:
    """The message, its serialized bytes and its text format: same answer, same findings.

    TF is the oracle here too: the answer for every form must be TF's."""
    tf_is_valid = tf.compat.v1.saved_model.is_valid_signature

    @_SETTINGS
    @given(signature_specs())
    def check(spec: dict) -> None:
        signature = _build(pb2, spec)
        text = text_format.MessageToString(signature)
        note(f"signature (text format):\n{text}")
        expected = tf_is_valid(signature)
        findings = siglint.validate_signature_def(signature)
        serialized = signature.SerializeToString()
        assert siglint.is_valid_signature(serialized) == expected
        assert siglint.validate_signature_def(serialized) == findings
        assert siglint.is_valid_signature(text) == expected
        assert siglint.validate_signature_def(text) == findings

    check()
