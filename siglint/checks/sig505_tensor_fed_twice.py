"""Two signature inputs feed the same graph tensor.

## What it does
Checks that no two input keys of a signature point at the same tensor name.

## Why is this bad?
A request must send both keys, and TensorFlow then refuses the step: `Endpoint "<name>" fed more
than once.`

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"name": "x:0", "dtype": "DT_FLOAT", "shape": [-1]}, "x_alias": {"name": "x:0", "dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"y": {"name": "y:0", "dtype": "DT_FLOAT", "shape": [-1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"name": "x:0", "dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"y": {"name": "y:0", "dtype": "DT_FLOAT", "shape": [-1]}}}
```

## References
- tensorflow/core/graph/subgraph.cc (`RewriteGraphForExecution`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import NOT_TFLITE, Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity


def check(context: SignatureContext) -> Iterator[Problem]:
    first_key: dict[str, str] = {}
    for tensor in context.signature.inputs.values():
        for name in tensor.tensor_names:
            if not name:
                continue
            if name in first_key:
                yield Problem(
                    f"inputs {first_key[name]!r} and {tensor.key!r} both feed {name}: Endpoint "
                    f'"{name}" fed more than once.',
                    tensor=tensor.key,
                    io="input",
                    actual=name,
                )
            else:
                first_key[name] = tensor.key


# A TF Lite servable feeds and fetches by tensor index, without TensorFlow's session checks.
RULE = Rule(
    "SIG505", "tensor-fed-twice", Severity.ERROR, Scope.SIGNATURE, check, __name__, model_kinds=NOT_TFLITE
)
