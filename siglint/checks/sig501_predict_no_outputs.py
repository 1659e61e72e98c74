"""Predict signature has no outputs.

## What it does
Checks that a signature served by the Predict API has at least one output.

## Why is this bad?
With nothing to fetch and no target, TensorFlow rejects the run: `Must specify at least one
target to fetch or execute.`; REST fails with `Cannot convert empty tensor map to JSON`.
TensorFlow's `is_valid_signature` rejects it too.

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}}, "outputs": {}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

## References
- tensorflow/core/graph/subgraph.cc (`RewriteGraphForExecution`)
- tensorflow_serving/util/json_tensor.cc
- tensorflow/python/saved_model/signature_def_utils_impl.py (`_is_valid_predict_signature`)
"""
