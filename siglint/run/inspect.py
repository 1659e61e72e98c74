"""`inspect(path)`: one model read for `siglint show`: its views and the details only show needs
(ops, functions, fingerprint), and the servable TF Serving would call it."""

from __future__ import annotations

import os

from siglint.io.source import Kind, SourceError, UnsupportedPath, storage_for
from siglint.model.details import read_details, unread_details
from siglint.model.discover import ModelTarget, holds_model, is_model_dir, parse_version
from siglint.model.info import ModelInfo
from siglint.model.load import load_model
from siglint.model.view import METADATA, TFLITE, ModelView, ServedAs
from siglint.savedmodel import constants


class InspectError(Exception):
    """A path that holds no model siglint can show, or a model that cannot be read."""


def inspect(
    path: str | os.PathLike[str], *, model_name: str | None = None, details: bool = True, prefer_tflite: bool = False
) -> ModelInfo:
    """What `siglint show` shows of the model at `path`: a SavedModel directory, its
    saved_model.pb or .pbtxt, a TF Lite model (a `.tflite` file, or a folder holding only
    model.tflite), a TF Serving base path (its latest version, as the server serves it), or a
    GetModelMetadata response. Raises InspectError (with one line saying why).

    `details=False` leaves the graph, object graph and fingerprint unread (only the signatures
    are wanted): the details then say so. `prefer_tflite` reads a folder's model.tflite instead
    of its SavedModel, as a server run with --prefer_tflite_model serves it (a SavedModel file
    named by the path is read all the same)."""
    target, notes = _resolve(os.fspath(path))
    loaded = load_model(target.path, target.version, target.kind, prefer_tflite and not _names_a_file(os.fspath(path)))
    if not isinstance(loaded, ModelView):
        raise InspectError(loaded.message)
    found = read_details(loaded) if details else unread_details(loaded)
    return ModelInfo(loaded, found, _servable(loaded, model_name), notes)


def _resolve(path: str) -> tuple[ModelTarget, tuple[str, ...]]:
    try:
        storage = storage_for(path or ".")
    except UnsupportedPath as error:
        raise InspectError(f"{path}: {error}") from None
    path = storage.normpath(path) if path else "."
    kind = storage.kind(path)
    if kind is None and storage.kind(path, follow=False) is None:
        raise InspectError(f"{path}: no such file or directory")
    if kind is Kind.OTHER and (why := storage.why_unreachable(path)) is not None:
        raise InspectError(f"{path}: {why}")  # a symbolic link in a git revision
    if storage.basename(path) in constants.MODEL_FILENAMES:
        model_dir = storage.dirname(path) or "."
        return ModelTarget(model_dir, _version(model_dir)), ()
    if kind is not Kind.DIR and path.lower().endswith(constants.TFLITE_SUFFIX):
        if storage.basename(path) == constants.TFLITE_MODEL_FILENAME:  # as TF Serving finds it
            model_dir = storage.dirname(path) or "."
            return ModelTarget(model_dir, _version(model_dir), TFLITE), ()
        return ModelTarget(path, kind=TFLITE), ()
    if kind is not Kind.DIR:
        return ModelTarget(path, kind=METADATA), ()
    if is_model_dir(storage, path):
        return ModelTarget(path, _version(path)), ()
    try:
        names = storage.list(path)
    except SourceError as error:
        raise InspectError(f"cannot list {path}: {error}") from None
    versions = sorted(
        (number, name)
        for name in names
        if (number := parse_version(name)) is not None and holds_model(storage, storage.join(path, name))
    )
    if not versions:  # the load stage says what is missing, as TensorFlow's reader words it
        return ModelTarget(path, _version(path)), ()
    number, name = versions[-1]
    note = f"{path} is a TF Serving base path: showing its latest version, {name} (as the server serves it)"
    return ModelTarget(storage.join(path, name), number), (note,)


def _names_a_file(path: str) -> bool:
    storage = storage_for(path or ".")
    return storage.basename(storage.normpath(path)) in constants.MODEL_FILENAMES


def _version(model_dir: str) -> int | None:
    storage = storage_for(model_dir)
    return parse_version(storage.basename(storage.absolute(model_dir)))


def _servable(model: ModelView, model_name: str | None) -> ServedAs:
    """The name and version TF Serving reports: the base path's folder name (or --model_name),
    the version folder's number; a response's own model_spec."""
    if model.served_as is not None:
        return model.served_as._replace(name=model_name or model.served_as.name)
    storage = storage_for(model.path)
    folder = storage.absolute(model.path)
    if model.version is not None:
        folder = storage.dirname(folder)
    return ServedAs(model_name or storage.basename(folder), model.version)

