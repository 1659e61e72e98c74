"""Discovery stage: command-line paths become model directories and TF Serving base paths.

A path may be a SavedModel directory, a `saved_model.pb`/`.pbtxt` file (as pre-commit passes
them; several files of one model give that model once), a TF Serving model base path
(`<base>/<int64 version>/`), or any tree holding them. Version folders follow TF Serving's
`ParseVersionNumber` (sources/storage_path/file_system_storage_path_source.cc): the name must
parse as an int64; the server ignores every other child.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from siglint import constants
from siglint.load import UNPARSABLE, LoadFailure

# TF Serving parses version folder names with strings::safe_strto64 (tensorflow/core/lib/strings/
# numbers.cc): C whitespace around, an optional "-", decimal digits; no "+".
_INT64 = re.compile(r"^[ \t\n\v\f\r]*-?[0-9]+[ \t\n\v\f\r]*$")
_INT64_MAX = 2**63 - 1
_MODEL_ENTRIES = (*constants.MODEL_FILENAMES, constants.SAVED_MODEL_FILENAME_CPB)
# What a version folder may hold besides the model file (or instead of it, when it is missing).
_VERSION_ENTRIES = frozenset(
    {*_MODEL_ENTRIES, "variables", "assets", "assets.extra", "fingerprint.pb", "model.tflite"}
)


class ModelTarget(NamedTuple):
    path: str
    version: int | None = None


class BasePath(NamedTuple):
    """A folder the server would be pointed at: its version folders and what it would ignore."""

    path: str
    versions: tuple[tuple[int, str], ...]  # (number, folder name), sorted by folder name
    ignored: tuple[str, ...]  # children that are not version folders
    nested_models: tuple[str, ...] = ()  # model folders found directly under it, not numbered


class PathsNotFound(FileNotFoundError):
    """Paths given to check that do not exist: a usage error, not a finding."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(f"{', '.join(paths)}: no such file or directory")
        self.paths = paths


class Discovery:
    """What the command-line paths hold: models to load, base paths, paths that failed, and
    folders given that hold no model at all."""

    def __init__(
        self,
        models: list[ModelTarget] | None = None,
        base_paths: list[BasePath] | None = None,
        failures: list[LoadFailure] | None = None,
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


def is_model_dir(path: str) -> bool:
    return any(os.path.lexists(os.path.join(path, name)) for name in _MODEL_ENTRIES)


def discover(paths: list[str]) -> Discovery:
    """What `paths` hold; raises PathsNotFound naming every path that does not exist."""
    missing = [raw for raw in paths if not os.path.lexists(raw or ".")]
    if missing:
        raise PathsNotFound(missing)
    found = Discovery()
    for raw in paths:
        path = os.path.normpath(raw) if raw else "."
        if os.path.basename(path) in constants.MODEL_FILENAMES and os.path.lexists(path):
            # A model file, as pre-commit passes them (or a folder wrongly named like one: the
            # load stage reports it).
            _add_model(found, os.path.dirname(path) or ".")
        elif os.path.isdir(path):
            if _walk(found, path, explicit=True):
                continue
            if parse_version(os.path.basename(os.path.abspath(path))) is not None:
                _add_model(found, path)  # a version folder without its model
            else:
                found.empty.append(raw)
        else:
            found.failures.append(
                LoadFailure(
                    path,
                    UNPARSABLE,
                    f"{path} is not a SavedModel: expected a directory or a file named "
                    "saved_model.pb or saved_model.pbtxt",
                    path,
                )
            )
    return _deduplicated(found)


def _add_model(found: Discovery, path: str) -> None:
    path = os.path.normpath(path)
    found.models.append(ModelTarget(path, parse_version(os.path.basename(os.path.abspath(path)))))


def _children(path: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(path)))
    except OSError:
        return ()


def _walk(found: Discovery, path: str, explicit: bool) -> bool:
    """Add what `path` holds; True if it holds at least one model or base path.

    A folder is a TF Serving base path when one of its int64-named children looks like a version
    folder; then every int64-named entry is a version to the server (GetChildren does not
    filter: a file named `2` is a version that fails to load) and every other entry is ignored
    by it. Other child folders are still walked for models of their own. Symlinks are followed for
    version entries, as the server does, and elsewhere only for paths given explicitly.
    """
    if is_model_dir(path):
        _add_model(found, path)
        return True
    try:
        entries = sorted(os.scandir(path), key=lambda entry: entry.name)
    except OSError as error:
        found.failures.append(
            LoadFailure(path, UNPARSABLE, f"cannot list {path}: {error.strerror or error}")
        )
        return True
    numbered = [(n, e) for e in entries if (n := parse_version(e.name)) is not None]
    subdirs = [e for e in entries if not e.name.startswith(".") and _is_dir(e, follow=explicit)]
    if any(_looks_like_version(e) for _, e in numbered):
        _add_base_path(found, path, numbered, entries)
        # Unnumbered copies of a model are SIG004's; other folders may hold models of their own.
        versions = {e.name for _, e in numbered}
        for entry in subdirs:
            if entry.name not in versions and not is_model_dir(entry.path):
                _walk(found, _path(entry), explicit=False)
        return True
    direct_models = tuple(e.name for e in subdirs if is_model_dir(e.path))
    if direct_models:
        names = tuple(e.name for e in entries)
        found.base_paths.append(BasePath(path, (), names, nested_models=direct_models))
    holds_something = False
    for entry in subdirs:
        holds_something |= _walk(found, _path(entry), explicit=False)
    return holds_something


def _looks_like_version(entry: os.DirEntry[str]) -> bool:
    """An int64-named folder that holds a model, a model's parts, or nothing yet: a version
    folder. (`2024/notes.txt` in a project tree is not.)"""
    if not _is_dir(entry, follow=True):
        return False
    children = set(_children(entry.path))
    return not children or bool(children & _VERSION_ENTRIES)


def _add_base_path(
    found: Discovery,
    path: str,
    numbered: list[tuple[int, os.DirEntry[str]]],
    entries: list[os.DirEntry[str]],
) -> None:
    for number, entry in numbered:
        found.models.append(ModelTarget(_path(entry), number))
    names = {e.name for _, e in numbered}
    found.base_paths.append(
        BasePath(
            path,
            tuple((number, e.name) for number, e in numbered),
            tuple(e.name for e in entries if e.name not in names),
        )
    )


def _path(entry: os.DirEntry[str]) -> str:
    """The entry's path as shown to users: `m/1`, not `./m/1`."""
    return os.path.normpath(entry.path)


def _is_dir(entry: os.DirEntry[str], follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _deduplicated(found: Discovery) -> Discovery:
    models: dict[str, ModelTarget] = {}
    for model in found.models:
        # One model reached twice (two arguments, a symlink) is checked once, under its first path.
        models.setdefault(os.path.realpath(model.path), model)
    bases = {base.path: base for base in found.base_paths}
    failures = {(f.path, f.message): f for f in found.failures}
    return Discovery(
        models=sorted(models.values(), key=lambda m: m.path),
        base_paths=sorted(bases.values(), key=lambda b: b.path),
        failures=sorted(failures.values(), key=lambda f: f.path),
        empty=list(dict.fromkeys(found.empty)),
    )
