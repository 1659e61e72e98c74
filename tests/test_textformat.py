"""Strict text format with protobuf's private parser, in one place: strict outside the `Opaque`
fields, lenient inside them, and a loud failure (never a silently lenient parse) if a protobuf
release drops the hook. The `protobuf` range in pyproject.toml is the range this holds for."""

from __future__ import annotations

import pytest
from google.protobuf import text_format

from siglint.savedmodel import textformat
from siglint.savedmodel.proto import SavedModel

_GRAPH = 'meta_graphs { meta_info_def { tags: "serve" } graph_def { node { name: "x" op: "Placeholder" } } }'


def test_strict_outside_opaque_fields() -> None:
    with pytest.raises(textformat.ParseError, match=r'"tensorflow\.MetaGraphDef" has no field named "signature_deff"'):
        textformat.parse('meta_graphs { signature_deff { key: "a" } }', SavedModel())


def test_lenient_inside_opaque_fields() -> None:
    model = SavedModel()
    textformat.parse(_GRAPH, model)
    assert list(model.meta_graphs[0].meta_info_def.tags) == ["serve"]
    assert model.meta_graphs[0].HasField("graph_def")


def test_a_protobuf_without_the_hook_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(text_format, "_Parser")
    with pytest.raises(textformat.ProtobufChanged, match="changed its text-format parser"):
        textformat.parse(_GRAPH, SavedModel())


def test_a_model_file_then_fails_as_an_internal_error_not_a_lenient_parse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory
) -> None:
    from siglint import lint_paths

    folder = tmp_path / "m"  # type: ignore[operator]
    folder.mkdir()
    (folder / "saved_model.pbtxt").write_text(_GRAPH)
    monkeypatch.delattr(text_format, "_Parser")
    result = lint_paths([str(folder)])
    assert result.findings == () and len(result.internal_errors) == 1
    assert "ProtobufChanged" in result.internal_errors[0]
