"""The hostile-input cases: each builds an artefact a stranger could hand siglint, runs siglint
on it, and states what siglint must do (exit code, words of its output) within what time and
peak memory. tests/hostile/test_hostile.py runs them; bench/hostile.py runs them against two
installations and prints the figures side by side.

Limits are generous on purpose (a loaded 2-core CI machine): they catch a hang, a walk of a
whole file, or memory that grows with the file, not a few per cent. `item` is the point of the
issue that found the case."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import generators as g
import harness
from harness import Run

# What no human-facing output may carry raw: C0 controls but newline and tab, DEL, C1 controls,
# line and paragraph separators, bidirectional controls, lone surrogates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class Setup(NamedTuple):
    argv: list[str]
    cwd: str | None = None


class Case(NamedTuple):
    name: str
    item: str  # the point
    build: Callable[[Path], Setup]
    code: int  # the exit code siglint must give
    says: tuple[str, ...]  # words its output (stdout + stderr) must hold
    seconds: float
    mib: float
    slow: bool = False  # left out by `-m "not slow"`
    check: Callable[[Run], None] | None = None  # more assertions on the run
    cleanup: Callable[[Path], None] | None = None  # what tmp_path's removal cannot undo


def _model(builder: Callable[..., Path], *args: object) -> Callable[[Path], Setup]:
    return lambda root: Setup(["check", str(builder(root, *args))])


def _shown(builder: Callable[..., Path], *args: object) -> Callable[[Path], Setup]:
    """`siglint show --all`, which reads the graph (its ops) with the graph rules' reader."""
    return lambda root: Setup(["show", "--all", str(builder(root, *args))])


def _demo(root: Path) -> str:
    folder = g.version_folder(root, "demo")
    g.text_with_constant(root / "tiny", 0)
    os.replace(root / "tiny" / "model" / "1" / "saved_model.pbtxt", folder / "saved_model.pbtxt")
    return str(root / "demo")


def _config_in_parent(make: Callable[[Path], Path]) -> Callable[[Path], Setup]:
    """A hostile pyproject.toml in a parent of the folder siglint runs in."""

    def build(root: Path) -> Setup:
        make(root / "project" / "pyproject.toml")
        work = root / "project" / "work"
        work.mkdir()
        return Setup(["check", _demo(work)], cwd=str(work))

    return build


def _flag(flag: str, make: Callable[[Path], Path], name: str) -> Callable[[Path], Setup]:
    def build(root: Path) -> Setup:
        return Setup(["check", flag, str(make(root / name)), _demo(root)])

    return build


def _per_path_ignores(root: Path) -> Setup:
    config = g.backtracking_glob_config(root / "siglint.toml")
    model = g.text_with_constant(root / ("a" * 30), 0)
    return Setup(["check", "--config", str(config), str(model)])


def _deep_tree(root: Path) -> Setup:
    return Setup(["check", str(g.deep_tree(root, 1500))])


def _regenerate_root(root: Path) -> Setup:
    return Setup(["fixtures", "regenerate", "--root", "/"])


_FORMATS = "text,full,github,json,sarif,junit,gitlab"


def _every_format(build: Callable[[Path], Path]) -> Callable[[Path], Setup]:
    """Checks the model in every format at once: a shell loop, so one run measures them all."""

    def setup(root: Path) -> Setup:
        return Setup(["--every-format", "check", _FORMATS, str(build(root))])

    return setup


def _diff(old: Callable[[Path], Path], new: Callable[[Path], Path], *flags: str) -> Callable[[Path], Setup]:
    """`siglint diff` of the models the two builders write (version folders of their own)."""
    return lambda root: Setup(["diff", *flags, str(old(root / "old") / "1"), str(new(root / "new") / "1")])


def _diff_every_format(old: Callable[[Path], Path], new: Callable[[Path], Path]) -> Callable[[Path], Setup]:
    def setup(root: Path) -> Setup:
        return Setup(["--every-format", "diff", _FORMATS, str(old(root / "old") / "1"), str(new(root / "new") / "1")])

    return setup


