"""A graph tensor is both a signature input and a signature output.

## What it does
Checks that no tensor name appears among the inputs and among the outputs of one signature.

## Why is this bad?
TensorFlow refuses to run a step that feeds and fetches the same tensor: `<name> is both fed and
fetched.` (google-research/bert#146: `unique_ids` passed through as an output). Pass-through
values must go through an op, e.g. `tf.identity`.

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"ids": {"name": "ids:0", "dtype": "DT_INT32", "shape": [-1]}},
 "outputs": {"ids": {"name": "ids:0", "dtype": "DT_INT32", "shape": [-1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"ids": {"name": "ids:0", "dtype": "DT_INT32", "shape": [-1]}},
 "outputs": {"ids": {"name": "Identity:0", "dtype": "DT_INT32", "shape": [-1]}}}
```

## References
- tensorflow/core/graph/subgraph.cc (`RewriteGraphForExecution`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import NOT_TFLITE, Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity


def check(context: SignatureContext) -> Iterator[Problem]:
    fed = {name for t in context.signature.inputs.values() for name in t.tensor_names if name}
    for tensor in context.signature.outputs.values():
        for name in tensor.tensor_names:
            if name in fed:
                yield Problem(
                    f"output {tensor.key!r} fetches {name}, which an input feeds: {name} is both "
                    "fed and fetched.",
                    tensor=tensor.key,
                    io="output",
                    actual=name,
                )


# A TF Lite servable feeds and fetches by tensor index, without TensorFlow's session checks.
RULE = Rule(
    "SIG504", "tensor-fed-and-fetched", Severity.ERROR, Scope.SIGNATURE, check, __name__, model_kinds=NOT_TFLITE
)
