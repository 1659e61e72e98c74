"""`siglint scan`: `saved_model_cli scan`'s report, from siglint's reading of the graph.

For one SavedModel the output is saved_model_cli's, line for line (its sets printed sorted, so
that the output is stable); for several, each model's lines follow a `<path>:` line."""

from __future__ import annotations

import argparse
import sys
from typing import IO

from siglint.cli.common import EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE, UsageError, split
from siglint.model.discover import PathsNotFound
from siglint.run.scan import MetaGraphScan, denylist_from, scan_paths


def _set(ops: frozenset[str]) -> str:
    """A Python set as print() shows it, in sorted order."""
    return "{" + ", ".join(repr(op) for op in sorted(ops)) + "}" if ops else "set()"


def line(scan: MetaGraphScan, denylist: frozenset[str]) -> str:
    """saved_model_cli.py `scan_meta_graph_def`'s line (it says "default" whatever the list)."""
    tags = repr(list(scan.tags))
    if scan.found:
        return f"MetaGraph with tag set {tags} contains the following denylisted ops: {_set(scan.found)}"
    return f"MetaGraph with tag set {tags} does not contain the default denylisted ops: {_set(denylist)}"


def run_scan(args: argparse.Namespace, stdout: IO[str]) -> int:
    denylist = denylist_from(args.op_denylist)
    tags = None
    if args.tag_set is not None:
        tags = split([args.tag_set])
        if not tags:
            raise UsageError("tag_set must contain at least one non-empty item.")
    try:
        results = scan_paths(args.paths, denylist, tags)
    except PathsNotFound as error:
        raise UsageError(*(f"{path}: {problem}" for path, problem in error.problems)) from None
    if not results:
        raise UsageError(*(f"no SavedModel found under {path}" for path in args.paths))
    found = failed = False
    for result in results:
        if result.error is not None:
            failed = True
            print(f"siglint: error: {result.path}: {result.error}", file=sys.stderr)
            continue
        if len(results) > 1:
            stdout.write(f"{result.path}:\n")
        for meta_graph in result.meta_graphs:
            found |= bool(meta_graph.found)
            stdout.write(line(meta_graph, denylist) + "\n")
    if failed:
        return EXIT_USAGE
    return EXIT_ERRORS if found and not args.exit_zero else EXIT_CLEAN
