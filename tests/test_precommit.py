"""siglint as a pre-commit hook, end to end: the real `pre-commit` tool installs the hook from a
temporary git copy of this project and runs it in a temporary consumer repository, both through
`pre-commit run` and through a real `git commit` with the hook installed.

The hook's virtualenv is built once per session (pip-installing this project), in a
PRE_COMMIT_HOME under pytest's temporary directory, so runs never touch ~/.cache/pre-commit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")
pytest.importorskip("pre_commit")

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
HOOK_NAME = "siglint (SavedModel signatures)"
GOOD_MODEL = "matrix_half_plus_two/1"  # no findings
BAD_MODEL = "saved_model_half_plus_three/00000123"  # SIG403/SIG404 errors, a SIG507 warning

# Project files the hook repository needs (tests, caches, VCS and virtualenvs are left out).
_HOOK_REPO_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml")
_HOOK_REPO_DIRS = ("siglint", "rules")
_COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".git", ".venv")

# One text-report finding line: `<path>[<tags>]:<signature>:<tensor>: SIGnnn <severity> <message>`.
_FINDING = re.compile(r"^(?P<where>\S.*?): (?P<code>SIG\d{3}) (?P<severity>error|warning|info) ", re.MULTILINE)

# Git variables that would point git (or pre-commit) at another repository, e.g. when this test
# itself runs inside a git hook; and pre-commit variables that would change what runs.
_SCRUBBED = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
    "PRE_COMMIT", "SKIP", "PRE_COMMIT_ALLOW_NO_CONFIG", "PRE_COMMIT_NO_CONCURRENCY",
)


# --------------------------------------------------------------------------------------------
# The manifest


def _manifest() -> list[dict]:
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and hooks, f"{MANIFEST} must be a non-empty list of hooks"
    return hooks


def test_manifest_hooks_are_complete() -> None:
    hooks = _manifest()
    for hook in hooks:
        for key in ("id", "name", "entry", "language"):
            assert isinstance(hook.get(key), str) and hook[key], f"hook {hook!r} lacks {key!r}"
    ids = [hook["id"] for hook in hooks]
    assert len(ids) == len(set(ids)), f"duplicate hook ids: {ids}"
    assert "siglint" in ids


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("a/1/saved_model.pb", True),
        ("saved_model.pb", True),
        ("saved_model.pbtxt", True),
        ("models/m/00000123/saved_model.pbtxt", True),
        ("saved_model.pb.bak", False),
        ("saved_model.pbtx", False),
        ("xsaved_model.pb", False),
        ("a/xsaved_model.pb", False),
        ("variables/variables.index", False),
        ("a/1/variables/variables.data-00000-of-00001", False),
        ("fingerprint.pb", False),
        ("models/m/00000123/model.tflite", True),  # TF Serving's TF Lite layout
        ("mobile/classifier.tflite", True),  # a TF Lite model given by name
        ("model.tflite.bak", False),
    ],
)
def test_manifest_files_regex(path: str, matches: bool) -> None:
    for hook in _manifest():
        # pre-commit matches `files` with re.search against repo-relative, /-separated paths.
        pattern = re.compile(hook.get("files", ""))
        assert bool(pattern.search(path)) is matches, (
            f"hook {hook['id']!r}: files {pattern.pattern!r} should "
            f"{'' if matches else 'not '}match {path!r}"
        )


# --------------------------------------------------------------------------------------------
# Helpers


def _env(base: dict[str, str], pre_commit_home: Path, git_config: Path) -> dict[str, str]:
    env = {k: v for k, v in base.items() if k not in _SCRUBBED}
    env.update(
        PRE_COMMIT_HOME=str(pre_commit_home),
        PRE_COMMIT_COLOR="never",
        # Hermetic git: no user/system config (hooksPath, gpgsign, templates...) leaks in.
        GIT_CONFIG_GLOBAL=str(git_config),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
    )
    return env


def _run(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=timeout, check=False,
    )


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = _run(["git", *args], cwd, env)
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}"
    return result.stdout.strip()


def _git_init(path: Path, env: dict[str, str]) -> None:
    _git(path, env, "init", "-q", "-b", "main")
    _git(path, env, "config", "user.name", "siglint tests")
    _git(path, env, "config", "user.email", "siglint-tests@example.invalid")
    _git(path, env, "config", "commit.gpgsign", "false")


def _findings(output: str) -> list[str]:
    return [m.group(0) + output[m.end():].split("\n", 1)[0] for m in _FINDING.finditer(output)]


def _finding_paths(output: str) -> set[str]:
    # `models/bad/1[serve]:sig:tensor` -> `models/bad/1`
    return {m.group("where").split("[", 1)[0].split(":", 1)[0] for m in _FINDING.finditer(output)}


def _text_copy(pb: Path, pbtxt: Path) -> None:
    """Write `pb` again as text format, as saved_model.pbtxt (fields siglint knows)."""
    from google.protobuf import text_format

    from siglint.savedmodel import proto as _proto

    proto = _proto.SavedModel()
    proto.ParseFromString(pb.read_bytes())
    pbtxt.write_text(text_format.MessageToString(proto), encoding="utf-8")


class Session:
    """A session-wide hook repository and a pre-commit cache already holding its environment."""

    def __init__(self, root: Path, env: dict[str, str], hook_repo: Path, rev: str) -> None:
        self.root = root
        self.env = env
        self.hook_repo = hook_repo
        self.rev = rev

    def config(self) -> str:
        return (
            "repos:\n"
            f"  - repo: {self.hook_repo.as_posix()}\n"
            f"    rev: {self.rev}\n"
            "    hooks:\n"
            "      - id: siglint\n"
        )


class Consumer:
    """A temporary repository using the hook, with one commit holding the config and README.txt
    untracked; models/good/1 and models/bad/1 are in the working tree, not yet added."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    def git(self, *args: str) -> str:
        return _git(self.path, self.env, *args)

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return _run([sys.executable, "-m", "pre_commit", *args], self.path, self.env)

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        """A real `git commit`: the installed hook decides."""
        return _run(["git", "commit", "-m", message], self.path, self.env)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def staged(self) -> list[str]:
        return self.git("diff", "--cached", "--name-only").splitlines()


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def precommit_session(tmp_path_factory: pytest.TempPathFactory, testdata: Path) -> Session:
    root = tmp_path_factory.mktemp("precommit")
    git_config = root / "gitconfig"
    git_config.write_text("", encoding="utf-8")
    env = _env(dict(os.environ), root / "pre-commit-home", git_config)

    # The hook repository: this checkout's files as they are now (committed or not), committed
    # in a fresh repository so pre-commit can pin it by sha.
    hook_repo = root / "hook-repo"
    hook_repo.mkdir()
    for name in _HOOK_REPO_FILES:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, hook_repo / name)
    for name in _HOOK_REPO_DIRS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, hook_repo / name, ignore=_COPY_IGNORE)
    assert (hook_repo / ".pre-commit-hooks.yaml").is_file(), f"{MANIFEST} is missing"
    _git_init(hook_repo, env)
    _git(hook_repo, env, "add", "-A")
    _git(hook_repo, env, "commit", "-q", "-m", "siglint under test")
    session = Session(root, env, hook_repo, _git(hook_repo, env, "rev-parse", "HEAD"))

    # Build the hook environment once; every consumer repository below reuses it.
    warmup = root / "warmup"
    warmup.mkdir()
    _git_init(warmup, env)
    (warmup / ".pre-commit-config.yaml").write_text(session.config(), encoding="utf-8")
    result = _run([sys.executable, "-m", "pre_commit", "install-hooks"], warmup, env, timeout=900)
    assert result.returncode == 0, f"pre-commit install-hooks failed:\n{result.stdout}"
    return session


