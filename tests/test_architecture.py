"""The package's layout is its pipeline, and it stays that way: every package imports only
packages below it (or itself), never the command line or the orchestrator, and the README's
Architecture section draws the tree as it is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "siglint"
# From the bottom up. A module may import its own layer and those below it.
LAYERS = (
    "savedmodel",  # TensorFlow's SavedModel format as data
    "serving",  # TF Serving's formats as data: models.config, warmup records, requests
    "io",  # bytes: the Source seam, the seek reader, documents
    "model",  # discovery, loading, views
    "findings",  # the records of a run
    "reference",  # TensorFlow's signature builders, without TensorFlow
    "engine",  # profile, options, rules, the contract language, the Engine
    "checks",  # one module per rule
    "config",  # config files and settings
    "report",  # output formats and baselines
    "run",  # the orchestrator
    "fixturegen",  # a developer tool (siglint fixtures)
    "cli",  # the command line
)
ENTRY_POINTS = {"siglint/__init__.py", "siglint/__main__.py"}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "siglint" or len(parts) < 2:
        return None
    return parts[1] if parts[1] != "packs" else "engine"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            # `from siglint.cli import info` imports the module siglint.cli.info; `from
            # siglint.findings import Finding` imports siglint.findings.
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            modules = {name for name in submodules if _is_module(name)}
            found |= modules or {node.module}
    return {name for name in found if name.startswith("siglint.")}


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _modules() -> list[tuple[str, Path]]:
    return [
        (path.relative_to(ROOT).as_posix(), path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(ROOT).as_posix() not in ENTRY_POINTS
    ]


def test_every_module_belongs_to_a_layer() -> None:
    for relative, _ in _modules():
        name = relative.removesuffix(".py").replace("/", ".")
        assert _layer(name) in LAYERS, relative


def test_imports_point_down_the_pipeline() -> None:
    upward = []
    for relative, path in _modules():
        own = LAYERS.index(_layer(relative.removesuffix(".py").replace("/", ".")) or "")
        for imported in _imports(path):
            layer = _layer(imported)
            if layer in LAYERS and LAYERS.index(layer) > own:
                upward.append(f"{relative} imports {imported}")
    assert upward == []


def test_no_import_cycle_between_modules() -> None:
    modules = {relative.removesuffix(".py").replace("/", "."): path for relative, path in _modules()}
    modules = {name.removesuffix(".__init__"): path for name, path in modules.items()}
    graph = {name: {i for i in _imports(path) if i in modules and i != name} for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in graph[name]:
            if state.get(target) == 1:
                raise AssertionError(" -> ".join([*trail[trail.index(target):], target]))
            if target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_the_readme_draws_the_tree_as_it_is() -> None:
    """The Architecture section lists every package of siglint/, in layer order, each with one
    sentence, and nothing that is not there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"<!-- tree:start -->\n```text\n(.*?)```\n<!-- tree:end -->", readme, re.DOTALL)
    assert section, "the README's Architecture section has no tree between its markers"
    drawn = re.findall(r"^  (\w+)(?:/|\.py) ", section.group(1), re.MULTILINE)
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    assert set(drawn) == packages | modules
    assert drawn == sorted(drawn, key=lambda name: -LAYERS.index(name))  # the top first
