"""`siglint show`: one model, printed in the format asked for. Exit codes: 0 shown; 1 the
tag-set or signature key asked for is not in the model (saved_model_cli's message); 2 a usage
error or a path that holds no model siglint can read."""

from __future__ import annotations

import argparse
import sys
from typing import IO

from siglint.cli.common import EXIT_CLEAN, EXIT_ERRORS, UsageError
from siglint.findings import printable
from siglint.report.show import NotFound, Request, shower
from siglint.run.inspect import InspectError, inspect


def run_show(args: argparse.Namespace, stdout: IO[str]) -> int:
    path = _path(args)
    if args.model_name is not None and args.format != "metadata":
        raise UsageError("--model-name is only used with --format metadata")
    try:
        needed = args.format == "json" or (args.format == "text" and (args.all or args.list_ops))
        info = inspect(path, model_name=args.model_name, details=needed)
    except InspectError as error:
        raise UsageError(printable(str(error))) from None
    for note in info.notes:
        print(f"siglint: note: {printable(note)}", file=sys.stderr)
    request = Request(args.tag_set, args.signature_def, args.all, args.list_ops)
    try:
        text = shower(args.format, info.model.kind)(info, request)
    except NotFound as error:
        stdout.write(error.printed)
        stdout.flush()
        print(f"siglint: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_ERRORS
    stdout.write(text)
    return EXIT_CLEAN


def _path(args: argparse.Namespace) -> str:
    if args.path is not None and args.dir is not None and args.path != args.dir:
        raise UsageError(f"two models given ({args.path} and --dir {args.dir}): show one")
    path = args.path if args.path is not None else args.dir
    if path is None:
        raise UsageError("show needs a model: siglint show DIR (or --dir DIR)")
    return str(path)
