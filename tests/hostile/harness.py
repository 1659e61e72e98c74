"""Runs siglint on a hostile artefact in a child process and measures it: exit code, output,
wall time and peak resident memory (from os.wait4's rusage). A run over its time limit is
killed, so a hang fails its test instead of the suite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import NamedTuple


class Run(NamedTuple):
    code: int  # the exit code; -9 when killed at the time limit
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float

    def describe(self) -> str:
        return f"exit {self.code} in {self.seconds:.2f} s, peak {self.peak_mib:.0f} MiB"


def run(
    argv: Sequence[str],
    limit_seconds: float,
    cwd: str | None = None,
    python: str = sys.executable,
    env: dict[str, str] | None = None,
) -> Run:
    """`python -m siglint *argv`, killed after `limit_seconds` (then code is -9)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [python, "-m", "siglint", *argv], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            cwd=cwd, env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        )
        deadline = start + limit_seconds
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.send_signal(signal.SIGKILL)
                _, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen quiet
        out.seek(0)
        err.seek(0)
        return Run(
            child.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
            seconds, usage.ru_maxrss / 1024,
        )