@pytest.fixture
def consumer(tmp_path: Path, precommit_session: Session, testdata: Path) -> Consumer:
    repo = Consumer(tmp_path / "consumer", precommit_session.env)
    repo.path.mkdir()
    _git_init(repo.path, repo.env)
    (repo.path / ".pre-commit-config.yaml").write_text(precommit_session.config(), encoding="utf-8")
    repo.git("add", ".pre-commit-config.yaml")
    repo.git("commit", "-q", "-m", "use siglint")  # before `pre-commit install`: no hooks yet
    shutil.copytree(testdata / GOOD_MODEL, repo.path / "models/good/1")
    shutil.copytree(testdata / BAD_MODEL, repo.path / "models/bad/1")
    (repo.path / "README.txt").write_text("Models served by TF Serving.\n", encoding="utf-8")
    return repo


# --------------------------------------------------------------------------------------------
# The hook at work


def test_git_commit_accepts_good_model_and_rejects_bad_one(consumer: Consumer) -> None:
    installed = consumer.pre_commit("install")
    assert installed.returncode == 0, installed.stdout

    consumer.git("add", "models/good")
    before = consumer.head()
    result = consumer.commit("add the good model")
    assert result.returncode == 0, result.stdout
    assert re.search(rf"{re.escape(HOOK_NAME)}\.+Passed", result.stdout), result.stdout
    assert consumer.head() != before
    assert "models/good/1/saved_model.pb" in consumer.git("ls-files")

    consumer.git("add", "models/bad")
    before = consumer.head()
    result = consumer.commit("add the bad model")
    assert result.returncode != 0, f"the bad model was committed:\n{result.stdout}"
    assert re.search(rf"{re.escape(HOOK_NAME)}\.+Failed", result.stdout), result.stdout
    assert "SIG403" in result.stdout
    assert "models/bad/1" in result.stdout
    assert _finding_paths(result.stdout) == {"models/bad/1"}, result.stdout
    assert consumer.head() == before, "the rejected commit was made anyway"
    assert "models/bad/1/saved_model.pb" in consumer.staged(), "the bad model was unstaged"


def test_run_files_on_staged_good_model_passes(consumer: Consumer) -> None:
    consumer.git("add", "models/good")
    result = consumer.pre_commit("run", "--files", *consumer.staged())
    assert result.returncode == 0, result.stdout
    assert re.search(rf"{re.escape(HOOK_NAME)}\.+Passed", result.stdout), result.stdout


