"""A MetaGraphDef tag-set other than the served one was added or removed.

## What it does
Compares the tag-sets of the two versions' MetaGraphDefs (as sets, as TensorFlow's loader
matches them) and reports each one added or removed, but for the removal of the tag-set the
server loads, which is SIG702's. Only SavedModels are compared.

Level: `strict`.

## Why is this bad?
A stock server loads one tag-set and never sees the others, so no TF Serving client breaks. But
tools that load another one (`tf.saved_model.load(d, tags=["serve", "gpu"])`, a TPU server
started with `--saved_model_tags=serve,tpu`) do.

## Example
```json
{"old": {"meta_graphs": [
   {"tags": ["serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
   {"tags": ["serve", "tpu"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]},
 "new": {"meta_graphs": [
   {"tags": ["serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]}}
```

Use instead (export every tag-set the old version had):
```json
{"old": {"meta_graphs": [
   {"tags": ["serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
   {"tags": ["serve", "tpu"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]},
 "new": {"meta_graphs": [
   {"tags": ["serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}},
   {"tags": ["tpu", "serve"], "signatures": {"serving_default": {"method_name": "tensorflow/serving/predict",
     "inputs": {"x": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}, "outputs": {"y": {"dtype": "DT_FLOAT", "shape": [-1, 1]}}}}}]}}
```

## References
- tensorflow/cc/saved_model/reader.cc (`FindMetaGraphDef`: tags match as sets)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._diff import ABSENT, tag_set_text
from siglint.engine.diff import Level, ModelPair
from siglint.engine.rule import Rule, Scope
from siglint.findings import Problem, Severity

LEVEL = Level.STRICT


def check(pair: ModelPair) -> Iterator[Problem]:
    if not pair.both_have_tag_sets:
        return
    served = frozenset(pair.profile.tags)
    old = {frozenset(mg.tags): mg.tags for mg in pair.old.meta_graphs}
    new = {frozenset(mg.tags): mg.tags for mg in pair.new.meta_graphs}
    for tags in sorted(old.keys() - new.keys() - {served}, key=sorted):
        yield Problem(f"the MetaGraphDef tagged {tag_set_text(old[tags])} is gone", expected=tag_set_text(old[tags]), actual=ABSENT)
    for tags in sorted(new.keys() - old.keys(), key=sorted):
        yield Problem(f"a MetaGraphDef tagged {tag_set_text(new[tags])} is new", expected=ABSENT, actual=tag_set_text(new[tags]))


RULE = Rule("SIG705", "tag-sets-changed", Severity.ERROR, Scope.DIFF, check, __name__)
