"""The rule catalogue stays complete and honest: one module per rule, unique stable codes,
docs in ruff's sections, and documentation examples that do what they say (pylint-style)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest
import tomllib

import siglint.checks
from siglint import checks, validate_signature_def
from siglint.engine import contracts
from siglint.engine.options import Options
from siglint.engine.rule import Rule, Scope

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead", "## References")


ALL_RULES = checks.rules()
RULE_MODULES = [importlib.import_module(entry.module) for entry in checks.entries()]


def test_every_module_is_in_the_catalogue() -> None:
    """The catalogue is the package's modules: nothing to list by hand, nothing left out."""
    modules = {m.name for m in pkgutil.iter_modules(siglint.checks.__path__) if not m.name.startswith("_")}
    listed = [m.__name__.rsplit(".", 1)[1] for m in RULE_MODULES]
    assert sorted(listed) == sorted(modules) and len(set(listed)) == len(listed)


def test_codes_and_names() -> None:
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for module, rule in zip(RULE_MODULES, ALL_RULES, strict=True):
        assert rule.module == module.__name__
        assert re.fullmatch(r"SIG[0-9]\d\d", rule.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert module.__name__.rsplit(".", 1)[1] == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_docs_have_ruffs_sections(rule: Rule) -> None:
    positions = [rule.doc.find(section) for section in SECTIONS]
    assert all(p > 0 for p in positions), rule.code
    assert positions == sorted(positions), rule.code
    assert rule.summary.endswith(".") and len(rule.summary) < 100


def _examples(rule: Rule) -> tuple[dict, dict]:
    blocks = re.findall(r"```json\n(.*?)```", rule.doc, re.DOTALL)
    assert len(blocks) == 2, f"{rule.code}: expected a failing and a passing JSON example"
    return json.loads(blocks[0]), json.loads(blocks[1])


SIGNATURE_RULES = [r for r in ALL_RULES if r.scope is Scope.SIGNATURE]


@pytest.mark.parametrize("rule", SIGNATURE_RULES, ids=lambda r: r.code)
def test_doc_examples_fail_and_pass(rule: Rule) -> None:
    bad, good = _examples(rule)
    key = "__saved_model_init_op" if rule.op_signatures else "serving_default"

    # A contract pack rule's doc states its pack as a TOML block.
    packs = tuple(
        contracts.compile_pack(tomllib.loads(block), f"{rule.code} doc")
        for block in re.findall(r"```toml\n(.*?)```", rule.doc, re.DOTALL)
    )

    def codes(signature: dict) -> list[str]:
        findings = validate_signature_def(signature, key=key, tf2=True, options=Options(packs=packs))
        return [f.code for f in findings]

    assert rule.code in codes(bad)
    assert rule.code not in codes(good)


def test_readme_rule_table_is_current() -> None:
    """Regenerate with `siglint rules --format markdown` between the README's markers."""
    from conftest import ROOT

    from siglint.cli.info import rule_table

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", readme, re.DOTALL)
    assert block and block.group(1) == rule_table()


def test_readme_python_examples_run_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each Python block of the README runs unchanged from the project root, and asserts."""
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text()
    examples = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert len(examples) == 5
    for example in examples:
        assert "assert " in example
        exec(compile(example, "README.md", "exec"), {})


def test_what_users_read_cites_sources_they_can_open() -> None:
    """explain, `siglint contracts` and the README cite TF / TF Serving sources, never the
    project's internal notes (contracts.md beside the checkout) that no user has."""
    import io

    from conftest import ROOT

    from siglint.cli import main

    texts = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8")}
    texts["rules/README.md"] = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    for command in [["contracts"], *(["explain", rule.code] for rule in ALL_RULES)]:
        out = io.StringIO()
        assert main(command, stdout=out) == 0
        texts[" ".join(command)] = out.getvalue()
    for where, text in texts.items():
        for internal in ("contracts.md", "§", "shared/docs"):
            assert internal not in text, f"{where} cites {internal!r}"
    assert "tensorflow_serving/servables/tensorflow/classifier.cc PreProcessClassification" in texts["explain SIG301"]
