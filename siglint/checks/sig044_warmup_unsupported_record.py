"""A warmup record has a log type the server's warmup does not run.

## What it does
Checks each warmup record's log type against what the runtime's warmup replays: the TF runtime
runs classify, regress, predict and multi-inference logs, fails on a `session_run_log` and skips
any other record; TFRT also runs a `predict_streamed_log` that holds exactly one request, and fails
on every other type (an empty record included).

## Why is this bad?
A failing record fails the model's load (`Unsupported log_type for warmup: 5`); a skipped one
warms nothing up, so the first real requests pay the start-up cost warmup was meant to hide.

## Example
```python
log = prediction_log_pb2.PredictionLog(session_run_log=prediction_log_pb2.SessionRunLog(...))
```

Use instead:
```python
log = prediction_log_pb2.PredictionLog(predict_log=prediction_log_pb2.PredictLog(request=request))
```

## References
- tensorflow_serving/servables/tensorflow/saved_model_warmup.cc (`RunWarmupRequest`)
- tensorflow_serving/servables/tensorflow/tfrt_saved_model_warmup.cc (`RunWarmupRequest`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._requests import problem
from siglint.engine.deployment import RequestContext
from siglint.engine.profile import TFRT
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.requests import Api
from siglint.serving.constants import LOG_TYPE_NUMBERS


def check(context: RequestContext) -> Iterator[Problem]:
    if not context.warmup:
        return
    api, tfrt = context.request.api, context.profile.runtime == TFRT
    number = LOG_TYPE_NUMBERS.get(f"{api.value}_log", 0)
    if api is Api.SESSION_RUN or (tfrt and api is Api.NONE):
        yield problem(context, f"Unsupported log_type for warmup: {number}")
    elif api is Api.PREDICT_STREAMED and tfrt:
        count = context.request.streamed_requests
        if count == 0:
            yield problem(context, "predict_streamed_log does not contain any requests.")
        elif count > 1:
            yield problem(
                context,
                "predict_streamed_log contains more than one request, which is not supported by PredictStreamed.",
            )
    elif api in (Api.NONE, Api.PREDICT_STREAMED):
        what = "has no log type" if api is Api.NONE else "is a predict_streamed_log"
        yield problem(
            context, f"the record {what}, which the TF runtime's warmup skips: it warms nothing up",
            severity=Severity.INFO,
        )


RULE = Rule("SIG044", "warmup-unsupported-record", Severity.ERROR, Scope.REQUEST, check, __name__)
