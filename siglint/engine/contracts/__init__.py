"""Contract packs: signature contracts stated as data (rules/schema.json, documented in
rules/README.md), compiled once and evaluated by the engine. The package is split by job:

- `records`: the compiled form (Pack, Contract, Check, ...);
- `templates`: message templates and the placeholders each may use;
- `compiler`: a pack document to records, with the checks a JSON Schema cannot make;
- `evaluate`: the problems a contract finds in a signature;
- `packs`: finding, reading and validating pack files, bundled or a user's;
- `core`: the bundled tf-serving pack, whose checks are the core rules' contracts.

TF Serving's own contracts are the `tf-serving` pack; other packs (bundled `tf-ranking`,
`keras-export`, or a user's file) give findings under SIG601 and SIG602. The names below are
the package's face for callers outside the engine.
"""

from __future__ import annotations

import importlib
from typing import Any

# The package's face: each name from the module that defines it, imported on first use, so that
# the engine's use of `records` alone (to check a model) never loads the compiler or pack files.
_FACE = {
    "compile_pack": "compiler",
    "PACK_SUFFIXES": "packs",
    "bundled_pack": "packs",
    "load_pack": "packs",
    "merge_packs": "packs",
    "packs_folder": "packs",
    "read_document": "packs",
    "validate": "packs",
    "BUNDLED_PACKS": "records",
    "CORE_PACK": "records",
    "INTENTS": "records",
    "Contract": "records",
    "Pack": "records",
    "PackError": "records",
}
__all__ = sorted(_FACE)


def __getattr__(name: str) -> Any:
    if name not in _FACE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_FACE[name]}"), name)
