"""Runs siglint on a hostile artefact in a child process and measures it: exit code, output,
wall time and peak resident memory. A run over its time limit is killed, so a hang fails its
test instead of the suite.

Peak memory is the child's ru_maxrss from wait4, taken by a small launcher process: Linux
carries the high-water mark of the process that forks over exec, so a test process that once
held a large artefact would otherwise lend it to every child it starts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import NamedTuple

# argv: report file, then the command. Forks and execs the command, waits, writes "status maxrss".
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


class Run(NamedTuple):
    code: int  # the exit code; -9 when killed at the time limit
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float

    def describe(self) -> str:
        return f"exit {self.code} in {self.seconds:.2f} s, peak {self.peak_mib:.0f} MiB"

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(
    argv: Sequence[str],
    limit_seconds: float,
    cwd: str | None = None,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
    command: Sequence[str] | None = None,
) -> Run:
    """`python -m siglint *argv` (or `command`), killed after `limit_seconds` (code -9)."""
    command = list(command) if command is not None else [python, "-m", "siglint", *argv]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".report") as report:
        start = time.perf_counter()
        launcher = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, report.name, *command],
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, start_new_session=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        )
        try:
            launcher.wait(timeout=limit_seconds)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
        seconds = time.perf_counter() - start
        text = report.read().split()
        code, peak = (int(text[0]), int(text[1]) / 1024) if len(text) == 2 else (-9, float("nan"))
        out.seek(0)
        err.seek(0)
        return Run(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), seconds, peak)
