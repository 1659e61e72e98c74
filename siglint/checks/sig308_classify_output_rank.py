"""Classify `classes` or `scores` does not have rank 2 [batch_size, num_classes].

## What it does
Checks that, where their rank is known, the `classes` and `scores` outputs of a Classify
signature have rank 2.

## Why is this bad?
The server reads one row per example and one column per class. Any other rank fails every Classify
request with `Expected Tensor shape: [batch_size num_classes] but got <shape>`
(tensorflow/serving#569: scores declared (-1, -1, 9)). A binary classifier's (-1) scores must be
reshaped to (-1, 1) or stacked to (-1, 2).

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/util.cc (`PostProcessClassificationResult`)
"""
