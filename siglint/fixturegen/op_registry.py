"""Writes siglint/savedmodel/op_registry.txt: the ops a stock `tensorflow_model_server` registers.

The model server links (tensorflow_serving/model_servers/BUILD, `server_lib` and
`SUPPORTED_TENSORFLOW_OPS`):

1. TensorFlow's core ops (`@org_tensorflow//tensorflow/core:tensorflow`) and XLA's
   (`tensorflow/compiler/jit:xla_cpu_jit`): taken from the installed TensorFlow, every op its
   runtime registers (`TF_GetAllOpList`). That is a superset of the server's: the pip package
   also registers TensorFlow's test ops and the ops of its Python-only libraries (DTensor, RPC),
   which siglint therefore never reports as unregistered.
2. TF Text's ops (`@org_tensorflow_text//tensorflow_text:ops_lib`): the op libraries of the
   installed `tensorflow-text` (`pip install --no-deps tensorflow-text`, the release of the same
   minor version as TensorFlow), plus the two ops of `sentencepiece_mobile_ops.cc`, which
   `ops_lib` links but the wheel does not ship (transcribed below).
3. TensorFlow Decision Forests' inference ops
   (`@org_tensorflow_decision_forests//tensorflow_decision_forests/tensorflow/ops/inference:kernel_and_op`):
   transcribed below from tensorflow_decision_forests/tensorflow/ops/inference/op.cc.

Each line is `<op>\\t<outputs>\\t<defaults>\\t<function attributes>`: the output arguments, each
a dtype (`DT_FLOAT`), a type attribute (`$T`) or a type-list attribute (`[Tout]`), with `N*` when
an int attribute repeats it and `&` for a reference; the defaults of the attributes they name;
and the attributes that name functions (`While`'s `body` and `cond`).

Run `python -m siglint.fixturegen.op_registry` (needs TensorFlow and tensorflow-text);
tests/test_op_registry.py holds the file to what this writes.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

REGISTRY = Path(__file__).resolve().parents[1] / "savedmodel" / "op_registry.txt"

# tensorflow/text: tensorflow_text/core/ops/sentencepiece_mobile_ops.cc (in ops_lib, not in the wheel).
TEXT_SOURCE_OPS = (
    "TFSentencepieceDetokenizeOp\tDT_STRING",
    "TFSentencepieceTokenizeOp\t$out_type $Tsplits\tTsplits=DT_INT32 out_type=DT_INT32",
)
# tensorflow/decision-forests: tensorflow_decision_forests/tensorflow/ops/inference/op.cc.
DECISION_FORESTS_OPS = (
    "SimpleMLCreateModelResource\tDT_RESOURCE",
    "SimpleMLInferenceLeafIndexOpWithHandle\tDT_INT32",
    "SimpleMLInferenceOp\tDT_FLOAT DT_STRING",
    "SimpleMLInferenceOpWithHandle\tDT_FLOAT DT_STRING",
    "SimpleMLLoadModelFromPath",
    "SimpleMLLoadModelFromPathWithHandle",
)


def _dtype(number: int) -> str:
    from siglint.savedmodel.dtypes import dtype_name

    return dtype_name(number)


def op_line(op_def: Any) -> str:
    """An OpDef (TensorFlow's message) as a registry line."""
    outputs, named = [], set()
    for arg in op_def.output_arg:
        if arg.type_list_attr:
            kind = f"[{arg.type_list_attr}]"
            named.add(arg.type_list_attr)
        elif arg.type_attr:
            kind = f"${arg.type_attr}"
            named.add(arg.type_attr)
        else:
            kind = _dtype(arg.type)
        if arg.number_attr:
            kind = f"{arg.number_attr}*{kind}"
            named.add(arg.number_attr)
        outputs.append(kind + ("&" if arg.is_ref else ""))
    defaults = []
    for attr in sorted(op_def.attr, key=lambda a: a.name):
        if attr.name not in named or not attr.HasField("default_value"):
            continue
        value = attr.default_value
        kind = value.WhichOneof("value")
        if kind == "type":
            defaults.append(f"{attr.name}={_dtype(value.type)}")
        elif kind == "i":
            defaults.append(f"{attr.name}={value.i}")
        elif kind == "list":
            defaults.append(f"{attr.name}=[{','.join(_dtype(t) for t in value.list.type)}]")
    functions = sorted(attr.name for attr in op_def.attr if attr.type in ("func", "list(func)"))
    return "\t".join((op_def.name, " ".join(outputs), " ".join(defaults), " ".join(functions))).rstrip("\t")


def _registered() -> dict[str, Any]:
    from tensorflow.core.framework import op_def_pb2
    from tensorflow.python.client import pywrap_tf_session

    ops = op_def_pb2.OpList()
    ops.ParseFromString(pywrap_tf_session.TF_GetBuffer(pywrap_tf_session.TF_GetAllOpList()))
    return {op.name: op for op in ops.op}


def tensorflow_section() -> tuple[str, list[str]]:
    import tensorflow as tf

    return f"tensorflow {tf.__version__}", sorted(op_line(op) for op in _registered().values())


def text_section(package_dir: str | None = None) -> tuple[str, list[str]]:
    """TF Text's ops: those its op libraries register in this process, and TEXT_SOURCE_OPS."""
    import tensorflow as tf

    if package_dir is None:
        spec = importlib.util.find_spec("tensorflow_text")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("tensorflow-text is not installed: pip install --no-deps tensorflow-text")
        package_dir = next(iter(spec.submodule_search_locations))
    before = _registered()
    for library in sorted(glob.glob(os.path.join(package_dir, "python", "**", "_*.so"), recursive=True)):
        tf.load_op_library(library)
    added = {name: op for name, op in _registered().items() if name not in before}
    version = _text_version(package_dir)
    return f"tensorflow-text {version}", sorted([op_line(op) for op in added.values()] + list(TEXT_SOURCE_OPS))


def _text_version(package_dir: str) -> str:
    from importlib import metadata

    try:
        return metadata.version("tensorflow-text")
    except metadata.PackageNotFoundError:
        return os.path.basename(os.path.dirname(package_dir))


def render(sections: list[tuple[str, list[str]]]) -> str:
    lines = [
        "# The ops a stock tensorflow_model_server registers, by where they come from.",
        "# Generated by `python -m siglint.fixturegen.op_registry`; do not edit.",
        "# <op> TAB <outputs> TAB <defaults of the attributes they name> TAB <function attributes>",
    ]
    for title, ops in sections:
        lines.append(f"[{title}]")
        lines.extend(ops)
    return "\n".join(lines) + "\n"


def generate(text_package_dir: str | None = None) -> str:
    """The registry; in a process that has not registered TF Text's ops yet (TF Text's ops are
    those its libraries add)."""
    if "tensorflow_text" in sys.modules:
        raise RuntimeError("generate the op registry in a process that has not imported tensorflow_text")
    text = text_section(text_package_dir)  # before the core list: it loads op libraries
    core = tensorflow_section()
    core_ops = [line for line in core[1] if line.split("\t", 1)[0] not in {o.split("\t", 1)[0] for o in text[1]}]
    return render([(core[0], core_ops), text, ("tensorflow-decision-forests", sorted(DECISION_FORESTS_OPS))])


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text-package", metavar="DIR", help="an unpacked tensorflow_text package folder")
    parser.add_argument("--print", action="store_true", help="print the registry instead of writing it")
    args = parser.parse_args()
    text = generate(args.text_package)
    if args.print:
        sys.stdout.write(text)
    else:
        REGISTRY.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
