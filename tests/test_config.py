"""Configuration files: discovery, precedence of flags over the file, selection, severities,
per-path ignores, the profile, precise errors for broken files, and the lazy jsonschema import."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from siglint import Severity, lint_paths
from siglint.cli import main
from siglint.config.files import ConfigError, find_config, read_config
from siglint.config.settings import load_config

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "fixtures" / "rules"
# name in the work tree -> fixture model; each fails exactly the rule named.
MODELS = {
    "models/classify": "SIG307-classify-output-dtype",  # 2 x SIG307 error
    "models/legacy/regress": "SIG404-regress-output-shape",  # 1 x SIG404 error
    "models/method": "SIG201-unknown-method-name",  # 1 x SIG201 warning (error with the check on)
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding three failing models; the current folder while the test runs."""
    for name, rule in MODELS.items():
        shutil.copytree(RULES / rule / "fail" / "model", tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["check", "-q", *argv], stdout=out)
    return code, out.getvalue()


def codes(out: str) -> list[str]:
    return sorted(line.split(": ")[1].split()[0] for line in out.splitlines())


def severities(out: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in out.splitlines():
        code, severity = line.split(": ")[1].split()[:2]
        found.setdefault(code, set()).add(severity)
    return found


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_file_checks_every_rule(tree: Path) -> None:
    assert find_config() is None
    code, out = run("models")
    assert code == 1
    assert codes(out) == ["SIG201", "SIG307", "SIG307", "SIG404"]


def test_pyproject_table_is_found_from_a_subfolder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tree / "pyproject.toml", '[tool.siglint]\nselect = ["SIG4"]\n')
    monkeypatch.chdir(tree / "models")
    assert find_config() == os.path.join("..", "pyproject.toml")
    assert codes(run(".")[1]) == ["SIG404"]


