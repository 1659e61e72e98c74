"""`siglint show` against TensorFlow 2.21's own `saved_model_cli show`, the oracle, run in this
process (its `show()` with its absl flags set, so every model costs TensorFlow's import once).

Every model: TF Serving's test models, every fixture TensorFlow can read, and models TensorFlow
exports here (tests/show_exports.py: several signatures, traced functions with Python defaults,
nested, ragged and sparse arguments, Keras' export, a TF1 Builder with three tag-sets as .pb and
.pbtxt, a function saved as the root, a TF2 export with two MetaGraphDefs). Every mode: the
tag-sets, each tag-set's keys, each signature, `--list_ops`, `--all`, and the errors (an unknown
tag-set, an unknown key, `--list_ops` without a tag-set).

The texts are compared line for line after undoing what varies between runs of saved_model_cli
itself: the order of the op set (a Python set), of a dict's items and of the keys and tag-sets its
errors list (protobuf map and Python set orders), the order of a function's options (it sorts them
by names carrying a process-wide counter; `test_options_follow_tensorflows_load_order` checks
siglint's order apart), and the two backspaces it prints to erase a trailing ", ".
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import show_exports as exporters
from conftest import ROOT, TESTDATA

from siglint.cli import main
from siglint.model.load import LoadFailure, load_model

pytestmark = pytest.mark.tensorflow

Run = Callable[[list[str]], tuple[str, str | None]]


@pytest.fixture(scope="module")
def saved_model_cli(tf: Any) -> Run:
    """saved_model_cli's `show` with `argv` as its flags: (what it prints, its error or None)."""
    from absl import flags
    from tensorflow.python.tools import saved_model_cli as cli

    def run(argv: list[str]) -> tuple[str, str | None]:
        if _registry_grown() and _uses_unregistered_ops(argv[0].removeprefix("--dir=")):
            return _in_its_own_process(argv)
        flags.FLAGS.unparse_flags()
        flags.FLAGS(["saved_model_cli", *argv])
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                cli.show()
        except (RuntimeError, ValueError, OSError) as error:
            return out.getvalue(), str(error)
        return out.getvalue(), None

    return run


def _registry_grown() -> bool:
    """Whether this process imported TF Text (the graph rules' tests do): its ops then join
    TensorFlow's registry, which a user's saved_model_cli does not have."""
    return "tensorflow_text" in sys.modules


def _uses_unregistered_ops(model: str) -> bool:
    from siglint.model.details import read_details
    from siglint.savedmodel import ops

    loaded = load_model(model)
    if isinstance(loaded, LoadFailure):
        return False
    used = {op for used_ops in read_details(loaded).ops for op in (used_ops.ops or ())}
    return not all(ops.registered_by_tensorflow(op) for op in used)


def _in_its_own_process(argv: list[str]) -> tuple[str, str | None]:
    """The saved_model_cli command, whose TensorFlow registers its own ops only."""
    command = shutil.which("saved_model_cli", path=str(Path(sys.executable).parent))
    assert command is not None
    run = subprocess.run([command, "show", *argv], capture_output=True, text=True, timeout=300, check=False)
    if run.returncode == 0:
        return run.stdout, None
    last = run.stderr.strip().splitlines()[-1]
    return run.stdout, re.sub(r"^\w+(Error|Exception): ", "", last)


def siglint_show(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["show", *argv], stdout=out)
    return code, out.getvalue(), err.getvalue()


# --- what varies between runs of saved_model_cli, undone ------------------------------------------

_OPS = re.compile(r"^(The MetaGraph with tag set .* contains the following ops: )(\{.*\}|set\(\))$")
_DICT_VALUE = re.compile(r"^( +Value: )\{(.*)\}$")
_TAG_SETS = re.compile(r"^(.*Please use one of the following tag-sets: )(\[.*\])$")
_KEYS = re.compile(r"^(.*Please choose from: )(.*)$")


def _top_level_items(text: str) -> list[str]:
    """`text` split at the commas outside brackets and quotes."""
    items, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
    return [*items, text[start:].strip()] if text.strip() else items


