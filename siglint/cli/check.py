"""`siglint check`: flags and config resolved to Settings, the run, the report, the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING

from siglint import checks
from siglint.cli.common import (
    EXIT_CLEAN,
    EXIT_ERRORS,
    EXIT_USAGE,
    UsageError,
    discard_stdout,
    printable_lines,
    profile_flags,
    selectors,
    split,
)
from siglint.cli.progress import Progress
from siglint.config.files import ConfigError
from siglint.config.settings import Flags, Settings, settings_for
from siglint.engine.options import Options
from siglint.engine.profile import KNOBS
from siglint.findings import LintResult, printable
from siglint.model.discover import PathsNotFound
from siglint.report import TEXT_FORMATS, Report, reporter
from siglint.report.text import report_statistics
from siglint.run.lint import lint_paths

if TYPE_CHECKING:
    from siglint.report.baseline import Baseline


def run_check(args: argparse.Namespace, stdout: IO[str], version: str) -> int:
    settings = _settings(args)
    # With a models.config (flag or config file) and no paths, the config's models are the run.
    args.paths = args.paths or ([] if settings.options.model_config_file else ["."])
    for warning in settings.warnings:
        print(f"siglint: warning: {printable(warning)}", file=sys.stderr)
    options = settings.options
    if args.show_settings:
        stdout.write(printable_lines(describe_settings(settings, args.paths)))
        return EXIT_CLEAN
    baseline = read_baseline_file(args.baseline)  # before the run: a bad file fails at once
    progress = Progress(sys.stderr) if not args.quiet else None
    try:
        result = lint_paths(args.paths, options, jobs=args.jobs, progress=progress, every_rule=args.format == "sarif")
    except PathsNotFound as error:
        raise UsageError(*(f"{path}: {problem}" for path, problem in error.problems)) from None
    finally:
        if progress:
            progress.close()
    if args.write_baseline:
        return write_baseline_file(args.write_baseline, result, stdout, args.quiet)
    comparison = baseline.compare(result.findings) if baseline else None
    if comparison is not None:
        result = result._replace(findings=comparison.new)
    if result.internal_errors or result.empty_paths:
        code = EXIT_USAGE
    else:
        code = EXIT_ERRORS if result.has_errors and not args.exit_zero else EXIT_CLEAN
    empty = [f"no SavedModel found under {path}" for path in result.empty_paths]
    if empty and not (result.models or result.findings):
        raise UsageError(*empty)  # nothing else to report

    def write(stream: IO[str]) -> None:
        if args.statistics:
            report_statistics(result, stream, as_json=args.format == "json")
            return
        color = args.format in TEXT_FORMATS and use_color(args.color, stream)
        reporter(args.format)(Report(result, result.rules, version, comparison, args.quiet, color), stream)

    emit(args.output_file, write, stdout)
    for message in result.internal_errors:
        print(f"siglint: internal error while checking {printable(message)}", file=sys.stderr)
    for warning in result.warnings:
        print(f"siglint: warning: {printable(warning)}", file=sys.stderr)
    if args.verbose:
        for note in result.notes:
            print(f"siglint: note: {printable(note)}", file=sys.stderr)
    for message in empty:
        print(f"siglint: error: {printable(message)}", file=sys.stderr)
    for hint in (_pack_rules_hint(options), _diff_rules_hint(options)):
        if hint:
            print(f"siglint: hint: {hint}", file=sys.stderr)
    return code


def emit(output_file: str | None, write: Callable[[IO[str]], None], stdout: IO[str]) -> None:
    """`write` the report to `output_file` (`-o`), or to standard output."""
    try:
        if output_file:
            try:
                os.makedirs(os.path.dirname(output_file) or ".", exist_ok=True)  # as ruff does
                # Paths that are not valid UTF-8 (surrogate escapes) are written escaped.
                with open(output_file, "w", encoding="utf-8", errors="backslashreplace") as stream:
                    write(stream)
            except OSError as error:
                raise UsageError(f"cannot write {output_file}: {error.strerror or error}") from None
        else:
            write(stdout)
            stdout.flush()
    except BrokenPipeError:
        discard_stdout()  # output piped into `head` and the like: the verdict stands


def _flags(args: argparse.Namespace) -> Flags:
    profile = profile_flags(args)
    return Flags(
        select=selectors(args.select, "--select") if args.select is not None else None,
        extend_select=selectors(args.extend_select, "--extend-select"),
        ignore=selectors(args.ignore, "--ignore"),
        contracts=split(args.contracts),
        profile=profile,
        model_config_file=args.model_config_file,
        converted_from=_converted_from(args.converted_from),
    )


def _converted_from(path: str | None) -> str | None:
    """--converted-from's SavedModel, which must be one siglint can read."""
    if path is None:
        return None
    from siglint.model.load import load_model
    from siglint.model.view import SAVEDMODEL, ModelView
    from siglint.savedmodel.constants import MODEL_FILENAMES

    folder = os.path.dirname(path) or "." if os.path.basename(path) in MODEL_FILENAMES else path
    if not os.path.isdir(folder):
        why = "no such file or directory" if not os.path.lexists(folder) else "not a SavedModel directory"
        raise UsageError(printable(f"--converted-from {path}: {why}"))
    loaded = load_model(folder)
    if not isinstance(loaded, ModelView) or loaded.kind != SAVEDMODEL:
        why = loaded.message if not isinstance(loaded, ModelView) else "it holds a TF Lite model, not a SavedModel"
        raise UsageError(printable(f"--converted-from {path}: {why}"))
    return path


