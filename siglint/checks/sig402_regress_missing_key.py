"""Regress signature has no input keyed `inputs` or no output keyed `outputs`.

## What it does
Checks that a signature served by the Regress API has the input key `inputs` and the output key
`outputs` (`signature_constants.REGRESS_INPUTS` / `REGRESS_OUTPUTS`).

## Why is this bad?
Regress looks both up by key and fails every Regress request with `No regression inputs found in
SignatureDef: ...` or `No regression outputs found in SignatureDef: ...`.

## Example
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"prediction": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/regressor.cc (`PreProcessRegression`)
- tensorflow/python/saved_model/signature_constants.py
"""
