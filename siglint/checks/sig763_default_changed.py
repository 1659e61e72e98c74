"""An input gained a default value, or its default value changed.

## What it does
Compares the `defaults` of each signature both versions serve, for inputs both have: an input
that had no default and now has one, or whose default value (the TensorProto) is another. A
default removed is SIG722's, at `grpc`.

Level: `strict`.

## Why is this bad?
Requests keep working, but those that leave the input out now run with another value, and the
model answers them otherwise without a request having changed: a `temperature` default of 1.0
made 0.7 changes every result of a client that never sent it.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "k": {"dtype": "DT_INT32", "shape": []}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "k": {"dtype": "DT_INT32", "shape": []}},
   "defaults": ["k"], "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (keep the defaults as they were, or diff at `--level grpc`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "k": {"dtype": "DT_INT32", "shape": []}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "k": {"dtype": "DT_INT32", "shape": []}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow/core/protobuf/meta_graph.proto (`SignatureDef.defaults`)
- tensorflow/cc/saved_model/util.cc (`GetInputValues`)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.view import SignatureView

LEVEL = Level.STRICT
_QUOTED = 1024  # bytes of a default's TensorProto quoted in a finding


def _default_values(signature: SignatureView) -> Mapping[str, Any]:
    """Each default's TensorProto (none when the view was not read from a SignatureDef)."""
    if not signature.serialized or not signature.defaults:
        return {}
    from siglint.savedmodel.proto import SignatureDef

    proto = SignatureDef()
    proto.ParseFromString(signature.serialized)
    return dict(proto.defaults.items())


def _text(value: Any) -> str:
    """A default's TensorProto as protobuf text, or its size when it is too large to quote."""
    from google.protobuf import text_format

    size = value.ByteSize()
    return text_format.MessageToString(value, as_one_line=True) if size <= _QUOTED else f"a TensorProto of {size} bytes"


def check(pair: SignaturePair) -> Iterator[Problem]:
    old, new = pair.old, pair.new
    shared = set(old.inputs) & set(new.inputs)
    for key in sorted(new.defaults & shared - old.defaults):
        yield Problem(
            f"input {key!r} now has a default: requests that leave it out run with it",
            tensor=key, io="input", expected="required", actual="has a default",
        )
    before, after = _default_values(old), _default_values(new)
    for key in sorted(old.defaults & new.defaults & shared):
        if key in before and key in after and before[key] != after[key]:
            yield Problem(
                f"input {key!r} has another default value: requests that leave it out run with it",
                tensor=key, io="input", expected=_text(before[key]), actual=_text(after[key]),
            )


RULE = Rule("SIG763", "default-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
