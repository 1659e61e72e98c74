"""Classify input is not a rank-1 DT_STRING tensor of serialized Examples.

## What it does
Checks that the `inputs` tensor of a Classify signature has dtype DT_STRING and, where its rank
is known, rank 1. (`_REF` dtypes are read as their base dtype.)

## Why is this bad?
Classify turns the request's examples into a DT_STRING tensor of shape [N] of serialized
`tf.Example`s and feeds it to `inputs`. A DT_FLOAT placeholder fails every Classify request inside
`Session::Run` with a TensorFlow type error, not a serving one (tensorflow/serving#1236).
TensorFlow's `is_valid_signature` rejects a non-string input too.

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_FLOAT", "shape": [-1, 1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}
```

Use instead (parse features from the serialized examples in the graph, e.g. with
`tf.io.parse_example`):
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/util.cc (`PerformOneShotTensorComputation`)
- tensorflow/python/saved_model/signature_def_utils_impl.py (`classification_signature_def`)
"""
