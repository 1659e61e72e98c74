"""The op types TensorFlow 2.21 (CPU, Linux) registers, as plain data (`tf_ops.txt`, one name a
line): what `saved_model_cli show --all` can load. A TF2 SavedModel whose functions use any other
op (a custom op: TF Text's, TF Serving's own) cannot be loaded by it, and it lists no concrete
functions ("Op type not registered"). `python -m siglint.savedmodel.tf_ops` writes the list again
from the TensorFlow installed (`TF_GetAllOpList`), and a test holds the file to it.
"""

from __future__ import annotations

import functools
from pathlib import Path

_FILE = Path(__file__).with_name("tf_ops.txt")


@functools.lru_cache(maxsize=1)
def registered_ops() -> frozenset[str]:
    return frozenset(_FILE.read_text(encoding="utf-8").split())


def tensorflow_ops() -> list[str]:
    """The op types registered in the TensorFlow of this environment, sorted (imports it)."""
    from tensorflow.core.framework import op_def_pb2
    from tensorflow.python.client import pywrap_tf_session

    op_list = op_def_pb2.OpList()
    op_list.ParseFromString(pywrap_tf_session.TF_GetBuffer(pywrap_tf_session.TF_GetAllOpList()))
    return sorted({op.name for op in op_list.op})


if __name__ == "__main__":
    _FILE.write_text("".join(f"{name}\n" for name in tensorflow_ops()), encoding="utf-8")
