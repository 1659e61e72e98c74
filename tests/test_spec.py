"""Round-trips: spec -> SavedModel -> siglint view -> spec is the identity; `.pb` -> `.pbtxt` ->
`.pb` keeps every SignatureDef; a model TensorFlow exported, or siglint wrote, reads the same in
siglint as in TensorFlow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siglint import reference
from siglint.fixturegen import spec
from siglint.model.load import load_model
from siglint.model.view import ModelView, model_from_proto
from siglint.run.lint import lint_paths
from siglint.savedmodel import proto as _proto
from siglint.savedmodel import textformat
from siglint.savedmodel.dtypes import DTYPE_NAMES

FIXTURES = ROOT / "fixtures"
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
NAMES = st.text("abxyz_:/0123456789", max_size=8)

tensors = st.builds(
    spec.TensorSpec,
    dtype=st.sampled_from(sorted(DTYPE_NAMES.values())),
    shape=st.none() | st.lists(st.integers(-1, 9), max_size=4).map(tuple),
    name=st.none() | NAMES,
    sparse=st.none(),
) | st.builds(
    spec.TensorSpec,
    dtype=st.sampled_from(["DT_FLOAT", "DT_INT64", "DT_STRING"]),
    shape=st.lists(st.integers(-1, 9), min_size=1, max_size=3).map(tuple),
    name=st.none(),
    sparse=st.builds(spec.Sparse, NAMES, NAMES, NAMES),
)


@st.composite
def signatures(draw: st.DrawFn) -> spec.SignatureSpec:
    inputs = draw(st.dictionaries(NAMES, tensors, max_size=3))
    defaults = draw(st.lists(st.sampled_from(sorted(inputs)), unique=True)) if inputs else []
    return spec.SignatureSpec(
        method=draw(st.sampled_from(["", "tensorflow/serving/predict"]) | TEXT),
        inputs=inputs,
        outputs=draw(st.dictionaries(NAMES, tensors, max_size=3)),
        defaults=tuple(sorted(defaults)),
    )


saved_models = st.builds(
    spec.SavedModelSpec,
    meta_graphs=st.lists(
        st.builds(
            spec.MetaGraphSpec,
            tags=st.lists(TEXT, max_size=3).map(tuple),
            signatures=st.dictionaries(TEXT, signatures(), max_size=3),
            tensorflow_version=st.sampled_from(["", "2.21.0"]),
            tf2=st.booleans(),
            graph=st.none(),  # views hold no graph: graph specs are the graph rules' tests'
        ),
        max_size=3,
    ).map(tuple),
    schema_version=st.integers(1, 3),
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(model=saved_models, fmt=st.sampled_from(reference.FORMATS))
def test_spec_to_model_to_view_to_spec_is_the_identity(tmp_path_factory: Any, model: Any, fmt: str) -> None:
    folder = tmp_path_factory.mktemp("model")
    spec.write_folder(spec.FolderSpec("", (), models=(spec.ModelFile("m/1", model, fmt),)), folder)
    view = load_model(str(folder / "m" / "1"))
    assert isinstance(view, ModelView), view
    assert spec.spec_from_view(view) == model


def _model_files(testdata: Path) -> list[Path]:
    found = sorted(FIXTURES.glob("**/saved_model.pb")) + sorted(testdata.glob("**/saved_model.pb"))
    return [path for path in found if isinstance(load_model(str(path.parent)), ModelView)]


def _signatures(model: Any) -> list[tuple[tuple[str, ...], dict[str, bytes]]]:
    return [
        (
            tuple(meta_graph.meta_info_def.tags),
            {
                key: meta_graph.signature_def[key].SerializeToString(deterministic=True)
                for key in meta_graph.signature_def
            },
        )
        for meta_graph in model.meta_graphs
    ]


def test_pb_to_pbtxt_to_pb_keeps_every_signature_def(testdata: Path) -> None:
    files = _model_files(testdata)
    assert len(files) >= 40  # the rule fixtures, TF's exports and TF Serving's test models
    for path in files:
        original = _proto.SavedModel.FromString(path.read_bytes())
        as_text = _proto.SavedModel()
        textformat.parse(reference.serialize(original, "pbtxt").decode("utf-8"), as_text)
        back = _proto.SavedModel.FromString(reference.serialize(as_text, "pb"))
        assert _signatures(back) == _signatures(original), path
        assert back.saved_model_schema_version == original.saved_model_schema_version


@pytest.mark.tensorflow
def test_siglint_reads_what_tensorflow_reads(tf: Any) -> None:
    """TF-exported fixtures and siglint-written ones: TF's own parser and siglint's agree on
    every SignatureDef (bytes), and siglint's view of TF's parse is siglint's view of the file."""
    from tensorflow.python.saved_model import loader_impl

    models = sorted({path.parent for path in FIXTURES.glob("**/saved_model.pb*")})
    compared = 0
    for folder in models:
        ours = load_model(str(folder))
        if not isinstance(ours, ModelView):
            continue  # the SIG002 fixtures: unreadable on purpose
        try:
            theirs = loader_impl.parse_saved_model(str(folder))
        except OSError:  # a graph corrupted deeper than siglint's load reads: SIG800 says so
            codes = {f.code for f in lint_paths([str(folder)]).findings}
            assert "SIG800" in codes, folder
            continue
        as_ours = _proto.SavedModel.FromString(theirs.SerializeToString())
        assert model_from_proto(ours.path, ours.file, as_ours) == ours.without_graph_refs(), folder
        ours_proto = _proto.SavedModel()
        if ours.file.endswith(".pbtxt"):
            textformat.parse(Path(ours.file).read_text(encoding="utf-8"), ours_proto)
        else:
            ours_proto.ParseFromString(Path(ours.file).read_bytes())
        assert _signatures(ours_proto) == _signatures(theirs), folder
        compared += 1
    assert compared >= 60 and any("fixtures/tf" in str(m) for m in models)


