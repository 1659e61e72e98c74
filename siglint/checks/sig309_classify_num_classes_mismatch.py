"""Classify `classes` and `scores` disagree on the number of classes.

## What it does
Checks that, where both are known, dimension 1 of `classes` equals dimension 1 of `scores`.

## Why is this bad?
The server pairs each label with its score; unequal widths fail every Classify request with
`Tensors class and score should match in dim_size(1). Got <a> vs. <b>`.

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"classes": {"dtype": "DT_STRING", "shape": [-1, 1]}, "scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"classes": {"dtype": "DT_STRING", "shape": [-1, 3]}, "scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

## References
- tensorflow_serving/servables/tensorflow/util.cc (`PostProcessClassificationResult`)
"""
