"""Many models: several processes give the same result as one, in the same order; a dead worker
costs only its own models; progress shows on a terminal only."""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

import pytest

import siglint.run.lint
from siglint import lint_paths
from siglint.cli import main
from siglint.cli.progress import Progress
from siglint.run import schedule

MODELS = 300


@pytest.fixture(scope="module")
def tree(testdata: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MODELS base paths, each with one version, cycling through the serving models."""
    sources = sorted(p for p in testdata.glob("*/*/saved_model.pb") if p.stat().st_size < 100_000)
    root = tmp_path_factory.mktemp("tree")
    for number in range(MODELS):
        version = root / f"model_{number:04d}" / "1"
        version.mkdir(parents=True)
        shutil.copy(sources[number % len(sources)], version / "saved_model.pb")
    (root / "model_0007" / "1" / "saved_model.pb").write_bytes(b"\x12\xff")  # one broken model
    return root


def test_several_processes_give_the_same_result_as_one(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "available_cpus", lambda: 2)
    assert schedule.processes_for(MODELS, None) == 2 and schedule.processes_for(MODELS, 1) == 1
    serial = lint_paths(tree, jobs=1)
    reported: list[tuple[int, int]] = []
    parallel = lint_paths(tree, jobs=2, progress=lambda done, total: reported.append((done, total)))
    assert parallel == serial
    assert reported[-1] == (MODELS, MODELS) and len(reported) > 1
    assert [done for done, _ in reported] == sorted(done for done, _ in reported)
    assert [m.path for m in parallel.models] == sorted(m.path for m in parallel.models)
    assert len(parallel.models) == MODELS
    assert {f.code for f in parallel.findings if "model_0007" in f.location.path} == {"SIG002"}


def test_few_models_stay_in_one_process() -> None:
    assert schedule.processes_for(schedule.MIN_ITEMS_PER_PROCESS * 2 - 1, 8) == 1
    assert schedule.processes_for(schedule.MIN_ITEMS_PER_PROCESS * 2, 8) == 2
    assert schedule.processes_for(10_000, 3) == 3


def test_a_dead_worker_costs_only_its_own_models(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_load = siglint.run.lint.load_model
    doomed = str(tree / "model_0100" / "1")

    def load(path: str, *args: object) -> object:
        if path == doomed:
            os._exit(3)  # a crash in a worker: no exception, the process is gone
        return real_load(path, *args)

    monkeypatch.setattr(siglint.run.lint, "load_model", load)
    result = lint_paths(tree, jobs=2)
    lost = [e for e in result.internal_errors if "worker process checking it died" in e]
    assert any(doomed in e for e in lost)
    assert 0 < len(lost) < MODELS // 2  # its chunk, not the run
    assert len(result.models) + len(lost) == MODELS


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_after_the_delay_and_is_erased() -> None:
    terminal = FakeTerminal()
    progress = Progress(terminal, delay=0.0, interval=0.0)
    progress(1, 3)
    progress(3, 3)
    progress.close()
    text = terminal.getvalue()
    assert "siglint: checked 1/3 models" in text and "siglint: checked 3/3 models" in text
    assert text.endswith("\r" + " " * len("siglint: checked 3/3 models") + "\r")


def test_progress_waits_for_its_delay_and_never_writes_to_a_pipe() -> None:
    terminal, pipe = FakeTerminal(), io.StringIO()
    Progress(terminal, delay=60.0)(1, 2)
    Progress(pipe, delay=0.0, interval=0.0)(1, 2)
    assert terminal.getvalue() == "" and pipe.getvalue() == ""


def test_cli_progress_only_on_a_terminal_and_not_with_quiet(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(Progress, "__init__", _instant_progress_init)
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    main(["check", str(tree), "--jobs", "1"], stdout=io.StringIO())
    assert "checked 300/300 models" in sys.stderr.getvalue()  # type: ignore[attr-defined]
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    main(["check", "-q", str(tree), "--jobs", "1"], stdout=io.StringIO())
    assert sys.stderr.getvalue() == ""  # type: ignore[attr-defined]
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    main(["check", str(tree), "--jobs", "1"], stdout=io.StringIO())
    assert "checked" not in sys.stderr.getvalue()  # type: ignore[attr-defined]


_real_init = Progress.__init__


def _instant_progress_init(self: Progress, stream: io.StringIO, **_: float) -> None:
    _real_init(self, stream, delay=0.0, interval=0.0)


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_jobs_must_be_a_positive_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--jobs", value, "."]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_contract_packs_travel_to_the_worker_processes(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from siglint.engine import contracts
    from siglint.engine.options import Options

    monkeypatch.setattr(schedule, "available_cpus", lambda: 2)
    options = Options(packs=(contracts.load_pack("keras-export"), contracts.load_pack("tf-ranking")))
    serial = lint_paths(tree, options, jobs=1)
    assert lint_paths(tree, options, jobs=2) == serial
    assert {f.contract for f in serial.findings if f.contract} >= {"tf-ranking/regress", "keras-export/default-signature"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent(tree: Path) -> None:
    """SIGKILL of `siglint check -j 2` (a CI timeout) leaves no worker behind."""
    import signal
    import subprocess
    import time

    script = (
        "import sys, time\n"
        "import siglint.run.lint as lint\n"
        "real = lint.load_model\n"
        "def slow(*args):\n"
        "    time.sleep(3600)\n"
        "    return real(*args)\n"
        "lint.load_model = slow\n"
        "from siglint.cli import main\n"
        f"main(['check', '-q', '-j', '2', {str(tree)!r}])\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 30
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = _children(parent.pid)
        assert len(workers) == 2, workers
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if parent.poll() is None:
            parent.kill()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
