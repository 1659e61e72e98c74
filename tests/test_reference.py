"""siglint.reference against TensorFlow's own builders: for generated tensors (every dtype, known
and unknown shapes, dense and sparse, good and bad arguments) both produce byte-identical
serialized SignatureDefs, or both raise ValueError with the same message. TensorFlow's side
builds real placeholders in a fresh `tf.Graph()`."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from siglint import reference
from siglint.savedmodel import proto as _proto
from siglint.savedmodel.dtypes import dtype_name

pytestmark = pytest.mark.tensorflow

DTYPES = list(range(1, 34))  # every DataType TensorFlow can make a placeholder of
ANY_DTYPE = st.sampled_from(DTYPES)
OP_NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,10}", fullmatch=True)
SHAPE = st.none() | st.lists(st.none() | st.integers(0, 7), max_size=4)
KEY = st.text("abcxyz_", min_size=1, max_size=6)


class Placeholder(NamedTuple):
    """One tensor both sides build: TF as a (sparse) placeholder, siglint as a record."""

    op: str
    dtype: int
    shape: list[int | None] | None
    sparse: bool


@st.composite
def placeholders(draw: st.DrawFn, dtypes: st.SearchStrategy[int] = ANY_DTYPE) -> Placeholder:
    sparse = draw(st.sampled_from([False, False, False, True]))
    shape = draw(SHAPE)
    if sparse and shape is None:
        shape = [None, None]  # a sparse placeholder's dense shape has a known rank
    return Placeholder(draw(OP_NAME), draw(dtypes), shape, sparse)


def _unique(tensors: list[Placeholder | None]) -> bool:
    ops = [t.op.lower() for t in tensors if t is not None]  # TF's op names clash case-blind
    return len(ops) == len(set(ops))


def _mostly(strategy: st.SearchStrategy[Placeholder]) -> st.SearchStrategy[Placeholder | None]:
    return st.one_of(strategy, strategy, strategy, strategy, st.none())


# Arguments of one builder call: which builder, and its tensors (None where TF accepts None).
# Mostly the dtypes each builder wants, so that both building and raising are common.
# (A placeholder cannot have a _REF dtype: test_ref_dtypes_as_tf1_variables_give_them has those.)
STRINGS = st.sampled_from([7, 7, 7, 7, 7, 1, 9])
FLOATS = st.sampled_from([1, 1, 1, 1, 1, 2, 7])
BUILDER_CALLS = st.one_of(
    st.tuples(
        st.just("classification"),
        _mostly(placeholders(STRINGS)),
        _mostly(placeholders(STRINGS)),
        _mostly(placeholders(FLOATS)),
    ),
    st.tuples(st.just("regression"), _mostly(placeholders(STRINGS)), _mostly(placeholders(FLOATS))),
    st.tuples(
        st.just("predict"),
        st.dictionaries(KEY, placeholders(), max_size=3),
        st.dictionaries(KEY, placeholders(), max_size=3),
    ),
).filter(
    lambda call: _unique(
        list(call[1].values()) + list(call[2].values()) if call[0] == "predict" else list(call[1:])
    )
)


def _tf_tensor(tf: Any, spec: Placeholder | None) -> Any:
    if spec is None:
        return None
    dtype = tf.dtypes.as_dtype(spec.dtype)
    if spec.sparse:
        return tf.compat.v1.sparse_placeholder(dtype, spec.shape, name=spec.op)
    return tf.compat.v1.placeholder(dtype, spec.shape, name=spec.op)


def _siglint_tensor(tf: Any, spec: Placeholder | None) -> Any:
    """The record for the same tensor; the dtype given by TF's name for it (`float32`)."""
    if spec is None:
        return None
    dtype = tf.dtypes.as_dtype(spec.dtype).name
    if spec.sparse:
        op = spec.op
        return reference.SparseTensor(f"{op}/values:0", f"{op}/indices:0", f"{op}/shape:0", dtype, spec.shape)
    return reference.Tensor(f"{spec.op}:0", dtype, spec.shape)


def _call(builders: Any, make: Any, call: tuple) -> Any:
    kind, *args = call
    if kind == "predict":
        inputs, outputs = ({key: make(t) for key, t in tensors.items()} for tensors in args)
        return builders.predict_signature_def(inputs, outputs)
    return getattr(builders, f"{kind}_signature_def")(*(make(t) for t in args))


def _outcome(build: Any) -> tuple[str, Any]:
    try:
        return "built", build().SerializeToString(deterministic=True)
    except ValueError as error:
        # "<class 'tensorflow.python.framework.sparse_tensor.SparseTensor'>" and
        # "<class 'siglint.reference.SparseTensor'>" name the same kind of argument.
        return "raised", re.sub(r"<class '(?:[\w.]+\.)?(\w+)'>", r"<class '\1'>", str(error))


