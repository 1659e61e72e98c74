"""Classify signature has an output other than `classes` and `scores`.

## What it does
Checks that every output of a Classify signature is keyed `classes` or `scores`, when at least
one of them is present (their absence is SIG304).

## Why is this bad?
The TF runtime silently ignores one foreign output beside `classes` or `scores`, but TFRT
rejects it with `Expected classification function outputs to contain"classes" and/or
"scores".`, and TensorFlow's `is_valid_signature` rejects it. A warning on the default runtime,
an error under `--runtime tfrt`.

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}, "logits": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

## Options
`--runtime tfrt` makes this an error.

## References
- tensorflow_serving/servables/tensorflow/classifier.cc (only `classes`/`scores` are fetched)
- tensorflow_serving/servables/tensorflow/tfrt_classifier.cc
- tensorflow/python/saved_model/signature_def_utils_impl.py (`_is_valid_classification_signature`)
"""
