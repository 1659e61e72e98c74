"""The graph prints: `tf.print` (PrintV2) or the TF1 `Print` op.

## What it does
Flags every use of `PrintV2` (on `saved_model_cli scan`'s default denylist) and `Print` in the
served graph and the functions its nodes reach.

## Why is this bad?
On a server, every request writes the printed tensors to the server's log: request contents
(personal data) end up in logs, and a busy model floods them. `tf.print` can also write to a
file (`output_stream="file:///path"`), which makes it a file write. Printing is a debugging
leftover; a medium severity, as modelscan grades what is not an outright file access.

## Example
```text
@tf.function
def serve(x):
    tf.print("input:", x)                              # op PrintV2
    return {"y": model(x)}
```

Use instead:
```text
remove the tf.print calls before exporting (or guard them with a Python flag at trace time)
```

## References
- tensorflow/python/tools/saved_model_cli.py (`_OP_DENYLIST`: PrintV2)
- tensorflow/core/ops/logging_ops.cc (`PrintV2`, `output_stream`)
"""

from __future__ import annotations

from siglint.checks._graph import op_rule
from siglint.findings import Severity

PRINT_OPS = {
    "PrintV2": "tf.print: prints tensors to the server's log, or to a file",
    "Print": "prints tensors to the server's log",
}

RULE = op_rule(
    "SIG812", "print-op", Severity.WARNING, __name__, PRINT_OPS,
    "every request writes its tensors to the server's log",
)
check = RULE.check
