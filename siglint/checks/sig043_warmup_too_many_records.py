"""The warmup file holds more records than the server replays (1,000).

## What it does
Counts the records of `assets.extra/tf_serving_warmup_requests` up to the server's limit.

## Why is this bad?
The server runs record 1,001 and then fails the model's load with `Number of warmup records
exceeds the maximum (1000) at <path>`: the version never becomes available. Warmup needs a few
representative requests per signature, not a traffic capture.

## Example
```text
assets.extra/tf_serving_warmup_requests   # 5,000 requests logged from production
```

Use instead:
```text
assets.extra/tf_serving_warmup_requests   # a handful of requests per signature and batch size
```

## References
- tensorflow_serving/servables/tensorflow/saved_model_warmup_util.h (`WarmupConsts::kMaxNumRecords`)
- tensorflow_serving/servables/tensorflow/saved_model_warmup_util.cc (`RunSavedModelWarmup`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import WarmupContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.serving import constants


def check(context: WarmupContext) -> Iterator[Problem]:
    warmup = context.warmup
    if len(warmup.records) > constants.MAX_WARMUP_RECORDS:
        yield Problem(
            f"{constants.WARMUP_PATH} has more than {constants.MAX_WARMUP_RECORDS} records: Number "
            f"of warmup records exceeds the maximum ({constants.MAX_WARMUP_RECORDS}) at {warmup.path}",
            expected=f"at most {constants.MAX_WARMUP_RECORDS} records",
            actual=f"more than {constants.MAX_WARMUP_RECORDS}",
        )


RULE = Rule("SIG043", "warmup-too-many-records", Severity.ERROR, Scope.WARMUP, check, __name__)
