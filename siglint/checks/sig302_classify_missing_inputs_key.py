"""Classify signature has no input keyed `inputs`.

## What it does
Checks that a signature served by the Classify API has an input under the key `inputs`
(`signature_constants.CLASSIFY_INPUTS`).

## Why is this bad?
Classify looks the input up by that key and fails every Classify request with
`No classification inputs found in SignatureDef: ...` (TFRT: `No classification inputs found in
function's metadata, only contains: <key>`).

## Example
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"examples": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/classify",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
```

## References
- tensorflow_serving/servables/tensorflow/classifier.cc (`PreProcessClassification`)
- tensorflow/python/saved_model/signature_constants.py (`CLASSIFY_INPUTS`)
"""
