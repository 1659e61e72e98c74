"""An input or output of a signature changed dtype.

## What it does
Compares the dtype of each input and output of a signature both versions serve. A change of the
`_REF` flag alone (DT_FLOAT_REF to DT_FLOAT: the same values once fetched) is reported at
`strict` only.

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
A gRPC request carries typed TensorProtos. An input fed the old dtype fails:
`Expects arg[0] to be float but int32 is provided` (TensorFlow's `FunctionCallFrame::SetArgs`;
`Expected input x to be float but get int32.` on TFRT). An output's values move to another field
of the TensorProto (`float_val` to `int64_val`), where clients do not read them. REST converts
JSON to the new dtype, so some changes pass there (DT_INT32 to DT_INT64) and others do not
(`JSON Value: 0.5 Type: Number is not of expected type: int32`); at `--level rest` the message
says which. keras-team/keras#19458 turned an int32 input into a float one.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_INT32", "shape": [-1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (cast inside the serving function: `tf.cast(x, tf.float32)`, keeping its
`tf.TensorSpec([None], tf.int32)`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_INT32", "shape": [-1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_INT32", "shape": [-1]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow/core/framework/function.cc (`FunctionCallFrame::SetArgs`)
- tensorflow_serving/servables/tensorflow/tfrt_predict_util.cc
- tensorflow_serving/util/json_tensor.cc (`AddValueToTensor`, `AddSingleValueAndAdvance`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import (
    common_tensors,
    fed_positions,
    input_dtype_error,
    json_values,
    rest_still_converts,
    sentences,
    value_field,
)
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.savedmodel.dtypes import base_dtype, dtype_name, type_string

LEVEL = Level.GRPC


def _input(pair: SignaturePair, key: str, old: int, new: int, place: int) -> list[str]:
    failures = [f"gRPC requests fail with {input_dtype_error(key, pair.old, pair.new, pair.profile, place)}"]
    if not pair.level.holds(Level.REST):
        return failures
    wanted = type_string(base_dtype(new))
    if json_values(new) is None:
        failures.append(f"REST requests fail with Conversion of JSON Value: <value> to type: {wanted}")
    elif rest_still_converts(old, new):
        failures.append(f"REST requests still convert: the {json_values(old)} they send are {json_values(new)}")
    else:
        failures.append(
            f"REST requests fail: the {json_values(old)} they send are not {json_values(new)} (JSON Value: <value> "
            f"Type: <type> is not of expected type: {wanted})"
        )
    return failures


def _output(pair: SignaturePair, old: int, new: int) -> list[str]:
    failures = [f"gRPC clients reading {value_field(old)} find its values in {value_field(new)}"]
    if pair.level.holds(Level.REST) and json_values(new) is None:
        failures.append(f"REST responses fail with Failed to write JSON value for tensor type: {type_string(base_dtype(new))}")
    return failures


def check(pair: SignaturePair) -> Iterator[Problem]:
    places: dict[str, int] | None = None
    for io, key, old, new in common_tensors(pair.old, pair.new):
        if new.dtype == old.dtype:
            continue
        if base_dtype(new.dtype) == base_dtype(old.dtype):
            if pair.level.holds(Level.STRICT):
                yield Problem(
                    f"{io} {key!r} changed dtype from {old.dtype_name} to {new.dtype_name}: the same "
                    "values once fetched",
                    tensor=key, io=io, expected=old.dtype_name, actual=new.dtype_name,
                )
            continue
        if io == "input":
            places = fed_positions(pair.old, pair.new) if places is None else places
            failures = _input(pair, key, old.dtype, new.dtype, places[key])
        else:
            failures = _output(pair, old.dtype, new.dtype)
        yield Problem(
            sentences(f"{io} {key!r} changed dtype from {dtype_name(old.dtype)} to {dtype_name(new.dtype)}:", *failures),
            tensor=key, io=io, expected=old.dtype_name, actual=new.dtype_name,
        )


RULE = Rule("SIG730", "dtype-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
