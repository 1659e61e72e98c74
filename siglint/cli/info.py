"""The commands that describe siglint rather than check models: `rules`, `explain`, `contracts`."""

from __future__ import annotations

import argparse
import json
from typing import IO

from siglint import checks
from siglint.cli.common import EXIT_CLEAN, UsageError, printable_lines, split
from siglint.config.files import Config, ConfigError, find_config, read_config
from siglint.engine.contracts.core import core_pack
from siglint.engine.contracts.packs import bundled_pack, load_pack, merge_packs
from siglint.engine.contracts.records import BUNDLED_PACKS, CORE_PACK, Pack, PackError
from siglint.engine.intent import Intent


def run_rules(args: argparse.Namespace, stdout: IO[str]) -> int:
    rules = checks.rules()
    if args.format == "json":
        rows = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "scope": r.scope.value,
             "summary": r.summary, "explanation": r.doc.strip(), "level": _diff_level(r.code)}
            for r in rules
        ]
        json.dump(rows, stdout, indent=2)
        stdout.write("\n")
        return EXIT_CLEAN
    if args.format == "markdown":
        stdout.write(rule_table())
        return EXIT_CLEAN
    for rule in rules:
        print(f"{rule.code}  {rule.name:<38} {rule.severity.value:<8} {rule.summary}", file=stdout)
    return EXIT_CLEAN


def rule_table() -> str:
    """The README's rule table (between its `rules:start`/`rules:end` markers)."""
    rows = ["| code | name | severity | what it flags |", "|---|---|---|---|"]
    rows += [f"| {r.code} | `{r.name}` | {r.severity.value} | {r.summary} |" for r in checks.rules()]
    return "\n".join(rows) + "\n"


def _diff_level(code: str) -> str | None:
    """A diff rule's level (grpc, rest, strict); None for the others."""
    if not checks.is_diff(code):
        return None
    from siglint.checks._diff import level_of

    return level_of(checks.load(code)).value


def diff_rule_table() -> str:
    """The README's table of the diff rules and their levels (between its `diff-rules:start`
    and `diff-rules:end` markers)."""
    rows = ["| code | name | level | severity | what it flags |", "|---|---|---|---|---|"]
    rows += [
        f"| {r.code} | `{r.name}` | {_diff_level(r.code)} | {r.severity.value} | {r.summary} |"
        for r in checks.rules() if checks.is_diff(r.code)
    ]
    return "\n".join(rows) + "\n"


def explanation(rule_code: str) -> str:
    rule = checks.find_rule(rule_code)
    if rule is None:
        raise UsageError(f"no rule {rule_code!r} (see `siglint rules`)")
    text = f"# {rule.name} ({rule.code})\n\nDefault severity: {rule.severity.value}\n\n{rule.doc.strip()}\n"
    contract_checks = core_pack().checks_for(rule.code)
    inferable = sorted(intent.api for intent in rule.intents if intent is not Intent.PREDICT)
    if contract_checks and inferable:
        apis = " or ".join(inferable)
        text += (
            f"\n## Severity\nAs given when the method name declares {apis}. A TF2 export always "
            f"writes the predict method name: when its keys and DT_STRING input fit {apis} (or a "
            f"key names it, like `classify` or `regression`), the contract is inferred and its "
            f"findings are warnings, because Predict serves the signature and only {apis} "
            f"requests fail.\n"
        )
    if contract_checks:
        text += f"\n## Contract\nChecked by the bundled `{CORE_PACK}` pack (rules/{CORE_PACK}.json):\n"
        for contract, check in contract_checks:
            text += f"- {contract.title}, {check.path}: {'; '.join(check.source)}\n"
    return text


def run_contracts(args: argparse.Namespace, stdout: IO[str]) -> int:
    try:
        if args.packs:
            packs = merge_packs(load_pack(reference) for reference in split(args.packs))
        else:
            file = args.config or find_config()
            config = read_config(file) if file else Config()
            others = [bundled_pack(name) for name in BUNDLED_PACKS if name != CORE_PACK]
            packs = (core_pack(), *merge_packs(others, config.packs))
    except (PackError, ConfigError) as error:
        raise UsageError(str(error)) from None
    for pack in packs:
        stdout.write(printable_lines(describe(pack)))
    return EXIT_CLEAN


def describe(pack: Pack) -> str:
    """`siglint contracts`: a pack's contracts, what each selects and where it comes from."""
    lines = [f"{pack.name} ({pack.file})"]
    if pack.description:
        lines.append(f"  {pack.description}")
    for contract in pack.contracts:
        traits = [f"signatures {contract.selector_text}" if contract.select else "every served signature"]
        if contract.required is not None and contract.required.min_signatures == 0:
            traits.append("required")
        elif contract.required is not None:
            traits.append(f"required when there are {contract.required.min_signatures} or more signatures")
        if contract.forbidden:
            traits.append("forbidden")
        if contract.intent:
            traits.append(f"served by {contract.intent}")
        if contract.same_as:
            traits.append("same as " + " or ".join(repr(k) for k in contract.same_as))
        count = len(contract.checks)
        traits.append(f"{count} check{'' if count == 1 else 's'}")
        lines.append(f"  - {contract.title}: {', '.join(traits)}")
        if contract.description:
            lines.append(f"      {contract.description}")
        for source in contract.source:
            lines.append(f"      source: {source}")
    return "\n".join(lines) + "\n\n"


