"""The init op the loader runs is not a node of the graph.

## What it does
Finds the init op as TF Serving's loader does: the `__saved_model_init_op` signature's output
(TF2), else the single node of the `saved_model_main_op` collection, else of `legacy_init_op`
(TF1 `Builder(main_op=...)`), and checks that it names one node of the graph.

## Why is this bad?
The loader runs the init op right after restoring the variables (it initializes tables and
reads assets). A name the graph lacks, an init-op signature without its output, or a
collection holding several nodes (`Expected exactly one main op in : <export dir>`) fails the
load: the model never becomes available.

## Example
```text
collection_def { key: "saved_model_main_op" value { node_list { value: "init_all_tables" } } }
# the graph has no node init_all_tables (pruned after the collection was written)
```

Use instead:
```text
collection_def { key: "saved_model_main_op" value { node_list { value: "group_deps" } } }
# a node of the graph: Builder(main_op=tf.group(...)) writes both
```

## References
- tensorflow/cc/saved_model/loader_util.cc (`GetInitOp`)
- tensorflow/cc/saved_model/loader.cc (`RunInitOp`)
"""

from __future__ import annotations

from collections.abc import Iterator

from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.graph import INIT_OP_COLLECTIONS, parse_tensor_name
from siglint.savedmodel import constants


def _init_op(context: GraphContext) -> tuple[str | None, str, Problem | None]:
    """(the init op's name, where it is named, a problem with how it is named)."""
    signature = context.meta_graph.signatures.get(constants.INIT_OP_SIGNATURE_KEY)
    if signature is not None:
        where = f"the {constants.INIT_OP_SIGNATURE_KEY} signature"
        output = signature.outputs.get(constants.INIT_OP_SIGNATURE_KEY)
        if output is None:
            return None, where, Problem(
                f"{where} has no output {constants.INIT_OP_SIGNATURE_KEY!r}: the load fails with "
                f"`Could not find output {constants.INIT_OP_SIGNATURE_KEY}`",
                signature=constants.INIT_OP_SIGNATURE_KEY,
                expected=f"an output keyed {constants.INIT_OP_SIGNATURE_KEY}",
            )
        return output.name, where, None
    assert context.graph is not None
    collections = context.graph.init_collections
    key = next((k for k in INIT_OP_COLLECTIONS if k in collections), None)
    if key is None:
        return None, "", None
    where = f"the {key} collection"
    nodes = collections[key]
    if len(nodes) != 1:
        return None, where, Problem(
            f"{where} holds {len(nodes)} nodes: the load fails with `Expected exactly one main op in : "
            f"{context.model.path}`",
            expected="one node",
            actual=", ".join(nodes) or "none",
        )
    return nodes[0], where, None


def check(context: GraphContext) -> Iterator[Problem]:
    if context.graph is None:
        return
    name, where, problem = _init_op(context)
    if problem is not None:
        yield problem
    if not name:
        return
    if parse_tensor_name(name)[0] not in context.graph.nodes:
        yield Problem(
            f"{where} names the init op {name!r}, which is not a node of the graph: the loader "
            "runs it after restoring the variables, and the model never loads",
            expected="a node of the graph",
            actual=name,
        )


RULE = Rule("SIG803", "init-op-missing", Severity.ERROR, Scope.GRAPH, check, __name__)
