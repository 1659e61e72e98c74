"""Command line: `siglint check|rules|explain`. `main(argv) -> int`; exit codes 0/1/2."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, NamedTuple

from siglint import __version__, contracts
from siglint.api import LintResult, lint_paths
from siglint.baseline import Baseline, BaselineError, read_baseline, write_baseline
from siglint.checks import ALL_RULES, PACK_RULE_CODES, find_rule, matches_a_rule
from siglint.config import Config, ConfigError, find_config, merge_packs, read_config
from siglint.discover import PathsNotFound
from siglint.options import RUNTIMES, Options
from siglint.progress import Progress
from siglint.reporters import REPORTERS, TEXT_FORMATS, report_statistics

EXIT_CLEAN, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(part.strip() for value in values or () for part in value.split(",") if part.strip())


def _selectors(values: list[str] | None, flag: str) -> tuple[str, ...]:
    selectors = _split(values)
    for selector in selectors:
        if not matches_a_rule(selector):
            raise UsageError(f"{flag}: {selector!r} matches no rule code (see `siglint rules`)")
    return tuple(s.upper() for s in selectors)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="siglint",
        description="Lint the SignatureDefs of TensorFlow SavedModels against TF Serving's contracts.",
    )
    parser.add_argument("--version", action="version", version=f"siglint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser("check", help="check SavedModels", description="Check SavedModels.")
    check.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH",
        help="SavedModel directories, saved_model.pb/.pbtxt files, TF Serving base paths or trees "
        "holding them (default: .)",
    )
    check.add_argument(
        "--format", "--output-format", dest="format", choices=sorted(REPORTERS), default="text",
        help="output format (text is concise: one line per finding; full adds each finding's signature)",
    )
    check.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE")
    check.add_argument(
        "--statistics", action="store_true", help="print how many findings each rule gave, not the findings"
    )
    check.add_argument(
        "--show-settings", action="store_true",
        help="print the resolved configuration and the file it came from, then exit",
    )
    check.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="colour text output (auto: on a terminal, unless NO_COLOR is set)",
    )
    check.add_argument(
        "--select", action="append", metavar="CODES",
        help="only these code prefixes (comma-separated); replaces the config file's selection",
    )
    check.add_argument(
        "--extend-select", action="append", metavar="CODES", help="add these code prefixes to the selection"
    )
    check.add_argument(
        "--ignore", action="append", metavar="CODES",
        help="skip these code prefixes (comma-separated); added to the config file's",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary or progress")
    check.add_argument(
        "--jobs", "-j", type=_positive_int, metavar="N",
        help="check models in up to N processes (default: one per CPU, when there are enough models)",
    )
    check.add_argument(
        "--contracts", action="append", metavar="PACKS",
        help="also check these contract packs: bundled names (tf-ranking, keras-export) or pack "
        "files (.json, .toml, .yaml); added to the config file's",
    )
    config = check.add_mutually_exclusive_group()
    config.add_argument(
        "--config", metavar="FILE",
        help="read this siglint.toml or pyproject.toml (default: the first one found from the current folder up)",
    )
    config.add_argument(
        "--isolated", "--no-config", dest="isolated", action="store_true", help="ignore every config file"
    )
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline", metavar="FILE", help="report only findings not recorded in this baseline file"
    )
    baseline.add_argument(
        "--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0"
    )
    # Profile flags default to None: a flag left out keeps the config file's value.
    profile = check.add_argument_group("server profile (flags override the config file)")
    profile.add_argument(
        "--method-name-check", action=argparse.BooleanOptionalAction,
        help="the server runs with --enable_signature_method_name_check (default: off, as since TF Serving 2.4)",
    )
    profile.add_argument(
        "--rest", action=argparse.BooleanOptionalAction, help="clients use the REST API (default: on)"
    )
    profile.add_argument("--runtime", choices=RUNTIMES, help="servable runtime (default: tf)")
    profile.add_argument("--tags", metavar="TAGS", help="tag-set the server loads (default: serve)")
    profile.add_argument(
        "--default-signature", metavar="KEY",
        help="signature key used when a request names none (default: serving_default)",
    )

    commands.add_parser("version", help="print siglint's version")
    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    packs = commands.add_parser(
        "contracts", help="list contract packs and their contracts",
        description="List the bundled contract packs and the config file's (or validate and list "
        "the packs named).",
    )
    packs.add_argument("packs", nargs="*", metavar="PACK", help="pack names or files (default: bundled and configured)")
    packs.add_argument("--config", metavar="FILE", help="read this siglint.toml or pyproject.toml")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule", metavar="CODE", help="rule code or name, e.g. SIG306 or classify-input-not-examples")
    fixtures = commands.add_parser("fixtures", help="rebuild the project's fixtures from their specs")
    fixtures.add_argument("action", choices=("regenerate",))
    fixtures.add_argument("--check", action="store_true", help="report drifted fixtures (exit 1), write nothing")
    fixtures.add_argument("--root", default="fixtures", metavar="DIR", help="fixtures folder (default: fixtures)")
    return parser


class Settings(NamedTuple):
    """What a run is configured with, and where that came from (`--show-settings`)."""

    options: Options
    config_file: str | None
    found_from: str  # how the file was chosen


def _config(path: str | None, isolated: bool = False) -> Config:
    if isolated:
        return Config()
    try:
        path = path or find_config()
        return read_config(path) if path else Config()
    except ConfigError as error:
        raise UsageError(str(error)) from None


def _find_config(args: argparse.Namespace) -> tuple[str | None, str]:
    """The config file for this run and how it was chosen: `--config`; else, as ruff does, the
    one found from the checked paths' folders up when they all share it; else the current
    folder's."""
    if args.isolated:
        return None, "--isolated: no config file is read"
    if args.config:
        return args.config, "--config"
    starts = sorted({path if os.path.isdir(path) else os.path.dirname(path) or "." for path in args.paths})
    found = {start: find_config(start) for start in starts}
    files = {os.path.abspath(file) if file else None for file in found.values()}
    if len(files) == 1 and None not in files:
        return next(iter(found.values())), f"found from {', '.join(starts)} up"
    file = find_config()
    if files == {None}:
        return file, "found from the current folder up (none above the paths checked)"
    print(
        "siglint: warning: the paths checked belong to different projects' config files "
        f"({', '.join(sorted(f or 'none' for f in found.values()))}); using the current folder's "
        f"({file or 'none'})",
        file=sys.stderr,
    )
    return file, "found from the current folder up (the paths checked have different ones)"


