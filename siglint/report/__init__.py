"""How a run is shown: the Report every output format receives, and the registry of formats
(`--format`), each in its own module and imported only when used; the baseline file too."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, NamedTuple

from siglint.findings import LintResult, RuleInfo

if TYPE_CHECKING:
    from siglint.report.baseline import Comparison


class Report(NamedTuple):
    """What a format is given: the run's result, the rules it had on (at the severities it
    gave them), siglint's version, and how to show it."""

    result: LintResult
    rules: tuple[RuleInfo, ...]
    version: str
    baseline: "Comparison | None" = None  # the result holds only new findings when set
    quiet: bool = False  # no summary (formats for people)
    color: bool = False  # ANSI colours (formats for people)


Reporter = Callable[[Report, IO[str]], None]

# Format name -> "module:function" of this package.
FORMATS = {
    "text": "text:report_concise",
    "concise": "text:report_concise",
    "full": "text:report_full",
    "json": "json_document:report_json",
    "github": "github:report_github",
    "sarif": "sarif:report_sarif",
    "junit": "junit:report_junit",
    "gitlab": "gitlab:report_gitlab",
}
# Formats for people, which may be coloured on a terminal.
TEXT_FORMATS = frozenset({"text", "concise", "full"})


def reporter(name: str) -> Reporter:
    """The function that writes format `name`."""
    module, function = FORMATS[name].split(":")
    found: Reporter = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return found
