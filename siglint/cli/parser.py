"""The command line's grammar: every command and flag. The server-profile flags are made from
the profile's knobs (siglint.engine.profile.KNOBS), so a knob is declared once."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from siglint.engine.profile import KNOBS
from siglint.report import FORMATS

# Known here without importing their modules: `siglint check` builds this parser too.
REQUEST_FORMATS = ("rest-row", "rest-columnar", "grpc-text", "curl")
REQUEST_TYPES = ("predict", "classify", "regress", "multi-inference", "prediction-log")
DIFF_LEVELS = ("grpc", "rest", "strict")  # siglint.engine.diff.LEVELS

VERSION_TEXT = "siglint {version}"


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, given the terminal's width as shutil would find it (argparse imports
    shutil for that, and builds a formatter for every argument it adds: start-up time)."""

    def __init__(self, prog: str) -> None:
        try:
            columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size().columns
        except (ValueError, OSError):
            columns = 80
        super().__init__(prog, width=max(columns - 2, 20))


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def build_parser(version: str, command: str | None = None) -> argparse.ArgumentParser:
    """The whole grammar; or, when the command about to be parsed is known, that command's
    arguments only (the others are listed by name and help: fewer arguments to build)."""
    parser = argparse.ArgumentParser(
        prog="siglint", formatter_class=_Formatter,
        description="Lint the SignatureDefs of TensorFlow SavedModels against TF Serving's contracts.",
    )
    parser.add_argument("--version", action="version", version=VERSION_TEXT.format(version=version))
    # `prog` given: argparse then builds no help formatter (and imports no shutil) until asked.
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, prog="siglint")
    for name, (help_text, add_arguments) in _COMMANDS.items():
        subparser = commands.add_parser(name, formatter_class=_Formatter, help=help_text, description=help_text)
        if command in (None, name):
            add_arguments(subparser)
    return parser


def _add_rules(rules: argparse.ArgumentParser) -> None:
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")


def _add_contracts(packs: argparse.ArgumentParser) -> None:
    packs.description = (
        "List the bundled contract packs and the config file's (or validate and list the packs named)."
    )
    packs.add_argument("packs", nargs="*", metavar="PACK", help="pack names or files (default: bundled and configured)")
    packs.add_argument("--config", metavar="FILE", help="read this siglint.toml or pyproject.toml")


def _add_explain(explain: argparse.ArgumentParser) -> None:
    explain.add_argument("rule", metavar="CODE", help="rule code or name, e.g. SIG306 or classify-input-not-examples")


def _add_fixtures(fixtures: argparse.ArgumentParser) -> None:
    fixtures.add_argument("action", choices=("regenerate",))
    fixtures.add_argument("--check", action="store_true", help="report drifted fixtures (exit 1), write nothing")
    fixtures.add_argument("--root", default="fixtures", metavar="DIR", help="fixtures folder (default: fixtures)")
    fixtures.add_argument(
        "--cases", metavar="DIR", help="the rules' case files (default: tests/cases beside the fixtures folder)"
    )


def _add_check(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="SavedModel directories, saved_model.pb/.pbtxt files, .tflite files, TF Serving base paths "
        "or trees holding them (default: ., unless --model-config-file is given)",
    )
    check.add_argument(
        "--model-config-file", "--model_config_file", dest="model_config_file", metavar="FILE",
        help="the server's models.config (a ModelServerConfig text proto): check it and every model "
        "version it serves",
    )
    check.add_argument(
        "--format", "--output-format", dest="format", choices=sorted(FORMATS), default="text",
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
        "--verbose", "-v", action="store_true",
        help="also say on stderr what could not be checked and why (graph rules on a model without a graph)",
    )
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
    check.add_argument(
        "--converted-from", metavar="SAVED_MODEL",
        help="the SavedModel the TF Lite models checked were converted from: compare each with it "
        "(a model.tflite is compared with a SavedModel beside it without this flag)",
    )
    _add_profile(check)


def _add_profile(command: argparse.ArgumentParser) -> None:
    # Profile flags default to None: a flag left out keeps the config file's value.
    profile = command.add_argument_group("server profile (flags override the config file)")
    for knob in KNOBS:
        if knob.kind is bool:
            profile.add_argument(knob.flag, dest=knob.field, action=argparse.BooleanOptionalAction, help=knob.help)
        else:
            profile.add_argument(knob.flag, dest=knob.field, choices=knob.choices, metavar=knob.metavar, help=knob.help)


def _add_show(show: argparse.ArgumentParser) -> None:
    show.description = (
        "Show a model as `saved_model_cli show` does, without TensorFlow (the same flags and text), "
        "or as JSON, TF Serving's GetModelMetadata JSON or a Markdown table."
    )
    show.add_argument(
        "path", nargs="?", metavar="DIR",
        help="a SavedModel directory, its saved_model.pb or .pbtxt, a .tflite model, a TF Serving base path "
        "(its latest version) or a GetModelMetadata response (REST JSON, text or binary)",
    )
    show.add_argument("--dir", metavar="DIR", help="the same as DIR, as saved_model_cli takes it")
    show.add_argument("--tag_set", "--tag-set", dest="tag_set", metavar="TAGS", help="comma-separated tag-set of a MetaGraphDef")
    show.add_argument("--signature_def", "--signature-def", dest="signature_def", metavar="KEY", help="a SignatureDef's key")
    show.add_argument("--all", action="store_true", help="every MetaGraphDef, signature, op and concrete function")
    show.add_argument(
        "--list_ops", "--list-ops", dest="list_ops", action="store_true", help="the ops the --tag_set MetaGraphDef uses"
    )
    show.add_argument(
        "--format", choices=("text", "json", "metadata", "markdown"), default="text",
        help="text: saved_model_cli's; json: siglint's model document; metadata: TF Serving's "
        "GetModelMetadata REST response; markdown: a signature table",
    )
    show.add_argument(
        "--model-name", "--model_name", dest="model_name", metavar="NAME",
        help="the model name of --format metadata (default: the base path's folder name)",
    )


