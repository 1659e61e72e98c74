"""Signature tensor is not a named dense tensor (sparse, composite, or empty name).

## What it does
Checks that every input and output TensorInfo uses the `name` encoding with a non-empty tensor
name, such as `x:0`.

## Why is this bad?
TF Serving feeds and fetches tensors by `TensorInfo.name` only. A `coo_sparse` or
`composite_tensor` encoding (a SparseTensor or RaggedTensor in the signature) has an empty name,
so the request fails inside TensorFlow when it feeds or fetches `""` (tensorflow/serving#994: a
CTC-decoded SparseTensor output).

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"decoded": {"coo_sparse": {"values_tensor_name": "v:0", "indices_tensor_name": "i:0",
   "dense_shape_tensor_name": "s:0"}, "dtype": "DT_INT64", "shape": [-1, -1]}}}
```

Use instead (densify in the graph, e.g. `tf.sparse.to_dense`):
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"decoded": {"name": "dense:0", "dtype": "DT_INT64", "shape": [-1, -1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (feeds by `TensorInfo.name`)
- tensorflow/core/protobuf/meta_graph.proto (`TensorInfo.encoding`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity


def check(context: SignatureContext) -> Iterator[Problem]:
    for io, tensor in context.signature.tensors():
        if tensor.encoding == "name" and tensor.name:
            continue
        found = tensor.encoding or "no encoding"
        if tensor.encoding == "name":
            found = "an empty name"
        yield Problem(
            f"{io} {tensor.key!r} has {found}: TF Serving feeds and fetches tensors by name "
            "only, so it cannot serve this tensor",
            tensor=tensor.key,
            io=io,
            expected="name",
            actual=found,
        )


RULE = Rule("SIG503", "non-name-tensor-encoding", Severity.ERROR, Scope.SIGNATURE, check, __name__)
