"""Every hostile-input case (tests/hostile/cases.py): siglint gives the exit code and words the
case states, never a traceback or "internal error", within the case's time and memory limits.
A run is killed at three times its time limit, so a hang fails here instead of hanging CI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from cases import CASES, Case, execute  # noqa: E402


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.slow else []) for c in CASES]
)
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    try:
        run = execute(case, tmp_path)
    finally:
        if case.cleanup is not None:
            case.cleanup(tmp_path)
    shown = f"{case.name}: {run.describe()}\n{run.output[-3000:]}"
    assert run.code != -9, f"killed at {case.seconds * 3} s: {shown}"
    assert "Traceback" not in run.output and "internal error" not in run.output, shown
    assert run.code == case.code, shown
    for words in case.says:
        assert words in run.output, f"{words!r} not said: {shown}"
    if case.check is not None:
        case.check(run)
    assert run.seconds <= case.seconds, f"over {case.seconds} s: {shown}"
    assert run.peak_mib <= case.mib, f"over {case.mib} MiB: {shown}"
