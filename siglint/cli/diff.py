"""`siglint diff OLD NEW` / `siglint diff BASE_PATH [--against VERSION]`: the changes that break
the clients of the version serving, in any of `check`'s formats, with its exit codes."""

from __future__ import annotations

import argparse
import sys
from typing import IO

from siglint.cli.check import emit, read_baseline_file, use_color, write_baseline_file
from siglint.cli.common import EXIT_CLEAN, EXIT_ERRORS, UsageError, profile_flags, selectors
from siglint.config.files import ConfigError
from siglint.config.settings import Flags, Settings, settings_for
from siglint.engine.diff import DEFAULT_LEVEL, Level
from siglint.findings import printable
from siglint.io.git import PREFIX as GIT_PREFIX
from siglint.report import TEXT_FORMATS, Report
from siglint.report.diff import report_diff
from siglint.report.text import report_statistics
from siglint.run.diff import DiffError, diff_paths


def run_diff(args: argparse.Namespace, stdout: IO[str], version: str) -> int:
    settings = _settings(args)
    for warning in settings.warnings:
        print(f"siglint: warning: {printable(warning)}", file=sys.stderr)
    level = Level(args.level or settings.options.diff_level or DEFAULT_LEVEL)
    baseline = read_baseline_file(args.baseline)
    try:
        diff, sides = diff_paths(args.sides, settings.options, level, args.against)
    except DiffError as error:
        raise UsageError(*error.args) from None
    for note in (side.note for side in sides):
        if note and not args.quiet:
            print(f"siglint: note: {printable(note)}", file=sys.stderr)
    result = diff.result
    if args.write_baseline:
        return write_baseline_file(args.write_baseline, result, stdout, args.quiet)
    comparison = baseline.compare(result.findings) if baseline else None
    if comparison is not None:
        result = result._replace(findings=comparison.new)
        diff = diff._replace(result=result)

    def write(stream: IO[str]) -> None:
        if args.statistics:
            report_statistics(result, stream, as_json=args.format == "json")
            return
        color = args.format in TEXT_FORMATS and use_color(args.color, stream)
        report = Report(result, result.rules, version, comparison, args.quiet, color)
        report_diff(args.format, report, diff, stream)

    emit(args.output_file, write, stdout)
    if not args.quiet:
        for note in diff.notes:
            print(f"siglint: note: {printable(note)}", file=sys.stderr)
    return EXIT_ERRORS if result.has_errors and not args.exit_zero else EXIT_CLEAN


def _settings(args: argparse.Namespace) -> Settings:
    # The config file is found from the local sides' folders, as `check` finds it from its paths.
    local = [side for side in args.sides if not side.startswith(GIT_PREFIX)] or ["."]
    flags = Flags(
        select=selectors(args.select, "--select") if args.select is not None else None,
        extend_select=selectors(args.extend_select, "--extend-select"),
        ignore=selectors(args.ignore, "--ignore"),
        profile=profile_flags(args),
    )
    try:
        return settings_for(local, flags, config=args.config, isolated=args.isolated)
    except ConfigError as error:
        raise UsageError(str(error)) from None

