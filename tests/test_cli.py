"""The command line: exit codes, selection, formats, subcommands, and no TensorFlow import."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sarif import valid_sarif

from siglint import checks
from siglint.cli import main

ALL_RULES = checks.rules()
from siglint.report import FORMATS

BAD = "saved_model_half_plus_two_mkl"  # error findings
WARN = "saved_model_counter"  # warnings and info only
CLEAN = "matrix_half_plus_two"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_exit_codes(testdata: Path) -> None:
    assert run("check", str(testdata / CLEAN))[0] == 0
    assert run("check", str(testdata / WARN))[0] == 0
    assert run("check", str(testdata / BAD))[0] == 1
    assert run("check", "--exit-zero", str(testdata / BAD))[0] == 0
    assert run("check", "--select", "NOPE", str(testdata / BAD))[0] == 2
    assert run("check", "--format", "xml", str(testdata / BAD))[0] == 2
    assert run()[0] == 2
    assert run("explain", "SIG999")[0] == 2


def test_text_lines_and_summary(testdata: Path) -> None:
    code, out = run("check", str(testdata / BAD))
    lines = out.splitlines()
    assert lines[-1].startswith("Found 4 errors, 2 warnings in 1 model")
    assert f"{testdata / BAD}/00000123[serve]:regress_x_to_y2:outputs: SIG404 error " in out
    _, quiet = run("check", "-q", str(testdata / BAD))
    assert quiet.splitlines() == lines[:-1]
    assert run("check", str(testdata / CLEAN))[1] == "All checks passed: 1 model, 1 signature.\n"


@pytest.mark.parametrize(
    ("argv", "codes"),
    [
        (["--select", "SIG4"], {"SIG403", "SIG404"}),
        (["--select", "SIG403"], {"SIG403"}),
        (["--ignore", "SIG4"], {"SIG310"}),
        (["--select", "SIG4", "--ignore", "SIG404"], {"SIG403"}),
        (["--select", "SIG404", "--ignore", "SIG4"], {"SIG404"}),
        (["--select", "SIG403,SIG310"], {"SIG403", "SIG310"}),
        (["--select", "ALL", "--ignore", "SIG3"], {"SIG403", "SIG404"}),
        (["--select", "sig4", "--select", "SIG31"], {"SIG403", "SIG404", "SIG310"}),
    ],
)
def test_select_and_ignore_by_prefix(testdata: Path, argv: list[str], codes: set[str]) -> None:
    _, out = run("check", "--format", "json", *argv, str(testdata / BAD))
    assert {f["code"] for f in json.loads(out)["findings"]} == codes


def test_json_schema(testdata: Path) -> None:
    _, out = run("check", "--format", "json", str(testdata / BAD), str(testdata / "tflite"))
    document = json.loads(out)
    assert document["version"] == 1
    assert {m["path"] for m in document["models"]} >= {str(testdata / BAD / "00000123")}
    for finding in document["findings"]:
        assert set(finding) >= {"code", "name", "severity", "message", "path", "tags", "signature", "tensor"}
        assert finding["severity"] in ("error", "warning", "info")
    # A model-wide finding (SIG908: a model.tflite the default server does not load) has no tag-set or signature.
    missing = [f for f in document["findings"] if f["code"] == "SIG908"]
    assert missing and all(f["tags"] is None and f["signature"] is None for f in missing)


def test_profile_flags_change_verdicts(testdata: Path) -> None:
    tf2 = str(testdata / "saved_model_half_plus_two_tf2_cpu")
    _, out = run("check", "--format", "json", "--select", "SIG202", tf2)
    assert {f["severity"] for f in json.loads(out)["findings"]} == {"warning"}
    _, out = run("check", "--format", "json", "--select", "SIG202", "--method-name-check", tf2)
    assert {f["severity"] for f in json.loads(out)["findings"]} == {"error"}
    _, out = run("check", "--format", "json", "--tags", "serve,gpu", str(testdata / CLEAN))
    assert [f["code"] for f in json.loads(out)["findings"]] == ["SIG101"]
    _, out = run("check", "--format", "json", "--default-signature", "predict", str(testdata / CLEAN))
    assert [f["code"] for f in json.loads(out)["findings"]] == ["SIG102"]


def test_github_and_sarif(testdata: Path) -> None:
    _, out = run("check", "--format", "github", str(testdata / BAD))
    first = out.splitlines()[0]
    assert first.startswith("::error title=siglint (SIG403),file=") and "saved_model.pb::" in first
    _, out = run("check", "--format", "sarif", str(testdata / BAD))
    sarif = valid_sarif(out)
    run_ = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    # Every rule a check can report: the SIG7 rules are `siglint diff`'s.
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == [r.code for r in ALL_RULES if not checks.is_diff(r.code)]
    assert {r["ruleId"] for r in run_["results"]} == {"SIG310", "SIG403", "SIG404"}
    assert all(r["locations"][0]["logicalLocations"] for r in run_["results"])


def test_output_file(tmp_path: Path, testdata: Path) -> None:
    target = tmp_path / "report.json"
    code, out = run("check", "--format", "json", "-o", str(target), str(testdata / BAD))
    assert code == 1 and out == "" and json.loads(target.read_text())["findings"]


def test_output_file_in_a_folder_that_does_not_exist_yet(tmp_path: Path, testdata: Path) -> None:
    """As ruff does, `-o reports/siglint/out.json` creates the missing folders."""
    target = tmp_path / "reports" / "siglint" / "out.json"
    assert run("check", "--format", "json", "-o", str(target), str(testdata / BAD))[0] == 1
    assert json.loads(target.read_text())["findings"]
    (tmp_path / "file").write_text("")
    assert run("check", "-o", str(tmp_path / "file" / "out.txt"), str(testdata / BAD))[0] == 2


def test_rules_and_explain() -> None:
    code, out = run("rules")
    assert code == 0 and len(out.splitlines()) == len(ALL_RULES)
    code, out = run("rules", "--format", "json")
    assert [r["code"] for r in json.loads(out)] == [r.code for r in ALL_RULES]
    for rule in ALL_RULES:
        code, out = run("explain", rule.code)
        assert code == 0 and out.startswith(f"# {rule.name} ({rule.code})")
        assert run("explain", rule.name)[1] == out


# What `siglint check` of a few models must never import: TensorFlow, and what would slow its
# start-up (process pools are imported only for a parallel run, the fixture machinery only by
# `siglint fixtures`).
NEVER_IMPORTED_BY_CHECK = (
    "tensorflow", "multiprocessing", "concurrent.futures", "siglint.fixturegen", "siglint.reference",
    "tomllib", "jsonschema", "importlib.resources", "json", "shutil", "google.protobuf.descriptor_pb2",
    "siglint.engine.contracts.compiler", "siglint.report.baseline", "siglint.report.sarif",
    # The contract rules' modules are their documentation: the pack is their check.
    "siglint.checks.sig301_classify_input_count", "siglint.checks.sig404_regress_output_shape",
    # What only `siglint show` and GetModelMetadata responses need.
    "siglint.savedmodel.inspect_proto", "siglint.model.metadata", "siglint.model.details",
    "siglint.report.show", "siglint.run.inspect",
    # A deployment's formats: read only for a warmup file, a models.config or `siglint request`.
    "siglint.serving.proto", "siglint.io.tfrecord", "siglint.model.rest", "siglint.model.examples",
    "siglint.run.requests", "siglint.model.server_config",
    # `siglint diff`'s rules, runs and git reader.
    "siglint.engine.diff", "siglint.checks._diff", "siglint.checks.sig720_input_removed", "siglint.run.diff",
    "siglint.io.git", "siglint.report.diff", "subprocess",
)


def test_check_never_imports_tensorflow_or_slow_modules(testdata: Path) -> None:
    script = (
        "import sys, io, contextlib\n"
        "from siglint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['check', {str(testdata)!r}])\n"
        f"print(code, sorted(m for m in sys.modules if m.split('.')[0] == 'tensorflow' or m in {NEVER_IMPORTED_BY_CHECK!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "[]"]


# Loaded when a run meets a TF Lite model, a warmup file, a models.config or a request: a
# SavedModel's check never does.
DEFERRED_MODULES = (
    "siglint.io.flatbuffer", "siglint.model.tflite", "siglint.checks._tflite", "siglint.checks.sig900_tflite_unparsable",
    "siglint.checks.sig910_conversion_signature_keys",
    "siglint.engine.deployment", "siglint.checks._requests", "siglint.checks.sig041_warmup_not_tfrecord",
)


def test_a_saved_model_check_loads_no_deferred_rules(testdata: Path) -> None:
    script = (
        "import sys, io, contextlib\n"
        "from siglint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['check', {str(testdata / CLEAN)!r}])\n"
        f"print(code, sorted(m for m in sys.modules if m in {DEFERRED_MODULES!r}))\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['check', {str(testdata / 'tflite')!r}])\n"
        f"print(code, sorted(m for m in sys.modules if m in {DEFERRED_MODULES[:5]!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["0 []", f"1 {sorted(DEFERRED_MODULES[:5])!r}"]


def test_console_script_entry_point(testdata: Path) -> None:
    run_ = subprocess.run(
        [sys.executable, "-m", "siglint", "check", str(testdata / CLEAN)], capture_output=True, text=True
    )
    assert run_.returncode == 0 and run_.stdout.startswith("All checks passed")


def test_readme_demo_output_is_what_the_demo_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's first command checks fixtures/demo; its quoted output must stay true."""
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    code, out = run("check", "fixtures/demo")
    assert code == 1
    readme = (ROOT / "README.md").read_text()
    quoted = readme.split("One line per finding, then a summary:\n\n```text\n", 1)[1].split("```", 1)[0]
    for line in quoted.splitlines():
        assert line in out.splitlines()
    assert "fixtures/demo/half_plus_two" not in out  # the clean model


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_paths_that_are_not_utf8_do_not_crash_any_format(tmp_path: Path, testdata: Path, fmt: str) -> None:
    import os
    import shutil

    weird = os.path.join(os.fsencode(tmp_path), b"m\xff\xfe", b"1")
    os.makedirs(weird)
    shutil.copy(testdata / BAD / "00000123" / "saved_model.pb", os.path.join(weird, b"saved_model.pb"))
    report = tmp_path / "report"
    for extra in ([], ["-o", str(report)]):
        run_ = subprocess.run(
            [sys.executable, "-m", "siglint", "check", "--format", fmt, *extra, str(tmp_path)],
            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        assert run_.returncode == 1 and run_.stderr == b"", run_.stderr
        if fmt == "sarif":
            valid_sarif(report.read_bytes() if extra else run_.stdout)


def test_broken_pipe_keeps_the_verdict(testdata: Path) -> None:
    # SARIF of the whole testdata is over 150 kB: more than a pipe buffer, so the pipe breaks.
    script = (
        f"{sys.executable} -m siglint check --format sarif {testdata} | head -c 10 > /dev/null; "
        "echo ${PIPESTATUS[0]}"
    )
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "1" and "Traceback" not in out.stderr


@pytest.mark.parametrize("command", ["rules --format json", "rules --format markdown", "explain SIG306", "contracts"])
def test_a_closed_pipe_ends_every_command_quietly(command: str) -> None:
    """`siglint rules --format json | head -c 100` used to say "internal error: BrokenPipeError"."""
    script = f"for i in 1 2 3 4 5; do {sys.executable} -m siglint {command} | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}; done"
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["0"] * 5
    assert out.stderr == ""


def test_empty_default_signature_is_a_usage_error(testdata: Path) -> None:
    assert run("check", "--default-signature", "", str(testdata / CLEAN))[0] == 2


def test_a_plain_checkout_runs_with_only_protobuf(tmp_path: Path) -> None:
    """`python -m siglint check fixtures/demo` from a clone that was never installed, on a
    Python that has protobuf and nothing else: the bundled packs are found in rules/."""
    import google.protobuf
    from conftest import ROOT

    checkout = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__")
    for part in ("siglint", "rules", "fixtures/demo"):
        shutil.copytree(ROOT / part, checkout / part, ignore=ignore)
    only_protobuf = tmp_path / "site"
    (only_protobuf / "google").mkdir(parents=True)
    (only_protobuf / "google" / "protobuf").symlink_to(Path(google.protobuf.__file__).parent)
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(only_protobuf)}
    run_ = subprocess.run(
        [sys.executable, "-S", "-m", "siglint", "check", "fixtures/demo"],
        cwd=checkout, env=environment, capture_output=True, text=True, timeout=60,
    )
    assert run_.stderr == ""
    assert run_.returncode == 1 and run_.stdout.splitlines()[-1].startswith("Found 2 errors, ")
