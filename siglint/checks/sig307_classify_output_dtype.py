"""Classify `classes` is not DT_STRING or `scores` is not DT_FLOAT.

## What it does
Checks the dtypes of a Classify signature's outputs: `classes` must be DT_STRING (the labels)
and `scores` DT_FLOAT. (`_REF` dtypes are read as their base dtype.)

## Why is this bad?
Every request fails after the model has run, with `Expected classes Tensor of DT_STRING. Got:
<dtype>` or `Expected scores Tensor of DT_FLOAT. Got: <dtype>`. Class ids (DT_INT64) must be
turned into strings in the graph, and DT_DOUBLE scores cast to float.

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"classes": {"dtype": "DT_INT64", "shape": [-1, 3]}, "scores": {"dtype": "DT_DOUBLE", "shape": [-1, 3]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"classes": {"dtype": "DT_STRING", "shape": [-1, 3]}, "scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

## References
- tensorflow_serving/servables/tensorflow/util.cc and classifier.cc (`PostProcessClassificationResult`)
"""
