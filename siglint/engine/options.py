"""What a run is configured with: the target server's profile, which rules are selected, the
severities and per-path ignores a config file sets, and the contract packs that are on."""

from __future__ import annotations

import os
from typing import NamedTuple

from siglint.engine.contracts.records import Pack
from siglint.engine.globs import path_glob
from siglint.engine.profile import Profile
from siglint.findings import Severity


def _longest_match(prefixes: tuple[str, ...], code: str) -> int:
    """Length of the longest prefix of `code` in `prefixes` (ALL matches with length 0), or -1."""
    lengths = [0 if p.upper() == "ALL" else len(p) for p in prefixes if p.upper() == "ALL" or code.startswith(p.upper())]
    return max(lengths, default=-1)


class Selection(NamedTuple):
    """Rules chosen by code prefix, as flake8 and ruff do: `SIG3` is every Classify rule."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()

    def selects(self, code: str) -> bool:
        chosen = _longest_match(self.select, code) if self.select else 0
        if chosen < 0:
            return False
        ignored = _longest_match(self.ignore, code)
        # The more specific selector wins (--select SIG301 --ignore SIG3 keeps SIG301); on a tie
        # the ignore wins.
        return ignored < 0 or ignored < chosen


class SeverityOverrides(NamedTuple):
    """Severities set by code prefix; the longest matching prefix wins over the rule's own."""

    by_prefix: tuple[tuple[str, Severity], ...] = ()

    def severity_of(self, code: str, default: Severity) -> Severity:
        matches = [
            (0 if prefix == "ALL" else len(prefix), severity)
            for prefix, severity in self.by_prefix
            if prefix == "ALL" or code.startswith(prefix)
        ]
        return max(matches, key=lambda match: match[0])[1] if matches else default


class PathIgnores(NamedTuple):
    """Code prefixes ignored under glob patterns of model paths, relative to `root`.

    A pattern matches a model path or any folder above it (`legacy` covers `legacy/churn/3`);
    `*` and `?` stay within one path segment and `**` spans several.
    """

    root: str = "."  # the folder patterns are relative to (a config file's)
    by_pattern: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def ignores(self, path: str, code: str) -> bool:
        if not self.by_pattern or not path:
            return False
        return _longest_match(self._prefixes(path), code) >= 0

    def _prefixes(self, path: str) -> tuple[str, ...]:
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        parts = relative.split("/")
        candidates = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
        return tuple(
            prefix
            for pattern, prefixes in self.by_pattern
            if any(path_glob(pattern).matches(candidate) for candidate in candidates)
            for prefix in prefixes
        )


class Options(NamedTuple):
    profile: Profile = Profile()
    selection: Selection = Selection()
    severities: SeverityOverrides = SeverityOverrides()
    path_ignores: PathIgnores = PathIgnores()
    # Contract packs beyond the core's tf-serving one (bundled tf-ranking / keras-export, users').
    packs: tuple[Pack, ...] = ()
    # The server's --model_config_file: checked, with every model it lists, besides the paths.
    model_config_file: str | None = None
    # The level `siglint diff` reports at when --level is not given (a config file's [diff] level).
    diff_level: str | None = None
    # The SavedModel the TF Lite models checked were converted from (--converted-from): each is
    # compared with it, as a model.tflite is with the SavedModel beside it.
    converted_from: str | None = None
