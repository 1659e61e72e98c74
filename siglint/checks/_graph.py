"""Helpers shared by the graph rules (SIG8xx): where ops of a list are used in a graph, and how a
finding names those places."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from siglint.engine.rule import GraphContext, Rule, Scope
from siglint.findings import Problem, Severity
from siglint.model.graph import Graph, Site

# The ops TensorFlow's saver itself runs: in the saver (saver_def's nodes and the functions they
# call) they are how variables are restored at load; anywhere else they read or write files.
SAVER_OPS = frozenset({"Save", "SaveV2", "SaveSlices", "MergeV2Checkpoints", "Restore", "RestoreV2", "RestoreSlice"})


def sites_of(graph: Graph, wanted: Iterable[str]) -> dict[str, list[Site]]:
    """Where each op of `wanted` is used (the graph's nodes and the functions they reach),
    Save and Restore ops of the saver left out; by op name."""
    wanted = frozenset(wanted)
    found: dict[str, list[Site]] = {}
    saver: set[Site] | None = None
    for op, site in graph.sites():
        if op not in wanted:
            continue
        if op in SAVER_OPS:
            saver = graph.saver_sites() if saver is None else saver
            if site in saver:
                continue
        found.setdefault(op, []).append(site)
    return dict(sorted(found.items()))


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
        for op, sites in sites_of(context.graph, ops).items():
            yield Problem(
                f"op {op!r} ({ops[op]}) is used in {where(sites)}: {consequence}",
                expected="no such op",
                actual=op,
            )

    return Rule(code, name, severity, Scope.GRAPH, check, module)
