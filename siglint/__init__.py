"""siglint: lint the SignatureDefs of TensorFlow SavedModels against what TF Serving enforces.

The Python API. Each name is imported from where it lives when first used, so `import siglint`
(and so the command line, which lives inside it) costs nothing until a name is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "lint_paths": "siglint.run.lint",
    "validate_signature_def": "siglint.run.signature",
    "is_valid_signature": "siglint.run.signature",
    "signature_view": "siglint.run.signature",
    "inspect": "siglint.run.inspect",
    "diff_models": "siglint.run.diff",
    "DiffError": "siglint.run.diff",
    "InspectError": "siglint.run.inspect",
    "ModelInfo": "siglint.model.info",
    "Finding": "siglint.findings",
    "LintResult": "siglint.findings",
    "Location": "siglint.findings",
    "ModelSummary": "siglint.findings",
    "Severity": "siglint.findings",
    "Options": "siglint.engine.options",
    "Selection": "siglint.engine.options",
    "Profile": "siglint.engine.profile",
    "load_pack": "siglint.engine.contracts",
    "PackError": "siglint.engine.contracts",
    "load_config": "siglint.config.settings",
    "ConfigError": "siglint.config.files",
    "reference": "siglint.reference",
}

__all__ = [
    "ConfigError",
    "DiffError",
    "Finding",
    "InspectError",
    "LintResult",
    "Location",
    "ModelInfo",
    "ModelSummary",
    "Options",
    "PackError",
    "Profile",
    "Selection",
    "Severity",
    "__version__",
    "diff_models",
    "inspect",
    "is_valid_signature",
    "lint_paths",
    "load_config",
    "load_pack",
    "reference",
    "signature_view",
    "validate_signature_def",
]

if TYPE_CHECKING:
    from siglint import reference
    from siglint.config.files import ConfigError
    from siglint.config.settings import load_config
    from siglint.engine.contracts import PackError, load_pack
    from siglint.engine.options import Options, Selection
    from siglint.engine.profile import Profile
    from siglint.findings import Finding, LintResult, Location, ModelSummary, Severity
    from siglint.model.info import ModelInfo
    from siglint.run.diff import DiffError, diff_models
    from siglint.run.inspect import InspectError, inspect
    from siglint.run.lint import lint_paths
    from siglint.run.signature import is_valid_signature, signature_view, validate_signature_def


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'siglint' has no attribute {name!r}")
    value = importlib.import_module(module) if name == "reference" else getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
