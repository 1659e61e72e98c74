"""Load stage: a model directory becomes a ModelView, or a LoadFailure that rules turn into findings.

Follows TensorFlow's reader (cc/saved_model/reader.cc, loader_impl.parse_saved_model):
`saved_model.pb` wins over `saved_model.pbtxt`; existence follows symlinks. A `.pb` is read by the
seek reader (`siglint.reader`), which never reads the graph; a `.pbtxt` is parsed whole. Graphs
are a lazy part of the view, read only when a rule asks. Nothing here raises on bad input and
nothing is ever written.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from typing import Any, NamedTuple

from google.protobuf import text_format

from siglint import _proto, constants, reader
from siglint.reader import Unparsable
from siglint.view import GraphUnavailable, LazyGraph, ModelView, model_from_proto

MISSING = "missing"
UNPARSABLE = "unparsable"
_LFS_POINTER_PREFIX = b"version https://git-lfs"


class LoadFailure(NamedTuple):
    path: str  # the model directory
    kind: str  # MISSING or UNPARSABLE
    message: str
    file: str | None = None
    version: int | None = None  # the TF Serving version folder's number, if it is one


def model_file(model_dir: str) -> str | None:
    """The file TensorFlow would read for `model_dir`, or None."""
    for name in constants.MODEL_FILENAMES:
        candidate = os.path.join(model_dir, name)
        if os.path.exists(candidate):
            return candidate
    return None


def load_model(model_dir: str, version: int | None = None) -> ModelView | LoadFailure:
    path = model_file(model_dir)
    if path is None:
        return LoadFailure(model_dir, MISSING, _missing_message(model_dir), version=version)
    try:
        proto, graphs = _read_model(path)
    except Unparsable as error:
        return LoadFailure(model_dir, UNPARSABLE, f"Cannot parse file {path}: {error}", path, version)
    return model_from_proto(model_dir, path, proto, version, graphs)


def _missing_message(model_dir: str) -> str:
    text = (
        "Could not find SavedModel .pb or .pbtxt at supplied export directory path: "
        f"{model_dir}"
    )
    notes = []
    for name in constants.MODEL_FILENAMES:
        candidate = os.path.join(model_dir, name)
        if os.path.islink(candidate) and not os.path.exists(candidate):
            notes.append(f"{name} is a dangling symlink")
    if os.path.exists(os.path.join(model_dir, constants.SAVED_MODEL_FILENAME_CPB)):
        notes.append("only a chunked saved_model.cpb is present, which siglint cannot read")
    if os.path.exists(os.path.join(model_dir, "model.tflite")):
        notes.append("it holds a model.tflite, which TF Serving loads only with --prefer_tflite_model")
    if os.path.lexists(model_dir) and not os.path.isdir(model_dir):
        notes.append("it is a file, not a directory")
    elif not os.path.isdir(model_dir):
        notes.append("the directory does not exist")
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _open(path: str) -> tuple[int, int]:
    """An open descriptor and the size of the regular file `path`, or Unparsable saying why not."""
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise Unparsable("it is a directory, not a file")
        if not stat.S_ISREG(status.st_mode):
            # A FIFO or device would block or never end: never read one.
            raise Unparsable("it is not a regular file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise Unparsable(error.strerror or str(error)) from None
    status = os.fstat(fd)
    size = status.st_size
    problem = None
    if not stat.S_ISREG(status.st_mode):
        problem = "it is not a regular file"
    elif size == 0:
        problem = "the file is empty (0 bytes)"
    elif size > constants.PROTOBUF_MAX_BYTES:
        problem = f"{size} bytes is over protobuf's 2 GiB message limit"
    elif os.pread(fd, len(_LFS_POINTER_PREFIX), 0) == _LFS_POINTER_PREFIX:
        problem = "it is a Git LFS pointer, not the model (run `git lfs pull`)"
    if problem:
        os.close(fd)
        raise Unparsable(problem)
    return fd, size


@contextlib.contextmanager
def _opened(path: str) -> Iterator[tuple[int, int]]:
    """`_open(path)`, closed afterwards; an OSError while reading it is Unparsable."""
    fd, size = _open(path)
    try:
        yield fd, size
    except OSError as error:
        raise Unparsable(error.strerror or str(error)) from None
    finally:
        os.close(fd)


def _read_model(path: str) -> tuple[Any, tuple[LazyGraph | None, ...] | None]:
    """The SavedModel message of `path` and its MetaGraphDefs' lazy graphs (None: the message's
    own, held in memory)."""
    with _opened(path) as (fd, size):
        if path.endswith(".pbtxt"):
            proto = _parse_text(_read_all(fd, size))
            graphs: tuple[LazyGraph | None, ...] | None = tuple(
                _TEXT_GRAPH if mg.HasField("graph_def") else None for mg in proto.meta_graphs
            )
        else:
            proto, graphs = _read_binary(path, fd, size)
    _require_saved_model(proto)
    return proto, graphs


def _read_binary(path: str, fd: int, size: int) -> tuple[Any, tuple[LazyGraph | None, ...] | None]:
    try:
        result = reader.read_saved_model(fd, size)
    except Unparsable:
        raise
    except Exception:  # noqa: BLE001 - a bug of the seek reader: the full parse is the fallback
        return reader.parse_binary(_read_all(fd, size)), None
    graphs = tuple(None if spans is None else _file_graph(path, size, spans) for spans in result.graphs)
    return result.proto, graphs


def parse_full(path: str) -> Any:
    """The whole SavedModel message of `path`, graphs included: the reference the seek reader
    is tested against, and what `.pbtxt` files always get. Raises Unparsable."""
    with _opened(path) as (fd, size):
        data = _read_all(fd, size)
    proto = _parse_text(data) if path.endswith(".pbtxt") else reader.parse_binary(data)
    _require_saved_model(proto)
    return proto


def _read_all(fd: int, size: int) -> bytes:
    data = os.pread(fd, size, 0)
    if len(data) != size:
        raise Unparsable("the file changed while it was read")
    return data


def _require_saved_model(proto: Any) -> None:
    if not proto.meta_graphs and not proto.saved_model_schema_version:
        raise Unparsable("no SavedModel fields found: this is not a SavedModel")


def _file_graph(path: str, size: int, spans: tuple[reader.Span, ...]) -> LazyGraph:
    return LazyGraph(sum(span.length for span in spans), lambda: reader.read_spans(path, size, spans))


def _text_graph_unavailable() -> bytes:
    raise GraphUnavailable("siglint does not model GraphDef, so a .pbtxt graph cannot be re-encoded")


_TEXT_GRAPH = LazyGraph(None, _text_graph_unavailable)


def _parse_text(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unparsable(f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    proto = _proto.SavedModel()
    try:
        _proto.parse_text(text, proto)
    except (text_format.ParseError, ValueError, RecursionError) as error:
        raise Unparsable(f"not valid text format ({error})") from None
    return proto
