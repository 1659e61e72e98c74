"""The streaming text-format reader: strict where siglint models the message (protobuf's public
`text_format.Parse` does that part), checked for structure where it drops a graph, the same
whatever the chunking, and built on no private protobuf API. The differential against
TensorFlow's full schema is in tests/hostile/test_fuzz_inputs.py."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from siglint.savedmodel import textformat
from siglint.savedmodel.proto import SavedModel

_GRAPH = (
    'meta_graphs { meta_info_def { tags: "serve" } graph_def { node { name: "x" op: "Placeholder"'
    ' attr { key: "dtype" value { type: DT_STRING } } } node { name: "c" op: "Const" attr { key:'
    ' "value" value { tensor { string_val: "a \\"quoted\\" } { [ brace" } } } } }\n'
    '  signature_def { key: "serving_default" value { inputs { key: "x" value { name: "x:0"'
    ' dtype: DT_STRING } } method_name: "tensorflow/serving/predict" } } }\n'
)


def _parsed(chunks: list[bytes]) -> SavedModel:
    model = SavedModel()
    textformat.parse_chunks(chunks, model)
    return model


def test_strict_outside_opaque_fields() -> None:
    with pytest.raises(textformat.ParseError, match=r'"tensorflow\.MetaGraphDef" has no field named "signature_deff"'):
        textformat.parse('meta_graphs { signature_deff { key: "a" } }', SavedModel())


def test_lenient_inside_opaque_fields_and_the_modelled_fields_kept() -> None:
    model = SavedModel()
    textformat.parse(_GRAPH, model)
    meta_graph = model.meta_graphs[0]
    assert list(meta_graph.meta_info_def.tags) == ["serve"]
    assert meta_graph.HasField("graph_def")
    assert meta_graph.signature_def["serving_default"].inputs["x"].name == "x:0"


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64])
def test_every_chunking_gives_the_same_message(size: int) -> None:
    data = _GRAPH.encode()
    whole = _parsed([data])
    assert _parsed([data[i : i + size] for i in range(0, len(data), size)]) == whole


@pytest.mark.parametrize(
    "text, message",
    [
        ('meta_graphs { graph_def { node { name: "x" ] } }', "1: ] does not close what was opened"),
        ('meta_graphs { graph_def { node { name: "x } } }', "1: a string is not closed"),
        ('meta_graphs { graph_def { node { name: "x\n" } } }', "1: a string runs past the end of its line"),
        ("meta_graphs { graph_def { node {", "1: a bracket is not closed"),
    ],
)
def test_mistakes_inside_a_dropped_graph_are_reported_by_the_scanner(text: str, message: str) -> None:
    with pytest.raises(textformat.ParseError) as raised:
        textformat.parse(text, SavedModel())
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "text, words",
    [
        ('meta_graphs { meta_info_def { tags: "x\n" } }', "String missing ending quote"),
        ("meta_graphs { } }", "Expected identifier or number, got }"),
        ('meta_graphs { meta_info_def { tags: "x" ] }', "got ]"),
        ("meta_graphs { meta_info_def {", 'Expected "}"'),
    ],
)
def test_mistakes_in_the_modelled_text_are_reported_by_protobuf(text: str, words: str) -> None:
    with pytest.raises(textformat.ParseError, match=r"^1:\d+ : .*" + words.replace("(", r"\(")):
        textformat.parse(text, SavedModel())


def test_line_numbers_stay_true_past_a_dropped_graph() -> None:
    text = 'meta_graphs {\n graph_def {\n node {\n name: "x"\n }\n }\n signature_deff {}\n}\n'
    with pytest.raises(textformat.ParseError, match=r"^7:\d+ : "):
        textformat.parse(text, SavedModel())


def test_not_utf8_is_named_with_its_byte_offset() -> None:
    data = b'meta_graphs { graph_def { node { name: "\xff" } } }'
    with pytest.raises(textformat.ParseError, match=rf"^not UTF-8 text \(invalid start byte at byte {data.index(0xFF)}\)"):
        textformat.parse_chunks([data[:20], data[20:]], SavedModel())


def test_memory_follows_the_modelled_text_not_the_graph() -> None:
    """A graph constant of 8 MiB is dropped as it goes by: what protobuf parses stays small."""
    constant = b"\\000" * (2 << 20)
    head = b'meta_graphs { graph_def { node { attr { value { tensor { tensor_content: "'
    kept: list[int] = []
    original = textformat._Scanner._keep

    def measure(scanner: textformat._Scanner, piece: bytes) -> None:
        original(scanner, piece)
        kept.append(len(piece) if not scanner.skipping else 0)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textformat._Scanner, "_keep", measure)
        textformat.parse_chunks([head, constant, b'" } } } } } }'], SavedModel())
    assert sum(kept) < 100


def test_no_private_protobuf_api() -> None:
    """A protobuf release can change anything private: only `text_format.Parse` is used."""
    source = inspect.getsource(textformat)
    assert "text_format._" not in source and "_Parser" not in source
    assert Path(textformat.__file__).read_text() == source
