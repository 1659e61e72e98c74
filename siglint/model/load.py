"""Load stage: a model directory becomes a ModelView, or a LoadFailure that rules turn into findings.

Follows TensorFlow's reader (cc/saved_model/reader.cc, loader_impl.parse_saved_model):
`saved_model.pb` wins over `saved_model.pbtxt`; existence follows symlinks. A `.pb` is read by the
seek reader (`siglint.io.seek_reader`), which never reads the graph; a `.pbtxt` is parsed whole.
Every byte is read through the Source seam. Nothing here raises on bad input and nothing is ever
written.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from siglint.io import seek_reader
from siglint.io.quoting import bounded
from siglint.io.seek_reader import Unparsable
from siglint.io.source import Kind, Source, SourceError, Storage, read_all, read_chunks, storage_for
from siglint.model.view import (
    METADATA,
    SAVEDMODEL,
    TFLITE,
    ModelView,
    model_from_proto,
    with_graph_refs,
)
from siglint.savedmodel import constants

_LFS_POINTER_PREFIX = b"version https://git-lfs"


class FailureKind(enum.Enum):
    MISSING = "missing"  # no model file: SIG001
    UNPARSABLE = "unparsable"  # a model file (or path) that cannot be read as a SavedModel: SIG002
    TFLITE_UNPARSABLE = "tflite-unparsable"  # a .tflite TF Lite cannot load: SIG900


class LoadFailure(NamedTuple):
    path: str  # the model directory
    kind: FailureKind
    message: str
    file: str | None = None
    version: int | None = None  # the TF Serving version folder's number, if it is one


def model_file(model_dir: str, storage: Storage | None = None) -> str | None:
    """The file TensorFlow would read for `model_dir`, or None."""
    storage = storage or storage_for(model_dir)
    for name in constants.MODEL_FILENAMES:
        candidate = storage.join(model_dir, name)
        if storage.kind(candidate) is not None:
            return candidate
    return None


def load_model(
    model_dir: str, version: int | None = None, kind: str = SAVEDMODEL, prefer_tflite: bool = False
) -> ModelView | LoadFailure:
    """The views of the SavedModel in `model_dir`, or of its model.tflite when it has no
    SavedModel or `prefer_tflite` (the server's --prefer_tflite_model: model.tflite wins); for
    kind METADATA, of the GetModelMetadata response in the file `model_dir`; for kind TFLITE, of
    the `.tflite` file `model_dir` or of the folder's model.tflite."""
    if kind == TFLITE or (kind == SAVEDMODEL and prefer_tflite and holds_tflite(model_dir)):
        return _load_tflite(model_dir, version)
    if kind == METADATA:
        from siglint.model.metadata import NotMetadata, read_metadata  # json and more: only for one

        try:
            return read_metadata(model_dir)
        except NotMetadata as error:
            if _is_tflite(model_dir):
                return _load_tflite(model_dir, version)
            message = f"{model_dir} is not a SavedModel, nor a TF Serving GetModelMetadata response: {error}"
            return LoadFailure(model_dir, FailureKind.UNPARSABLE, message, model_dir)
    storage = storage_for(model_dir)
    blocked = _why_unreadable(storage, model_dir)
    if blocked is not None:
        return LoadFailure(model_dir, FailureKind.UNPARSABLE, f"Cannot read {model_dir}: {blocked}", version=version)
    path = model_file(model_dir, storage)
    if path is None and holds_tflite(model_dir):
        return _load_tflite(model_dir, version)
    if path is None:
        return LoadFailure(model_dir, FailureKind.MISSING, _missing_message(storage, model_dir), version=version)
    try:
        proto, graphs = _read_model(storage, path)
    except Unparsable as error:
        if _is_tflite(path):  # TensorFlow's reader fails on it as on any other bytes: say what it is
            error = Unparsable(f"{error} (it is a TF Lite model: TF Serving serves one named model.tflite)")
        return LoadFailure(model_dir, FailureKind.UNPARSABLE, f"Cannot parse file {path}: {error}", path, version)
    model = model_from_proto(model_dir, path, proto, version)
    if graphs is not None and not any(graphs):  # read whole after a seek reader bug: no spans
        return model
    return with_graph_refs(model, proto, graphs)


def _missing_message(storage: Storage, model_dir: str) -> str:
    text = (
        "Could not find SavedModel .pb or .pbtxt at supplied export directory path: "
        f"{model_dir}"
    )
    notes = []
    for name in constants.MODEL_FILENAMES:
        candidate = storage.join(model_dir, name)
        if storage.is_link(candidate) and storage.kind(candidate) is None:
            why = storage.why_unreachable(candidate)
            notes.append(f"{name} is {why}" if why == "a symlink loop" else f"{name} is a dangling symlink")
    if storage.kind(storage.join(model_dir, constants.SAVED_MODEL_FILENAME_CPB)) is not None:
        notes.append("only a chunked saved_model.cpb is present, which siglint cannot read")
    is_dir = storage.kind(model_dir) is Kind.DIR
    if storage.kind(model_dir, follow=False) is not None and not is_dir:
        notes.append("it is a file, not a directory")
    elif not is_dir:
        notes.append("the directory does not exist")
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _load_tflite(path: str, version: int | None) -> ModelView | LoadFailure:
    """The TF Lite model `path` (a `.tflite` file, or a folder's model.tflite)."""
    from siglint.model import tflite  # the FlatBuffer readers: only for a TF Lite model
    from siglint.model.tflite_view import STANDALONE, VERSION_FOLDER

    storage = storage_for(path)
    if storage.kind(path) is Kind.DIR:
        file, layout, beside = storage.join(path, constants.TFLITE_MODEL_FILENAME), VERSION_FOLDER, model_file(path, storage)
    else:
        file, layout, beside = path, STANDALONE, None
    try:
        return tflite.read_model(file, path, version, layout, saved_model_beside=beside is not None)
    except tflite.TfliteLoadError as error:
        return LoadFailure(path, FailureKind.TFLITE_UNPARSABLE, str(error), file, version)


def holds_tflite(model_dir: str) -> bool:
    """The folder holds a model.tflite (which TF Serving loads with --prefer_tflite_model)."""
    storage = storage_for(model_dir)
    return storage.kind(storage.join(model_dir, constants.TFLITE_MODEL_FILENAME)) is not None


def _is_tflite(path: str) -> bool:
    """A file that carries TF Lite's FlatBuffer identifier (bytes 4-8)."""
    try:
        source = storage_for(path).open(path)
    except SourceError:
        return False
    try:
        return source.size >= 8 and source.read(4, 4) == constants.TFLITE_FILE_IDENTIFIER
    except SourceError:
        return False
    finally:
        source.close()


def _why_unreadable(storage: Storage, model_dir: str) -> str | None:
    """Why the folder `model_dir` cannot be read, when it is a folder (a permission); else None."""
    if storage.kind(model_dir) is not Kind.DIR:
        return None
    try:
        storage.list(model_dir)
    except SourceError as error:
        return str(error)
    for name in constants.MODEL_FILENAMES:
        why = storage.why_unreachable(storage.join(model_dir, name))
        if why is not None and why != "a symlink loop":
            return f"{name}: {why}"
    return None


def _open(storage: Storage, path: str) -> Source:
    """`path` opened for reading if it can hold a SavedModel, or Unparsable saying why not."""
    try:
        source = storage.open(path)
    except SourceError as error:
        raise Unparsable(str(error)) from None
    try:
        if source.size == 0:
            raise Unparsable("the file is empty (0 bytes)")
        if source.size > constants.PROTOBUF_MAX_BYTES:
            raise Unparsable(f"{source.size} bytes is over protobuf's 2 GiB message limit")
        head = source.read(0, min(len(_LFS_POINTER_PREFIX), source.size))
        if head == _LFS_POINTER_PREFIX:
            raise Unparsable("it is a Git LFS pointer, not the model (run `git lfs pull`)")
    except SourceError as error:
        source.close()
        raise Unparsable(str(error)) from None
    except Unparsable:
        source.close()
        raise
    return source


Graphs = tuple[tuple[tuple[int, int], ...] | None, ...] | None


def _read_model(storage: Storage, path: str) -> tuple[Any, Graphs]:
    """The SavedModel message of `path`, without its graphs when it is a `.pb`, and where those
    graphs lie (None for a `.pbtxt`, or when the seek reader failed and the file was read whole)."""
    source = _open(storage, path)
    try:
        if path.endswith(".pbtxt"):
            proto, graphs = _parse_text(_chunks(source)), None
        else:
            proto, graphs = _read_binary(source)
    finally:
        source.close()
    _require_saved_model(proto)
    return proto, graphs


def _read_binary(source: Source) -> tuple[Any, Graphs]:
    try:
        result = seek_reader.read_saved_model(source)
        return result.proto, result.graphs
    except Unparsable:
        raise
    except Exception:  # noqa: BLE001 - a bug of the seek reader: the full parse is the fallback
        proto = seek_reader.parse_binary(_read_all(source))
        return proto, tuple(None for _ in proto.meta_graphs)  # no spans: the graph rules skip


def parse_full(path: str) -> Any:
    """The whole SavedModel message of `path`, graphs included: the reference the seek reader
    is tested against, and what `.pbtxt` files always get. Raises Unparsable."""
    source = _open(storage_for(path), path)
    try:
        if path.endswith(".pbtxt"):
            proto = _parse_text(_chunks(source))
        else:
            proto = seek_reader.parse_binary(_read_all(source))
    finally:
        source.close()
    _require_saved_model(proto)
    return proto


def _read_all(source: Source) -> bytes:
    try:
        return read_all(source)
    except SourceError as error:
        raise Unparsable(str(error)) from None


def _require_saved_model(proto: Any) -> None:
    if not proto.meta_graphs and not proto.saved_model_schema_version:
        raise Unparsable("no SavedModel fields found: this is not a SavedModel")


def _parse_text(chunks: Iterable[bytes]) -> Any:
    """A `.pbtxt` from its bytes, in chunks: streamed, the graph dropped as it goes by (see
    siglint.savedmodel.textformat), so memory follows the modelled text, not the file."""
    from siglint.savedmodel import textformat  # text_format costs start-up: only for a .pbtxt
    from siglint.savedmodel.proto import SavedModel

    proto = SavedModel()
    try:
        textformat.parse_chunks(chunks, proto)
    except (textformat.ParseError, ValueError, RecursionError) as error:
        text = bounded(str(error))
        raise Unparsable(text if text.startswith("not UTF-8") else f"not valid text format ({text})") from None
    return proto


def _chunks(source: Source) -> Iterator[bytes]:
    try:
        yield from read_chunks(source)
    except SourceError as error:
        raise Unparsable(str(error)) from None
