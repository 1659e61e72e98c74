"""Contract packs (rules/): the schema and the bundled packs are valid, the tf-serving pack is the
one source of the core's contract rules, broken packs fail with one precise line, and a user's
pack (JSON, TOML or YAML; from --contracts or the config file) finds what it should in the TF
Serving test models.

The semantics of each construct of the format are table-tested in tests/cases/SIG601-*.yaml;
TensorFlow exports checked against the tf-ranking and keras-export packs are in
tests/test_contract_packs_tf.py.
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT
from sarif import valid_sarif

from siglint import checks
from siglint.cli import main
from siglint.engine import contracts
from siglint.engine.contracts.core import core_pack
from siglint.engine.options import Options
from siglint.run.lint import lint_paths

ALL_RULES = checks.rules()
RULE_MODULES = [importlib.import_module(entry.module) for entry in checks.entries()]

RULES = ROOT / "rules"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stdout=out), out.getvalue()


# --- the schema and the bundled packs ------------------------------------------------------------


def test_schema_is_a_valid_2020_12_schema() -> None:
    schema = json.loads((RULES / "schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", contracts.BUNDLED_PACKS)
def test_bundled_packs_validate_and_compile(name: str) -> None:
    document = json.loads((RULES / f"{name}.json").read_text())
    contracts.validate(document, f"{name}.json")
    pack = contracts.compile_pack(document, f"{name}.json", core=name == contracts.CORE_PACK)
    assert pack.name == name and pack.contracts
    for contract in pack.contracts:
        assert contract.description and contract.source, contract.title
        for check in contract.checks:
            assert check.source or contract.source, f"{contract.title} {check.path}"


def test_packs_ship_in_the_package() -> None:
    folder = Path(contracts.packs_folder())
    assert folder.resolve() == RULES.resolve() or folder.name == "packs"
    for name in (*contracts.BUNDLED_PACKS, "schema"):
        assert (folder / f"{name}.json").is_file()


def test_the_core_contract_rules_are_exactly_the_tf_serving_packs_checks() -> None:
    core = core_pack()
    named = {check.rule for contract in core.contracts for check in contract.checks}
    # A contract rule's module holds its documentation and nothing else: no second copy of the
    # contract, and no RULE (the catalogue makes it from the pack).
    documentation_only = {
        rule.code for rule, module in zip(ALL_RULES, RULE_MODULES, strict=True)
        if [type(s) for s in ast.parse(Path(module.__file__ or "").read_text()).body] == [ast.Expr]
    }
    assert named == documentation_only
    assert {"SIG301", "SIG310", "SIG401", "SIG404", "SIG501", "SIG502", "SIG506"} <= named
    by_code = {rule.code: rule for rule in ALL_RULES}
    for code in named:
        checks = core.checks_for(code)
        assert {(c.severity or contract.severity).on("tf") for contract, c in checks} == {by_code[code].severity}
        assert not hasattr(importlib.import_module(by_code[code].module), "RULE"), code


def test_explain_shows_where_a_core_rule_comes_from() -> None:
    code, text = run("explain", "SIG404")
    assert code == 0
    assert "## Contract" in text and "tf-serving/regress" in text and "regressor.cc PostProcessRegressionResult" in text


_VERDICT = """
import json, sys
from siglint import validate_signature_def
from siglint.engine import contracts

signature = {"method_name": "tensorflow/serving/classify",
             "inputs": {"inputs": {"dtype": sys.argv[1], "shape": [-1]}},
             "outputs": {"scores": {"dtype": "DT_FLOAT", "shape": [-1, 2]}}}
