"""The warmup file is not a readable TFRecord file (framing, CRC, truncation).

## What it does
Reads `assets.extra/tf_serving_warmup_requests` as TF Serving's record reader does: each record's
length, the masked CRC-32C of the length, the data and the data's masked CRC-32C. Reports a file
that cannot be read, a length or data CRC that does not match (`corrupted record at <offset>`), a
record cut short (`truncated record at <offset>`), and, as information, bytes after the last
record that the reader takes for the end of the file and records it did not check because the
file is larger than siglint's bound (32 MiB of record data).

## Why is this bad?
The server replays the warmup file every time it loads the model. A framing error fails the
load with DATA_LOSS (`... Please verify your warmup data is in TFRecord format.`) and the version
never becomes available. A file written as text, JSON or bare serialized protos instead of with
`tf.io.TFRecordWriter` fails at its first record.

## Example
```text
export/1/assets.extra/tf_serving_warmup_requests   # PredictLog protos written one after another
```

Use instead:
```python
with tf.io.TFRecordWriter("export/1/assets.extra/tf_serving_warmup_requests") as writer:
    writer.write(prediction_log.SerializeToString())
```

## References
- tensorflow_serving/servables/tensorflow/saved_model_warmup_util.cc (`RunSavedModelWarmup`)
- tensorflow/core/lib/io/record_reader.cc (`ReadChecksummed`, `ReadRecord`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.deployment import WarmupContext
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity
from siglint.serving import constants

_HINT = ". Please verify your warmup data is in TFRecord format."


def check(context: WarmupContext) -> Iterator[Problem]:
    warmup = context.warmup
    if warmup.unreadable is not None:
        yield Problem(f"{constants.WARMUP_PATH} cannot be read: {warmup.unreadable}; the server fails to load the model")
    if warmup.error is not None:
        yield Problem(
            f"{constants.WARMUP_PATH} record {warmup.error.record + 1}: {warmup.error.message}{_HINT}",
            actual=f"byte {warmup.error.offset} of {warmup.size}",
        )
    if warmup.trailing:
        yield Problem(
            f"{constants.WARMUP_PATH} ends with {warmup.trailing} bytes that are not a record: the "
            "server's reader takes them for the end of the file (a record cut short by a copy?)",
            severity=Severity.INFO,
        )
    if warmup.stopped_at is not None:
        yield Problem(
            f"{constants.WARMUP_PATH} was checked up to byte {warmup.stopped_at} of {warmup.size} "
            f"({len(warmup.records)} records): siglint reads at most 32 MiB of warmup records",
            severity=Severity.INFO,
        )


RULE = Rule("SIG041", "warmup-not-tfrecord", Severity.ERROR, Scope.WARMUP, check, __name__)