def test_run_all_files_reports_only_the_bad_model(consumer: Consumer) -> None:
    consumer.git("add", "models", "README.txt")
    result = consumer.pre_commit("run", "--all-files", "--verbose")
    assert result.returncode == 1, result.stdout
    assert re.search(rf"{re.escape(HOOK_NAME)}\.+Failed", result.stdout), result.stdout
    findings = _findings(result.stdout)
    assert any(" SIG403 error " in line for line in findings), result.stdout
    assert _finding_paths(result.stdout) == {"models/bad/1"}, result.stdout
    assert "models/good" not in result.stdout.split("- exit code:", 1)[-1], result.stdout
    # Both models were looked at (two files: pre-commit passes them to one siglint process).
    assert re.search(r"^Found .* in 2 models ", result.stdout, re.MULTILINE), result.stdout
    assert len(findings) == len(set(findings)), result.stdout


def test_hook_skipped_for_unrelated_files(consumer: Consumer) -> None:
    assert consumer.pre_commit("install").returncode == 0
    consumer.git("add", "README.txt")
    result = consumer.commit("docs only")
    assert result.returncode == 0, result.stdout
    assert re.search(
        rf"{re.escape(HOOK_NAME)}\.+\(no files to check\)Skipped", result.stdout
    ), result.stdout
    assert "SIG" not in result.stdout


def test_several_files_of_one_model_check_it_once(consumer: Consumer) -> None:
    model = consumer.path / "models/bad/1"
    _text_copy(model / "saved_model.pb", model / "saved_model.pbtxt")
    consumer.git("add", "models/bad")

    single = consumer.pre_commit("run", "--files", "models/bad/1/saved_model.pb")
    assert single.returncode == 1, single.stdout
    expected = _findings(single.stdout)
    assert any(" SIG403 error " in line for line in expected), single.stdout

    both = consumer.pre_commit(
        "run", "--files", "models/bad/1/saved_model.pb", "models/bad/1/saved_model.pbtxt"
    )
    assert both.returncode == 1, both.stdout
    findings = _findings(both.stdout)
    assert len(findings) == len(set(findings)), f"findings repeated:\n{both.stdout}"
    assert findings == expected, both.stdout


def test_many_models_with_two_files_each_are_checked_once(consumer: Consumer) -> None:
    """pre-commit shuffles the files and, unless the hook has `require_serial: true`, splits them
    over parallel siglint processes (one per CPU), so a model's .pb and .pbtxt may land in
    different ones and the model is checked, and reported, twice. On a one-CPU machine pre-commit
    does not split the files and this cannot fail."""
    for index in range(12):
        model = consumer.path / f"models/bad{index:02}/1"
        shutil.copytree(consumer.path / "models/bad/1", model)
        _text_copy(model / "saved_model.pb", model / "saved_model.pbtxt")
    consumer.git("add", "models")
    result = consumer.pre_commit("run", "--all-files")
    assert result.returncode == 1, result.stdout
    findings = _findings(result.stdout)
    assert len(findings) == len(set(findings)), f"findings repeated:\n{result.stdout}"
    assert {"models/bad/1", *(f"models/bad{i:02}/1" for i in range(12))} == _finding_paths(
        result.stdout
    )


def test_diff_hook_rejects_a_commit_that_breaks_the_last_ones_clients(consumer: Consumer, precommit_session: Session) -> None:
    """`siglint-diff` with `args: [git:HEAD:models/good/1, models/good/1]`: a commit that changes
    the model's signatures is rejected, one that keeps them goes through."""
    consumer.git("add", "models/good")
    assert consumer.commit("the model as served").returncode == 0  # no hook installed yet
    config = precommit_session.config().replace(
        "      - id: siglint\n",
        "      - id: siglint-diff\n        args: [git:HEAD:models/good/1, models/good/1]\n",
    )
    (consumer.path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    consumer.git("add", ".pre-commit-config.yaml")
    assert consumer.pre_commit("install").returncode == 0
    assert consumer.commit("use siglint diff").returncode == 0  # no model staged: skipped

    served = consumer.path / "models/good/1/saved_model.pb"
    _text_copy(served, served.with_suffix(".pbtxt"))  # the same signatures, as text: no change
    consumer.git("add", "models/good")
    result = consumer.commit("the same model as text too")
    assert result.returncode == 0, result.stdout
    assert re.search(r"siglint diff \(breaking SavedModel signature changes\)\.+Passed", result.stdout), result.stdout

    shutil.copy2(consumer.path / "models/bad/1/saved_model.pb", served)  # another model's signatures
    served.with_suffix(".pbtxt").unlink()
    consumer.git("add", "-A", "models/good")
    before = consumer.head()
    result = consumer.commit("replace the model")
    assert result.returncode != 0 and consumer.head() == before, result.stdout
    assert re.search(r"siglint diff \(breaking SavedModel signature changes\)\.+Failed", result.stdout), result.stdout
    assert " SIG7" in result.stdout and "from git:HEAD:models/good/1 to models/good/1" in result.stdout, result.stdout
