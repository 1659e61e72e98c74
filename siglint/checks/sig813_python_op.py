"""The graph calls Python: `tf.py_function` or `tf.numpy_function` (EagerPyFunc, PyFunc).

## What it does
Flags every use of `EagerPyFunc`, `PyFunc` and `PyFuncStateless` in the served graph and the
functions its nodes reach.

## Why is this bad?
These ops run a Python function of the process that built the graph. The SavedModel does not
hold that function, only a token naming it, and TF Serving has no Python runtime: their kernels
live in TensorFlow's Python extension, so the server fails with `No OpKernel was registered to
support Op 'EagerPyFunc'`. The same graph run by a Python loader that has the function would
run arbitrary code, which is why scanners treat it as unsafe.

## Example
```text
@tf.function
def serve(text):
    tokens = tf.py_function(my_tokenizer, [text], tf.int64)   # op EagerPyFunc
    return {"y": model(tokens)}
```

Use instead:
```text
write the step with TensorFlow ops (tf.strings, TF Text), so that it is part of the graph
```

## References
- tensorflow/core/ops/script_ops.cc (`PyFunc`, `EagerPyFunc`)
- tensorflow/python/lib/core/py_func.cc (their kernels, in TensorFlow's Python extension only)
"""

from __future__ import annotations

from siglint.checks._graph import op_rule
from siglint.findings import Severity

PYTHON_OPS = {
    "EagerPyFunc": "tf.py_function",
    "PyFunc": "tf.numpy_function / tf.compat.v1.py_func",
    "PyFuncStateless": "tf.numpy_function(stateful=False)",
}

RULE = op_rule(
    "SIG813", "python-op", Severity.ERROR, __name__, PYTHON_OPS,
    "TF Serving cannot run Python, so the model fails to serve",
)
check = RULE.check
