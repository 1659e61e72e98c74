"""`siglint request MODEL`: an example request for a signature; `siglint request check MODEL
REQUEST`: the server's error for each problem of a request, exit code 1 when it would fail."""

from __future__ import annotations

import argparse
import sys
from typing import IO, TYPE_CHECKING

from siglint.cli.common import EXIT_CLEAN, EXIT_ERRORS, UsageError, profile_flags
from siglint.config.files import ConfigError
from siglint.config.settings import Flags, settings_for
from siglint.engine.options import Options
from siglint.findings import LintResult

if TYPE_CHECKING:
    from siglint.model.examples import ExampleRequest


def run_request(args: argparse.Namespace, stdout: IO[str]) -> int:
    words = list(args.words)
    checking = words[0] == "check" and len(words) == 3
    if len(words) != (3 if checking else 1):
        raise UsageError("expected `siglint request MODEL` or `siglint request check MODEL REQUEST`")
    model = words[1] if checking else words[0]
    options = _options(args, model)
    from siglint.run import requests

    try:
        if checking:
            return _check(requests.check_request(model, words[2], options, args.type), stdout)
        return _write(args, model, options, stdout)
    except requests.RequestError as error:
        raise UsageError(str(error)) from None


def _options(args: argparse.Namespace, model: str) -> Options:
    try:
        settings = settings_for([model], Flags(profile=profile_flags(args)), config=args.config, isolated=args.isolated)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    return settings.options


def _write(args: argparse.Namespace, model: str, options: Options, stdout: IO[str]) -> int:
    from siglint.report.requests import RequestFormatError, render
    from siglint.run import requests

    served = requests.served_model(model, options)
    signature = requests.choose_signature(served, args.signature, options)
    example = requests.build_example(served, signature, options.profile)
    meant = requests.meant_api(signature, served.meta_graph.is_tf2)
    if meant != example.api:
        print(
            f"siglint: note: signature {signature.key!r} is meant for {meant.title()}, which the server cannot run "
            "on it (`siglint check` says why): writing a Predict request",
            file=sys.stderr,
        )
    fmt = args.format or _default_format(example)
    if example.api != "predict" and not example.features:
        print(
            f"siglint: warning: siglint could not read from the graph which features signature {signature.key!r} "
            "parses: the example is empty, fill in its features",
            file=sys.stderr,
        )
    if fmt == "rest-row" and any(not zero.shape for zero in example.inputs):
        print("siglint: warning: the row format adds a batch dimension to scalar inputs: use --format rest-columnar", file=sys.stderr)
    try:
        stdout.write(render(example, fmt, args.model_name or served.name, args.host))
    except RequestFormatError as error:
        raise UsageError(str(error)) from None
    return EXIT_CLEAN


def _default_format(example: ExampleRequest) -> str:
    if example.api == "predict" and not example.inputs:
        return "grpc-text"  # REST cannot call a signature without inputs
    if any(not zero.shape for zero in example.inputs):
        return "rest-columnar"
    return "rest-row"


def _check(result: LintResult, stdout: IO[str]) -> int:
    from siglint.findings import Severity
    from siglint.report.text import Style

    style = Style(color=False)
    for finding in result.findings:
        print(style.finding(finding), file=stdout)
    errors = result.total(Severity.ERROR)
    model = result.models[0]
    if errors:
        print(f"The server would refuse this request: {errors} error{'s' if errors > 1 else ''}.", file=stdout)
    else:
        print(f"The request fits {model.path} (model {model.model}).", file=stdout)
    return EXIT_ERRORS if errors else EXIT_CLEAN
