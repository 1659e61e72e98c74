"""The graph reads files: an op that opens, lists or maps paths of the server's file system.

## What it does
Flags every use, in the served graph and the functions its nodes reach, of an op that reads the
file system: `ReadFile` (on `saved_model_cli scan`'s default denylist, and one of modelscan's
HIGH findings), `MatchingFiles`, `ImmutableConst` (memory-maps a file), the readers and file
datasets (`TFRecordDataset`, `TextLineReaderV2`, ...), checkpoint readers (`LoadAndRemapMatrix`),
and the Restore ops where a served signature or the init op runs them (the saver's restore of
`variables/`, and a training saver left in a TF1 graph, are not served requests).
Asset reads through vocabulary tables are not flagged: they read the model's own `assets/`.

## Why is this bad?
A model is code: whoever can feed it a path, or whoever wrote the path into it, reads any file
the server process can (credentials, keys, other models), and can send it back in a response.
A model that reads files at serving time also depends on the server's disk layout. Severity
follows modelscan, which rates file reads HIGH.

## Example
```text
@tf.function(input_signature=[tf.TensorSpec([], tf.string)])
def serve(path):
    return {"contents": tf.io.read_file(path)}        # op ReadFile
```

Use instead:
```text
send the data in the request, or ship it as an asset read once by the init op
(a lookup table's initializer), and keep file access out of the serving graph
```

## References
- tensorflow/python/tools/saved_model_cli.py (`_OP_DENYLIST`, `scan`)
- protectai/modelscan: modelscan/settings.py (`unsafe_tf_operators`: ReadFile HIGH)
- tensorflow/core/ops/io_ops.cc, dataset_ops.cc, checkpoint_ops.cc (the ops)
"""

from __future__ import annotations

from siglint.checks._graph import op_rule
from siglint.findings import Severity

READ_OPS = {
    "ReadFile": "reads a whole file",
    "MatchingFiles": "lists the files matching a pattern",
    "ImmutableConst": "memory-maps a file",
    "Restore": "reads a checkpoint when a request runs it",
    "RestoreV2": "reads a checkpoint when a request runs it",
    "RestoreSlice": "reads a checkpoint when a request runs it",
    "LoadAndRemapMatrix": "reads a checkpoint",
    "GenerateVocabRemapping": "reads vocabulary files",
    **dict.fromkeys(
        (
            "WholeFileReader", "WholeFileReaderV2", "TextLineReader", "TextLineReaderV2",
            "TFRecordReader", "TFRecordReaderV2", "FixedLengthRecordReader",
            "FixedLengthRecordReaderV2", "LMDBReader",
        ),
        "a file reader",
    ),
    **dict.fromkeys(
        (
            "TFRecordDataset", "TFRecordDatasetV2", "TextLineDataset", "FixedLengthRecordDataset",
            "FixedLengthRecordDatasetV2", "LMDBDataset", "ExperimentalLMDBDataset", "CSVDataset",
            "CSVDatasetV2", "ExperimentalCSVDataset", "LoadDataset", "SnapshotDatasetReader",
        ),
        "a dataset read from files",
    ),
}

RULE = op_rule(
    "SIG810", "file-read-op", Severity.ERROR, __name__, READ_OPS,
    "a served model that reads the server's file system can leak any file the server can read",
)
check = RULE.check