def test_pyproject_without_siglint_table_is_passed_over(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tree / "pyproject.toml", '[tool.siglint]\nselect = ["SIG4"]\n')
    write(tree / "models" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 1\n')
    monkeypatch.chdir(tree / "models")
    assert find_config() == os.path.join("..", "pyproject.toml")


@pytest.mark.parametrize(
    "table",
    [
        '[tool.siglint]\nselect = ["SIG4"]\n',
        '[tool.siglint.severity]\nSIG4 = "info"\n',
        '[tool]\nsiglint = {select = ["SIG4"]}\n',
        '[tool]\nsiglint.select = ["SIG4"]\n',
        'tool.siglint.select = ["SIG4"]\n',
        '[ "tool" . "siglint" ]\nselect = ["SIG4"]\n',
    ],
)
def test_every_spelling_of_the_table_is_found(tree: Path, table: str) -> None:
    write(tree / "pyproject.toml", table + '[project]\nname = "siglint"\n[project.scripts]\nsiglint = "x:y"\n')
    assert find_config() == "pyproject.toml"


@pytest.mark.parametrize(
    "text",
    [
        '[project]\nname = "siglint"\n[project.scripts]\nsiglint = "siglint.cli:main"\n',
        '[tool.siglinter]\nselect = ["SIG4"]\n',
        '[tool.ruff]\nsiglint = 1\n',
    ],
)
def test_pyproject_without_the_table_is_not_parsed(tree: Path, text: str) -> None:
    write(tree / "pyproject.toml", text + "[tool.broken\n")  # parsing it would fail
    assert find_config() is None


def test_siglint_toml_wins_over_pyproject_in_the_same_folder(tree: Path) -> None:
    write(tree / "pyproject.toml", '[tool.siglint]\nselect = ["SIG4"]\n')
    write(tree / "siglint.toml", 'select = ["SIG3"]\n')
    assert find_config() == "siglint.toml"
    assert codes(run("models")[1]) == ["SIG307", "SIG307"]


def test_nearest_folder_wins(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tree / "siglint.toml", 'select = ["SIG3"]\n')
    write(tree / "models" / "pyproject.toml", '[tool.siglint]\nselect = ["SIG2"]\n')
    monkeypatch.chdir(tree / "models")
    assert codes(run(".")[1]) == ["SIG201"]


def test_config_flag_and_isolated(tree: Path) -> None:
    write(tree / "siglint.toml", 'select = ["SIG3"]\n')
    write(tree / "other.toml", 'select = ["SIG4"]\n')
    assert codes(run("--config", "other.toml", "models")[1]) == ["SIG404"]
    assert codes(run("--isolated", "models")[1]) == ["SIG201", "SIG307", "SIG307", "SIG404"]
    assert codes(run("--no-config", "models")[1]) == ["SIG201", "SIG307", "SIG307", "SIG404"]


@pytest.mark.parametrize(
    ("config", "flags", "expected"),
    [
        # The file alone.
        ('select = ["SIG3", "SIG4"]', [], ["SIG307", "SIG307", "SIG404"]),
        ('ignore = ["SIG3"]', [], ["SIG201", "SIG404"]),
        ('select = ["SIG3"]\nextend-select = ["SIG201"]', [], ["SIG201", "SIG307", "SIG307"]),
        ('select = ["SIG"]\nignore = ["SIG3"]', [], ["SIG201", "SIG404"]),
        ('select = ["SIG307"]\nignore = ["SIG3"]', [], ["SIG307", "SIG307"]),  # more specific wins
        ('extend-select = ["SIG3"]', [], ["SIG201", "SIG307", "SIG307", "SIG404"]),  # all already
        # --select replaces the file's select, extend-select and ignore (as in ruff).
        ('select = ["SIG3"]', ["--select", "SIG4"], ["SIG404"]),
        ('ignore = ["SIG4"]', ["--select", "SIG4"], ["SIG404"]),
        ('select = ["SIG3"]\nextend-select = ["SIG2"]', ["--select", "SIG4"], ["SIG404"]),
        # --extend-select and --ignore add to the file's.
        ('select = ["SIG3"]', ["--extend-select", "SIG4"], ["SIG307", "SIG307", "SIG404"]),
        ('ignore = ["SIG3"]', ["--ignore", "SIG4"], ["SIG201"]),
        ('select = ["SIG3", "SIG4"]', ["--ignore", "SIG307"], ["SIG404"]),
        # Flags combine among themselves as before.
        ("", ["--select", "SIG3", "--extend-select", "SIG2", "--ignore", "SIG307"], ["SIG201"]),
    ],
)
def test_selection_precedence(tree: Path, config: str, flags: list[str], expected: list[str]) -> None:
    write(tree / "siglint.toml", config + "\n")
    assert codes(run(*flags, "models")[1]) == expected


def test_severity_by_prefix_longest_wins(tree: Path) -> None:
    write(tree / "siglint.toml", '[severity]\nSIG = "info"\nSIG3 = "warning"\nSIG307 = "error"\n')
    assert severities(run("models")[1]) == {"SIG201": {"info"}, "SIG307": {"error"}, "SIG404": {"info"}}


def test_demoting_every_error_gives_exit_zero(tree: Path) -> None:
    assert run("models")[0] == 1
    write(tree / "pyproject.toml", '[tool.siglint.severity]\nALL = "warning"\n')
    code, out = run("models")
    assert code == 0
    assert severities(out) == {"SIG201": {"warning"}, "SIG307": {"warning"}, "SIG404": {"warning"}}


def test_severity_applies_in_json_and_sarif(tree: Path) -> None:
    import json

    write(tree / "siglint.toml", '[severity]\nSIG404 = "info"\n')
    document = json.loads(run("--format", "json", "models/legacy")[1])
    assert [f["severity"] for f in document["findings"]] == ["info"]
    from sarif import valid_sarif

    sarif = valid_sarif(run("--format", "sarif", "models/legacy")[1])
    assert [r["level"] for r in sarif["runs"][0]["results"]] == ["note"]
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SIG404"]["defaultConfiguration"]["level"] == "note"


def test_severity_raises_a_warning_to_an_error(tree: Path) -> None:
    write(tree / "siglint.toml", '[severity]\nSIG201 = "error"\n')
    code, out = run("models/method")
    assert (code, severities(out)) == (1, {"SIG201": {"error"}})


@pytest.mark.parametrize(
    ("ignores", "expected"),
    [
        ('"models/legacy" = ["ALL"]', ["SIG201", "SIG307", "SIG307"]),  # a folder covers what is under it
        ('"models/legacy/*" = ["SIG4"]', ["SIG201", "SIG307", "SIG307"]),
        ('"**/regress" = ["SIG404"]', ["SIG201", "SIG307", "SIG307"]),
        ('"models/*" = ["SIG3", "SIG2"]', ["SIG404"]),
        ('"models/legacy" = ["SIG3"]', ["SIG201", "SIG307", "SIG307", "SIG404"]),  # other codes stay
        ('"legacy" = ["ALL"]', ["SIG201", "SIG307", "SIG307", "SIG404"]),  # relative to the file
        ('"mod*" = ["ALL"]', []),
    ],
)
def test_per_path_ignores(tree: Path, ignores: str, expected: list[str]) -> None:
    write(tree / "siglint.toml", f"[per-path-ignores]\n{ignores}\n")
    assert codes(run("models")[1]) == expected


def test_per_path_ignores_are_relative_to_the_config_file(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tree / "siglint.toml", '[per-path-ignores]\n"models/legacy" = ["ALL"]\n')
    monkeypatch.chdir(tree / "models")
    assert codes(run(".")[1]) == ["SIG201", "SIG307", "SIG307"]
    assert codes(run(str(tree / "models"))[1]) == ["SIG201", "SIG307", "SIG307"]


def test_profile_keys_and_flags_over_them(tree: Path) -> None:
    assert severities(run("models/method")[1]) == {"SIG201": {"warning"}}
    write(tree / "siglint.toml", "[profile]\nmethod-name-check = true\n")
    assert severities(run("models/method")[1]) == {"SIG201": {"error"}}
    assert severities(run("--no-method-name-check", "models/method")[1]) == {"SIG201": {"warning"}}


def test_profile_tags_and_default_signature(tree: Path) -> None:
    write(tree / "siglint.toml", '[profile]\ntags = ["serve", "gpu"]\ndefault-signature = "other"\n')
    options = load_config("siglint.toml")
    assert options.profile.tags == ("serve", "gpu")
    assert options.profile.default_signature == "other"
    assert options.profile.method_name_check is False  # unset keys keep the stock server's
    codes_found = codes(run("models/legacy")[1])
    assert codes_found == ["SIG101"]  # no MetaGraphDef tagged serve+gpu
    assert codes(run("--tags", "serve", "models/legacy")[1]) == ["SIG102", "SIG404"]


def test_load_config_for_library_users(tree: Path) -> None:
    write(tree / "pyproject.toml", '[tool.siglint]\nselect = ["SIG3"]\n[tool.siglint.severity]\nSIG3 = "info"\n')
    options = load_config()  # found from the current folder
    assert options == load_config("pyproject.toml")
    result = lint_paths("models", options)
    assert {(f.code, f.severity) for f in result.findings} == {("SIG307", Severity.INFO)}
    assert not result.has_errors


def test_load_config_without_a_file_gives_the_defaults(tree: Path) -> None:
    from siglint import Options

    assert load_config() == Options()


BROKEN = [
    ("pyproject.toml", "[tool.siglint\n", "pyproject.toml: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 14)"),
    ("pyproject.toml", "[tool.siglint]\ncontracts = \"tf-ranking\"\n", "pyproject.toml: tool.siglint.contracts: 'tf-ranking' is not of type 'array'"),
    ("siglint.toml", "contract = []\n", "siglint.toml: contract: unknown key"),
    ("siglint.toml", "contracts = [\"tf-serving\"]\n", "tf-serving: the tf-serving pack is always on (its findings are the core rules)"),
    ("siglint.toml", "contracts = [\"missing.json\"]\n", "missing.json: cannot read: No such file or directory"),
    ("siglint.toml", "[profile]\nrestful = true\n", "siglint.toml: profile.restful: unknown key"),
    ("pyproject.toml", '[tool.siglint.severity]\nSIG999 = "info"\n', "pyproject.toml: tool.siglint.severity.SIG999: matches no rule code"),
    ("pyproject.toml", '[tool.siglint.severity]\nSIG3 = "fatal"\n', "pyproject.toml: tool.siglint.severity.SIG3: 'fatal' is not one of ['error', 'warning', 'info']"),
    ("pyproject.toml", '[tool.siglint.profile]\nruntime = "tfx"\n', "pyproject.toml: tool.siglint.profile.runtime: 'tfx' is not one of ['tf', 'tfrt']"),
    ("siglint.toml", '[profile]\nrest = "yes"\n', "siglint.toml: profile.rest: 'yes' is not of type 'boolean'"),
    ("siglint.toml", "[profile]\ntags = []\n", "siglint.toml: profile.tags: [] should be non-empty"),
    ("siglint.toml", '[profile]\ndefault-signature = ""\n', "siglint.toml: profile.default-signature: '' should be non-empty"),
    ("siglint.toml", 'select = "SIG3"\n', "siglint.toml: select: 'SIG3' is not of type 'array'"),
    ("siglint.toml", 'select = ["SIG3", 4]\n', "siglint.toml: select[1]: 4 is not of type 'string'"),
    ("siglint.toml", 'ignore = ["SIG3", "NOPE"]\n', "siglint.toml: ignore[1]: 'NOPE' matches no rule code"),
    ("siglint.toml", 'extend-select = ["X1"]\n', "siglint.toml: extend-select[0]: 'X1' matches no rule code"),
    ("siglint.toml", '[per-path-ignores]\n"a/*.pb" = ["SIG1", "Q"]\n', 'siglint.toml: per-path-ignores."a/*.pb"[1]: \'Q\' matches no rule code'),
    ("siglint.toml", '[per-path-ignores]\nlegacy = "SIG1"\n', "siglint.toml: per-path-ignores.legacy: 'SIG1' is not of type 'array'"),
    ("pyproject.toml", "[tool]\nsiglint = 3\n", "pyproject.toml: tool.siglint: 3 is not of type 'object'"),
]


@pytest.mark.parametrize(("name", "text", "message"), BROKEN, ids=[m.split(": ", 1)[1] for _, _, m in BROKEN])
def test_broken_config_exits_2_with_one_precise_line(
    tree: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    write(tree / name, text)
    capsys.readouterr()
    code, out = run("models")
    err = capsys.readouterr().err
    assert (code, out) == (2, "")
    assert err == f"siglint: error: {message}\n"
    with pytest.raises(ConfigError, match="^" + re.escape(message) + "$"):
        read_config(name)


def test_missing_explicit_config_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--config", "nope.toml", "models")[0] == 2
    assert capsys.readouterr().err == "siglint: error: nope.toml: cannot read: No such file or directory\n"


def test_explicit_pyproject_needs_a_siglint_table(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tree / "pyproject.toml", "[project]\nname = 'x'\n")
    assert run("--config", "pyproject.toml", "models")[0] == 2
    assert capsys.readouterr().err == "siglint: error: pyproject.toml: no [tool.siglint] table\n"


def test_isolated_skips_a_broken_config(tree: Path) -> None:
    write(tree / "siglint.toml", "select = 3\n")
    assert run("models")[0] == 2
    assert run("--isolated", "models")[0] == 1


def test_config_and_isolated_are_exclusive(tree: Path) -> None:
    assert run("--config", "x.toml", "--isolated", "models")[0] == 2


_IMPORTS_AFTER_CHECK = (
    "import io, sys\n"
    "from siglint.cli import main\n"
    "code = main(['check', '-q', {path!r}], stdout=io.StringIO())\n"
    "print(code, 'jsonschema' in sys.modules)\n"
)


def test_jsonschema_is_imported_only_when_a_config_file_is_read(tree: Path) -> None:
    def imports(cwd: Path) -> str:
        script = _IMPORTS_AFTER_CHECK.format(path=str(tree / "models" / "legacy"))
        return subprocess.run(
            [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()

    bare = tree / "bare"
    bare.mkdir()
    assert imports(bare) == "1 False"
    write(tree / "configured" / "siglint.toml", '[severity]\nSIG4 = "warning"\n')
    assert imports(tree / "configured") == "0 True"


def test_schema_ships_as_package_data() -> None:
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "schema.json" in pyproject["tool"]["setuptools"]["package-data"]["siglint.config"]
    assert any(dep.startswith("jsonschema") for dep in pyproject["project"]["dependencies"])
    assert (ROOT / "siglint" / "config" / "schema.json").is_file()
    # Every package of the tree ships (the list is by hand: rules/ installs as siglint.packs).
    packages = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "siglint").rglob("__init__.py")
    }
    assert set(pyproject["tool"]["setuptools"]["packages"]) == packages | {"siglint.packs"}


def test_readme_example_is_a_valid_config(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(\[tool\.siglint\].*?)```", readme, re.DOTALL)
    assert example is not None
    pack = re.search(r"```toml\n# contracts/churn.toml\n(.*?)```", readme, re.DOTALL)
    assert pack is not None  # the README's own pack, which its config example names
    (tmp_path / "contracts").mkdir()
    write(tmp_path / "contracts" / "churn.toml", pack.group(1))
    config = read_config(write(tmp_path / "pyproject.toml", example.group(1)))
    assert [p.name for p in config.packs] == ["tf-ranking", "churn"]
    assert config.ignore == ("SIG509",)
    assert config.severities.severity_of("SIG310", Severity.WARNING) is Severity.ERROR
    assert config.severities.severity_of("SIG506", Severity.WARNING) is Severity.INFO
    assert config.profile == load_config(tmp_path / "pyproject.toml").profile


def test_one_toml_reader_with_the_python_3_10_fallback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Config files, contract packs and fixture specs all read TOML through siglint.io.toml, which
    takes `tomli` where the standard library has no `tomllib` (Python 3.10)."""
    import ast
    import sys
    import types

    import tomllib

    from siglint.engine import contracts
    from siglint.io import toml as _toml

    def imported(node: ast.AST) -> set[str | None]:
        if isinstance(node, ast.Import):
            return {alias.name for alias in node.names}
        return {node.module} if isinstance(node, ast.ImportFrom) else set()

    importers = sorted(
        {
            path.name
            for path in (ROOT / "siglint").rglob("*.py")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if imported(node) & {"tomllib", "tomli"}
        }
    )
    assert importers == ["toml.py"]

    read: list[str] = []
    tomli = types.ModuleType("tomli")
    tomli.loads = lambda text: read.append(text) or tomllib.loads(text)  # type: ignore[attr-defined]
    tomli.TOMLDecodeError = tomllib.TOMLDecodeError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tomli", tomli)
    monkeypatch.setitem(sys.modules, "tomllib", None)  # as on Python 3.10: not there
    monkeypatch.setattr(sys, "version_info", (3, 10, 14, "final", 0))
    assert _toml.loads("a = 1") == {"a": 1} and read == ["a = 1"]
    pack = tmp_path / "team.toml"
    pack.write_text('name = "team"\n[[contracts]]\nname = "x"\nselect = { keys = ["a"] }\nforbidden = true\n')
    assert contracts.load_pack(str(pack)).name == "team"
    (tmp_path / "siglint.toml").write_text('ignore = ["SIG509"]\n')
    assert read_config(tmp_path / "siglint.toml").ignore == ("SIG509",)
    assert len(read) == 3