def _git_side(root: Path) -> Setup:
    """A git side whose revision and path hold terminal escapes, outside any repository."""
    return Setup(["diff", "git:ma\x1b]0;owned\x07in:x\u202e/\r\n::error::y", _demo(root)])


def _no_raw_controls(run: Run) -> None:
    found = RAW_CONTROL.findall(run.output)
    assert not found, f"raw control characters in the output: {sorted(set(found))!r}"


def _escaped_bytes(run: Run) -> None:
    _no_raw_controls(run)
    assert "m\\xff\\xfe" in run.output  # text, GitHub, JUnit: the bytes shown as bytes
    sarif = json.loads(run.output.split("\n=== sarif\n", 1)[1].split("\n=== ", 1)[0])
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in sarif["runs"][0]["results"] for loc in result["locations"]]
    assert uris and all("m%FF%FE" in uri for uri in uris), uris


def _short_lines(run: Run) -> None:
    longest = max(len(line) for line in run.output.splitlines())
    assert longest < 4000, f"a line of {longest} characters"


def _capped(run: Run) -> None:
    lines = [line for line in run.stdout.splitlines() if "SIG505" in line]
    assert len(lines) == 11 and "and 999989 more SIG505 findings" in run.stdout, lines[:3]


MIB = 1 << 20
CASES = (
    # 1. The seek reader: a skipped graph costs a check of its framing, not a walk of its bytes.
    Case("graph of 8 MiB of zero bytes", "1", _model(g.zero_graph, 8), 1,
         ("SIG002", "not a valid SavedModel protobuf"), 10, 250),
    Case("graph of 64 MiB of zero bytes", "1", _model(g.zero_graph, 64), 1,
         ("SIG002", "not a valid SavedModel protobuf"), 10, 250, slow=True),
    Case("graph of 16M empty NodeDefs (32 MB, valid)", "1", _model(g.empty_nodes_graph, 16_000_000), 0,
         ("All checks passed",), 10, 250, slow=True),
    Case("show --all of a graph of 16M empty NodeDefs", "1", _shown(g.empty_nodes_graph, 16_000_000), 0,
         ("could not read its graph_def: more than 300,000 nodes",), 10, 250, slow=True),
    # 2. Text format streamed: memory follows the signatures, not the graph.
    Case(".pbtxt of 148 MB (a graph constant)", "2", _model(g.text_with_constant, 148), 0,
         ("All checks passed",), 30, 200, slow=True),
    Case(".pbtxt of 50 MB on one line", "2", _model(g.text_with_constant, 50, True), 0,
         ("All checks passed",), 20, 200),
    Case("show --all of a .pbtxt of 148 MB (a graph constant)", "2", _shown(g.text_with_constant, 148), 0,
         ("contains the following ops: {'Const', 'Identity', 'Placeholder'}",), 30, 200, slow=True),
    # 3. Config, pack and baseline readers: regular files only, with a size cap.
    Case("FIFO pyproject.toml in a parent folder", "3", _config_in_parent(g.fifo), 0,
         ("config file passed over", "pyproject.toml: cannot read: it is not a regular file"), 10, 150),
    Case("pyproject.toml linked to /dev/zero", "3", _config_in_parent(g.zero_device_link), 0,
         ("config file passed over", "not a regular file"), 10, 150),
    Case("--config FIFO", "3", _flag("--config", g.fifo, "siglint.toml"), 2,
         ("siglint.toml", "not a regular file"), 10, 150),
    Case("--contracts FIFO", "3", _flag("--contracts", g.fifo, "pack.json"), 2,
         ("pack.json", "not a regular file"), 10, 150),
    Case("--baseline FIFO", "3", _flag("--baseline", g.fifo, "baseline.json"), 2,
         ("baseline.json", "not a regular file"), 10, 150),
    Case("--contracts linked to /dev/zero", "3", _flag("--contracts", g.zero_device_link, "pack.json"), 2,
         ("pack.json", "not a regular file"), 10, 150),
    # 4. YAML aliases refused.
    Case("YAML alias bomb pack", "4", _flag("--contracts", g.yaml_alias_bomb, "pack.yaml"), 2,
         ("pack.yaml", "alias"), 10, 150, check=_short_lines),
    # 5. Globs matched in linear time.
    Case("backtracking per-path-ignores glob", "5", _per_path_ignores, 0, ("All checks passed",), 10, 150),
    # 6. (A killed parent's workers: tests/test_schedule.py, which kills one.)
    # 7, 8. Control characters and undecodable names, in every format.
    Case("control characters in a signature key", "7", _every_format(g.control_character_model), 1,
         ("\\x1b]0;owned\\x07",), 20, 150, check=_no_raw_controls),
    Case("a folder name that is not UTF-8", "8", _every_format(g.undecodable_name), 1,
         ("SIG002",), 20, 150, check=_escaped_bytes),
    # 9. Numbers and nesting that Python refuses: one line naming the file, not "internal error".
    Case("5000-digit integer in a pack", "9", _flag("--contracts", g.huge_integer, "pack.json"), 2,
         ("pack.json", "digits"), 10, 150, check=_short_lines),
    Case("5000-digit integer in a config", "9", _flag("--config", g.huge_integer, "siglint.toml"), 2,
         ("siglint.toml",), 10, 150, check=_short_lines),
    Case("5000-digit integer in a baseline", "9", _flag("--baseline", g.huge_integer, "baseline.json"), 2,
         ("baseline.json",), 10, 150, check=_short_lines),
    Case("pack nested 100k deep", "9", _flag("--contracts", lambda p: g.deep_json(p, 100_000), "pack.json"), 2,
         ("pack.json", "nested deeper than"), 10, 150),
    Case("config nested 100k deep", "9", _flag("--config", lambda p: g.deep_toml(p, 100_000), "siglint.toml"), 2,
         ("siglint.toml",), 10, 150, check=_short_lines),
    Case("baseline nested 100k deep", "9", _flag("--baseline", lambda p: g.deep_json(p, 100_000), "baseline.json"), 2,
         ("baseline.json", "nested deeper than"), 10, 150),
    Case("a folder tree 1500 levels deep", "9", _deep_tree, 2, ("no SavedModel found",), 20, 150,
         cleanup=g.remove_deep_tree),
    # 10. A value error on a 5 MB line: the message quotes a bounded part of it.
    Case("SIG002 on a 5 MB line", "10", _model(g.text_value_error_one_line, 5), 1,
         ("SIG002", "not valid text format"), 10, 150, check=_short_lines),
    # 11. Adversarial signature maps.
    Case("10^6 inputs all feeding x:0", "11", _model(g.many_inputs_one_tensor, 1_000_000), 1,
         ("SIG505",), 90, 2048, slow=True, check=_capped),
    Case("100,000 clean signatures", "11", _model(g.many_signatures, 100_000), 0,
         ("All checks passed", "100000 signatures"), 30, 1024, slow=True),
    # siglint diff (issue 14): signature maps compared in linear time, findings capped per rule and
    # signature, sides read as `check` and `show` read models, every output escaped.
    Case("diff: 100,000 signatures, all but one removed", "14", _diff(lambda p: g.many_signatures(p, 100_000),
         lambda p: g.many_signatures(p, 1)), 1, ("SIG701", "and 99989 more SIG701 findings"), 30, 1024, slow=True),
    Case("diff: 100,000 unchanged signatures", "14", _diff(lambda p: g.many_signatures(p, 100_000),
         lambda p: g.many_signatures(p, 100_000), "--level", "strict"), 0,
         ("All checks passed", "100000 signatures compared"), 45, 1024, slow=True),
    Case("diff: 10^6 inputs gone, one added", "14", _diff(lambda p: g.many_inputs_one_tensor(p, 1_000_000),
         lambda p: g.many_signatures(p, 1), "--level", "strict"), 1,
         ("and 999990 more SIG720 findings",), 120, 2048, slow=True),
    Case("diff: 20,000 inputs renamed", "14", _diff(lambda p: g.many_inputs_one_tensor(p, 20_000),
         lambda p: g.renamed_inputs(p, 20_000), "--level", "strict"), 1,
         ("and 19990 more SIG720 findings", "and 19990 more SIG721 findings"), 20, 300),
    Case("diff: a FIFO and a metadata answer nested 100k deep", "14",
         lambda root: Setup(["diff", str(g.fifo(root / "fifo")), str(g.deep_json(root / "deep.json", 100_000))]), 2,
         ("old side: ", "not a regular file", "new side: ", "nested deeper than 64 levels"), 10, 150),
    Case("diff: a git side full of escapes", "14", _git_side, 2, ("old side: git:ma\\x1b",), 10, 150,
         check=_no_raw_controls),
    Case("diff: control characters in a signature key", "14",
         _diff_every_format(g.control_character_model, lambda p: g.many_signatures(p, 1)), 1,
         ("\\x1b]0;owned\\x07",), 30, 150, check=_no_raw_controls),
    # 13. `fixtures regenerate --root /` is refused.
    Case("fixtures regenerate --root /", "13", _regenerate_root, 2, ("not a fixtures folder",), 20, 250),
    # 16. TF Lite models: the tables read a page at a time, never the weights; every count bounded.
    Case(".tflite of 20 MiB (a constant)", "16", _model(g.tflite_with_weights, 20), 0,
         ("All checks passed",), 10, 60),
    Case(".tflite of 200 MiB (a constant)", "16", _model(g.tflite_with_weights, 200), 0,
         ("All checks passed",), 10, 60, slow=True),
    Case(".tflite whose signature table claims 2^32 - 1 entries", "16", _model(g.tflite_huge_vectors), 1,
         ("SIG900", "4294967295 elements"), 10, 60),
    Case(".tflite of 10,000 signatures of 10 inputs", "16", _model(g.tflite_many_signatures, 10_000, 10), 1,
         ("SIG900", "more than 100000 tensors"), 20, 150, slow=True),
    Case(".tflite of 9,000 signatures of 10 inputs", "16", _model(g.tflite_many_signatures, 9_000, 10), 0,
         ("SIG902", "and 8992 more"), 30, 250, slow=True),
    Case(".tflite whose FlexBuffer metadata claims 2^62 keys", "16", _model(g.tflite_flexbuffer_bomb), 1,
         ("SIG903",), 10, 60),
    # Tables may share vectors: a 1 MB file whose 10,000 subgraphs share 100,000 tensors of rank
    # 1,024 claims 10^12 dimensions; one 16 MB buffer named by 10,000 metadata entries, 160 GB.
    Case(".tflite whose subgraphs share a vector of 100,000 tensors", "16",
         _model(g.tflite_shared_tensors, 10_000, 100_000, 1024, 10_000), 1, ("SIG900", "48 MiB it reads"), 10, 100),
    Case(".tflite of 10,000 metadata entries naming one 16 MB buffer", "16",
         _model(g.tflite_shared_metadata, 10_000, 16_000_000), 1, ("SIG902", "not a FlexBuffer map"), 10, 100),
    Case("control characters in a TF Lite signature key", "16", _every_format(g.tflite_control_characters), 0,
         ("\\x1b]0;owned\\x07",), 20, 150, check=_no_raw_controls),
)


_EVERY_FORMAT = """
import subprocess, sys
python, command, formats, paths = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4:]
code = 0
for fmt in formats:
    sys.stdout.write(f"\\n=== {fmt}\\n")
    sys.stdout.flush()
    code = max(code, subprocess.call([python, "-m", "siglint", command, "--format", fmt, *paths]))
sys.exit(code)
"""


def execute(case: Case, root: Path, python: str | None = None) -> Run:
    """Build `case` under `root` (an empty folder) and run it with `python` (default: this one)."""
    import sys

    python = python or sys.executable
    setup = case.build(root)
    # Run from the case's folder: `python -m` puts the current folder first on sys.path, and a
    # checkout's siglint/ there would stand in for the installation measured.
    cwd = setup.cwd or str(root)
    if setup.argv[0] == "--every-format":
        command = [python, "-c", _EVERY_FORMAT, python, *setup.argv[1:]]
        return harness.run([], case.seconds * 3, cwd=cwd, command=command)
    return harness.run(setup.argv, case.seconds * 3, cwd=cwd, python=python)
