"""Regress `outputs` is not shaped [batch_size] or [batch_size, 1].

## What it does
Checks that, where its rank is known, the `outputs` tensor of a Regress signature has rank 1, or
rank 2 with dimension 1 equal to 1 (or unknown).

## Why is this bad?
Regress returns one float per example. Any other shape fails every Regress request with `Expected output
Tensor shape to be either [batch_size] or [batch_size, 1] but got <shape>`; a scalar output does
too.

## Example
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1, 10, 10, 1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/regressor.cc (`PostProcessRegressionResult`)
"""