print(json.dumps([contracts.packs_folder(), [f.code for f in validate_signature_def(signature)]]))
"""


@pytest.fixture(scope="module")
def installed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """siglint laid out as the wheel installs it (rules/ as siglint/packs/), with SIG306's dtype
    in its copy of the tf-serving pack changed from DT_STRING to DT_INT64."""
    root = tmp_path_factory.mktemp("installed")
    shutil.copytree(ROOT / "siglint", root / "siglint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(RULES, root / "siglint" / "packs", ignore=shutil.ignore_patterns("__pycache__"))
    pack = root / "siglint" / "packs" / "tf-serving.json"
    document = json.loads(pack.read_text())
    for contract in document["contracts"]:
        for check in contract["checks"]:
            if check["rule"] == "SIG306" and check.get("dtype") == "DT_STRING":
                check["dtype"] = "DT_INT64"
    pack.write_text(json.dumps(document))
    return root


@pytest.mark.parametrize(("dtype", "mutated", "expected"), [
    ("DT_STRING", False, []),
    ("DT_INT64", False, ["SIG306"]),
    ("DT_STRING", True, ["SIG306"]),
    ("DT_INT64", True, []),
])
def test_the_pack_is_the_source_of_truth(dtype: str, mutated: bool, expected: list[str], installed_copy: Path) -> None:
    """Changing the data changes the verdict: no Python copy of the contract is left."""
    root = installed_copy if mutated else ROOT
    environment = {**os.environ, "PYTHONPATH": str(root)}
    output = subprocess.run(
        [sys.executable, "-c", _VERDICT, dtype], capture_output=True, text=True, check=True, cwd=root, env=environment
    ).stdout
    folder, codes = json.loads(output)
    assert Path(folder).resolve() == (root / "siglint" / "packs" if mutated else RULES).resolve()
    assert codes == expected


# --- broken packs: exit 2 and one line naming the file and the JSON path ---------------------------

GOOD_CONTRACT = {"name": "c", "select": {"keys": ["serving_default"]}, "checks": [{"inputs": {"count": 1}}]}


def _pack(**changes: Any) -> dict[str, Any]:
    pack: dict[str, Any] = {"name": "p", "contracts": [dict(GOOD_CONTRACT)]}
    for key, value in changes.items():
        if key == "contract":
            pack["contracts"][0] = {**GOOD_CONTRACT, **value}
        elif key == "check":
            pack["contracts"][0] = {**GOOD_CONTRACT, "checks": [value]}
        else:
            pack[key] = value
    return pack


BROKEN: list[tuple[str, Any, str]] = [
    ("unknown-top-key", _pack(contract_list=[]), "contract_list: unknown key"),
    ("no-name", {"contracts": [GOOD_CONTRACT]}, "(top level): 'name' is a required property"),
    ("empty-contracts", _pack(contracts=[]), "contracts: [] should be non-empty"),
    ("bad-pack-name", _pack(name="My Pack"), "name: 'My Pack' does not match '^[a-z0-9][a-z0-9_.-]*$'"),
    ("unknown-contract-key", _pack(contract={"selects": {}}), "contracts[0].selects: unknown key"),
    ("empty-selector", _pack(contract={"select": {}}), "contracts[0].select: {} should be non-empty"),
    ("bad-intent", _pack(contract={"select": {"intents": ["classification"]}}),
     "contracts[0].select.intents[0]: 'classification' is not one of ['classify', 'regress', 'predict']"),
    ("lowercase-dtype", _pack(check={"tensors": {}, "dtype": "float32"}),
     "contracts[0].checks[0].dtype: 'float32' does not match '^DT_[A-Z0-9_]+$'"),
    ("unknown-dtype", _pack(check={"tensors": {}, "dtype": ["DT_FLOAT", "DT_FLAOT"]}),
     "contracts[0].checks[0].dtype[1]: unknown dtype 'DT_FLAOT' (DT_FLOAT, DT_STRING, DT_INT64, ...)"),
    ("unknown-dtype-in-spec", _pack(contract={"inputs": {"age": {"dtype": "DT_INT46"}}}),
     "contracts[0].inputs.age.dtype: unknown dtype 'DT_INT46' (DT_FLOAT, DT_STRING, DT_INT64, ...)"),
    ("two-subjects", _pack(check={"inputs": {"count": 1}, "outputs": {"count": 1}}),
     "contracts[0].checks[0]: needs exactly one of `inputs`, `outputs`, `tensors`"),
    ("no-subject", _pack(check={"message": "x"}),
     "contracts[0].checks[0]: needs exactly one of `inputs`, `outputs`, `tensors`"),
    ("tensors-without-constraint", _pack(check={"tensors": {"io": "input"}}),
     "contracts[0].checks[0]: a `tensors` check needs exactly one of `dtype`, `rank`, `shape` or `same-dim`"),
    ("two-map-kinds", _pack(check={"inputs": {"count": 1, "require": ["x"]}}),
     "contracts[0].checks[0].inputs: needs exactly one of `count`, `require`, `any-of` or `only`"),
    ("dtype-on-a-map-check", _pack(check={"inputs": {"count": 1}, "dtype": "DT_FLOAT"}),
     "contracts[0].checks[0].dtype: `dtype` goes with `tensors`, not `inputs`"),
    ("negative-count", _pack(check={"inputs": {"count": -1}}),
     "contracts[0].checks[0].inputs.count: -1 is less than the minimum of 0"),
    ("min-above-max", _pack(check={"outputs": {"count": {"min": 3, "max": 1}}}),
     "contracts[0].checks[0].outputs.count: min 3 is more than max 1"),
    ("two-ellipses", _pack(check={"tensors": {}, "shape": ["...", 1, "..."]}),
     "contracts[0].checks[0].shape: at most one \"...\" in a shape"),
    ("bad-shape-item", _pack(check={"tensors": {}, "shape": [-2]}),
     "contracts[0].checks[0].shape[0]: -2 is less than the minimum of -1"),
    ("bad-severity", _pack(contract={"severity": "fatal"}),
     "contracts[0].severity: 'fatal' is not valid under any of the given schemas"),
    ("unknown-placeholder", _pack(check={"inputs": {"count": 1}, "message": "has {n} inputs"}),
     "contracts[0].checks[0].message: unknown placeholder {n} (known: signature, method, contract, pack, expected, actual, io, ios, count, keys)"),
    ("lone-brace", _pack(check={"inputs": {"count": 1}, "message": "a { b"}),
     "contracts[0].checks[0].message: a lone { or } (write {{ or }} for a brace)"),
    ("rule-in-a-user-pack", _pack(check={"rule": "SIG301", "inputs": {"count": 1}}),
     "contracts[0].checks[0].rule: only the bundled tf-serving pack maps checks to rule codes; other packs' findings are SIG601"),
    ("intent-with-intent-selector", _pack(contract={"select": {"intents": ["predict"]}, "intent": "predict"}),
     "contracts[0].intent: a contract that declares an intent cannot select by intents"),
    ("required-and-forbidden", _pack(contract={"required": True, "forbidden": True, "checks": []}),
     "contracts[0].forbidden: a contract cannot be both required and forbidden"),
    ("forbidden-with-checks", _pack(contract={"forbidden": True}),
     "contracts[0].forbidden: a forbidden contract has no checks: every selected signature is a finding"),
    ("message-on-a-plain-contract", _pack(contract={"message": "x"}),
     "contracts[0].message: only a `required` or `forbidden` contract has a message"),
    ("duplicate-contract", _pack(contracts=[GOOD_CONTRACT, GOOD_CONTRACT]),
     "contracts[1].name: two contracts named 'c'"),
    ("bad-if", _pack(check={"tensors": {}, "rank": 1, "if": {"count": 1}}),
     "contracts[0].checks[0].if.count: unknown condition for a tensors check (one of ['dtype', 'rank', 'shape'])"),
]


@pytest.mark.parametrize(("document", "message"), [(d, m) for _, d, m in BROKEN], ids=[i for i, _, _ in BROKEN])
def test_a_broken_pack_exits_2_with_one_precise_line(
    document: Any, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack.json"
    pack.write_text(json.dumps(document))
    with pytest.raises(contracts.PackError) as raised:
        contracts.load_pack(str(pack))
    assert str(raised.value) == f"{pack}: {message}"
    code, out = run("check", str(ROOT / "fixtures" / "demo"), "--isolated", "--contracts", str(pack))
    assert (code, out) == (2, "")
    assert capsys.readouterr().err == f"siglint: error: {pack}: {message}\n"


UNREADABLE: list[tuple[str, bytes, str]] = [
    ("pack.json", b'{"name": "p",', "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 14"),
    ("pack.json", b'{"name": "p", "name": "q", "contracts": []}', "duplicate key 'name'"),
    ("pack.json", b"\xff\xfe{}", "not UTF-8 text: invalid start byte at byte 0"),
    ("pack.json", b"[]", "(top level): [] is not of type 'object'"),
    ("pack.toml", b"name = ", "not valid TOML: Invalid value (at end of document)"),
    ("pack.yaml", b"name: [p", "not valid YAML:"),
    ("pack.txt", b"{}", "not a pack file (.json, .toml, .yaml or .yml) nor a bundled pack (tf-ranking, keras-export)"),
]


@pytest.mark.parametrize(("name", "data", "message"), UNREADABLE, ids=[m.split(":")[0] for _, _, m in UNREADABLE])
def test_an_unreadable_pack_file_is_one_line(name: str, data: bytes, message: str, tmp_path: Path) -> None:
    pack = tmp_path / name
    pack.write_bytes(data)
    with pytest.raises(contracts.PackError) as raised:
        contracts.load_pack(str(pack))
    assert str(raised.value).startswith(f"{pack}: {message}")
    assert "\n" not in str(raised.value)


def test_missing_and_folder_packs(tmp_path: Path) -> None:
    with pytest.raises(contracts.PackError, match=r"missing\.json: cannot read: No such file or directory$"):
        contracts.load_pack(str(tmp_path / "missing.json"))
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(contracts.PackError, match=r"dir\.json: is a folder, not a pack file$"):
        contracts.load_pack(str(tmp_path / "dir.json"))
    with pytest.raises(contracts.PackError, match="the tf-serving pack is always on"):
        contracts.load_pack("tf-serving")


def test_two_packs_of_one_name_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "pack.json").write_text(json.dumps(_pack()))
    code, _ = run("check", str(ROOT / "fixtures" / "demo"), "--isolated",
                  "--contracts", f"{tmp_path}/a/pack.json,{tmp_path}/b/pack.json")
    assert code == 2
    assert capsys.readouterr().err == (
        f"siglint: error: {tmp_path}/b/pack.json: name: {tmp_path}/a/pack.json is also named 'p'\n"
    )


# --- a user's pack against TF Serving's test models ------------------------------------------------

TEAM_TOML = """\
name = "team"