def normalised(text: str) -> list[str]:
    text = re.sub(r", \x08\x08([\]}])", r"\1", text)
    text = text.replace("[\x08\x08]", "[]").replace("{\x08\x08}", "{}")
    lines = []
    for line in text.rstrip("\n").split("\n"):
        if match := _OPS.match(line):
            ops = set() if match.group(2) == "set()" else ast.literal_eval(match.group(2))
            line = match.group(1) + repr(sorted(ops))
        elif match := _DICT_VALUE.match(line):
            line = match.group(1) + "{" + ", ".join(sorted(_top_level_items(match.group(2)))) + "}"
        lines.append(line)
    return _options_sorted(lines)


def _options_sorted(lines: list[str]) -> list[str]:
    """Each function's options in a fixed order, numbered again."""
    out: list[str] = []
    options: list[list[str]] = []

    def flush() -> None:
        for number, option in enumerate(sorted(options, key=lambda o: o[1:]), 1):
            out.append(f"    Option #{number}")
            out.extend(option[1:])
        options.clear()

    for line in lines:
        if line.startswith("    Option #"):
            options.append([line])
        elif options and line.startswith("      "):
            options[-1].append(line)
        else:
            flush()
            out.append(line)
    flush()
    return out


def normalised_error(message: str) -> str:
    if match := _TAG_SETS.match(message):
        tag_sets = sorted(",".join(sorted(t.split(","))) for t in ast.literal_eval(match.group(2)))
        return match.group(1) + repr(tag_sets)
    if match := _KEYS.match(message):
        return match.group(1) + ", ".join(sorted(match.group(2).split(", ")))
    return message


# --- the models and their modes --------------------------------------------------------------------


def _model_dirs(root: Path) -> list[Path]:
    return sorted({p.parent for name in ("saved_model.pb", "saved_model.pbtxt") for p in root.rglob(name)})


# Without the folder, one placeholder: the `testdata` fixture then skips it with its reason (or
# fails it in CI), where an empty list would skip the test silently.
TESTDATA_MODELS = [str(p.relative_to(TESTDATA)) for p in _model_dirs(TESTDATA)] if TESTDATA.is_dir() else ["<absent>"]
FIXTURE_MODELS = [str(p.relative_to(ROOT)) for p in _model_dirs(ROOT / "fixtures")]


def _modes(tf: Any, model: Path) -> Iterator[list[str]]:
    """Every mode of `show`, with the tag-sets and keys TensorFlow itself reads from the model."""
    from tensorflow.python.tools import saved_model_utils

    directory = f"--dir={model}"
    yield [directory]
    yield [directory, "--all"]
    yield [directory, "--list_ops"]
    yield [directory, "--tag_set=no_such_tag"]
    for meta_graph in saved_model_utils.read_saved_model(str(model)).meta_graphs:
        tag_set = "--tag_set=" + ",".join(meta_graph.meta_info_def.tags)
        yield [directory, tag_set]
        yield [directory, tag_set, "--list_ops"]
        yield [directory, tag_set, "--signature_def=no_such_key"]
        for key in meta_graph.signature_def:
            yield [directory, tag_set, f"--signature_def={key}"]


def _compare(tf: Any, saved_model_cli: Run, model: Path) -> None:
    if isinstance(load_model(str(model)), LoadFailure):
        # What check reports as unreadable (SIG001, SIG002: an empty or corrupt file, which
        # saved_model_cli may read as an empty SavedModel) is one line and exit 2.
        code, out, err = siglint_show([str(model)])
        assert code == 2 and out == "" and err.startswith("siglint: error: ") and err.count("\n") == 1
        return
    if not _readable_by_tensorflow(tf, model):
        # A graph protobuf rejects deep inside (SIG800): TensorFlow cannot read the file at all;
        # siglint shows the signatures and says it could not read the graph.
        code, out, err = siglint_show([str(model), "--all"])
        assert code == 0 and "could not read its graph_def" in out + err, out + err
        return
    for argv in _modes(tf, model):
        expected, error = saved_model_cli(argv)
        code, out, err = siglint_show([argv[0].removeprefix("--dir="), *argv[1:]])
        assert normalised(out) == normalised(expected), argv
        if error is None:
            assert (code, err) == (0, ""), argv
        else:
            assert code == 1, argv
            assert normalised_error(err.removeprefix("siglint: error: ").rstrip("\n")) == normalised_error(error), argv


