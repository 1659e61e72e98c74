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

from siglint.engine.contracts.compiler import compile_pack
from siglint.engine.contracts.packs import (
    PACK_SUFFIXES,
    bundled_pack,
    load_pack,
    merge_packs,
    packs_folder,
    read_document,
    validate,
)
from siglint.engine.contracts.records import (
    BUNDLED_PACKS,
    CORE_PACK,
    INTENTS,
    Contract,
    Pack,
    PackError,
)

__all__ = [
    "BUNDLED_PACKS",
    "CORE_PACK",
    "INTENTS",
    "PACK_SUFFIXES",
    "Contract",
    "Pack",
    "PackError",
    "bundled_pack",
    "compile_pack",
    "load_pack",
    "merge_packs",
    "packs_folder",
    "read_document",
    "validate",
]