def _settings(args: argparse.Namespace) -> Settings:
    try:
        file, found_from = _find_config(args)
        config = read_config(file) if file else Config()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    return Settings(_options(args, config), file, found_from)


def _options(args: argparse.Namespace, config: Config) -> Options:
    flags = {
        "method_name_check": args.method_name_check,
        "rest": args.rest,
        "runtime": args.runtime,
        "default_signature": args.default_signature,
    }
    if args.tags is not None:
        flags["tags"] = _split([args.tags])
        if not flags["tags"]:
            raise UsageError("--tags must name at least one tag")
    if args.default_signature == "":
        raise UsageError("--default-signature must not be empty")
    selection = config.selection(
        select=_selectors(args.select, "--select") if args.select is not None else None,
        extend_select=_selectors(args.extend_select, "--extend-select"),
        ignore=_selectors(args.ignore, "--ignore"),
    )
    try:
        options = config.options(extra_contracts=_split(args.contracts))
    except ConfigError as error:
        raise UsageError(str(error)) from None
    return options._replace(
        profile=config.profile._replace(**{key: value for key, value in flags.items() if value is not None}),
        selection=selection,
    )


def _read_baseline(path: str | None) -> Baseline | None:
    try:
        return read_baseline(path) if path else None
    except BaselineError as error:
        raise UsageError(str(error)) from None


def _write_baseline(path: str, result: LintResult, stdout: IO[str], quiet: bool) -> int:
    for message in result.internal_errors:
        print(f"siglint: internal error while checking {message}", file=sys.stderr)
    if result.internal_errors:
        raise UsageError(f"{path} not written: some models could not be checked")
    try:
        count = write_baseline(path, result.findings)
    except BaselineError as error:
        raise UsageError(str(error)) from None
    if not quiet:
        print(f"Wrote {count} finding{'' if count == 1 else 's'} to the baseline {path}.", file=stdout)
    return EXIT_CLEAN


