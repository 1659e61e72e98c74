"""The graph writes files: an op that creates or overwrites files on the server.

## What it does
Flags every use, in the served graph and the functions its nodes reach, of an op that writes to
the file system: `WriteFile` (on `saved_model_cli scan`'s default denylist, and one of
modelscan's HIGH findings), the Save ops and `MergeV2Checkpoints` where a served signature or the init
op runs them (a saver's, which writes checkpoints only when training code asks, is not), summary writers
(`CreateSummaryFileWriter`, `WriteScalarSummary`, ...), dataset writers (`SaveDatasetV2`,
`DatasetToTFRecord`, snapshots) and the debugger's dump ops.

## Why is this bad?
Whoever controls the inputs, or wrote the model, can create or overwrite files wherever the
server process may write: fill its disk on every request, plant files other processes read, or
replace a model that the server loads next. A serving graph has no reason to write files.
Severity follows modelscan, which rates file writes HIGH.

## Example
```text
@tf.function(input_signature=[tf.TensorSpec([], tf.string)])
def serve(line):
    tf.io.write_file("/tmp/requests.log", line)       # op WriteFile
    return {"ok": tf.constant(True)}
```

Use instead:
```text
log requests with TF Serving's request logging (--model_config_file logging_config), not
from inside the model
```

## References
- tensorflow/python/tools/saved_model_cli.py (`_OP_DENYLIST`, `scan`)
- protectai/modelscan: modelscan/settings.py (`unsafe_tf_operators`: WriteFile HIGH)
- tensorflow/core/ops/io_ops.cc, summary_ops.cc, experimental_dataset_ops.cc (the ops)
"""

from __future__ import annotations

from siglint.checks._graph import op_rule
from siglint.findings import Severity

WRITE_OPS = {
    "WriteFile": "writes a whole file",
    "Save": "writes a checkpoint when a request runs it",
    "SaveV2": "writes a checkpoint when a request runs it",
    "SaveSlices": "writes a checkpoint when a request runs it",
    "MergeV2Checkpoints": "writes and deletes checkpoint files when a request runs it",
    **dict.fromkeys(
        (
            "CreateSummaryFileWriter", "CreateSummaryDbWriter", "WriteSummary", "WriteScalarSummary",
            "WriteHistogramSummary", "WriteImageSummary", "WriteAudioSummary", "WriteGraphSummary",
            "WriteRawProtoSummary", "ImportEvent", "FlushSummaryWriter",
        ),
        "writes summary event files",
    ),
    **dict.fromkeys(
        (
            "SaveDataset", "SaveDatasetV2", "DatasetToTFRecord", "ExperimentalDatasetToTFRecord",
            "SnapshotDataset", "SnapshotDatasetV2",
        ),
        "writes a dataset to files",
    ),
    **dict.fromkeys(("DebugIdentityV2", "DebugIdentityV3"), "dumps tensors to a debug folder"),
}

RULE = op_rule(
    "SIG811", "file-write-op", Severity.ERROR, __name__, WRITE_OPS,
    "a served model that writes to the server's file system can fill or overwrite it",
)
check = RULE.check
