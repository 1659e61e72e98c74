"""The command line, `siglint ...`: `main` dispatches to a module per command (`check`, `scan`,
`info` for rules/explain/contracts); `parser` holds the grammar, `progress` the terminal line."""

from siglint.cli.main import main

__all__ = ["main"]
