"""Read-only views of the requests a server runs: a warmup file's records (PredictionLog) and the
requests clients send (PredictRequest, ClassificationRequest, RegressionRequest,
MultiInferenceRequest), as the rules see them. No protobuf object passes this module.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, NamedTuple

from siglint.model.tensors import TensorValue, tensor_value


class Api(str, enum.Enum):
    """The server API a request goes to (a PredictionLog's log type)."""

    PREDICT = "predict"
    CLASSIFY = "classify"
    REGRESS = "regress"
    MULTI_INFERENCE = "multi_inference"
    PREDICT_STREAMED = "predict_streamed"
    SESSION_RUN = "session_run"
    NONE = "none"  # a PredictionLog with no log type set


class Task(NamedTuple):
    """One task of a MultiInferenceRequest."""

    model_name: str
    signature_name: str
    method_name: str


class RequestView(NamedTuple):
    api: Api
    model_name: str = ""
    signature_name: str = ""  # as sent: empty means the server's default key
    inputs: Mapping[str, TensorValue] = {}  # Predict
    output_filter: tuple[str, ...] = ()  # Predict
    input_kind: str | None = None  # Classify/Regress/MultiInference: "example_list", ...
    examples: int = 0  # Classify/Regress/MultiInference: examples in the input
    tasks: tuple[Task, ...] = ()  # MultiInference
    streamed_requests: int = 0  # PredictStreamed: how many requests the log holds

    def signature_key(self, default: str) -> str:
        """The signature the server looks up: the one named, else `default`."""
        return self.signature_name or default


def request_from_proto(message: Any) -> RequestView:
    """The view of a PredictionLog or of a request message (siglint's or tensorflow-serving-api's)."""
    kind = message.DESCRIPTOR.name
    if kind == "PredictionLog":
        return _from_log(message)
    if kind == "PredictRequest":
        return _predict(message)
    if kind == "ClassificationRequest":
        return _examples(Api.CLASSIFY, message)
    if kind == "RegressionRequest":
        return _examples(Api.REGRESS, message)
    if kind == "MultiInferenceRequest":
        return _multi_inference(message)
    raise ValueError(f"not a request: {kind}")


def _from_log(log: Any) -> RequestView:
    log_type = log.WhichOneof("log_type")
    if log_type is None:
        return RequestView(Api.NONE)
    entry = getattr(log, log_type)
    if log_type == "predict_streamed_log":
        requests = list(entry.request)
        first = _predict(requests[0]) if requests else RequestView(Api.PREDICT)
        return first._replace(api=Api.PREDICT_STREAMED, streamed_requests=len(requests))
    if log_type == "session_run_log":
        spec = entry.request.model_spec
        return RequestView(Api.SESSION_RUN, spec.name, spec.signature_name)
    return request_from_proto(entry.request)


def _predict(request: Any) -> RequestView:
    spec = request.model_spec
    return RequestView(
        Api.PREDICT,
        spec.name,
        spec.signature_name,
        inputs={key: tensor_value(request.inputs[key]) for key in sorted(request.inputs)},
        output_filter=tuple(request.output_filter),
    )


def _input(request_input: Any) -> tuple[str | None, int]:
    kind = request_input.WhichOneof("kind")
    return kind, len(getattr(request_input, kind).examples) if kind else 0


def _examples(api: Api, request: Any) -> RequestView:
    kind, count = _input(request.input)
    spec = request.model_spec
    return RequestView(api, spec.name, spec.signature_name, input_kind=kind, examples=count)


def _multi_inference(request: Any) -> RequestView:
    kind, count = _input(request.input)
    tasks = tuple(
        Task(task.model_spec.name, task.model_spec.signature_name, task.method_name) for task in request.tasks
    )
    name = tasks[0].model_name if tasks else ""
    return RequestView(Api.MULTI_INFERENCE, name, input_kind=kind, examples=count, tasks=tasks)
