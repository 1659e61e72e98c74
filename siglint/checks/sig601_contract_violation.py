"""A signature breaks a contract of a contract pack (`--contracts`, `contracts` in the config).

## What it does
Checks every served signature against the contracts of the packs you turn on: a bundled pack
(`tf-ranking`, `keras-export`) or your own file (JSON, TOML or YAML; format in `rules/README.md`,
schema in `rules/schema.json`). A contract selects signatures by key, method name or intent and
states their inputs and outputs: keys, dtypes, ranks, shapes, or that the signature must not be
served at all, or must equal another one. Each finding names the pack and contract
(`tf-ranking/regress: ...`; `contract` in JSON and SARIF output), and takes the severity the
pack gives it unless the config's `severity` table overrides SIG601.

TF Serving's own contracts are not SIG601: they are the bundled `tf-serving` pack, whose checks
give the core rules' codes (SIG301-SIG310, SIG401-SIG404, SIG501, SIG502, SIG506).

## Why is this bad?
A team's serving contract is what its clients were written against: "our `serving_default`
takes `age` (DT_INT64, [-1]) and `country` (DT_STRING, [-1]) and returns `probabilities`
(DT_FLOAT, [-1, 3])". A model that drifts from it loads fine and fails every client request.

## Example
A pack (`contracts.toml`):
```toml
name = "churn"
[[contracts]]
name = "serving-default"
select = { keys = ["serving_default"] }
required = true
allow-extra-inputs = false
inputs.age = { dtype = "DT_INT64", shape = [-1] }
inputs.country = { dtype = "DT_STRING", shape = [-1] }
outputs.probabilities = { dtype = "DT_FLOAT", shape = [-1, 3] }
```

This signature breaks it (`age` is DT_INT32):
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"age": {"dtype": "DT_INT32", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"probabilities": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

Use instead:
```json
{"method_name": "tensorflow/serving/predict",
 "inputs": {"age": {"dtype": "DT_INT64", "shape": [-1]}, "country": {"dtype": "DT_STRING", "shape": [-1]}},
 "outputs": {"probabilities": {"dtype": "DT_FLOAT", "shape": [-1, 3]}}}
```

## References
- rules/README.md (the pack format), rules/schema.json, `siglint contracts`
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.contracts.evaluate import evaluate, forbidden_problem, same_as_problem
from siglint.engine.contracts.records import Contract
from siglint.engine.rule import Rule, Scope, SignatureContext
from siglint.findings import Problem, Severity


def check(context: SignatureContext) -> Iterator[Problem]:
    if not context.packs:
        return
    for pack in context.packs:
        for contract in pack.contracts:
            if not contract.selects(context.signature, context.intents):
                continue
            problems: list[Problem | None] = []
            if contract.forbidden:
                problems.append(forbidden_problem(contract, context))
            for item in contract.checks:
                problems += evaluate(contract, item, context)
            if contract.same_as:
                problems.append(same_as_problem(contract, context))
            for problem in problems:
                if problem is not None:
                    yield _named(problem, contract)


def _named(problem: Problem, contract: Contract) -> Problem:
    return problem._replace(message=f"{contract.title}: {problem.message}", contract=contract.title)


RULE = Rule("SIG601", "contract-violation", Severity.ERROR, Scope.SIGNATURE, check, __name__)
