"""The command line: `main(argv) -> int`, exit codes 0 (clean), 1 (error findings), 2 (usage
error or a failure of siglint itself). Every command ends quietly when its reader goes away."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import IO

from siglint import __version__ as VERSION
from siglint.cli.common import EXIT_CLEAN, EXIT_USAGE, UsageError, discard_stdout
from siglint.cli.parser import VERSION_TEXT, build_parser
from siglint.findings import printable


def _run(args: object, stdout: IO[str]) -> int:
    command = getattr(args, "command")
    if command == "check":
        from siglint.cli.check import run_check

        return run_check(args, stdout, VERSION)  # type: ignore[arg-type]
    if command == "show":
        from siglint.cli.show import run_show

        return run_show(args, stdout)  # type: ignore[arg-type]
    if command == "scan":
        from siglint.cli.scan import run_scan

        return run_scan(args, stdout)  # type: ignore[arg-type]
    if command == "diff":
        from siglint.cli.diff import run_diff

        return run_diff(args, stdout, VERSION)  # type: ignore[arg-type]
    if command == "request":
        from siglint.cli.request import run_request

        return run_request(args, stdout)  # type: ignore[arg-type]
    if command == "version":
        stdout.write(VERSION_TEXT.format(version=VERSION) + "\n")
        return EXIT_CLEAN
    from siglint.cli import info

    if command == "rules":
        return info.run_rules(args, stdout)  # type: ignore[arg-type]
    if command == "contracts":
        return info.run_contracts(args, stdout)  # type: ignore[arg-type]
    if command == "fixtures":
        from siglint.fixturegen.regenerate import main as fixtures_main  # `check` never imports it

        return fixtures_main(getattr(args, "root"), getattr(args, "check"), stdout, getattr(args, "cases"))
    stdout.write(info.explanation(getattr(args, "rule")))
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None, stdout: IO[str] | None = None) -> int:
    # A run is short and allocates mostly acyclic records (views, findings): the cyclic garbage
    # collector's passes, most of them during the imports a command makes, only cost start-up
    # time (about 5% of checking one model). Reference counting still frees everything else.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv, stdout)
    finally:
        if collecting:
            gc.enable()


def _main(argv: Sequence[str] | None, stdout: IO[str] | None) -> int:
    if stdout is None:
        stdout = sys.stdout
        if hasattr(stdout, "reconfigure"):
            # A path that is not valid UTF-8 must not crash the report.
            stdout.reconfigure(errors="backslashreplace")
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(VERSION, arguments[0] if arguments else None)
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        code = _run(args, stdout)
        stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (`siglint rules | head`): end quietly, as git and ruff do.
        discard_stdout()
        return EXIT_CLEAN
    except UsageError as error:
        for message in error.args:
            print(f"siglint: error: {printable(str(message))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if os.environ.get("SIGLINT_DEBUG"):
            raise
        print(
            f"siglint: internal error: {type(error).__name__}: {printable(str(error))} "
            "(set SIGLINT_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return EXIT_USAGE
