"""A signature has a new input or output under a name TensorFlow made up (`output_0`, `args_0`).

## What it does
Reports each input or output key of a signature both versions serve that only the new version
has and that is one of the names TensorFlow and Keras give tensors nobody named: `output_<n>`
(the outputs of a function `tf.saved_model.save` serves that returns a tensor or a list),
`args_<n>` (its positional arguments), `input_<n>` and `inputs_<n>` (Keras 2's unnamed
inputs), `keras_tensor` and `keras_tensor_<n>` (Keras 3's).

Level: `grpc` (and so `rest` and `strict`), a warning.

## Why is this bad?
A generic name in a new version is almost always an accident of the export, not a decision: the
serving function returned a tensor where it used to return a dict, or Keras 3's `model.export()`
replaced `tf.saved_model.save` (keras-team/keras#19458: `y` became `output_0`). The key the
clients used is gone (SIG720, SIG740), and the generic one will change again with the next
refactoring.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"output_0": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (return a dict from the serving function: `return {"y": model(x)}`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow/python/saved_model/signature_serialization.py (`_normalize_outputs`: `output_{}`)
- tensorflow/python/eager/polymorphic_function/tracing_compilation.py (`_set_arg_keywords`)
- keras-team/keras#19458
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import generic_number, renames
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: SignaturePair) -> Iterator[Problem]:
    for io, old, new in (("input", pair.old.inputs, pair.new.inputs), ("output", pair.old.outputs, pair.new.outputs)):
        replaced = {target: key for key, target in renames(old, new).items()}
        for key in new:
            if key in old or generic_number(key) is None:
                continue
            was = replaced.get(key)
            instead = f", where the old version had {was!r}" if was is not None else ""
            yield Problem(
                f"{io} {key!r} has a name TensorFlow made up for an unnamed tensor{instead}: clients must "
                "use it, and the next export may number it otherwise",
                tensor=key, io=io, expected=was, actual=key,
            )


RULE = Rule("SIG790", "generic-names-introduced", Severity.WARNING, Scope.DIFF_SIGNATURE, check, __name__)
