"""Pass/fail tables for the model-level rules: the served tag-set (SIG101) and the default key
(SIG102), on SavedModels written at test time with `siglint.reference`."""

from __future__ import annotations

from pathlib import Path

import pytest

from siglint import Options, Profile, lint_paths, reference

PREDICT = reference.predict_signature_def(
    {"x": reference.Tensor("x:0", "float32", [None])},
    {"y": reference.Tensor("y:0", "float32", [None])},
)


def write_model(folder: Path, meta_graphs: list[tuple[list[str], list[str]]]) -> Path:
    """A SavedModel whose MetaGraphDefs have these (tags, signature keys)."""
    model = reference.saved_model(
        reference.meta_graph_def(tags, dict.fromkeys(keys, PREDICT)) for tags, keys in meta_graphs
    )
    reference.write_saved_model(model, folder, "pbtxt")
    return folder


CASES = [
    # (meta graphs, server tags, default key, expected model-level codes)
    ([(["serve"], ["serving_default"])], ("serve",), "serving_default", []),
    ([(["train"], ["serving_default"])], ("serve",), "serving_default", ["SIG101"]),
    ([(["serve", "gpu"], ["serving_default"])], ("serve",), "serving_default", ["SIG101"]),
    ([(["serve", "gpu"], ["serving_default"])], ("gpu", "serve"), "serving_default", []),
    ([(["tpu", "serve"], ["serving_default"])], ("serve", "tpu"), "serving_default", []),
    ([], ("serve",), "serving_default", ["SIG101"]),
    ([(["train"], ["a"]), (["serve"], ["serving_default"])], ("serve",), "serving_default", []),
    ([(["serve"], ["predict"])], ("serve",), "serving_default", ["SIG102"]),
    ([(["serve"], ["predict"])], ("serve",), "predict", []),
    ([(["serve"], [])], ("serve",), "serving_default", ["SIG102"]),
    # The first MetaGraphDef with the tag-set is the one served, as in TensorFlow's reader.
    ([(["serve"], ["predict"]), (["serve"], ["serving_default"])], ("serve",), "serving_default", ["SIG102"]),
    # With no served MetaGraphDef, the default key is not looked for.
    ([(["train"], ["predict"])], ("serve",), "serving_default", ["SIG101"]),
]


@pytest.mark.parametrize(("meta_graphs", "tags", "default", "codes"), CASES)
def test_model_level_rules(
    tmp_path: Path, meta_graphs: list, tags: tuple[str, ...], default: str, codes: list[str]
) -> None:
    model = write_model(tmp_path / "m" / "1", meta_graphs)
    options = Options(profile=Profile(tags=tags, default_signature=default))
    found = [f for f in lint_paths([str(model)], options).findings if f.code.startswith("SIG1")]
    assert [f.code for f in found] == codes


def test_missing_tag_set_message_lists_what_is_there(tmp_path: Path) -> None:
    model = write_model(tmp_path / "m" / "1", [(["serve", "gpu"], ["serving_default"]), (["train"], [])])
    [finding] = lint_paths([str(model)]).findings
    assert "Could not find meta graph def matching supplied tags: { serve }" in finding.message
    assert finding.actual == "{serve,gpu}, {train}"