def _add_scan(scan: argparse.ArgumentParser) -> None:
    scan.description = (
        "Report the denylisted ops each MetaGraphDef's graph uses, as `saved_model_cli scan` does "
        "(exit 1 when one is found)."
    )
    scan.add_argument(
        "paths", nargs="+", metavar="DIR", help="SavedModel directories, TF Serving base paths or trees holding them"
    )
    scan.add_argument(
        "--tag_set", "--tag-set", dest="tag_set", metavar="TAGS",
        help="scan only the MetaGraphDef with these comma-separated tags (default: every one)",
    )
    scan.add_argument(
        "--op_denylist", "--op-denylist", dest="op_denylist", metavar="OPS",
        help="comma-separated ops to report (default: WriteFile,ReadFile,PrintV2)",
    )
    scan.add_argument("--exit-zero", action="store_true", help="exit 0 even when denylisted ops are found")
def _add_request(request: argparse.ArgumentParser) -> None:
    request.description = (
        "Write an example request for a model's signature (siglint request MODEL), or check a request "
        "against the model as TF Serving would run it (siglint request check MODEL REQUEST)."
    )
    request.usage = "siglint request [check] MODEL [REQUEST] [options]"
    request.add_argument(
        "words", nargs="+", metavar="ARG",
        help="MODEL (a SavedModel or a base path: its latest version), or: check MODEL REQUEST (a REST "
        "body .json, a gRPC request in text format .pbtxt, or a binary one)",
    )
    request.add_argument("--signature", metavar="KEY", help="the signature (default: serving_default, or the only one)")
    request.add_argument(
        "--format", "--output-format", dest="format", choices=REQUEST_FORMATS,
        help="what to write (default: rest-row, or rest-columnar for scalar inputs, grpc-text without inputs)",
    )
    request.add_argument("--model-name", metavar="NAME", help="the servable name (default: the base path's name)")
    request.add_argument("--host", default="localhost:8501", metavar="HOST:PORT", help="the REST address curl posts to")
    request.add_argument(
        "--type", choices=REQUEST_TYPES,
        help="the message a request file holds (default: read from a text file's fields; binary: predict)",
    )
    request.add_argument("--config", metavar="FILE", help="read this siglint.toml or pyproject.toml")
    request.add_argument("--isolated", "--no-config", dest="isolated", action="store_true", help="ignore every config file")
    _add_profile(request)


def _add_diff(diff: argparse.ArgumentParser) -> None:
    diff.description = (
        "Report the changes from OLD (the version serving) to NEW (the one about to be served) that "
        "break their clients. Each may be a SavedModel directory or file, a TF Serving base path (its "
        "latest version), a GetModelMetadata response, or git:REV:PATH (read from git, without a "
        "checkout). With one BASE_PATH, its two newest versions are compared."
    )
    diff.usage = "siglint diff OLD NEW | BASE_PATH [--against VERSION] [options]"
    diff.add_argument("sides", nargs="+", metavar="PATH", help="OLD NEW, or one TF Serving base path")
    diff.add_argument(
        "--against", metavar="VERSION", help="with a base path: compare its newest version with this one"
    )
    diff.add_argument(
        "--level", choices=DIFF_LEVELS,
        help="grpc: what breaks gRPC clients (default); rest: and REST clients; strict: any change",
    )
    diff.add_argument("--format", "--output-format", dest="format", choices=sorted(FORMATS), default="text")
    diff.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE")
    diff.add_argument("--statistics", action="store_true", help="print how many findings each rule gave")
    diff.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    diff.add_argument("--select", action="append", metavar="CODES", help="only these code prefixes")
    diff.add_argument("--extend-select", action="append", metavar="CODES", help="add these code prefixes")
    diff.add_argument("--ignore", action="append", metavar="CODES", help="skip these code prefixes")
    diff.add_argument("--exit-zero", action="store_true", help="exit 0 even when errors are found")
    diff.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary or notes")
    config = diff.add_mutually_exclusive_group()
    config.add_argument("--config", metavar="FILE", help="read this siglint.toml or pyproject.toml")
    config.add_argument("--isolated", "--no-config", dest="isolated", action="store_true", help="ignore every config file")
    baseline = diff.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline file")
    baseline.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE and exit 0")
    _add_profile(diff)


_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "check": ("check SavedModels", _add_check),
    "show": ("show a model's tag-sets, signatures, ops and functions (saved_model_cli show)", _add_show),
    "scan": ("report denylisted ops, as saved_model_cli scan does", _add_scan),
    "version": ("print siglint's version", lambda parser: None),
    "rules": ("list every rule", _add_rules),
    "contracts": ("list contract packs and their contracts", _add_contracts),
    "explain": ("show a rule's documentation", _add_explain),
    "fixtures": ("rebuild the project's fixtures from their specs", _add_fixtures),
    "request": ("write an example request for a signature, or check a request against a model", _add_request),
    "diff": ("report the changes between two versions of a model that break their clients", _add_diff),
}