_SETTINGS = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_builders_match_tensorflow(tf: Any) -> None:
    from tensorflow.python.saved_model import signature_def_utils_impl as tf_builders

    outcomes: Counter[str] = Counter()

    @_SETTINGS
    @given(BUILDER_CALLS)
    def check(call: tuple) -> None:
        note(repr(call))
        with tf.Graph().as_default():
            expected = _outcome(lambda: _call(tf_builders, lambda t: _tf_tensor(tf, t), call))
        actual = _outcome(lambda: _call(reference, lambda t: _siglint_tensor(tf, t), call))
        outcomes[f"{call[0]} {expected[0]}"] += 1
        assert actual == expected

    check()
    # Every builder must both build and raise often enough for the comparison to mean something.
    for kind in ("classification", "regression", "predict"):
        assert outcomes[f"{kind} built"] >= 30 and outcomes[f"{kind} raised"] >= 30, outcomes


def test_every_dtype_and_shape_kind(tf: Any) -> None:
    """A dtype given as its number, its enum name (DT_HALF) or TF's name (float16) is the same."""
    from tensorflow.python.saved_model import utils_impl

    with tf.Graph().as_default():
        for number in DTYPES:
            dtype = tf.dtypes.as_dtype(number)
            for shape in (None, [], [None, 3], [0]):
                tensor = tf.compat.v1.placeholder(dtype, shape, name="t")
                expected = utils_impl.build_tensor_info_internal(tensor).SerializeToString()
                for given_dtype in (number, dtype_name(number), dtype.name):
                    built = reference.build_tensor_info(reference.Tensor(tensor.name, given_dtype, shape))
                    assert built.SerializeToString() == expected, (given_dtype, shape)


def test_ref_dtypes_as_tf1_variables_give_them(tf: Any) -> None:
    from tensorflow.python.saved_model import signature_def_utils_impl as tf_builders

    with tf.Graph().as_default():
        variable = tf.compat.v1.Variable([1.0, 2.0], use_resource=False, name="v")
        x = tf.compat.v1.placeholder(tf.float32, [None], name="x")
        expected = tf_builders.predict_signature_def({"x": x}, {"v": variable._ref()})
    built = reference.predict_signature_def(
        {"x": reference.Tensor("x:0", "float32", [None])},
        {"v": reference.Tensor("v:0", "float32_ref", [2])},
    )
    assert expected.outputs["v"].dtype == 101
    assert built.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)


def test_op_signature_def_is_tf2s_init_op_signature(tf: Any) -> None:
    from tensorflow.python.saved_model import signature_def_utils_impl as tf_builders

    with tf.Graph().as_default():
        expected = tf_builders.op_signature_def(tf.no_op(name="NoOp"), "__saved_model_init_op")
    built = reference.op_signature_def("NoOp", "__saved_model_init_op")
    assert built.SerializeToString(deterministic=True) == expected.SerializeToString(deterministic=True)


def test_build_signature_def_copies_and_checks_defaults() -> None:
    x = reference.build_tensor_info(reference.Tensor("x:0", "float32", []))
    default = _proto.TensorProto(dtype=1, float_val=[0.5])
    signature = reference.build_signature_def({"x": x}, {"y": x}, None, {"x": default})
    assert signature.method_name == "" and signature.defaults["x"].float_val == [0.5]
    with pytest.raises(ValueError, match=r"Unable to convert object 0.5 of type <class 'float'> to TensorProto\."):
        reference.build_signature_def({"x": x}, defaults={"x": 0.5})


def test_writing_is_deterministic_and_never_imports_tensorflow(tmp_path: Any) -> None:
    script = f"""
import sys
from siglint import reference
sig = reference.regression_signature_def(
    reference.Tensor("tf_example:0", "string", [None]), reference.Tensor("y:0", "float32", [None, 1]))
for run in ("a", "b"):
    for fmt in reference.FORMATS:
        model = reference.saved_model([reference.meta_graph_def(["serve"], {{"serving_default": sig, "r": sig}}, tf2=True)])
        reference.write_saved_model(model, {str(tmp_path)!r} + "/" + run + "/" + fmt, fmt)
print(any(name == "tensorflow" or name.startswith("tensorflow.") for name in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
    for fmt in reference.FORMATS:
        first = (tmp_path / "a" / fmt / f"saved_model.{fmt}").read_bytes()
        assert first and first == (tmp_path / "b" / fmt / f"saved_model.{fmt}").read_bytes()
