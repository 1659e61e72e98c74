"""No MetaGraphDef has exactly the serving tag-set (`serve` by default).

## What it does
Checks that one MetaGraphDef's tag-set equals the tag-set the server loads (`--saved_model_tags`,
default `serve`; `tpu,serve` on TPU builds). Matching is set equality, as in TensorFlow's reader:
`{serve, gpu}` does not match `{serve}`.

## Why is this bad?
The server cannot load the model: `Could not find meta graph def matching supplied tags:
{ serve }. To inspect available tag-sets in the SavedModel, please use the SavedModel CLI:
saved_model_cli`. siglint checks the signatures of the matching MetaGraphDef only, so none are
checked until this is fixed.

## Example
```text
MetaGraphDef tags: [train]
```

Use instead:
```text
MetaGraphDef tags: [serve]    # tf.saved_model.save and Builder(...tags=[tag_constants.SERVING])
```

## Options
`--tags serve,tpu` sets the tag-set the server is started with.

## References
- tensorflow/cc/saved_model/reader.cc (`FindMetaGraphDef`)
- tensorflow_serving/model_servers/server.h (`saved_model_tags`, default `serve`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import SAVEDMODEL_ONLY, ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    if context.serving_meta_graph is not None:
        return
    wanted = " ".join(context.profile.tags)
    available = ", ".join(
        "{" + ",".join(mg.tags) + "}" for mg in context.model.meta_graphs
    ) or "none (the SavedModel has no MetaGraphDef)"
    yield Problem(
        f"Could not find meta graph def matching supplied tags: {{ {wanted} }}; "
        f"available tag-sets: {available}",
        expected="{" + ",".join(context.profile.tags) + "}",
        actual=available,
    )


RULE = Rule(
    "SIG101", "missing-serving-tag-set", Severity.ERROR, Scope.MODEL, check, __name__, model_kinds=SAVEDMODEL_ONLY
)
