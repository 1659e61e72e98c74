"""The protobuf schema subset: `siglint/savedmodel/proto.py` is generated from the schema as code
(`siglint/savedmodel/schema.py`); regenerate it with `python -m siglint.savedmodel.schema`."""

from __future__ import annotations

from conftest import ROOT

from siglint.savedmodel import proto, schema


def test_the_generated_module_is_current() -> None:
    assert (ROOT / "siglint" / "savedmodel" / "proto.py").read_text(encoding="utf-8") == schema.generated_module()
    assert proto.SERIALIZED_FILE == schema.serialized()


def test_reading_a_model_never_builds_the_descriptor() -> None:
    """descriptor_pb2 costs start-up; the serialized form needs only the descriptor pool."""
    import subprocess
    import sys

    script = "import sys, siglint.savedmodel.proto; print('google.protobuf.descriptor_pb2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
