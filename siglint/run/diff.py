"""`siglint diff`: the changes between two versions of a model that break their clients, as
findings of the SIG7 rules at a level (grpc, rest or strict; siglint.engine.diff).

Each side is read as `siglint show` reads a model (`siglint.inspect`: a SavedModel directory or
file, a TF Serving base path's latest version, a GetModelMetadata response), or from a git
revision without a checkout (`git:REV:path`, siglint.io.git). Signatures are compared by key,
whatever kind of model each side is. Nothing is written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from siglint import checks
from siglint.engine.diff import DEFAULT_LEVEL, DiffResult, Level, ModelPair, SignaturePair
from siglint.engine.engine import Engine
from siglint.engine.options import Options
from siglint.engine.rule import Scope
from siglint.findings import Finding, LintResult, Location
from siglint.io.git import PREFIX as GIT_PREFIX
from siglint.io.quoting import bounded
from siglint.io.source import Kind, SourceError, mounted, storage_for
from siglint.model.discover import holds_model, one_per_number, read_base_path
from siglint.model.view import METADATA, MetaGraphView, ModelView
from siglint.run.lint import model_summary
from siglint.savedmodel import constants

OLD, NEW = "old", "new"


class DiffError(ValueError):
    """A side that cannot be read, or versions that cannot be compared: one line per argument."""


class Side(NamedTuple):
    """One version to compare: as given, as read, and how it was found (for a note)."""

    given: str
    model: ModelView
    note: str | None = None


def diff_engine(options: Options, level: Level) -> Engine:
    """An Engine with the diff rules of `level` and the looser ones (only their modules load)."""
    from siglint.checks._diff import level_of

    codes = [e.code for e in checks.entries() if checks.is_diff(e.code) and options.selection.selects(e.code)]
    return Engine(tuple(rule for rule in checks.rules(codes) if level.holds(level_of(rule))), options)


def diff_views(old: ModelView, new: ModelView, options: Options | None = None, level: Level = DEFAULT_LEVEL) -> DiffResult:
    """The findings of the diff rules on `old` (the version serving) and `new` (the one about to
    be served), at `new`'s path."""
    options = options or Options()
    engine = diff_engine(options, level)
    pair = ModelPair(old, new, options.profile, level)
    where = Location(new.path, tuple(options.profile.tags), version=new.version)
    findings = engine.check(Scope.DIFF, pair, where)
    old_signatures, new_signatures = pair.old_signatures, pair.new_signatures
    shared = sorted(old_signatures.keys() & new_signatures.keys())
    for key in shared:
        if old_signatures[key] == new_signatures[key]:
            continue  # every rule reports a difference: an unchanged signature has none
        signature = SignaturePair(key, old_signatures[key], new_signatures[key], options.profile, level, pair.graph_names)
        findings += engine.check(Scope.DIFF_SIGNATURE, signature, where._replace(signature=key))
    notes = tuple(_nothing_served(old, pair.old_meta_graph, options))
    findings.sort(key=lambda finding: finding.sort_key)
    new_summary = model_summary(new, options)
    result = LintResult(findings=tuple(findings), models=(new_summary,), rules=engine.rule_infos(), notes=notes)
    return DiffResult(result, model_summary(old, options), new_summary, level, len(shared), notes)


def _nothing_served(old: ModelView, meta_graph: MetaGraphView | None, options: Options) -> Iterator[str]:
    if meta_graph is None:
        tags = ",".join(options.profile.tags)
        yield f"{old.path}: no MetaGraphDef is tagged {{{tags}}}: the old version served nothing to compare"


# ---------------------------------------------------------------------------------------------
# Reading the sides


