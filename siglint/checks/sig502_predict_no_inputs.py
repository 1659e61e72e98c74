"""Predict signature has no inputs, which REST cannot call.

## What it does
Checks that a signature served by the Predict API has at least one input, when clients use the
REST API.

## Why is this bad?
gRPC Predict serves zero-input signatures (TF Serving's own `saved_model_counter` test model
does), but REST first looks up the input map and fails with `Failed to get input map for
signature: <key>`. TensorFlow's `is_valid_signature` rejects it too.

## Example
```json
{"method_name": "tensorflow/serving/predict", "inputs": {},
 "outputs": {"count": {"dtype": "DT_FLOAT", "shape": []}}}
```

Use instead (or call it over gRPC only and pass `--no-rest`):
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"step": {"dtype": "DT_FLOAT", "shape": [-1]}},
 "outputs": {"count": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

## Options
`--no-rest` turns this rule off.

## References
- tensorflow_serving/model_servers/http_rest_api_handler.cc
- tensorflow/python/saved_model/signature_def_utils_impl.py (`_is_valid_predict_signature`)
"""
