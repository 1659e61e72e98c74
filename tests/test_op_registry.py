"""The op registry snapshot (siglint/savedmodel/op_registry.txt) is what its generator writes from
the installed TensorFlow and TF Text (and the sources it cites), and siglint reads it as written."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from conftest import ROOT

from siglint.savedmodel import ops

pytestmark = pytest.mark.tensorflow


def test_the_snapshot_has_not_drifted(tf: Any, tf_text: Any) -> None:
    """Regenerate with `python -m siglint.fixturegen.op_registry` (in a fresh process: TF Text's
    ops are those its libraries add to TensorFlow's)."""
    from siglint.fixturegen import op_registry

    generated = subprocess.run(
        [sys.executable, "-m", "siglint.fixturegen.op_registry", "--print"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout
    assert op_registry.REGISTRY.read_text(encoding="utf-8") == generated


def test_every_op_tensorflow_registers_is_in_the_snapshot(tf: Any) -> None:
    from tensorflow.core.framework import op_def_pb2
    from tensorflow.python.client import pywrap_tf_session

    registered = op_def_pb2.OpList()
    registered.ParseFromString(pywrap_tf_session.TF_GetBuffer(pywrap_tf_session.TF_GetAllOpList()))
    assert len(registered.op) > 1500
    assert all(ops.registered(op.name) for op in registered.op)
    assert ops.sources()[0] == f"tensorflow {tf.__version__}"


def test_the_snapshot_reads_back_as_tensorflows_op_defs(tf: Any) -> None:
    """Each op's outputs, read from the snapshot, are its OpDef's output arguments."""
    from tensorflow.python.framework import op_def_registry

    for name in ("Identity", "Unique", "Split", "StatefulPartitionedCall", "VariableV2", "NoOp", "While"):
        op_def = op_def_registry.get(name)
        spec = ops.spec(name)
        assert spec is not None and len(spec.outputs) == len(op_def.output_arg), name
        for ours, theirs in zip(spec.outputs, op_def.output_arg, strict=True):
            assert (ours.dtype, ours.type_attr, ours.list_attr, ours.count_attr, ours.is_ref) == (
                theirs.type, theirs.type_attr, theirs.type_list_attr, theirs.number_attr, theirs.is_ref
            ), name


def test_tf_text_and_decision_forests_ops_are_in_the_snapshot() -> None:
    for op in ("SentencepieceOp", "WordpieceTokenizeWithOffsets", "TFSentencepieceTokenizeOp", "SimpleMLInferenceOpWithHandle"):
        assert ops.registered(op), op
    assert not ops.registered("MyTokenizer")
    assert [source.split()[0] for source in ops.sources()] == ["tensorflow", "tensorflow-text", "tensorflow-decision-forests"]


def test_the_unsafe_op_lists_name_registered_ops() -> None:
    from siglint.checks import (
        sig810_file_read_op,
        sig811_file_write_op,
        sig812_print_op,
        sig813_python_op,
    )

    for listed in (sig810_file_read_op.READ_OPS, sig811_file_write_op.WRITE_OPS, sig812_print_op.PRINT_OPS, sig813_python_op.PYTHON_OPS):
        assert [op for op in listed if not ops.registered(op)] == []
