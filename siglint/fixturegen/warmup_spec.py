"""Warmup files in a fixture spec (`siglint.fixturegen.spec`): the records of a model's
`assets.extra/tf_serving_warmup_requests`, described as data and written as TFRecord with
siglint's own serving messages::

    [[warmup]]
    model = "model/1"                    # the model folder the file goes in
    repeat = 1                           # the records, this many times over
    flip = 12                            # flip the low bit of this byte (a bad CRC)
    truncate = 30                        # keep only this many bytes
    records = [
      { predict = { signature = "serving_default", inputs = { x = { dtype = "DT_FLOAT", shape = [1, 3] } } } },
      { classify = { signature = "classify", examples = 1 } },
      { regress = { examples = 0 } },
      { multi_inference = { tasks = [{ model = "m", signature = "s", method = "tensorflow/serving/classify" }], examples = 1 } },
      { session_run = {} }, { empty = {} }, { streamed = { requests = 2 } },
      { bytes = "0c" },                  # hex: a record that is not a PredictionLog
    ]

or `text = "..."` instead of records: the whole file, not TFRecord at all. A tensor may give
`content = <bytes>` for a `tensor_content` of that many zero bytes; otherwise it has no values
(which TensorFlow reads as zeros).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from siglint.savedmodel.dtypes import parse_dtype
from siglint.serving import constants

_RECORD_KINDS = ("predict", "classify", "regress", "multi_inference", "session_run", "empty", "streamed", "bytes")


class WarmupError(ValueError):
    """A warmup spec that does not say what file to write."""


class WarmupSpec(NamedTuple):
    model: str
    records: tuple[Mapping[str, Any], ...] = ()
    repeat: int = 1
    flip: int | None = None
    truncate: int | None = None
    text: str | None = None

    @property
    def path(self) -> str:
        return f"{self.model}/{constants.WARMUP_PATH}"


def warmup_spec(data: Any, where: str) -> WarmupSpec:
    if not isinstance(data, dict) or "model" not in data:
        raise WarmupError(f"{where} must be a table with a `model`")
    unknown = set(data) - set(WarmupSpec._fields)
    if unknown:
        raise WarmupError(f"{where} has unknown keys: {', '.join(sorted(unknown))}")
    records = tuple(data.get("records", ()))
    for index, record in enumerate(records):
        if not isinstance(record, dict) or len(record) != 1 or next(iter(record)) not in _RECORD_KINDS:
            raise WarmupError(f"{where}.records[{index}] must be one of: {', '.join(_RECORD_KINDS)}")
    for key in ("repeat", "flip", "truncate"):
        if key in data and (not isinstance(data[key], int) or data[key] < 0):
            raise WarmupError(f"{where}.{key} must be a whole number")
    return WarmupSpec(
        str(data["model"]), records, data.get("repeat", 1), data.get("flip"), data.get("truncate"), data.get("text")
    )


def warmup_bytes(spec: WarmupSpec) -> bytes:
    """The file `spec` describes (deterministic bytes)."""
    from siglint.io.tfrecord import frame

    if spec.text is not None:
        data = spec.text.encode("utf-8")
    else:
        data = b"".join(frame(_record(record)) for record in spec.records) * spec.repeat
    if spec.flip is not None and spec.flip < len(data):
        data = data[: spec.flip] + bytes([data[spec.flip] ^ 1]) + data[spec.flip + 1 :]
    return data[: spec.truncate] if spec.truncate is not None else data


def _record(record: Mapping[str, Any]) -> bytes:
    from siglint.serving import proto

    (kind, body), = record.items()
    if kind == "bytes":
        return bytes.fromhex(str(body))
    body = body or {}
    log = proto.PredictionLog()
    if kind in ("predict", "streamed"):
        target = log.predict_streamed_log if kind == "streamed" else log.predict_log
        for _ in range(body.get("requests", 1) if kind == "streamed" else 1):
            request = target.request.add() if kind == "streamed" else target.request
            _predict(request, body)
    elif kind in ("classify", "regress"):
        request = getattr(log, f"{kind}_log").request
        request.model_spec.signature_name = body.get("signature", "")
        _examples(request.input, body.get("examples", 1))
    elif kind == "multi_inference":
        request = log.multi_inference_log.request
        for task in body.get("tasks", ()):
            added = request.tasks.add(method_name=task.get("method", ""))
            added.model_spec.name = task.get("model", "")
            added.model_spec.signature_name = task.get("signature", "")
        _examples(request.input, body.get("examples", 1))
    elif kind == "session_run":
        log.session_run_log.request.model_spec.name = body.get("model", "")
    else:
        log.log_metadata.model_spec.name = body.get("model", "")
    return bytes(log.SerializeToString(deterministic=True))


def _predict(request: Any, body: Mapping[str, Any]) -> None:
    request.model_spec.signature_name = body.get("signature", "")
    request.output_filter.extend(body.get("output_filter", ()))
    for key, tensor in sorted(body.get("inputs", {}).items()):
        value = request.inputs[key]
        value.dtype = parse_dtype(tensor["dtype"])
        for size in tensor.get("shape", ()):
            value.tensor_shape.dim.add(size=size)
        if "content" in tensor:
            value.tensor_content = bytes(int(tensor["content"]))


def _examples(request_input: Any, count: int) -> None:
    examples = request_input.example_list.examples
    for _ in range(count):
        feature = examples.add().features.feature["x"]
        feature.float_list.value.append(0.0)
    if not count:
        request_input.example_list.SetInParent()
