"""The served MetaGraphDef's graph cannot be decoded.

## What it does
Reads the graph of the MetaGraphDef the server loads (its nodes and function library) and
reports a `graph_def` that protobuf rejects: a field whose length runs past its message, a
truncated node, an invalid tag, a name that is not UTF-8.

## Why is this bad?
TensorFlow parses the whole SavedModel, graph included, before anything else
(`tensorflow/cc/saved_model/reader.cc`, `ReadSavedModel`): the model never loads, and TF Serving
reports `Cannot parse file ... saved_model.pb`. siglint's own reading of a `saved_model.pb` skips
the graph (SIG002 checks only its framing), so a graph corrupted deeper is found here. The other
graph rules (SIG8xx) cannot check such a graph.

## Example
```text
graph_def { node { name: "x" op: "Placeholder" ... }  # cut short: the node's length says 48
```

Use instead:
```text
re-export the model, or copy saved_model.pb again (it was truncated or corrupted in transit)
```

## References
- tensorflow/cc/saved_model/reader.cc (`ReadSavedModel`, `ReadBinaryProto`)
- tensorflow/core/framework/graph.proto (`GraphDef`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity


def check(context: GraphContext) -> Iterator[Problem]:
    if context.problem is not None:
        yield Problem(
            f"the graph of MetaGraphDef {{{','.join(context.meta_graph.tags)}}} cannot be decoded: "
            f"{context.problem}; TensorFlow cannot parse the model, so it never loads",
            actual=context.problem,
        )


RULE = Rule("SIG800", "graph-unreadable", Severity.ERROR, Scope.GRAPH, check, __name__)
