"""Regress `inputs` is not rank-1 DT_STRING, or `outputs` is not DT_FLOAT.

## What it does
Checks that the `inputs` tensor of a Regress signature has dtype DT_STRING and, where known,
rank 1 (the serialized `tf.Example`s), and that `outputs` has dtype DT_FLOAT. (`_REF` dtypes are
read as their base dtype.)

## Why is this bad?
Regress feeds a DT_STRING [N] tensor of serialized examples: a DT_FLOAT input fails every Regress
request inside `Session::Run` (tensorflow/serving#1236: works through `:predict`, fails through
`:regress`). A non-float output fails with `Expected output Tensor of DT_FLOAT.  Got: <dtype>`.
TensorFlow's `is_valid_signature` rejects both.

## Example
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_FLOAT", "shape": [-1, 1]}},
 "outputs": {"outputs": {"dtype": "DT_DOUBLE", "shape": [-1, 1]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/regress",
 "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}
```

## References
- tensorflow_serving/servables/tensorflow/regressor.cc (`PostProcessRegressionResult`)
- tensorflow/python/saved_model/signature_def_utils_impl.py (`regression_signature_def`)
"""
