"""An asset the MetaGraphDef lists is not in the model's `assets/` folder.

## What it does
Reads the assets the loader feeds to the graph (the MetaGraphDef's `asset_file_def`, else the
TF1 `saved_model_assets` collection) and checks that each file is in the model's `assets/`
folder.

## Why is this bad?
At load, TF Serving feeds the path `<model>/assets/<filename>` to the asset's tensor and runs the
init op. An op that opens the file (a vocabulary lookup table's initializer, `ReadFile`) then
fails, and with it the load, or the first request that reads it. A model copied without its
`assets/` folder (an upload that took only `saved_model.pb` and `variables/`) is the usual
cause. A warning: a graph may feed the path without ever opening it.

## Example
```text
export/1/saved_model.pb     # asset_file_def { filename: "vocab.txt" }
export/1/variables/...      # no assets/vocab.txt
```

Use instead:
```text
export/1/assets/vocab.txt   # copy the whole SavedModel folder
```

## References
- tensorflow/cc/saved_model/loader_util.cc (`GetAssetFileDefs`)
- tensorflow/cc/saved_model/loader.cc (`AddAssetsTensorsToInputs`, `RunInitOp`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.io.source import storage_for

ASSETS_DIRECTORY = "assets"


def check(context: GraphContext) -> Iterator[Problem]:
    if context.graph is None:
        return
    storage = storage_for(context.model.path)
    folder = storage.join(context.model.path, ASSETS_DIRECTORY)
    for asset in context.graph.assets:
        path = storage.join(folder, asset.filename)
        if storage.kind(path) is None:
            yield Problem(
                f"asset {asset.filename!r} (fed to {asset.tensor}) is not in {folder}: an op that "
                "opens it fails, and the model with it",
                expected=path,
                actual="missing",
            )


RULE = Rule("SIG804", "asset-file-missing", Severity.WARNING, Scope.GRAPH, check, __name__)
