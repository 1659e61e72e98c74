"""`scan`: the ops of a denylist that each MetaGraphDef's graph uses, as `saved_model_cli scan`
finds them (tensorflow/python/tools/saved_model_cli.py, `scan_meta_graph_def`): the ops of
`meta_graph.ops_used_by_graph_def`, which follows the graph's nodes and the functions they call
(a node whose op is a function, the `f` of PartitionedCall and StatefulPartitionedCall)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from siglint.model.discover import discover
from siglint.model.graph import GraphTooLarge, GraphUndecodable, load_graph
from siglint.model.load import LoadFailure, load_model

# saved_model_cli.py `_OP_DENYLIST`.
DEFAULT_DENYLIST = frozenset({"WriteFile", "ReadFile", "PrintV2"})


class MetaGraphScan(NamedTuple):
    tags: tuple[str, ...]
    found: frozenset[str]  # the denylisted ops the graph uses


class ModelScan(NamedTuple):
    path: str
    meta_graphs: tuple[MetaGraphScan, ...] = ()
    error: str | None = None  # why the model could not be scanned


def denylist_from(text: str | None) -> frozenset[str]:
    """`--op_denylist`, read as saved_model_cli reads it: comma-separated, blanks dropped; an
    empty or missing value is the default list (its `if op_denylist:` test)."""
    ops = frozenset(op.strip() for op in (text or "").split(",") if op.strip())
    return ops if text else DEFAULT_DENYLIST


def scan_model(path: str, denylist: frozenset[str], tags: tuple[str, ...] | None = None) -> ModelScan:
    loaded = load_model(path)
    if isinstance(loaded, LoadFailure):
        return ModelScan(path, error=loaded.message)
    meta_graphs = loaded.meta_graphs
    if tags is not None:
        meta_graphs = tuple(mg for mg in meta_graphs if set(mg.tags) == set(tags))
        if not meta_graphs:
            available = ", ".join(repr(",".join(mg.tags)) for mg in loaded.meta_graphs)
            return ModelScan(
                path,
                error=f"MetaGraphDef associated with tag-set {','.join(tags)} could not be found in the "
                f"SavedModel. Please use one of the following tag-sets: {available}",
            )
    scans = []
    for meta_graph in meta_graphs:
        used: set[str] = set()
        if meta_graph.graph is not None:
            try:
                used = load_graph(meta_graph.graph, attrs_of=()).ops_used(calls_only=True)
            except (GraphUndecodable, GraphTooLarge) as error:
                return ModelScan(path, error=f"the graph of MetaGraphDef {{{','.join(meta_graph.tags)}}}: {error}")
        scans.append(MetaGraphScan(meta_graph.tags, frozenset(used & denylist)))
    return ModelScan(path, tuple(scans))


def scan_paths(
    paths: Iterable[str], denylist: frozenset[str], tags: tuple[str, ...] | None = None
) -> list[ModelScan]:
    """Every model under `paths`, scanned; raises PathsNotFound as `lint_paths` does."""
    found = discover(list(paths))
    results = [ModelScan(f.path, error=f.message) for f in found.failures]
    results += [scan_model(target.path, denylist, tags) for target in found.models]
    return sorted(results, key=lambda r: r.path)