def _readable_by_tensorflow(tf: Any, model: Path) -> bool:
    from tensorflow.python.tools import saved_model_utils

    try:
        saved_model_utils.read_saved_model(str(model))
    except OSError:
        return False
    return True


@pytest.mark.parametrize("model", TESTDATA_MODELS)
def test_tf_serving_test_models(tf: Any, saved_model_cli: Run, testdata: Path, model: str) -> None:
    _compare(tf, saved_model_cli, testdata / model)


@pytest.mark.slow
@pytest.mark.parametrize("model", FIXTURE_MODELS)
def test_fixtures(tf: Any, saved_model_cli: Run, model: str) -> None:
    _compare(tf, saved_model_cli, ROOT / model)


@pytest.mark.parametrize("name", sorted(exporters.EXPORTERS))
def test_models_tensorflow_exports(tf: Any, saved_model_cli: Run, show_exports: dict[str, Path], name: str) -> None:
    _compare(tf, saved_model_cli, show_exports[name])


def test_the_comparison_sees_differences(tf: Any, saved_model_cli: Run, show_exports: dict[str, Path]) -> None:
    """The normalisation keeps what matters: another model's text differs, and so does a shape."""
    expected, _ = saved_model_cli([f"--dir={show_exports['tf1_tags']}", "--all"])
    _, out, _ = siglint_show([str(show_exports["tf1_tags_pbtxt"]), "--all"])
    assert normalised(out) == normalised(expected)
    assert normalised(out.replace("(-1, 2)", "(-1, 3)", 1)) != normalised(expected)
    _, other, _ = siglint_show([str(show_exports["keras"]), "--all"])
    assert normalised(other) != normalised(expected)


def test_what_saved_model_cli_cannot_list(tf: Any, saved_model_cli: Run, show_exports: dict[str, Path], testdata: Path) -> None:
    """The two ways saved_model_cli lists no concrete functions: custom ops (TF Text's), and a
    load that fails (two MetaGraphDefs, one from TF2)."""
    for model, reason in (
        (testdata / "tf_text_regression" / "01", "the existence of custom ops in the SavedModel"),
        (show_exports["two_meta_graphs_tf2"], "unknown reasons"),
    ):
        expected, _ = saved_model_cli([f"--dir={model}", "--all"])
        line = f"Concrete Functions: N/A (could not be listed due to {reason})"
        assert line in expected.splitlines()
        assert line in siglint_show([str(model), "--all"])[1].splitlines()


def test_options_follow_tensorflows_load_order(tf: Any, show_exports: dict[str, Path]) -> None:
    """siglint lists a function's options in the order `tf.saved_model.load` creates them (the
    counter in their names grows with it), which is saved_model_cli's order whenever those
    numbers have as many digits."""
    from siglint.model import structure
    from siglint.run.inspect import inspect

    loaded = tf.saved_model.load(str(show_exports["tf2_functions"]))
    created = sorted(
        loaded.poly._list_all_concrete_functions_for_serialization(),
        key=lambda f: int(f.name.decode().rsplit("_", 1)[1]),
    )
    tensorflow_order = [repr(f.structured_input_signature[0][0]) for f in created]
    functions = inspect(show_exports["tf2_functions"]).details.functions
    assert functions is not None
    poly = next(f for f in functions.functions if f.name == "poly")
    siglint_order = [repr(c.arguments[0]) for c in poly.concrete_functions if c.arguments]
    assert siglint_order == tensorflow_order and len(set(siglint_order)) == 5
    assert all(isinstance(c.arguments[0], structure.TensorSpec) for c in poly.concrete_functions if c.arguments)


