"""A TF Lite model lists its outputs in another order than its signature's.

## What it does
For the native signature of subgraph 0 (the subgraph `interpreter.get_output_details()`
describes), maps each of the subgraph's outputs, in order, to the signature alias that names
it, and compares that order with the signature's own: `output_0`, `output_1`, ...,
`output_10` in numeric order for a function that returns a sequence, the keys in sorted order
for one that returns a dict.

## Why is this bad?
The converter orders a subgraph's outputs as the graph produces them, not as the signature
lists them (tensorflow/tensorflow#51858, #47927). Code that reads outputs by position
(`interpreter.get_tensor(interpreter.get_output_details()[i]["index"])`), or pairs them with
`get_signature_list()`'s names, gets them swapped without any error. It is information: reading
outputs by name, through `interpreter.get_signature_runner()`, is not affected.

## Example
```text
signature outputs output_0, output_1, output_2     get_output_details(): output_2, output_0, output_1
```

Use instead:
```text
outputs = interpreter.get_signature_runner("serving_default")(x=x)   # a dict by output key
```

## References
- tensorflow/lite/python/interpreter.py (`get_output_details`, `get_signature_runner`)
- tensorflow/python/saved_model/signature_serialization.py (`normalize_outputs`: `output_{i}`)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from siglint.checks._tflite import tflite
from siglint.engine.rule import TFLITE_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.io.quoting import listed

_SEQUENCE_OUTPUT = re.compile(r"output_([0-9]+)")


def check(context: ModelContext) -> Iterator[Problem]:
    view = tflite(context)
    subgraph = view.file.subgraphs[0]
    for signature in view.native or ():
        if signature.subgraph_index != 0:
            continue
        alias_of = {tensor.tensor_index: tensor.alias for tensor in signature.outputs}
        listed_order = [alias_of[index] for index in subgraph.outputs if index in alias_of]
        if len(listed_order) < 2:
            continue
        expected = _signature_order(listed_order)
        if listed_order != expected:
            yield Problem(
                f"get_output_details() lists the outputs of signature {signature.key!r} as {listed(listed_order)}, "
                f"not in the signature's order ({listed(expected)}): code that reads outputs by position gets "
                f"them mixed up; read them by name with get_signature_runner({signature.key!r})",
                signature=signature.key, expected=", ".join(expected), actual=", ".join(listed_order),
            )


def _signature_order(aliases: list[str]) -> list[str]:
    numbers = [_SEQUENCE_OUTPUT.fullmatch(alias) for alias in aliases]
    if all(numbers):
        return [alias for _, alias in sorted(zip((int(m.group(1)) for m in numbers if m), aliases))]
    return sorted(aliases)


RULE = Rule("SIG914", "tflite-output-order", Severity.INFO, Scope.MODEL, check, __name__, model_kinds=TFLITE_ONLY)