class Reader(contextlib.ExitStack):
    """Reads sides, mounting each git revision they name once, for as long as it is open."""

    def __init__(self, prefer_tflite: bool = False) -> None:
        super().__init__()
        self._revisions: dict[str, Any] = {}  # rev -> its GitStorage, mounted
        # The server runs with --prefer_tflite_model: a version folder's model.tflite is the side.
        self.prefer_tflite = prefer_tflite

    def path(self, given: str) -> str:
        """The path to read for `given`: itself, or a git revision's path, mounted."""
        if not given.startswith(GIT_PREFIX):
            return given
        from siglint.io.git import GitStorage, parse_git_path

        found = parse_git_path(given)
        storage = self._revisions.get(found.rev)
        if storage is None:
            storage = self._revisions[found.rev] = GitStorage(found.rev)
            self.enter_context(mounted(storage.prefix, storage))
        return str(storage.path(found.path))

    def side(self, given: str, role: str) -> Side:
        """The model `given` holds; raises DiffError naming the side."""
        from siglint.run.inspect import InspectError, inspect

        path = given
        try:
            path = self.path(given)
            info = inspect(path, details=False, prefer_tflite=self.prefer_tflite)
        except (InspectError, SourceError) as error:
            message = str(error)
            if given.startswith(GIT_PREFIX) and "Git LFS pointer" in message:
                message += " (a git: side reads the blob git stores: the pointer, not the LFS object)"
            named = given in message or path in message
            raise DiffError(f"{role} side: {message if named else f'{given}: {message}'}") from None
        model = info.model
        note = None
        if model.kind != METADATA and model.version is not None and _version_folder(path) is None:
            note = f"{role} side {given} is a TF Serving base path: comparing its latest version, {model.version}"
        return Side(given, model, note)

    def versions(self, given: str, against: str | None) -> tuple[Side, Side]:
        """The two versions of base path `given` to compare: the newest (about to be served)
        and the one before it, or version `against`."""
        try:
            path = self.path(given)
            storage = storage_for(path)
            if storage.kind(path) is not Kind.DIR:
                raise DiffError(f"{given}: not a TF Serving base path (give two models: siglint diff OLD NEW)")
            base = read_base_path(path)
        except SourceError as error:
            raise DiffError(f"{given}: {error}") from None
        # One folder per version number, as the server keeps it; a version whose folder holds no
        # model is not one it can serve.
        served = one_per_number(base.versions)
        empty = sorted(number for number, name in served.items() if not holds_model(storage, storage.join(path, name)))
        numbered = sorted((number, name) for number, name in served.items() if number not in empty)
        if not numbered:
            raise DiffError(f"{given}: not a TF Serving base path: no numbered version folder holds a model")
        number, name = numbered[-1]
        if against is None:
            if len(numbered) < 2:
                raise DiffError(f"{given}: only version {number} holds a model: there is nothing to compare it with")
            old_name = numbered[-2][1]
        else:
            old_name = _version_named(numbered, against, given)
            if old_name == name:
                raise DiffError(f"--against {against}: it is the newest version of {given}, the one compared with it")
        newer = [served[n] for n in empty if n > number]
        skipped = (
            f"{given}: version folder {', '.join(newer)} holds no model (the server fails to load it): comparing "
            f"version {number}" if newer else None
        )
        old_side, new_side = self.side(storage.join(path, old_name), OLD), self.side(storage.join(path, name), NEW)
        return old_side, new_side._replace(note=skipped) if skipped else new_side


def _version_named(numbered: list[tuple[int, str]], against: str, given: str) -> str:
    from siglint.model.discover import parse_version

    wanted = parse_version(against)
    found = [name for number, name in numbered if number == wanted or name == against]
    if not found:
        versions = ", ".join(name for _, name in numbered)
        raise DiffError(f"--against {against}: {given} has no such version (it has {versions})")
    return found[0]


def _version_folder(path: str) -> int | None:
    from siglint.model.discover import parse_version

    storage = storage_for(path)
    name = storage.basename(path)
    if name in constants.MODEL_FILENAMES or name.endswith(constants.TFLITE_SUFFIX):
        path = storage.dirname(path)
    return parse_version(storage.basename(storage.absolute(path)))


