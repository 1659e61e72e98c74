"""Classify/Regress tensor has a fixed batch dimension.

## What it does
Checks that dimension 0 of a Classify or Regress signature's `inputs` tensor and of its
`classes`, `scores` or `outputs` tensors is unknown (-1) where the rank is known.

## Why is this bad?
The batch is the number of examples in the request. A fixed size (often 1, from a traced
function or a Keras model built with a batch size) works only for requests of exactly that many
examples; others fail with `Expected scores output batch size of <N>. Got: <d0>` or
`Input batch size did not match output batch size: <N> vs. <d0>`.

## Example
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [1, 1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/util.cc (`PostProcessClassificationResult`)
- tensorflow_serving/servables/tensorflow/regressor.cc (`PostProcessRegressionResult`)
"""
