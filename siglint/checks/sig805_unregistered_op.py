"""The graph uses an op that a stock `tensorflow_model_server` does not register.

## What it does
Collects the ops of the served graph and of every library function its nodes reach (through a
call, or a function attribute such as a `While` body), and checks each against a snapshot of
the ops a stock TF Serving build registers: TensorFlow's own (of the matching version), TF
Text's and TensorFlow Decision Forests' inference ops, which the model server links in
(`SUPPORTED_TENSORFLOW_OPS`). A finding's `expected` names the versions the snapshot was taken
from.

## Why is this bad?
TensorFlow builds the graph when the model loads and stops at the first op it does not know:
`Op type not registered 'SentencepieceOp' in binary running on <host>. Make sure the Op and
Kernel are registered in the binary running in this process.` The model never loads (or, for
an op only in a function, the function fails when it first runs). Custom ops (TF Addons,
TF-Ranking's, your own) need a custom build of the server.

## Example
```text
node { name: "tokenize" op: "MyTokenizer" ... }   # registered by a Python extension in training
```

Use instead:
```text
export without the op (standard ops, or TF Text's which the server links), or serve with a
tensorflow_model_server built with it and declare it: --custom-ops MyTokenizer
```

## Options
`--custom-ops OP,...` (or `custom-ops = [...]` under `[profile]`) declares the ops your server
adds.

## References
- tensorflow_serving/model_servers/BUILD (`SUPPORTED_TENSORFLOW_OPS`, `server_lib`)
- tensorflow/core/framework/op.cc (`OpRegistry::LookUp`: "Op type not registered")
- tensorflow/python/framework/meta_graph.py (`ops_used_by_graph_def`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.checks._graph import where
from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.graph import Site
from siglint.savedmodel import ops


def check(context: GraphContext) -> Iterator[Problem]:
    graph = context.graph
    if graph is None:
        return
    custom = set(context.profile.custom_ops)
    unknown: dict[str, list[Site]] = {
        op: sites
        for op, sites in graph.sites().items()
        if op not in graph.functions and op not in custom and not ops.registered(op)
    }
    stock = " + ".join(ops.sources())
    for op, sites in sorted(unknown.items()):
        when = "the model never loads" if any(s.function is None for s in sites) else "the function fails when it runs"
        yield Problem(
            f"op {op!r} (used in {where(sites)}) is not registered in a stock tensorflow_model_server: "
            f"`Op type not registered '{op}' in binary running on <host>`, {when}; serve it with a "
            f"server built with the op (then declare it: --custom-ops {op}), or export without it",
            expected=f"an op of {stock}",
            actual=op,
        )


RULE = Rule("SIG805", "unregistered-op", Severity.ERROR, Scope.GRAPH, check, __name__)
