"""Classify signature does not have exactly one input.

## What it does
Checks that a signature served by the Classify API has exactly one input tensor.

## Why is this bad?
Classify feeds one tensor of serialized `tf.Example`s and nothing else. Any other count fails
every request with `Expected one input Tensor.` (tensorflow/serving#1657: a two-input Keras
model called through `:classify`).

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}, "age": {"dtype": "DT_INT64", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

Use instead (parse every feature from the serialized Example inside the graph):
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

## References
- tensorflow_serving/servables/tensorflow/classifier.cc (`PreProcessClassification`)
- tensorflow_serving/servables/tensorflow/tfrt_classifier.cc
"""