def test_spec_errors_name_the_problem(tmp_path: Path) -> None:
    cases = {
        'description = "x"\nexpect = []\ncolour = 1\n': "unknown keys: colour",
        'description = "x"\n': "lacks expect",
        'description = "x"\nexpect = []\n[[models]]\npath = "m/1"\nformat = "json"\n': "format must be one of pb, pbtxt",
        (
            'description = "x"\nexpect = []\n[[models]]\npath = "m/1"\n[[models.meta_graphs]]\ntags = []\n'
            '[models.meta_graphs.signatures.s]\ninputs.x = { dtype = "DT_FLOATY" }\n'
        ): "unknown dtype 'DT_FLOATY'",
        (
            'description = "x"\nexpect = []\n[[models]]\npath = "m/1"\n[[models.meta_graphs]]\ntags = []\n'
            '[models.meta_graphs.signatures.s]\n'
            'inputs.x = { dtype = "DT_FLOAT", name = "a", sparse = { values = "v", indices = "i", dense_shape = "d" } }\n'
        ): "both name and sparse",
        'description = "x"\nexpect = []\n[[files]]\npath = "a"\ntext = ""\nhex = "00"\n': "exactly one of text, hex",
        'description = "x"\nexpect = []\nexporter = "keras_export"\n[[files]]\npath = "a"\ntext = ""\n': "exporter",
        'description = "x"\nexpect = "SIG301"\n': "expect must be a list of strings",
        "description = \n": "spec.toml",
        'description = "x"\nexpect = []\n[[files]]\npath = "a"\nhex = "zz"\n': "not hexadecimal",
        'description = "x"\nexpect = []\n[[models]]\npath = "m/1"\ntruncate = -1\n': "number of bytes",
        'description = "x"\nexpect = []\n[[models]]\npath = "m/1"\n[[models.meta_graphs]]\ntags = []\ntf2 = "yes"\n': "tf2 must be",
    }
    for text, message in cases.items():
        (tmp_path / "spec.toml").write_text(text)
        with pytest.raises(spec.SpecError, match=message):
            spec.read_spec(tmp_path / "spec.toml")


def test_paths_stay_inside_the_folder(tmp_path: Path) -> None:
    escaping = spec.FolderSpec("", (), files=(spec.RawFile("../outside", b"x"),))
    with pytest.raises(spec.SpecError, match="stay inside"):
        spec.write_folder(escaping, tmp_path / "folder")
    assert not (tmp_path / "outside").exists()
