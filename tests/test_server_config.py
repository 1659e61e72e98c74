"""`siglint check --model-config-file`: a TF Serving models.config, written with
tensorflow-serving-api's ModelServerConfig, is read as the server reads it. Every error the
server makes of a config is a case below whose message is compared with the server's own string,
copied from the source the rule cites (tensorflow_serving/model_servers/server_core.cc,
server.cc, sources/storage_path/file_system_storage_path_source.cc); protobuf's own text parser
(with tensorflow-serving-api's message) is the oracle of what parses and where it fails."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from siglint.cli import main
from siglint.model.server_config import (
    ALL,
    LATEST,
    SPECIFIC,
    VersionPolicy,
    is_relative,
    served_versions,
)

CLEAN_MODEL = "matrix_half_plus_two"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), stdout=out), out.getvalue()


@pytest.fixture()
def models(testdata: Path, tmp_path: Path) -> Path:
    """Base paths of a clean model: churn (versions 1, 2, 3), fraud (1), and empty (none)."""
    root = tmp_path / "models"
    for base, versions in (("churn", (1, 2, 3)), ("fraud", (1,)), ("empty", ())):
        (root / base).mkdir(parents=True)
        for version in versions:
            shutil.copytree(testdata / CLEAN_MODEL / "1", root / base / str(version))
    return root


def _config(api: Any, root: Path, *entries: dict[str, Any]) -> Any:
    config = api.model_server_config_pb2.ModelServerConfig()
    for entry in entries:
        model = config.model_config_list.config.add()
        model.name = entry.get("name", "churn")
        model.base_path = entry.get("base_path", str(root / model.name))
        if "platform" in entry or "model_type" not in entry:
            model.model_platform = entry.get("platform", "tensorflow")
        if "model_type" in entry:
            model.model_type = entry["model_type"]
        policy = entry.get("policy")
        if policy == "all":
            model.model_version_policy.all.SetInParent()
        elif isinstance(policy, int):
            model.model_version_policy.latest.num_versions = policy
        elif policy is not None:
            model.model_version_policy.specific.versions.extend(policy)
        for label, version in entry.get("labels", {}).items():
            model.version_labels[label] = version
    return config


def _write(path: Path, config: Any) -> Path:
    from google.protobuf import text_format

    path.write_text(text_format.MessageToString(config) if not isinstance(config, str) else config)
    return path


def _check(config_file: Path, *flags: str) -> tuple[int, list[dict[str, Any]]]:
    code, out = run("check", "--format", "json", "--isolated", "--model-config-file", str(config_file), *flags)
    return code, json.loads(out)["findings"]


# (name, entries, extra flags, code, the server's string) — each string copied from the source.
CASES: list[tuple[str, Callable[[Path], list[dict[str, Any]]], tuple[str, ...], str, str]] = [
    ("duplicate", lambda r: [{}, {}], (), "SIG014", "Illegal to list model churn multiple times in config list"),
    ("relative", lambda r: [{"base_path": "churn"}], (), "SIG015",
     "Expected model churn to have an absolute path or URI; got base_path()=churn"),
    ("neither", lambda r: [{"platform": ""}], (), "SIG016",
     "Illegal setting neither ModelServerConfig::model_type (deprecated) nor ModelServerConfig::model_platform."),
    ("both", lambda r: [{"platform": "tensorflow", "model_type": 1}], (), "SIG016",
     "Illegal setting both ModelServerConfig::model_type (deprecated) and ModelServerConfig::model_platform."),
    ("other", lambda r: [{"model_type": 2}], (), "SIG016", "ModelServerConfig::model_type choice 2 not supported."),
    ("platform", lambda r: [{"platform": "tf"}], (), "SIG017", "Model churn requests unsupported platform tf"),
    ("no base path", lambda r: [{"base_path": str(r / "chrun")}], (), "SIG018",
     "Could not find base path {root}/chrun for servable churn with error"),
    ("no versions", lambda r: [{"name": "empty"}], (), "SIG019",
     ("No versions of servable empty found under base path {root}/empty. Did you forget to name your leaf "
     "directory as a number (eg. '/1/')?")),
    ("specific missing", lambda r: [{"policy": [3, 7]}], (), "SIG020",
     ("Version 7 of servable churn, which was requested to be served as a 'specific' version in the servable's "
     "version policy, was not found in the file system")),
    ("label on a version latest leaves out", lambda r: [{"labels": {"stable": 1}}], (), "SIG021",
     "Request to assign label to version 1 of model churn, which is not currently available for inference"),
    ("label at start-up", lambda r: [{"labels": {"stable": 3}}], (), "SIG022",
     "Request to assign label to version 3 of model churn, which is not currently available for inference"),
    ("labels disallowed", lambda r: [{"labels": {"stable": 3}}],
     ("--no-version-labels", "--allow-version-labels-for-unavailable-models"), "SIG023",
     "Model version labels are not currently allowed by the server."),
    ("no name", lambda r: [{"name": "", "base_path": str(r / "fraud")}], (), "SIG024", "ModelSpec has no name specified."),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_each_config_error_says_what_the_server_says(serving_api: Any, models: Path, tmp_path: Path, case: Any) -> None:
    _, entries, flags, code, server = case
    config_file = _write(tmp_path / "models.config", _config(serving_api, models, *entries(models)))
    exit_code, findings = _check(config_file, *flags)
    mine = [f for f in findings if f["code"] == code]
    assert len(mine) == 1, findings
    assert server.format(root=models) in mine[0]["message"]
    assert mine[0]["path"] == str(config_file) and mine[0]["line"] is not None
    assert exit_code == (1 if mine[0]["severity"] == "error" else 0)
    others = {f["code"] for f in findings} - {code}
    assert not others, findings


def test_whole_file_errors(serving_api: Any, tmp_path: Path) -> None:
    cases = {
        "custom": ('custom_model_config { type_url: "type.googleapis.com/x" }\n', "SIG012",
                   "ModelServer does not yet support custom model config."),
        "empty": ("# nothing yet\n", "SIG013", "Taking no action for empty config."),
        "unparsable": ("model_config_list { config { nmae: 'x' } }\n", "SIG011", "Invalid protobuf file: '{path}'"),
    }
    for name, (text, code, server) in cases.items():
        config_file = _write(tmp_path / f"{name}.config", text)
        _, findings = _check(config_file)
        assert [f["code"] for f in findings] == [code], name
        assert server.format(path=config_file) in findings[0]["message"], name


SNIPPETS = [
    'model_config_list { config { name: "a" base_path: "/m" model_platform: "tensorflow" } }',
    "model_config_list { config { name: 'a' } config { name: 'b' } }",
    "model_config_list {\n  config {\n    name: \"a\"\n    nmae: \"b\"\n  }\n}",
    "model_config_list { config { model_version_policy { latest { num_versions: 2 } } } }",
    "model_config_list { config { model_version_policy { latest { num_versions: -1 } } } }",
    "model_config_list { config { model_version_policy { specific { versions: [1, 2] } } } }",
    "model_config_list { config { model_type: TENSORFLOW } }",
    "model_config_list { config { model_type: TENSORFLOW2 } }",
    'model_config_list { config { version_labels { key: "a" value: 1 } version_labels: { key: "b" value: 2 } } }',
    'model_config_list { config { version_labels { key: "a" value: "one" } } }',
    "model_config_list { config { logging_config { sampling_config { sampling_rate: 0.5 } } } }",
    'custom_model_config { type_url: "x" value: "\\001" }',
    "model_config_list { config { name: \"a\" }",
    "model_config_list: { config: [{ name: 'a' }, { name: 'b' }] }",
    "model_config_list { } custom_model_config { }",
    "# only a comment",
    "",
    "model_config_list { config { name: \"\\xff\" } }",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_what_parses_is_what_protobuf_parses(serving_api: Any, tmp_path: Path, text: str) -> None:
    """The oracle: protobuf's text parser with tensorflow-serving-api's ModelServerConfig (the
    strict Parse, as the server's TextFormat::ParseFromString is)."""
    from google.protobuf import text_format

    try:
        text_format.Parse(text, serving_api.model_server_config_pb2.ModelServerConfig())
        expected = None
    except text_format.ParseError as error:
        expected = (error.GetLine(), error.GetColumn(), str(error).split(" : ", 1)[-1])
    _, findings = _check(_write(tmp_path / "models.config", text))
    parse_errors = [f for f in findings if f["code"] == "SIG011"]
    if expected is None:
        assert parse_errors == []
    else:
        (finding,) = parse_errors
        assert (finding["line"], finding["column"]) == expected[:2]
        assert finding["message"].endswith(expected[2])


def test_a_correct_config_with_every_policy_and_labels_passes(serving_api: Any, models: Path, tmp_path: Path) -> None:
    config = _config(
        serving_api, models,
        {"name": "churn", "policy": [1, 3], "labels": {"stable": 1, "canary": 3}},
        {"name": "fraud", "policy": "all", "labels": {"stable": 1}},
        {"name": "churn_latest", "base_path": str(models / "churn"), "policy": 2, "labels": {"stable": 2}},
    )
    config_file = _write(tmp_path / "models.config", config)
    code, out = run("check", "--isolated", "--model-config-file", str(config_file),
                    "--allow-version-labels-for-unavailable-models")
    assert code == 0, out
    assert out == "All checks passed: 5 models, 5 signatures.\n"  # churn 1, 3; fraud 1; churn_latest 2, 3
    code, findings = _check(config_file)  # the same labels at a stock server's start-up
    assert code == 1 and {f["code"] for f in findings} == {"SIG022"} and len(findings) == 4


def test_model_findings_carry_the_config_name(serving_api: Any, models: Path, tmp_path: Path, testdata: Path) -> None:
    shutil.copytree(testdata / "saved_model_half_plus_two_mkl" / "00000123", models / "mkl" / "7")
    config_file = _write(tmp_path / "models.config", _config(serving_api, models, {"name": "mkl"}, {"name": "fraud"}))
    code, out = run("check", "--format", "json", "--isolated", "--model_config_file", str(config_file))
    document = json.loads(out)
    assert code == 1
    assert {f["model"] for f in document["findings"]} == {"mkl"}
    assert {f["path"] for f in document["findings"]} == {str(models / "mkl" / "7")}
    assert sorted((m["model"], m["version"]) for m in document["models"]) == [("fraud", 1), ("mkl", 7)]
    _, text = run("check", "--isolated", "--model-config-file", str(config_file))
    assert f"{models / 'mkl' / '7'}[serve]:regress_x_to_y2:outputs (model mkl): SIG404 error" in text


def test_the_config_key_and_usage_errors(serving_api: Any, models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "serving").mkdir(parents=True)
    _write(project / "serving" / "models.config", _config(serving_api, models, {"name": "fraud"}))
    (project / "siglint.toml").write_text('model-config-file = "serving/models.config"\n')
    monkeypatch.chdir(project)
    assert run("check") == (0, "All checks passed: 1 model, 1 signature.\n")
    code, out = run("check", "--show-settings")
    assert code == 0 and 'model-config-file = "serving/models.config"' in out
    assert run("check", "--isolated", "--model-config-file", "missing.config")[0] == 2
    assert run("check", "--model-config-list-root-dir", "relative/dir")[0] == 2


def test_version_policies_serve_what_the_server_serves() -> None:
    """file_system_storage_path_source.cc: latest takes the newest max(num_versions, 1) versions,
    of two folders of one number the later in the sorted listing; all takes every numbered child;
    specific those listed that exist."""
    versions = ((1, "001"), (1, "1"), (2, "2"), (10, "10"))
    assert served_versions(VersionPolicy(LATEST, 0), versions) == ((10, "10"),)
    assert served_versions(VersionPolicy(LATEST, 2), versions) == ((2, "2"), (10, "10"))
    assert served_versions(VersionPolicy(LATEST, 9), versions) == ((1, "1"), (2, "2"), (10, "10"))
    assert served_versions(VersionPolicy(ALL), versions) == versions
    assert served_versions(VersionPolicy(SPECIFIC, versions=(1, 3)), versions) == ((1, "1"),)


def test_relative_paths_as_the_server_reads_uris() -> None:
    """server_core.cc UriIsRelativePath: no scheme, no host, and not starting with `/`."""
    assert is_relative("models/churn") and is_relative("./churn") and is_relative("c:/models")
    assert not is_relative("/models/churn") and not is_relative("gs://bucket/churn")
    assert not is_relative("s3://bucket/x") and not is_relative("file:///models")


def test_hostile_configs_are_bounded_and_read_only(serving_api: Any, models: Path, tmp_path: Path) -> None:
    """A base path that is the config's own folder or the config itself, and a 70 MB file."""
    config_file = tmp_path / "models.config"
    _write(config_file, _config(serving_api, models, {"name": "self", "base_path": str(tmp_path)},
                                {"name": "file", "base_path": str(config_file)}))
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    _, findings = _check(config_file)
    assert {(f["code"], f["model"]) for f in findings} == {("SIG019", "self"), ("SIG018", "file")}
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before
    (tmp_path / "huge.config").write_bytes(b"#" * (70 * 2**20))
    _, findings = _check(tmp_path / "huge.config")
    assert [f["code"] for f in findings] == ["SIG011"] and "over the limit" in findings[0]["message"]


def test_reports_point_at_the_line(serving_api: Any, models: Path, tmp_path: Path) -> None:
    config_file = _write(tmp_path / "models.config", _config(serving_api, models, {}, {}))
    _, out = run("check", "--isolated", "--format", "sarif", "--model-config-file", str(config_file))
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["ruleId"] == "SIG014"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 8, "startColumn": 5}
    _, out = run("check", "--isolated", "--format", "github", "--model-config-file", str(config_file))
    assert out.startswith(f"::error title=siglint (SIG014),file={config_file},line=8::")
