"""Discovery stage: command-line paths become model directories and TF Serving base paths.

A path may be a SavedModel directory, a `saved_model.pb`/`.pbtxt` file (as pre-commit passes
them; several files of one model give that model once), a folder holding TF Serving's TF Lite
model `model.tflite` (or that file, or any `.tflite` file), a TF Serving model base path
(`<base>/<int64 version>/`), or any tree holding them. Version folders follow TF Serving's
`ParseVersionNumber` (sources/storage_path/file_system_storage_path_source.cc): the name must
parse as an int64; the server ignores every other child.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from siglint.io.source import Kind, SourceError, Storage, UnsupportedPath, storage_for
from siglint.model.view import METADATA, SAVEDMODEL, TFLITE
from siglint.savedmodel import constants

# TF Serving parses version folder names with strings::safe_strto64 (tensorflow/core/lib/strings/
# numbers.cc): C whitespace around, an optional "-", decimal digits; no "+".
_INT64 = re.compile(r"^[ \t\n\v\f\r]*-?[0-9]+[ \t\n\v\f\r]*$")
_INT64_MAX = 2**63 - 1
# A folder holding one of these is a model: TF Serving loads model.tflite with --prefer_tflite_model.
_MODEL_ENTRIES = (*constants.MODEL_FILENAMES, constants.SAVED_MODEL_FILENAME_CPB, constants.TFLITE_MODEL_FILENAME)
# What a version folder may hold besides the model file (or instead of it, when it is missing).
_VERSION_ENTRIES = frozenset({*_MODEL_ENTRIES, "variables", "assets", "assets.extra", "fingerprint.pb"})


class ModelTarget(NamedTuple):
    path: str
    version: int | None = None
    kind: str = SAVEDMODEL  # or METADATA: a GetModelMetadata response, given as a file; or TFLITE
    model: str | None = None  # the servable name a models.config gives it


class BasePath(NamedTuple):
    """A folder the server would be pointed at: its version folders and what it would ignore."""

    path: str
    versions: tuple[tuple[int, str], ...]  # (number, folder name), sorted by folder name
    ignored: tuple[str, ...]  # children that are not version folders
    nested_models: tuple[str, ...] = ()  # model folders found directly under it, not numbered


class Unreadable(NamedTuple):
    """A path discovery could not use: a file that is no model file, a folder it cannot list."""

    path: str
    message: str


class PathsNotFound(FileNotFoundError):
    """Paths given to check that do not exist (or that siglint cannot read, like `gs://`): a
    usage error, not a finding. `problems` holds each path and what is wrong with it."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {problem}" for path, problem in problems))
        self.problems = problems

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.problems]


class Discovery:
    """What the command-line paths hold: models to load, base paths, paths that could not be
    used, and folders given that hold no model at all."""

    def __init__(
        self,
        models: list[ModelTarget] | None = None,
        base_paths: list[BasePath] | None = None,
        failures: list[Unreadable] | None = None,
        empty: list[str] | None = None,
    ) -> None:
        self.models = models or []
        self.base_paths = base_paths or []
        self.failures = failures or []
        self.empty = empty or []


def parse_version(name: str) -> int | None:
    """The version number of a folder name, as TF Serving's ParseVersionNumber reads it."""
    if not _INT64.match(name):
        return None
    number = int(name)
    return number if -_INT64_MAX - 1 <= number <= _INT64_MAX else None


def read_base_path(path: str) -> BasePath:
    """The folder `path` as TF Serving reads a model base path (FileSystemStoragePathSource
    PollFileSystemForServable): every child whose name parses as an int64 is a version, folder
    or not, and every other child is ignored. Raises SourceError when it cannot be listed."""
    names = storage_for(path).list(path)
    numbered = tuple((number, name) for name in names if (number := parse_version(name)) is not None)
    return BasePath(path, numbered, tuple(name for name in names if parse_version(name) is None))


def is_model_dir(storage: Storage, path: str) -> bool:
    return any(storage.kind(storage.join(path, name), follow=False) is not None for name in _MODEL_ENTRIES)


def holds_model(storage: Storage, folder: str) -> bool:
    """The version folder holds a model siglint can read: a SavedModel file or a model.tflite."""
    names = (*constants.MODEL_FILENAMES, constants.TFLITE_MODEL_FILENAME)
    return any(storage.kind(storage.join(folder, name)) is Kind.FILE for name in names)


def one_per_number(versions: Iterable[tuple[int, str]]) -> dict[int, str]:
    """The child the server keeps of each version number, given (number, name) in its sorted
    listing: of two children of one number (`2` and `002`), the later (SIG005)."""
    return dict(versions)


