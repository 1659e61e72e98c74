"""The served MetaGraphDef has no `serving_default` signature.

## What it does
Checks that the MetaGraphDef the server loads has a signature under the default key,
`serving_default`.

## Why is this bad?
Every TF Serving API (Predict, Classify, Regress, MultiInference and REST) uses
`serving_default` when a request names no signature, and there is no fallback to "the only
signature". Such requests fail with `Serving signature key "serving_default" not found.`
(Predict), `No signature was found with the name: serving_default` (Classify/Regress) or, over
REST, `Serving signature name: "serving_default" not found in signature def`. It is a warning
because clients that always name their signature are not affected.

## Example
```text
signatures: predict_images
```

Use instead:
```text
signatures: serving_default    # tf.saved_model.save(m, d, signatures={"serving_default": f})
```

## Options
`--default-signature KEY` sets the key clients rely on.

## References
- tensorflow_serving/servables/tensorflow/predict_util.cc, classifier.cc, regressor.cc
- tensorflow_serving/model_servers/http_rest_api_handler.cc
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    meta_graph = context.serving_meta_graph
    key = context.profile.default_signature
    if meta_graph is None or key in meta_graph.signatures:
        return
    servable = [k for k, s in meta_graph.signatures.items() if not s.is_op_signature]
    yield Problem(
        f'Serving signature key "{key}" not found: requests that name no signature fail; '
        f"signatures: {', '.join(servable) or 'none'}",
        expected=key,
        actual=", ".join(servable) or None,
    )


RULE = Rule("SIG102", "missing-default-signature", Severity.WARNING, Scope.MODEL, check, __name__)
