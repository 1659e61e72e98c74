"""Numbered outputs now sort out of numeric order (`output_10` before `output_2`).

## What it does
Looks at the outputs of a signature both versions serve whose keys are numbered
(`output_<n>`, ...). Keys sort as strings: once there are more than ten, `output_10` comes
before `output_2`. It reports a signature whose numbered outputs are in numeric order in the old
version and out of it in the new one, naming the first output out of place.

Level: `grpc` (and so `rest` and `strict`), a warning.

## Why is this bad?
SavedModel signature maps, `saved_model_cli`, GetModelMetadata and the graph tensors TensorFlow
exports behind them (`StatefulPartitionedCall:1` is `output_10`) all follow the string order
(tensorflow/tensorflow#61251). Clients that take the outputs in that order, as a list, get
`output_10` where they expected `output_2` once the model grows an eleventh output, with no error.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"output_0": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_1": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_2": {"dtype": "DT_FLOAT", "shape": [-1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"output_0": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_1": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_2": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_3": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_4": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_5": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_6": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_7": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_8": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_9": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_10": {"dtype": "DT_FLOAT", "shape": [-1]}}}}}}
```

Use instead (name the outputs: `return {"boxes": ..., "scores": ...}`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"output_0": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_1": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_2": {"dtype": "DT_FLOAT", "shape": [-1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}},
   "outputs": {"output_0": {"dtype": "DT_FLOAT", "shape": [-1]}, "output_1": {"dtype": "DT_FLOAT", "shape": [-1]},
     "output_2": {"dtype": "DT_FLOAT", "shape": [-1]}, "scores": {"dtype": "DT_FLOAT", "shape": [-1]}}}}}}
```

## References
- tensorflow/tensorflow#61251 (SavedModel outputs ordered lexicographically, not numerically)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from siglint.checks._diff import generic_number
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.view import TensorView

LEVEL = Level.GRPC


def _out_of_place(outputs: Mapping[str, TensorView]) -> tuple[str, str] | None:
    """The first numbered output whose place in string order is not its place in numeric order,
    and the one it comes before; None when none is out of place."""
    numbered = [(generic_number(key), key) for key in outputs]
    groups: dict[str, list[tuple[int, str]]] = {}
    for found, key in numbered:
        if found is not None:
            groups.setdefault(found[0], []).append((found[1], key))
    for members in groups.values():
        by_string = sorted(key for _, key in members)
        by_number = [key for _, key in sorted(members)]
        for place, (key, expected) in enumerate(zip(by_string, by_number)):
            if key != expected:
                return key, by_number[place]
    return None


def check(pair: SignaturePair) -> Iterator[Problem]:
    found = _out_of_place(pair.new.outputs)
    if found is None or _out_of_place(pair.old.outputs) is not None:
        return
    key, before = found
    order = ", ".join(sorted(pair.new.outputs)[:6]) + (", ..." if len(pair.new.outputs) > 6 else "")
    yield Problem(
        f"outputs sort as strings ({order}): output {key!r} now comes before {before!r}, so clients "
        "that take the outputs in that order get them out of numeric order",
        tensor=key, io="output", expected="numeric order", actual=order,
    )


RULE = Rule("SIG791", "output-order-changed", Severity.WARNING, Scope.DIFF_SIGNATURE, check, __name__)
