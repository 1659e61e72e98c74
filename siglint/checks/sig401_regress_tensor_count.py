"""Regress signature does not have exactly one input and one output.

## What it does
Checks that a signature served by the Regress API has exactly one input and exactly one output.

## Why is this bad?
Regress feeds one tensor of serialized `tf.Example`s and fetches one tensor of predictions.
Other counts fail every Regress request with `Expected one input Tensor.` or `Expected one output
Tensor.` (tensorflow/serving#1657: a two-input Keras model called through `:regress`).

## Example
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1]}, "variance": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

Use instead (serve extra tensors from a separate predict signature):
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/regressor.cc (`PreProcessRegression`)
"""