def discover(paths: list[str]) -> Discovery:
    """What `paths` hold; raises PathsNotFound naming every path that does not exist."""
    problems = [(raw, problem) for raw in paths if (problem := _unusable(raw or ".")) is not None]
    if problems:
        raise PathsNotFound(problems)
    found = Discovery()
    for raw in paths:
        storage = storage_for(raw or ".")
        path = storage.normpath(raw) if raw else "."
        if storage.basename(path) in constants.MODEL_FILENAMES:
            # A model file, as pre-commit passes them (or a folder wrongly named like one: the
            # load stage reports it).
            _add_model(found, storage, storage.dirname(path) or ".")
        elif storage.basename(path) == constants.TFLITE_MODEL_FILENAME and storage.kind(path) is not Kind.DIR:
            folder = storage.normpath(storage.dirname(path) or ".")
            found.models.append(ModelTarget(folder, parse_version(storage.basename(storage.absolute(folder))), TFLITE))
        elif path.lower().endswith(constants.TFLITE_SUFFIX) and storage.kind(path) is not Kind.DIR:
            found.models.append(ModelTarget(path, kind=TFLITE))  # a TF Lite model of its own
        elif storage.kind(path) is Kind.DIR:
            if _walk(found, storage, path, explicit=True):
                continue
            if parse_version(storage.basename(storage.absolute(path))) is not None:
                _add_model(found, storage, path)  # a version folder without its model
            else:
                found.empty.append(raw)
        else:
            # Any other file given by name may be what a server says it serves (the load stage
            # says so when it is not).
            found.models.append(ModelTarget(path, kind=METADATA))
    return _deduplicated(found)


def _unusable(path: str) -> str | None:
    try:
        storage = storage_for(path)
    except UnsupportedPath as error:
        return str(error)
    return "no such file or directory" if storage.kind(path, follow=False) is None else None


def _add_model(found: Discovery, storage: Storage, path: str) -> None:
    path = storage.normpath(path)
    found.models.append(ModelTarget(path, parse_version(storage.basename(storage.absolute(path)))))


def _children(storage: Storage, path: str) -> tuple[str, ...]:
    try:
        return tuple(storage.list(path))
    except SourceError:
        return ()


def _walk(found: Discovery, storage: Storage, root: str, explicit: bool) -> bool:
    """Add what `root` holds; True if it holds at least one model, base path or unreadable path.

    A folder is a TF Serving base path when one of its int64-named children looks like a version
    folder; then every int64-named entry is a version to the server (GetChildren does not
    filter: a file named `2` is a version that fails to load) and every other entry is ignored
    by it. Other child folders are still walked for models of their own. Symlinks are followed for
    version entries, as the server does, and elsewhere only for the path given. The tree is
    walked with a stack of its own, so no depth of folders can exhaust Python's.
    """
    before = len(found.models) + len(found.base_paths) + len(found.failures)
    pending = [(root, explicit)]
    while pending:
        path, follow = pending.pop()
        pending += [(child, False) for child in reversed(_visit(found, storage, path, follow))]
    return len(found.models) + len(found.base_paths) + len(found.failures) > before


def _visit(found: Discovery, storage: Storage, path: str, follow: bool) -> list[str]:
    """Add what the folder `path` itself is (a model, a base path, or neither) and return the
    child folders to walk next."""
    if is_model_dir(storage, path):
        _add_model(found, storage, path)
        return []
    try:
        names = storage.list(path)
    except SourceError as error:
        found.failures.append(Unreadable(path, f"cannot list {path}: {error}"))
        return []
    entries = [_Entry(name, storage.normpath(storage.join(path, name))) for name in names]
    numbered = [(n, e) for e in entries if (n := parse_version(e.name)) is not None]
    subdirs = [e for e in entries if not e.name.startswith(".") and _is_dir(storage, e, follow=follow)]
    if any(_looks_like_version(storage, e) for _, e in numbered):
        _add_base_path(found, path, numbered, entries)
        # Unnumbered copies of a model are SIG004's; other folders may hold models of their own.
        versions = {e.name for _, e in numbered}
        return [e.path for e in subdirs if e.name not in versions and not is_model_dir(storage, e.path)]
    direct_models = tuple(e.name for e in subdirs if is_model_dir(storage, e.path))
    if direct_models:
        found.base_paths.append(BasePath(path, (), tuple(names), nested_models=direct_models))
    return [e.path for e in subdirs]


class _Entry(NamedTuple):
    name: str
    path: str  # as shown to users: `m/1`, not `./m/1`


def _looks_like_version(storage: Storage, entry: _Entry) -> bool:
    """An int64-named folder that holds a model, a model's parts, or nothing yet: a version
    folder. (`2024/notes.txt` in a project tree is not.)"""
    if not _is_dir(storage, entry, follow=True):
        return False
    children = set(_children(storage, entry.path))
    return not children or bool(children & _VERSION_ENTRIES)


def _add_base_path(found: Discovery, path: str, numbered: list[tuple[int, _Entry]], entries: list[_Entry]) -> None:
    for number, entry in numbered:
        found.models.append(ModelTarget(entry.path, number))
    names = {e.name for _, e in numbered}
    found.base_paths.append(
        BasePath(
            path,
            tuple((number, e.name) for number, e in numbered),
            tuple(e.name for e in entries if e.name not in names),
        )
    )


def _is_dir(storage: Storage, entry: _Entry, follow: bool) -> bool:
    return storage.kind(entry.path, follow=follow) is Kind.DIR


def _deduplicated(found: Discovery) -> Discovery:
    models: dict[str, ModelTarget] = {}
    for model in found.models:
        # One model reached twice (two arguments, a symlink) is checked once, under its first path.
        models.setdefault(storage_for(model.path).identity(model.path), model)
    bases = {base.path: base for base in found.base_paths}
    failures = {(f.path, f.message): f for f in found.failures}
    return Discovery(
        models=sorted(models.values(), key=lambda m: m.path),
        base_paths=sorted(bases.values(), key=lambda b: b.path),
        failures=sorted(failures.values(), key=lambda f: f.path),
        empty=list(dict.fromkeys(found.empty)),
    )
