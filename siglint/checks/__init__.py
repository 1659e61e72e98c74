"""The rule catalogue: one module per rule, `sig<NNN>_<rule_name>.py`, found by listing this
package, so adding a rule is adding its module (and its case file, tests/cases/). A module holds
the rule's documentation (its docstring, in ruff's sections), its `check` and its `RULE`. The
Classify/Regress/Predict contract rules' modules hold only their documentation: their checks are
those of the bundled rules/tf-serving.json pack that name them (`_common.contract_rule`).

Codes and names come from the file names, so selecting, validating a `--select` prefix or
listing codes imports no rule; a rule's module is imported when the rule is used.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from collections.abc import Iterable
from typing import NamedTuple

from siglint.engine.rule import Rule

_MODULE = re.compile(r"^sig([0-9]{3})_([a-z0-9_]+)\.py$")


class Entry(NamedTuple):
    code: str  # SIG306
    name: str  # classify-input-not-examples
    module: str  # siglint.checks.sig306_classify_input_not_examples


@functools.lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """Every rule of the catalogue, by code, read from the modules' file names."""
    found = []
    for file in os.listdir(os.path.dirname(__file__)):
        match = _MODULE.match(file)
        if match:
            number, name = match.groups()
            found.append(Entry(f"SIG{number}", name.replace("_", "-"), f"{__name__}.{file[:-3]}"))
    return tuple(sorted(found))


@functools.lru_cache(maxsize=None)
def load(code: str) -> Rule:
    """The rule `code`: a contract rule from the tf-serving pack (its module, documentation
    only, is not imported), any other from its module's `RULE`."""
    from siglint.checks._common import contract_rule
    from siglint.engine.contracts.core import core_pack

    entry = next(e for e in entries() if e.code == code)
    if core_pack().checks_for(code):
        return contract_rule(entry.code, entry.name, entry.module)
    rule: Rule = importlib.import_module(entry.module).RULE
    if (rule.code, rule.name) != (entry.code, entry.name):
        raise RuntimeError(f"{entry.module} defines {rule.code} {rule.name}, not what its file name says")
    return rule


def is_deployment(code: str) -> bool:
    """A rule about what surrounds a model on a server (a models.config: SIG011-SIG039; warmup
    records and requests: SIG041-SIG069), whose module a run imports only when it reads one."""
    number = int(code[3:])
    return 11 <= number <= 39 or 41 <= number <= 69


def is_tflite(code: str) -> bool:
    """A rule about a TF Lite model (SIG900-SIG999), whose module a run imports only when it
    meets one."""
    return code.startswith(TFLITE_RULES)


def is_diff(code: str) -> bool:
    """A rule about the changes between two versions of a model (SIG700-SIG799), which only
    `siglint diff` runs."""
    return code.startswith(DIFF_RULES)


def rules(codes: Iterable[str] | None = None) -> tuple[Rule, ...]:
    """The rules of `codes` (default: every rule), by code."""
    wanted = None if codes is None else set(codes)
    return tuple(load(e.code) for e in entries() if wanted is None or e.code in wanted)


def find_rule(code_or_name: str) -> Rule | None:
    wanted = code_or_name.strip()
    entry = next((e for e in entries() if e.code == wanted.upper() or e.name == wanted.lower()), None)
    return load(entry.code) if entry else None


def matches_a_rule(selector: str) -> bool:
    """True for `ALL` and for any prefix of a rule code (case-insensitive), as `--select` takes."""
    selector = selector.upper()
    return selector == "ALL" or any(entry.code.startswith(selector) for entry in entries())


# Rule codes by range: the first digit says what a rule is about.
CATEGORIES = {
    "SIG0": "model files and base paths; a models.config (SIG011-SIG039); warmup records and requests (SIG041-SIG069)",
    "SIG1": "tag-sets and signature keys",
    "SIG2": "method names",
    "SIG3": "the Classify contract",
    "SIG4": "the Regress contract",
    "SIG5": "the Predict contract and tensors",
    "SIG6": "contract packs (--contracts): with no pack on, these find nothing",
    "SIG7": "changes between two versions of a model that break their clients (siglint diff)",
    "SIG8": "the graph behind the signatures, and unsafe ops",
    "SIG9": "TF Lite models: the file, TF Serving's signatures of it, its conversion from a SavedModel (SIG910-SIG919)",
}
PACK_RULES = "SIG6"
DIFF_RULES = "SIG7"
TFLITE_RULES = "SIG9"
