"""Predict tensor has a dtype the REST API cannot convert to or from JSON.

## What it does
Checks, when clients use REST, that every input and output of a Predict signature has one of the
dtypes TF Serving's JSON conversion supports: DT_FLOAT, DT_DOUBLE, DT_INT8, DT_INT16, DT_INT32,
DT_INT64, DT_UINT8, DT_UINT32, DT_UINT64, DT_BOOL, DT_STRING. An output's `_REF` dtype is
read as its base dtype (the fetched tensor has it); an input's is not: the JSON conversion
switches on the signature's dtype. DT_INVALID is SIG509's.

## Why is this bad?
gRPC works, but a REST request fails: inputs with `Conversion of JSON Value: <v> to type:
<dtype>`, outputs with `Failed to write JSON value for tensor type: <dtype>`
(tensorflow/serving#1639: DT_HALF inputs).

## Example
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_HALF", "shape": [-1, 4]}},
 "outputs": {"y": {"dtype": "DT_HALF", "shape": [-1]}}}
```

Use instead (cast at the signature boundary):
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 4]}},
 "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

## Options
`--no-rest` turns this rule off.

## References
- tensorflow_serving/util/json_tensor.cc
"""
