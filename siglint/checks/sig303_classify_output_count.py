"""Classify signature does not have one or two outputs.

## What it does
Checks that a signature served by the Classify API has one or two outputs.

## Why is this bad?
Classify fetches `classes` and/or `scores` and nothing else; any other count fails every Classify request
with `Expected one or two output Tensors, found <n>` (tensorflow/models#9264: an attention_ocr
export with 17 outputs). TensorFlow's `is_valid_signature` rejects zero outputs too.

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"classes": {"dtype": "DT_STRING", "shape": [-1, 2]}, "scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]},
             "logits": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

Use instead (serve extra tensors from a separate predict signature):
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"classes": {"dtype": "DT_STRING", "shape": [-1, 2]}, "scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

## References
- tensorflow_serving/servables/tensorflow/classifier.cc (`PreProcessClassification`)
"""
