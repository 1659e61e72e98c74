"""No served signature meets a contract that a contract pack marks `required`.

## What it does
For each contract of the packs you turn on (`--contracts`, `contracts` in the config) that says
`required = true`, checks that the served MetaGraphDef has a signature its `select` matches
(TF2's `__saved_model_init_op` does not count). `required = { min-signatures = 2 }` asks only
when the MetaGraphDef has at least that many signatures. Each finding names the pack and
contract, and takes the severity the pack gives it.

## Why is this bad?
Clients call signatures by key. TF Ranking's clients call `tensorflow/serving/regress` and
`tensorflow/serving/predict`; a Keras export with several signatures and no `serving_default`
breaks every request that names none ("Multiple `export_outputs` were provided, but none of them
are specified as the default"). A missing signature fails every such call.

## Example
With the bundled `tf-ranking` pack (`--contracts tf-ranking`), a model that serves only
`serving_default`:
```json
{"serving_default": {"method_name": "tensorflow/serving/predict",
  "inputs": {"inputs": {"dtype": "DT_STRING", "shape": [-1]}},
  "outputs": {"outputs": {"dtype": "DT_FLOAT", "shape": [-1]}}}}
```

Use instead: export with `tfr.keras.saved_model.Signatures(model, ...)()`, which writes
`serving_default`, `tensorflow/serving/regress` and `tensorflow/serving/predict`.

## References
- rules/README.md (the pack format), `siglint contracts`
- tensorflow_ranking/python/keras/saved_model.py; keras/saving/utils_v1/export_utils.py
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.contracts.evaluate import missing_problem
from siglint.engine.rule import ModelContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: ModelContext) -> Iterator[Problem]:
    meta_graph = context.serving_meta_graph if context.packs else None
    if meta_graph is None:  # no served MetaGraphDef: SIG101 says so
        return
    signatures = tuple(meta_graph.signatures.values())
    for pack in context.packs:
        for contract in pack.contracts:
            problem = missing_problem(contract, signatures, context.profile.runtime)
            if problem is not None:
                yield problem._replace(
                    message=f"{contract.title}: {problem.message}", contract=contract.title
                )


RULE = Rule("SIG602", "contract-signature-missing", Severity.ERROR, Scope.MODEL, check, __name__)