[[contracts]]
name = "default-required"
description = "Our clients never name a signature."
select = { keys = ["serving_default"] }
required = true

[[contracts]]
name = "regress-takes-examples"
select = { methods = ["tensorflow/serving/regress"] }
inputs.inputs = { dtype = "DT_STRING" }

[[contracts]]
name = "regress-batch"
select = { methods = ["tensorflow/serving/regress"] }
severity = "warning"
[[contracts.checks]]
tensors = { io = "output" }
shape = [-1, "..."]
message = "output {key!r} is {shape}: the batch must be dynamic"
"""

_TF1_WITH_X2 = [
    "saved_model_half_plus_two_2_versions/00000123",
    "saved_model_half_plus_two_2_versions/00000124",
    "saved_model_half_plus_two_cpu/00000123",
    "saved_model_half_plus_two_cpu_with_empty_saved_model_config/00000123",
    "saved_model_half_plus_two_cpu_with_saved_model_config/00000123",
    "saved_model_half_plus_two_gpu/00000123",
    "saved_model_half_plus_two_gpu_trt/00000123",
    "saved_model_half_plus_two_mkl/00000123",
    "saved_model_half_plus_two_mlmd/00000123",
]
# From the table of the TF Serving testdata folder's README.md (not from siglint's output): only the
# counter model lacks serving_default; every TF1 half_plus_two model has regress_x2_to_y3 with a
# DT_FLOAT input, and so has half_plus_three's `tensorflow/serving/regress` (TF2 exports say
# predict, so no regress contract selects them); only the mkl model has regress outputs with a
# fixed batch, (1, 10, 10, 1). half_plus_three's tensors have no shape at all (unknown rank).
TEAM_EXPECTED = sorted(
    [("SIG602", "saved_model_counter/00000123", None, "team/default-required")]
    + [("SIG601", model, "regress_x2_to_y3", "team/regress-takes-examples") for model in _TF1_WITH_X2]
    + [("SIG601", "saved_model_half_plus_three/00000123", "tensorflow/serving/regress", "team/regress-takes-examples")]
    + [("SIG601", "saved_model_half_plus_two_mkl/00000123", key, "team/regress-batch")
       for key in ("regress_x2_to_y3", "regress_x_to_y2")]
)


def _yaml_and_json(toml_text: str) -> dict[str, str]:
    import tomllib
    import yaml

    document = tomllib.loads(toml_text)
    return {"team.toml": toml_text, "team.json": json.dumps(document, indent=2), "team.yaml": yaml.safe_dump(document)}


@pytest.mark.parametrize("file_name", ["team.toml", "team.json", "team.yaml"])
def test_a_user_pack_finds_what_the_testdata_table_says(file_name: str, tmp_path: Path, testdata: Path) -> None:
    pack_file = tmp_path / file_name
    pack_file.write_text(_yaml_and_json(TEAM_TOML)[file_name])
    result = lint_paths(testdata, Options(packs=(contracts.load_pack(str(pack_file)),)))
    found = sorted(
        (f.code, os.path.relpath(f.location.path, testdata), f.location.signature, f.contract)
        for f in result.findings if f.code.startswith("SIG6")
    )
    assert found == TEAM_EXPECTED
    severities = {f.contract: f.severity.value for f in result.findings if f.contract}
    assert severities == {"team/default-required": "error", "team/regress-takes-examples": "error",
                          "team/regress-batch": "warning"}
    # The core's verdicts do not move when a pack is added.
    core = lint_paths(testdata).findings
    assert [f for f in result.findings if not f.code.startswith("SIG6")] == list(core)


def test_packs_from_the_config_file_and_the_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, testdata: Path
) -> None:
    project = tmp_path / "project"
    (project / "contracts").mkdir(parents=True)
    (project / "contracts" / "team.toml").write_text(TEAM_TOML)
    (project / "pyproject.toml").write_text('[tool.siglint]\ncontracts = ["contracts/team.toml"]\n')
    monkeypatch.chdir(project / "contracts")  # relative to the config file, not the current folder
    model = str(testdata / "saved_model_counter")
    code, out = run("check", model, "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1
    assert [(f["code"], f["contract"]) for f in findings if f["contract"]] == [("SIG602", "team/default-required")]
    # --contracts adds a bundled pack to the config's; --isolated drops the config's.
    code, out = run("check", model, "--format", "json", "--contracts", "keras-export")
    contracts_seen = {f["contract"] for f in json.loads(out)["findings"] if f["contract"]}
    assert contracts_seen == {"team/default-required", "keras-export/default-signature", "keras-export/predict-has-inputs"}
    code, out = run("check", model, "--format", "json", "--isolated", "--contracts", "keras-export")
    contracts_seen = {f["contract"] for f in json.loads(out)["findings"] if f["contract"]}
    assert contracts_seen == {"keras-export/default-signature", "keras-export/predict-has-inputs"}
    # Selection and severity work on the generic codes like on any other.
    code, out = run("check", model, "--format", "json", "--ignore", "SIG602")
    assert not [f for f in json.loads(out)["findings"] if f["contract"]]


def test_contract_findings_in_sarif_github_and_baselines(tmp_path: Path, testdata: Path) -> None:
    model = str(testdata / "saved_model_counter")
    _, sarif = run("check", model, "--isolated", "--contracts", "keras-export", "--format", "sarif")
    results = valid_sarif(sarif)["runs"][0]["results"]
    mine = [r for r in results if r["ruleId"] == "SIG602"]
    assert mine and mine[0]["properties"]["contract"] == "keras-export/default-signature"
    _, github = run("check", model, "--isolated", "--contracts", "keras-export", "--format", "github")
    assert "SIG602 keras-export/default-signature: Export includes no default signature!" in github
    baseline = tmp_path / "baseline.json"
    assert run("check", model, "--isolated", "--contracts", "keras-export", "--write-baseline", str(baseline))[0] == 0
    entries = json.loads(baseline.read_text())["findings"]
    assert {e.get("contract") for e in entries if e["code"].startswith("SIG6")} == {
        "keras-export/default-signature", "keras-export/predict-has-inputs"}
    code, out = run("check", model, "--isolated", "--contracts", "keras-export", "--baseline", str(baseline))
    assert code == 0 and "SIG60" not in out


def test_contracts_command_lists_and_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run("contracts")
    assert code == 0
    for title in ("tf-serving/classify", "tf-ranking/regress", "tf-ranking/serving-default", "keras-export/train-not-served"):
        assert f"  - {title}: " in out
    pack = tmp_path / "team.toml"
    pack.write_text(TEAM_TOML)
    code, out = run("contracts", str(pack))
    assert code == 0 and out.startswith(f"team ({pack})\n") and "team/regress-batch: signatures with method" in out
    pack.write_text(TEAM_TOML.replace('shape = [-1, "..."]', 'shape = ["...", "..."]'))
    assert run("contracts", str(pack)) == (2, "")
    assert 'contracts[2].checks[0].shape: at most one "..." in a shape' in capsys.readouterr().err


def test_a_plain_check_never_imports_jsonschema_even_with_bundled_packs(testdata: Path) -> None:
    script = textwrap.dedent("""
        import sys
        from siglint.cli import main
        main(["check", "-q", "--isolated", "--contracts", "tf-ranking,keras-export", sys.argv[1]])
        print(sorted(m for m in ("jsonschema", "yaml", "tomllib") if m in sys.modules))
    """)
    model = str(testdata / "saved_model_half_plus_three")
    out = subprocess.run([sys.executable, "-c", script, model], capture_output=True, text=True, cwd=ROOT).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_the_compiled_core_pack_is_current() -> None:
    """core_compiled.py is rules/tf-serving.json compiled; regenerate it with
    `python -m siglint.engine.contracts.core` after editing the pack."""
    from siglint.engine.contracts import core

    generated = ROOT / "siglint" / "engine" / "contracts" / "core_compiled.py"
    assert generated.read_text(encoding="utf-8") == core.compiled_module()
    assert core_pack() == core._compile(core._bundled_json())
