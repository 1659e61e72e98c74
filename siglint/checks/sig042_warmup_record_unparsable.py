"""A warmup record is not a serialized PredictionLog.

## What it does
Parses each record of `assets.extra/tf_serving_warmup_requests` as a
`tensorflow.serving.PredictionLog`, as the server does before it runs the record.

## Why is this bad?
The server fails the model's load with `Failed to parse warmup record: <record> from <path>`, and
the version never becomes available. Records written as a bare `PredictRequest` (not wrapped in
a `PredictionLog`), as JSON, or with the wrong proto all end there.

## Example
```python
writer.write(predict_pb2.PredictRequest(...).SerializeToString())
```

Use instead:
```python
log = prediction_log_pb2.PredictionLog(predict_log=prediction_log_pb2.PredictLog(request=request))
writer.write(log.SerializeToString())
```

## References
- tensorflow_serving/servables/tensorflow/saved_model_warmup_util.cc (`RunSavedModelWarmup`)
- tensorflow_serving/apis/prediction_log.proto
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import WarmupContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.warmup import RecordFailure
from siglint.serving import constants


def check(context: WarmupContext) -> Iterator[Problem]:
    for index, record in enumerate(context.warmup.records):
        if isinstance(record, RecordFailure):
            size = f"{record.size} byte{'' if record.size == 1 else 's'}"
            yield Problem(
                f"{constants.WARMUP_PATH} record {index + 1}: Failed to parse warmup record: <{size}> from "
                f"{context.warmup.path} ({record.message})"
            )


RULE = Rule("SIG042", "warmup-record-unparsable", Severity.ERROR, Scope.WARMUP, check, __name__)
