"""An input or output changed encoding: a dense tensor became sparse or composite, or back.

## What it does
Compares how each input and output of a signature both versions serve is encoded in its
TensorInfo: `name` (a dense tensor), `coo_sparse` (a SparseTensor's three tensors) or
`composite_tensor` (a RaggedTensor's and other composites' components).

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
TF Serving feeds and fetches tensors by their TensorInfo `name` alone. A tensor that became
sparse or ragged has no name to feed or fetch: requests that sent a dense tensor cannot be
served, and clients that read a dense output get nothing they can decode (SIG503 says so of
the new version alone). A `tf.RaggedTensorSpec` argument or a `tf.sparse` output in a re-export
does this.

## Example
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"ids": {"dtype": "DT_INT64", "shape": [-1, -1], "name": "ids:0"}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"ids": {"dtype": "DT_INT64", "shape": [-1, -1], "coo_sparse": {"values_tensor_name": "ids/values:0",
     "indices_tensor_name": "ids/indices:0", "dense_shape_tensor_name": "ids/shape:0"}}},
   "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

Use instead (take a dense, padded tensor in the serving signature and convert inside it:
`tf.sparse.from_dense`):
```json
{"old": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"ids": {"dtype": "DT_INT64", "shape": [-1, -1], "name": "ids:0"}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
 "new": {"signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"ids": {"dtype": "DT_INT64", "shape": [-1, -1], "name": "ids:0"}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}}
```

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc (feeds `TensorInfo.name`)
- tensorflow/core/protobuf/meta_graph.proto (`TensorInfo.encoding`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import common_tensors
from siglint.engine.diff import Level, SignaturePair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC
_KINDS = {"name": "a dense tensor (name)", "coo_sparse": "a SparseTensor (coo_sparse)",
          "composite_tensor": "a composite tensor (composite_tensor)", "": "no encoding"}


def check(pair: SignaturePair) -> Iterator[Problem]:
    for io, key, old, new in common_tensors(pair.old, pair.new):
        if new.encoding == old.encoding:
            continue
        yield Problem(
            f"{io} {key!r} was {_KINDS.get(old.encoding, old.encoding)} and is now "
            f"{_KINDS.get(new.encoding, new.encoding)}: TF Serving feeds and fetches tensors by name "
            "only, so clients of the old signature cannot use it",
            tensor=key, io=io, expected=old.encoding or "none", actual=new.encoding or "none",
        )


RULE = Rule("SIG732", "encoding-changed", Severity.ERROR, Scope.DIFF_SIGNATURE, check, __name__)