def _check(args: argparse.Namespace, stdout: IO[str]) -> int:
    settings = _settings(args)
    options = settings.options
    if args.show_settings:
        stdout.write(describe_settings(settings, args.paths))
        return EXIT_CLEAN
    baseline = _read_baseline(args.baseline)  # before the run: a bad file fails at once
    progress = Progress(sys.stderr) if not args.quiet else None
    try:
        result = lint_paths(args.paths, options, jobs=args.jobs, progress=progress)
    except PathsNotFound as error:
        raise UsageError(*(f"{path}: no such file or directory" for path in error.paths)) from None
    finally:
        if progress:
            progress.close()
    if args.write_baseline:
        return _write_baseline(args.write_baseline, result, stdout, args.quiet)
    comparison = baseline.compare(result.findings) if baseline else None
    if comparison is not None:
        result = result._replace(findings=comparison.new)
    rules = tuple(
        r._replace(severity=options.severities(r.code, r.severity)) for r in ALL_RULES if options.selection(r.code)
    )
    if result.internal_errors or result.empty_paths:
        code = EXIT_USAGE
    else:
        code = EXIT_ERRORS if result.has_errors and not args.exit_zero else EXIT_CLEAN
    empty = [f"no SavedModel found under {path}" for path in result.empty_paths]
    if empty and not (result.models or result.findings):
        raise UsageError(*empty)  # nothing else to report
    def report(stream: IO[str]) -> None:
        if args.statistics:
            report_statistics(result, stream, as_json=args.format == "json")
        elif args.format in TEXT_FORMATS:
            color = _use_color(args.color, stream)
            REPORTERS[args.format](result, rules, stream, args.quiet, comparison, color=color)  # type: ignore[call-arg]
        else:
            REPORTERS[args.format](result, rules, stream, args.quiet, comparison)

    try:
        if args.output_file:
            try:
                os.makedirs(os.path.dirname(args.output_file) or ".", exist_ok=True)  # as ruff does
                # Paths that are not valid UTF-8 (surrogate escapes) are written escaped.
                with open(args.output_file, "w", encoding="utf-8", errors="backslashreplace") as stream:
                    report(stream)
            except OSError as error:
                raise UsageError(f"cannot write {args.output_file}: {error.strerror or error}") from None
        else:
            report(stdout)
            stdout.flush()
    except BrokenPipeError:
        _discard_stdout()  # output piped into `head` and the like: the verdict stands
    for message in result.internal_errors:
        print(f"siglint: internal error while checking {message}", file=sys.stderr)
    for message in empty:
        print(f"siglint: error: {message}", file=sys.stderr)
    hint = _pack_rules_hint(options)
    if hint:
        print(f"siglint: hint: {hint}", file=sys.stderr)
    return code


def _use_color(choice: str, stream: IO[str]) -> bool:
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
    selected = [rule for rule in ALL_RULES if options.selection(rule.code)]
    if selected and all(rule.code in PACK_RULE_CODES for rule in selected):
        return (
            f"{' and '.join(rule.code for rule in selected)} check contract packs, and no pack is on: "
            "add one with --contracts PACK or `contracts = [...]` in the config (see `siglint contracts`)"
        )
    return None


def describe_settings(settings: Settings, paths: Sequence[str]) -> str:
    """`--show-settings`: the configuration a run resolves to, and where it came from."""
    options = settings.options
    profile = options.profile
    selected = [rule.code for rule in ALL_RULES if options.selection(rule.code)]
    lines = [
        f"Config file: {settings.config_file or '(none: the defaults)'}",
        f"  {settings.found_from}",
        f"Paths: {', '.join(paths)}",
        "",
        f"select = {_toml_list(options.selection.select or ('ALL',))}",
        f"ignore = {_toml_list(options.selection.ignore)}",
        "severity = {" + ", ".join(f'{code} = "{s.value}"' for code, s in options.severities.by_prefix) + "}",
        f"contracts = {_toml_list(pack.name for pack in options.packs)}",
        "",
        "[per-path-ignores]" + (f"  # relative to {options.path_ignores.root}" if options.path_ignores.by_pattern else ""),
        *(f"{json.dumps(pattern)} = {_toml_list(codes)}" for pattern, codes in options.path_ignores.by_pattern),
        "",
        "[profile]",
        f"method-name-check = {str(profile.method_name_check).lower()}",
        f"rest = {str(profile.rest).lower()}",
        f'runtime = "{profile.runtime}"',
        f"tags = {_toml_list(profile.tags)}",
        f"default-signature = {json.dumps(profile.default_signature)}",
        "",
        f"Rules selected ({len(selected)} of {len(ALL_RULES)}): {', '.join(selected) or 'none'}",
    ]
    return "\n".join(lines) + "\n"


