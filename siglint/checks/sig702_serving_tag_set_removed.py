"""The tag-set the server loads is gone from the new version.

## What it does
Reports a new version that has no MetaGraphDef tagged exactly as the server loads (`serve`, or
`--tags`) when the old version had one. Only SavedModels are compared: a GetModelMetadata
response names no tag-sets.

Level: `grpc` (and so `rest` and `strict`).

## Why is this bad?
The server cannot load the new version at all: `Could not find meta graph def matching supplied
tags: { serve }. To inspect available tag-sets in the SavedModel, please use the SavedModel CLI:
saved_model_cli`. Every client of the model fails once the old version is unloaded. A re-export
under other tags (`tags=["serve", "gpu"]`, a TF1 `Builder` call without
`tag_constants.SERVING`) does this.

## Example
```json
{"old": {"meta_graphs": [{"tags": ["serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]},
 "new": {"meta_graphs": [{"tags": ["serve", "gpu"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]}}
```

Use instead (keep a MetaGraphDef tagged exactly `serve`):
```json
{"old": {"meta_graphs": [{"tags": ["serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]},
 "new": {"meta_graphs": [{"tags": ["serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
   "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]}}
```

## Options
`--tags serve,tpu` sets the tag-set the server is started with.

## References
- tensorflow/cc/saved_model/reader.cc (`FindMetaGraphDef`)
- tensorflow_serving/model_servers/server.h (`saved_model_tags`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import tag_set_text
from siglint.engine.diff import Level, ModelPair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.GRPC


def check(pair: ModelPair) -> Iterator[Problem]:
    if not pair.both_have_tag_sets or pair.old_meta_graph is None or pair.new_meta_graph is not None:
        return
    wanted = pair.profile.tags
    available = ", ".join(tag_set_text(mg.tags) for mg in pair.new.meta_graphs) or "none"
    yield Problem(
        f"the MetaGraphDef tagged {tag_set_text(wanted)} is gone, so the server cannot load the new "
        f"version: Could not find meta graph def matching supplied tags: {{ {' '.join(wanted)} }}; "
        f"the new version has: {available}",
        expected=tag_set_text(wanted), actual=available,
    )


RULE = Rule("SIG702", "serving-tag-set-removed", Severity.ERROR, Scope.DIFF, check, __name__)
