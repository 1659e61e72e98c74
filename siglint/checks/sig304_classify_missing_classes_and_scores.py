"""Classify signature has neither a `classes` nor a `scores` output.

## What it does
Checks that a signature served by the Classify API has an output keyed `classes` or `scores`
(or both).

## Why is this bad?
Those are the only outputs Classify fetches. Without either, every Classify request fails with
`Expected classification signature outputs to contain at least one of "classes" or "scores".`

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"probabilities": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

## References
- tensorflow_serving/servables/tensorflow/classifier.cc (`PreProcessClassification`)
- tensorflow/python/saved_model/signature_constants.py (`CLASSIFY_OUTPUT_CLASSES`, `CLASSIFY_OUTPUT_SCORES`)
"""
