"""What a run is configured with: the target server's profile and which rules are selected."""

from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING, NamedTuple

from siglint import constants
from siglint.findings import Severity

if TYPE_CHECKING:
    from siglint.contracts import Pack

TF = "tf"
TFRT = "tfrt"
RUNTIMES = (TF, TFRT)


class Profile(NamedTuple):
    """The TF Serving a model is linted for. The defaults are a stock `tensorflow_model_server`."""

    # --enable_signature_method_name_check: off by default since TF Serving 2.4.
    method_name_check: bool = False
    # Clients use the REST API (json_tensor.cc rules apply) as well as gRPC.
    rest: bool = True
    # TFRT's servables (tfrt_*.cc) are stricter or laxer than the TF session path in places.
    runtime: str = TF
    # --saved_model_tags: the tag-set the server loads.
    tags: tuple[str, ...] = (constants.SERVING_TAG,)
    # The key every API uses when a request names no signature.
    default_signature: str = constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY


class Selection(NamedTuple):
    """Rules chosen by code prefix, as flake8 and ruff do: `SIG3` is every Classify rule."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()

    def __call__(self, code: str) -> bool:
        chosen = _longest_match(self.select, code) if self.select else 0
        if chosen < 0:
            return False
        ignored = _longest_match(self.ignore, code)
        # The more specific selector wins (--select SIG301 --ignore SIG3 keeps SIG301); on a tie
        # the ignore wins.
        return ignored < 0 or ignored < chosen


def _longest_match(prefixes: tuple[str, ...], code: str) -> int:
    """Length of the longest prefix of `code` in `prefixes` (ALL matches with length 0), or -1."""
    lengths = [0 if p.upper() == "ALL" else len(p) for p in prefixes if p.upper() == "ALL" or code.startswith(p.upper())]
    return max(lengths, default=-1)


class SeverityOverrides(NamedTuple):
    """Severities set by code prefix; the longest matching prefix wins over the rule's own."""

    by_prefix: tuple[tuple[str, Severity], ...] = ()

    def __call__(self, code: str, default: Severity) -> Severity:
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

    def __call__(self, path: str, code: str) -> bool:
        if not self.by_pattern or not path:
            return False
        prefixes = _ignored_prefixes(self, path)
        return _longest_match(prefixes, code) >= 0


def _ignored_prefixes(ignores: PathIgnores, path: str) -> tuple[str, ...]:
    relative = os.path.relpath(os.path.abspath(path), ignores.root).replace(os.sep, "/")
    parts = relative.split("/")
    candidates = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    return tuple(
        prefix
        for pattern, prefixes in ignores.by_pattern
        if any(_glob(pattern).fullmatch(candidate) for candidate in candidates)
        for prefix in prefixes
    )


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    tokens = re.split(r"(\*\*/?|\*|\?)", pattern.strip("/"))
    regex = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(regex.get(token, re.escape(token)) for token in tokens))


class Options(NamedTuple):
    profile: Profile = Profile()
    selection: Selection = Selection()
    severities: SeverityOverrides = SeverityOverrides()
    path_ignores: PathIgnores = PathIgnores()
    # Contract packs beyond the core's tf-serving one (bundled tf-ranking / keras-export, users').
    packs: tuple[Pack, ...] = ()
