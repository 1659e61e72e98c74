"""What every command shares: exit codes, the usage error, and reading comma-separated flags."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from siglint.checks import matches_a_rule
from siglint.engine.profile import KNOBS

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """One line per argument, each printed as `siglint: error: <line>`; exit code 2."""


def split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())


def selectors(values: list[str] | None, flag: str) -> tuple[str, ...]:
    chosen = split(values)
    for selector in chosen:
        if not matches_a_rule(selector):
            raise UsageError(f"{flag}: {selector!r} matches no rule code (see `siglint rules`)")
    return tuple(s.upper() for s in chosen)


def discard_stdout() -> None:
    """Point standard output at /dev/null, so that nothing more (not even the interpreter's
    flush at exit) writes into a closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def printable_lines(text: str) -> str:
    """Each line of `text` printable (a user's pack or config may hold any characters)."""
    from siglint.findings import printable

    return "".join(printable(line) + "\n" for line in text.splitlines())
def profile_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The server-profile flags given (Profile field -> value; None: not given), validated."""
    profile = {knob.field: getattr(args, knob.field) for knob in KNOBS}
    for knob in KNOBS:
        if knob.kind is tuple and profile[knob.field] is not None:
            profile[knob.field] = split([profile[knob.field]])
            if not profile[knob.field]:
                raise UsageError(f"{knob.flag} must name at least one value")
    if args.default_signature == "":
        raise UsageError("--default-signature must not be empty")
    root = args.model_config_list_root_dir
    if root:
        from siglint.model.server_config import is_relative

        if is_relative(root):  # ServerCore's own check (server_core.cc ValidateModelConfigList)
            raise UsageError(f"--model-config-list-root-dir: Expected non-empty absolute path or URI; got {root}")
    return profile