def _toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(value) for value in values) + "]"


def _rules(args: argparse.Namespace, stdout: IO[str]) -> int:
    if args.format == "json":
        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "scope": r.scope.value,
             "summary": r.summary, "explanation": r.doc.strip()}
            for r in ALL_RULES
        ]
        json.dump(rows, stdout, indent=2)
        stdout.write("\n")
        return EXIT_CLEAN
    if args.format == "markdown":
        stdout.write(rule_table())
        return EXIT_CLEAN
    for rule in ALL_RULES:
        print(f"{rule.code}  {rule.name:<38} {rule.severity.value:<8} {rule.summary}", file=stdout)
    return EXIT_CLEAN


def rule_table() -> str:
    """The README's rule table (between its `rules:start`/`rules:end` markers)."""
    rows = ["| code | name | severity | what it flags |", "|---|---|---|---|"]
    rows += [f"| {r.code} | `{r.name}` | {r.severity.value} | {r.summary} |" for r in ALL_RULES]
    return "\n".join(rows) + "\n"


def explanation(rule_code: str) -> str:
    rule = find_rule(rule_code)
    if rule is None:
        raise UsageError(f"no rule {rule_code!r} (see `siglint rules`)")
    text = f"# {rule.name} ({rule.code})\n\nDefault severity: {rule.severity.value}\n\n{rule.doc.strip()}\n"
    checks = contracts.core_pack().checks_for(rule.code)
    if checks:
        text += f"\n## Contract\nChecked by the bundled `{contracts.CORE_PACK}` pack (rules/{contracts.CORE_PACK}.json):\n"
        for contract, check in checks:
            text += f"- {contract.title}, {check.path}: {'; '.join(check.source)}\n"
    return text


def _contracts(args: argparse.Namespace, stdout: IO[str]) -> int:
    try:
        if args.packs:
            packs = merge_packs(contracts.load_pack(reference) for reference in _split(args.packs))
        else:
            config = _config(args.config)
            others = [contracts.bundled_pack(name) for name in contracts.BUNDLED_PACKS[1:]]
            packs = (contracts.core_pack(), *merge_packs(others, config.packs))
    except (contracts.PackError, ConfigError) as error:
        raise UsageError(str(error)) from None
    for pack in packs:
        stdout.write(contracts.describe(pack))
    return EXIT_CLEAN


def _run(args: argparse.Namespace, stdout: IO[str]) -> int:
    if args.command == "check":
        return _check(args, stdout)
    if args.command == "version":
        stdout.write(f"siglint {__version__}\n")
        return EXIT_CLEAN
    if args.command == "rules":
        return _rules(args, stdout)
    if args.command == "contracts":
        return _contracts(args, stdout)
    if args.command == "fixtures":
        from siglint.fixtures import main as fixtures_main  # `check` never imports it

        return fixtures_main(args.root, args.check, stdout)
    stdout.write(explanation(args.rule))
    return EXIT_CLEAN


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that nothing more (not even the interpreter's
    flush at exit) writes into a closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: Sequence[str] | None = None, stdout: IO[str] | None = None) -> int:
    if stdout is None:
        stdout = sys.stdout
        if hasattr(stdout, "reconfigure"):
            # A path that is not valid UTF-8 must not crash the report.
            stdout.reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        code = _run(args, stdout)
        stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (`siglint rules | head`): end quietly, as git and ruff do.
        _discard_stdout()
        return EXIT_CLEAN
    except UsageError as error:
        for message in error.args:
            print(f"siglint: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if os.environ.get("SIGLINT_DEBUG"):
            raise
        print(
            f"siglint: internal error: {type(error).__name__}: {error} "
            "(set SIGLINT_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return EXIT_USAGE