def test_fingerprint_is_tensorflows(tf: Any, testdata: Path, show_exports: dict[str, Path]) -> None:
    from siglint.run.inspect import inspect

    for model in (testdata / "saved_model_half_plus_two_tf2_cpu" / "00000123", show_exports["keras"]):
        theirs = tf.saved_model.experimental.read_fingerprint(str(model))
        ours = inspect(model).details.fingerprint
        assert ours is not None
        assert (ours.saved_model_checksum, ours.graph_def_program_hash, ours.signature_def_hash,
                ours.saved_object_graph_hash, ours.checkpoint_hash) == (
            theirs.saved_model_checksum, theirs.graph_def_program_hash, theirs.signature_def_hash,
            theirs.saved_object_graph_hash, theirs.checkpoint_hash)
    assert inspect(testdata / "saved_model_half_plus_three" / "00000123").details.fingerprint is None


def test_dtype_names_are_tensorflows(tf: Any) -> None:
    from tensorflow.core.framework import types_pb2

    from siglint.savedmodel.dtypes import DTYPE_NAMES, tf_name

    assert set(DTYPE_NAMES) == set(types_pb2.DataType.values())
    for number in [*DTYPE_NAMES, 99, 1000]:
        try:
            expected = tf.dtypes.as_dtype(number).name
        except TypeError:
            expected = None
        assert tf_name(number) == expected, number


def test_the_op_list_is_tensorflows(tf: Any) -> None:
    """The ops the registry says TensorFlow registers (`registered_by_tensorflow`, which show asks
    to tell a model saved_model_cli cannot load) are what this TensorFlow registers, in a process
    of its own (this one may have imported TF Text, whose ops join TensorFlow's registry)."""
    from siglint.savedmodel import ops

    script = (
        "from siglint.fixturegen.op_registry import tensorflow_section\n"
        "print(chr(10).join(line.split(chr(9))[0] for line in tensorflow_section()[1]))"
    )
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    lines = Path(ops.REGISTRY_FILE).read_text(encoding="utf-8").splitlines()
    listed = {line.split("\t")[0] for line in lines if line and not line.startswith(("#", "["))}
    assert sorted(op for op in listed if ops.registered_by_tensorflow(op)) == sorted(fresh.split())
    assert all(ops.registered_by_tensorflow(op) for op in ("MatMul", "StatefulPartitionedCall", "ParseExampleV2"))
    for op in ("SentencepieceOp", "SimpleMLInferenceOpWithHandle"):  # TF Text's (tf_text_regression uses it), TF-DF's
        assert ops.registered(op) and not ops.registered_by_tensorflow(op)


def test_large_graphs_are_walked_as_small_ones_are_parsed(tf: Any, testdata: Path, show_exports: dict[str, Path]) -> None:
    """Above `walk_above` bytes a graph is walked field by field (a 1 GiB graph costs a few
    reads): with it at 64 bytes every graph, function and node is walked or read in small batches
    (attributes are still read), and the details are those protobuf's parse gives."""
    from siglint.io.graph_records import Limits
    from siglint.model.details import read_details
    from siglint.model.view import ModelView

    models = [p.parent for p in sorted(testdata.glob("*/*/saved_model.pb"))] + list(show_exports.values())
    loaded = {model: load_model(str(model)) for model in models}
    views = {model: view for model, view in loaded.items() if isinstance(view, ModelView)}
    parsed = {model: read_details(view) for model, view in views.items()}
    for model, view in views.items():
        assert read_details(view, Limits(walk_above=64)) == parsed[model], model
    assert any(used.ops for details in parsed.values() for used in details.ops)
    assert any(details.functions and details.functions.functions for details in parsed.values())


def test_the_in_process_oracle_is_the_command(tf: Any, saved_model_cli: Run, testdata: Path) -> None:
    """The `saved_model_cli` command, in its own process, prints what its `show()` prints here."""
    import shutil
    import subprocess

    command = shutil.which("saved_model_cli", path=str(Path(__import__("sys").executable).parent))
    assert command is not None
    model = testdata / "saved_model_half_plus_two_tf2_cpu" / "00000123"
    run = subprocess.run(
        [command, "show", "--all", "--dir", str(model)], capture_output=True, text=True, check=True, timeout=300
    )
    assert normalised(run.stdout) == normalised(saved_model_cli([f"--dir={model}", "--all"])[0])
    assert normalised(run.stdout) == normalised(siglint_show([str(model), "--all"])[1])
