"""Helpers shared by the graph rules (SIG8xx): where ops of a list are used in a graph, and how a
finding names those places."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.graph import Graph, Site

# The ops of TensorFlow's savers: every TF1 graph has one (the loader runs its restore op), and
# training code often leaves another (tf.train.Saver for checkpoints) that the server never runs.
# They count only where the server runs them: in what a signature fetches or the init op runs.
SAVER_OPS = frozenset({"Save", "SaveV2", "SaveSlices", "MergeV2Checkpoints", "Restore", "RestoreV2", "RestoreSlice"})


def served_names(context: GraphContext) -> list[str]:
    """The tensor and node names the server runs: the served signatures' tensors and the init op."""
    from siglint.model.graph import INIT_OP_COLLECTIONS

    names = [name for sig in context.meta_graph.signatures.values() for _, t in sig.tensors() for name in t.tensor_names]
    if context.graph is not None:
        for key in INIT_OP_COLLECTIONS:
            names.extend(context.graph.init_collections.get(key, ()))
    return names


def sites_of(graph: Graph, wanted: Iterable[str], served: Iterable[str] = ()) -> dict[str, list[Site]]:
    """Where each op of `wanted` is used (the graph's nodes and the functions they reach), by op
    name; a Save or Restore op only where what `served` names runs it."""
    used = graph.sites()
    found: dict[str, list[Site]] = {}
    running: set[Site] | None = None
    for op in sorted(set(wanted) & used.keys()):
        sites = used[op]
        if op in SAVER_OPS:
            running = graph.running_sites(served) if running is None else running
            sites = [site for site in sites if site in running]
        if sites:
            found[op] = sites
    return found


def where(sites: list[Site]) -> str:
    """`graph node 'r'` or `node 'r' of function 'f' (and 2 more)`."""
    more = f" and {len(sites) - 1} more" if len(sites) > 1 else ""
    return f"{sites[0]}{more}"


def op_rule(
    code: str,
    name: str,
    severity: Severity,
    module: str,
    ops: Mapping[str, str],
    consequence: str,
) -> Rule:
    """A rule that flags every use of the ops of `ops` (op -> what it does), one finding per op,
    saying where it is used and `consequence`."""

    def check(context: GraphContext) -> Iterator[Problem]:
        if context.graph is None:
            return
        for op, sites in sites_of(context.graph, ops, served_names(context)).items():
            yield Problem(
                f"op {op!r} ({ops[op]}) is used in {where(sites)}: {consequence}",
                expected="no such op",
                actual=op,
            )

    return Rule(code, name, severity, Scope.GRAPH, check, module)
