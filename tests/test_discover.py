"""Discovery: files, model folders, TF Serving base paths and trees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from siglint import lint_paths
from siglint.model.discover import PathsNotFound, discover, parse_version


@pytest.mark.parametrize(
    ("name", "version"),
    [("1", 1), ("00000123", 123), ("-3", -3), ("+7", None), (" 8 ", 8), ("9223372036854775807", 2**63 - 1),
     ("9223372036854775808", None), ("v1", None), ("1.0", None), ("", None), ("latest", None)],
)
def test_version_folder_names_parse_as_int64(name: str, version: int | None) -> None:
    assert parse_version(name) == version


@pytest.fixture()
def pb(testdata: Path) -> Path:
    return testdata / "matrix_half_plus_two" / "1" / "saved_model.pb"


def test_files_of_one_model_check_that_model_once(tmp_path: Path, pb: Path) -> None:
    model = tmp_path / "m" / "1"
    model.mkdir(parents=True)
    shutil.copy(pb, model / "saved_model.pb")
    (model / "saved_model.pbtxt").write_text("this is not read: saved_model.pb wins")
    found = discover([str(model / "saved_model.pb"), str(model / "saved_model.pbtxt"), str(model)])
    assert [(m.path, m.version) for m in found.models] == [(str(model), 1)]
    result = lint_paths([str(model / "saved_model.pbtxt")])
    assert result.findings == () and result.models[0].file.endswith("saved_model.pb")


def test_base_path_versions_ignored_entries_and_duplicates(tmp_path: Path, pb: Path) -> None:
    base = tmp_path / "my_model"
    for folder in ("1", "001", "2", "latest"):
        (base / folder).mkdir(parents=True)
        shutil.copy(pb, base / folder / "saved_model.pb")
    (base / "README.md").write_text("notes")
    result = lint_paths([str(base)])
    assert sorted(m.version for m in result.models) == [1, 1, 2]
    codes = sorted((f.code, f.severity.value) for f in result.findings)
    assert codes == [("SIG004", "info"), ("SIG004", "info"), ("SIG005", "warning")]
    assert any("latest" in f.message for f in result.findings if f.code == "SIG004")


def test_unnumbered_model_folder_gets_the_servers_warning(tmp_path: Path, pb: Path) -> None:
    model = tmp_path / "export" / "my_model"
    model.mkdir(parents=True)
    shutil.copy(pb, model / "saved_model.pb")
    result = lint_paths([str(tmp_path / "export")])
    assert [f.code for f in result.findings] == ["SIG003"]
    assert "Did you forget to name your leaf directory as a number" in result.findings[0].message
    assert len(result.models) == 1 and result.models[0].loaded


def test_a_folder_holding_no_model_is_listed_not_a_finding(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("")
    (tmp_path / "empty").mkdir()
    result = lint_paths([str(tmp_path / "src"), str(tmp_path / "empty")])
    assert (result.findings, result.models) == ((), ())
    assert result.empty_paths == (str(tmp_path / "src"), str(tmp_path / "empty"))


def test_a_path_that_does_not_exist_raises(tmp_path: Path, pb: Path) -> None:
    with pytest.raises(PathsNotFound) as raised:
        lint_paths([str(pb.parent), str(tmp_path / "a"), str(tmp_path / "b" / "saved_model.pb")])
    assert raised.value.paths == [str(tmp_path / "a"), str(tmp_path / "b" / "saved_model.pb")]
    assert isinstance(raised.value, FileNotFoundError)


def test_version_folder_without_model_is_missing(tmp_path: Path, pb: Path) -> None:
    (tmp_path / "m" / "1").mkdir(parents=True)
    (tmp_path / "m" / "2").mkdir(parents=True)
    shutil.copy(pb, tmp_path / "m" / "2" / "saved_model.pb")
    result = lint_paths([str(tmp_path / "m")])
    assert [(f.code, Path(f.location.path).name) for f in result.findings] == [("SIG001", "1")]


def test_tree_output_is_sorted_and_hidden_folders_skipped(tmp_path: Path, pb: Path) -> None:
    for name in ("b/1", "a/3", "a/10", ".git/x/1"):
        (tmp_path / name).mkdir(parents=True)
        shutil.copy(pb, tmp_path / name / "saved_model.pb")
    found = discover([str(tmp_path)])
    assert [Path(m.path).relative_to(tmp_path).as_posix() for m in found.models] == ["a/10", "a/3", "b/1"]


def test_paths_are_shown_as_given_without_dot_prefix(
    tmp_path: Path, pb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "m" / "1").mkdir(parents=True)
    shutil.copy(pb, tmp_path / "m" / "1" / "saved_model.pb")
    monkeypatch.chdir(tmp_path)
    assert [m.path for m in discover(["."]).models] == ["m/1"]
    assert [b.path for b in discover(["."]).base_paths] == ["m"]
    assert [m.path for m in discover(["./m/1/saved_model.pb"]).models] == ["m/1"]


def test_lint_paths_takes_one_path_or_path_objects(pb: Path) -> None:
    model = pb.parent
    for paths in (str(model), model, [model], (str(model),)):
        assert [m.path for m in lint_paths(paths).models] == [str(model)]  # type: ignore[arg-type]


def _copy(pb: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(pb, folder / "saved_model.pb")
    return folder


def test_numbered_project_folder_does_not_hide_models(tmp_path: Path, pb: Path) -> None:
    (tmp_path / "proj" / "2024").mkdir(parents=True)
    (tmp_path / "proj" / "2024" / "notes.txt").write_text("not a version folder")
    _copy(pb, tmp_path / "proj" / "resnet" / "1")
    found = discover([str(tmp_path / "proj")])
    assert [m.path for m in found.models] == [str(tmp_path / "proj" / "resnet" / "1")]
    assert [b.path for b in found.base_paths] == [str(tmp_path / "proj" / "resnet")]


def test_symlinked_version_folders_are_followed(tmp_path: Path, pb: Path) -> None:
    real = _copy(pb, tmp_path / "real" / "m1")
    (tmp_path / "tree" / "base").mkdir(parents=True)
    (tmp_path / "tree" / "base" / "1").symlink_to(real)
    result = lint_paths([str(tmp_path / "tree")])
    assert [(m.path, m.loaded) for m in result.models] == [(str(tmp_path / "tree" / "base" / "1"), True)]
    assert result.findings == ()


def test_numbered_file_in_a_base_path_is_a_version_that_fails(tmp_path: Path, pb: Path) -> None:
    _copy(pb, tmp_path / "b" / "1")
    (tmp_path / "b" / "2").write_text("")
    result = lint_paths([str(tmp_path / "b")])
    assert [(f.code, Path(f.location.path).name) for f in result.findings] == [("SIG001", "2")]
    assert "it is a file, not a directory" in result.findings[0].message


def test_explicit_odd_paths(tmp_path: Path, pb: Path) -> None:
    (tmp_path / "dirpb" / "saved_model.pb").mkdir(parents=True)
    assert [f.code for f in lint_paths([str(tmp_path / "dirpb" / "saved_model.pb")]).findings] == ["SIG002"]
    (tmp_path / "b1" / "1").mkdir(parents=True)
    assert [f.code for f in lint_paths([str(tmp_path / "b1" / "1")]).findings] == ["SIG001"]
    assert [f.code for f in lint_paths([str(tmp_path / "b1")]).findings] == ["SIG001"]


def test_a_model_reached_twice_is_checked_once(tmp_path: Path, pb: Path) -> None:
    model = _copy(pb, tmp_path / "m" / "1")
    (tmp_path / "link").symlink_to(model)
    found = discover([str(model), str(tmp_path / "link"), str(tmp_path / "m")])
    assert [m.path for m in found.models] == [str(model)]


def test_unnumbered_copy_in_a_base_path_is_reported_not_checked(tmp_path: Path, pb: Path) -> None:
    _copy(pb, tmp_path / "b" / "1")
    _copy(pb, tmp_path / "b" / "latest")
    result = lint_paths([str(tmp_path / "b")])
    assert [m.path for m in result.models] == [str(tmp_path / "b" / "1")]
    assert [f.code for f in result.findings] == ["SIG004"]