def _settings(args: argparse.Namespace) -> Settings:
    flags = _flags(args)
    try:
        return settings_for(args.paths or ["."], flags, config=args.config, isolated=args.isolated)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def read_baseline_file(path: str | None) -> Baseline | None:
    if not path:
        return None
    from siglint.report.baseline import BaselineError, read_baseline

    try:
        return read_baseline(path)
    except BaselineError as error:
        raise UsageError(str(error)) from None


def write_baseline_file(path: str, result: LintResult, stdout: IO[str], quiet: bool) -> int:
    for message in result.internal_errors:
        print(f"siglint: internal error while checking {printable(message)}", file=sys.stderr)
    if result.internal_errors:
        raise UsageError(f"{path} not written: some models could not be checked")
    from siglint.report.baseline import BaselineError, write_baseline

    try:
        count = write_baseline(path, result.findings)
    except BaselineError as error:
        raise UsageError(str(error)) from None
    if not quiet:
        print(f"Wrote {count} finding{'' if count == 1 else 's'} to the baseline {path}.", file=stdout)
    return EXIT_CLEAN


def use_color(choice: str, stream: IO[str]) -> bool:
    """`--color`: always, never, or (auto) on a terminal unless NO_COLOR is set (no-color.org);
    FORCE_COLOR turns it on for auto, as in most command-line tools."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def _pack_rules_hint(options: Options) -> str | None:
    """A selection that picks only the contract-pack rules, with no pack on, checks nothing:
    say so rather than print a silent "All checks passed"."""
    if options.packs or not options.selection.select:
        return None
    selected = [entry.code for entry in checks.entries() if options.selection.selects(entry.code)]
    if selected and all(code.startswith(checks.PACK_RULES) for code in selected):
        return (
            f"{' and '.join(selected)} check contract packs, and no pack is on: "
            "add one with --contracts PACK or `contracts = [...]` in the config (see `siglint contracts`)"
        )
    return None


def _diff_rules_hint(options: Options) -> str | None:
    """A selection of diff rules only checks nothing here: they compare two versions."""
    selected = [entry.code for entry in checks.entries() if options.selection.selects(entry.code)]
    if options.selection.select and selected and all(checks.is_diff(code) for code in selected):
        return "the SIG7 rules compare two versions of a model: run them with `siglint diff OLD NEW`"
    return None


def describe_settings(settings: Settings, paths: Sequence[str]) -> str:
    """`--show-settings`: the configuration a run resolves to, and where it came from."""
    import json

    options = settings.options
    profile = options.profile
    every = [entry.code for entry in checks.entries()]
    selected = [code for code in every if options.selection.selects(code)]
    lines = [
        f"Config file: {settings.config_file or '(none: the defaults)'}",
        f"  {settings.found_from}",
        f"Paths: {', '.join(paths)}",
        "",
        f"select = {_toml_list(options.selection.select or ('ALL',))}",
        f"ignore = {_toml_list(options.selection.ignore)}",
        "severity = {" + ", ".join(f'{code} = "{s.value}"' for code, s in options.severities.by_prefix) + "}",
        f"contracts = {_toml_list(pack.name for pack in options.packs)}",
        f"model-config-file = {_toml_value(options.model_config_file or '')}",
        "",
        "[per-path-ignores]" + (f"  # relative to {options.path_ignores.root}" if options.path_ignores.by_pattern else ""),
        *(f"{json.dumps(pattern)} = {_toml_list(codes)}" for pattern, codes in options.path_ignores.by_pattern),
        "",
        "[profile]",
        *(f"{knob.key} = {_toml_value(getattr(profile, knob.field))}" for knob in KNOBS),
        "",
        f"Rules selected ({len(selected)} of {len(every)}): {', '.join(selected) or 'none'}",
        _not_run_on_metadata(selected),
    ]
    return "\n".join(lines) + "\n"


def _not_run_on_metadata(selected: list[str]) -> str:
    """Which selected rules a GetModelMetadata response (`siglint check m.json`) does not get."""
    from siglint.model.view import METADATA, SAVEDMODEL

    skipped = [rule.code for rule in checks.rules(selected) if rule.judges(SAVEDMODEL) and not rule.judges(METADATA)]
    return (
        f"Not run on GetModelMetadata responses (they need the model's files): {', '.join(skipped) or 'none'}"
    )


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return _toml_list(value)
    return json.dumps(value)


def _toml_list(values: Iterable[str]) -> str:
    import json

    return "[" + ", ".join(json.dumps(value) for value in values) + "]"