def read_sides(reader: Reader, paths: Sequence[str], against: str | None = None) -> tuple[Side, Side]:
    """The two versions `paths` name (OLD NEW, or one base path); raises DiffError with one line
    for each side that cannot be read."""
    if len(paths) == 1:
        return reader.versions(paths[0], against)
    if len(paths) != 2:
        raise DiffError(f"give two models (OLD NEW) or one base path, not {len(paths)} paths")
    if against is not None:
        raise DiffError("--against picks a version of one base path: give only that path")
    sides: list[Side] = []
    errors: list[str] = []
    for given, role in zip(paths, (OLD, NEW)):
        try:
            sides.append(reader.side(given, role))
        except DiffError as error:
            errors += error.args
    if errors:
        raise DiffError(*errors)
    return sides[0], sides[1]


def diff_paths(
    paths: Sequence[str], options: Options | None = None, level: Level = DEFAULT_LEVEL, against: str | None = None
) -> tuple[DiffResult, tuple[Side, Side]]:
    """The diff of the versions `paths` name (see `read_sides`), and the sides read."""
    with Reader(_prefers_tflite(options)) as reader:
        sides = read_sides(reader, paths, against)
    return diff_views(sides[0].model, sides[1].model, options, level), sides


# ---------------------------------------------------------------------------------------------
# Python


def diff_models(
    old: Any, new: Any, *, level: str | Level | None = None, options: Options | None = None
) -> list[Finding]:
    """The changes from `old` (the version serving) to `new` (the one about to be served) that
    break their clients at `level` ("grpc", "rest" or "strict"; default: the options' level, a
    config file's `[diff] level`, else "grpc"), as findings.

    Each of `old` and `new` may be a path (a SavedModel directory or file, a TF Serving base
    path, a GetModelMetadata response, `git:REV:path`), a ModelView or ModelInfo, or a dict
    describing a model: `{"signatures": {key: signature}}` (one MetaGraphDef tagged `serve`) or
    `{"meta_graphs": [{"tags": [...], "signatures": {...}}]}`, each signature in any form
    `validate_signature_def` accepts. Raises DiffError when a side cannot be read.
    """
    options = options or Options()
    chosen = Level(level or options.diff_level or DEFAULT_LEVEL)
    with Reader(_prefers_tflite(options)) as reader:
        views = [_view(value, reader, role) for value, role in ((old, OLD), (new, NEW))]
    return list(diff_views(views[0], views[1], options, chosen).result.findings)


def _prefers_tflite(options: Options | None) -> bool:
    """The server serves a version's model.tflite instead of its SavedModel (the profile's
    --prefer-tflite-model), so a side that is a version folder is its model.tflite."""
    return options is not None and options.profile.prefer_tflite_model


def _view(value: Any, reader: Reader, role: str) -> ModelView:
    if isinstance(value, ModelView):
        return value
    if isinstance(value, Mapping):
        try:
            return model_view(value, f"<{role}>")
        except (TypeError, ValueError, AttributeError, KeyError) as error:
            raise DiffError(f"{role} side: not a model description: {bounded(str(error))}") from None
    if isinstance(value, (str, os.PathLike)):
        return reader.side(os.fspath(value), role).model
    model = getattr(value, "model", None)  # a ModelInfo
    if isinstance(model, ModelView):
        return model
    raise DiffError(f"{role} side: cannot compare a {type(value).__name__}: give a path, a ModelView or a dict")


def model_view(description: Mapping[str, Any], path: str = "<model>") -> ModelView:
    """The model a dict describes (see `diff_models`)."""
    from siglint.run.signature import signature_view

    if set(description) - {"signatures", "meta_graphs"} or len(description) != 1:
        raise ValueError('describe a model as {"signatures": {...}} or {"meta_graphs": [...]}')
    graphs = description.get("meta_graphs") or [{"signatures": description["signatures"]}]
    meta_graphs = []
    for graph in graphs:
        signatures = {key: signature_view(value, key) for key, value in sorted(graph.get("signatures", {}).items())}
        tags = tuple(graph.get("tags", (constants.SERVING_TAG,)))
        meta_graphs.append(MetaGraphView(tags, "", bool(graph.get("tf2", False)), signatures))
    return ModelView(path, path, 1, tuple(meta_graphs))
