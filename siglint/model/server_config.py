"""A TF Serving `models.config` (`--model_config_file`), read as the server reads it: a
ModelServerConfig in strict text format (model_servers/server.cc ParseProtoTextFile), each model
it lists with its base path resolved (server_core.cc UpdateModelConfigListRelativePaths), what the
base path holds, and the versions the model's version policy serves from it
(sources/storage_path/file_system_storage_path_source.cc). Every byte goes through the Source
seam; nothing is written. No protobuf object passes this module.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from siglint.io.documents import DocumentError, decode, read_bytes
from siglint.io.source import Kind, SourceError, UnsupportedPath, storage_for
from siglint.model.discover import BasePath, one_per_number, read_base_path

LATEST, ALL, SPECIFIC = "latest", "all", "specific"
# tensorflow/core/platform/path.cc ParseURI: `scheme://host/path` with scheme [a-zA-Z][0-9a-zA-Z.]*.
_URI = re.compile(r"^([a-zA-Z][0-9a-zA-Z.]*)://([^/]*)(.*)$")


class ConfigFailure(NamedTuple):
    """Why the server cannot read the file (its own words, and a line and column if it has them)."""

    message: str
    line: int | None = None
    column: int | None = None


class VersionPolicy(NamedTuple):
    kind: str = LATEST  # the default when none is set
    num_versions: int = 1  # latest: as set (the server serves at least one)
    versions: tuple[int, ...] = ()  # specific: as listed


class Label(NamedTuple):
    name: str
    version: int
    line: int | None = None
    column: int | None = None


class Storage(NamedTuple):
    """What a model's base path holds for the server."""

    state: str  # "found", "missing", "not-a-folder", "unreadable", "remote", "relative"
    detail: str = ""  # why it is not "found"
    base: BasePath | None = None  # its versions and ignored entries, when found


class ConfiguredModel(NamedTuple):
    name: str
    base_path: str  # as written
    path: str  # the base path the server reads (joined to the root dir when relative)
    model_type: int  # the deprecated ModelType enum's number
    platform: str
    policy: VersionPolicy
    labels: tuple[Label, ...]  # by label name
    has_logging_config: bool
    line: int | None  # where its `config` entry starts
    column: int | None
    field_lines: Mapping[str, tuple[int, int]]  # field name -> (line, column) where it is set
    storage: Storage

    def at(self, field: str) -> tuple[int | None, int | None]:
        """The line and column of `field`, else of the entry."""
        return self.field_lines.get(field, (self.line, self.column))

    @property
    def served(self) -> tuple[tuple[int, str], ...]:
        """(version, folder name) of every version the policy serves from what the base path holds."""
        return served_versions(self.policy, self.storage.base.versions if self.storage.base else ())


class ServerConfigView(NamedTuple):
    path: str
    kind: str  # "model_config_list", "custom_model_config" or "" (no config set)
    models: tuple[ConfiguredModel, ...] = ()
    failure: ConfigFailure | None = None
    root_dir: str = ""  # ServerCore's model_config_list_root_dir ("": not set)


def is_relative(path: str) -> bool:
    """server_core.cc UriIsRelativePath: no scheme, no host, and not an absolute path."""
    match = _URI.match(path)
    if match:
        scheme, host, rest = match.groups()
        return not scheme and not host and not rest.startswith("/")
    return not path.startswith("/")


def served_versions(policy: VersionPolicy, versions: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
    """AspireLatestVersions / AspireAllVersions / AspireSpecificVersions: `versions` are (number,
    child name) in the server's (sorted) listing order; of two children of one number the later
    wins, except under `all`, which serves every numbered child."""
    if policy.kind == ALL:
        return versions
    by_number = one_per_number(versions)
    if policy.kind == SPECIFIC:
        return tuple((number, by_number[number]) for number in sorted(by_number) if number in policy.versions)
    latest = sorted(by_number, reverse=True)[: max(policy.num_versions, 1)]
    return tuple((number, by_number[number]) for number in sorted(latest))


def read_server_config(path: str, root_dir: str = "") -> ServerConfigView:
    """The models.config at `path`; never raises on a bad file (its failure is in the view)."""
    from siglint.savedmodel import textformat
    from siglint.serving.constants import upstream_names
    from siglint.serving.proto import ModelServerConfig

    try:
        text = decode(read_bytes(path))
    except DocumentError as error:
        return ServerConfigView(path, "", failure=ConfigFailure(f"Invalid protobuf file: '{path}' ({error})"))
    message, positions = ModelServerConfig(), {}  # type: tuple[Any, textformat.Positions]
    try:
        textformat.parse(text, message, positions=positions, rename=upstream_names)
    except (textformat.ParseError, ValueError, RecursionError) as error:
        line, column = getattr(error, "GetLine", lambda: None)(), getattr(error, "GetColumn", lambda: None)()
        text = re.sub(r"^\d+:\d+ : ", "", str(error))
        return ServerConfigView(path, "", failure=ConfigFailure(f"Invalid protobuf file: '{path}': {text}", line, column))
    kind = message.WhichOneof("config") or ""
    entries = message.model_config_list.config if kind == "model_config_list" else ()
    top = (("model_config_list", 0),)
    return ServerConfigView(
        path,
        kind,
        tuple(_model(entry, top + (("config", index),), positions, root_dir) for index, entry in enumerate(entries)),
        root_dir=root_dir,
    )


def _model(entry: Any, where: tuple[tuple[str, int], ...], positions: Mapping[Any, Any], root_dir: str) -> ConfiguredModel:
    fields = {
        key[-1][0]: (position.line, position.column)
        for key, position in positions.items()
        if len(key) == len(where) + 1 and key[:-1] == where and key[-1][1] == 0
    }
    label_places = {
        position.key: (position.line, position.column)
        for key, position in positions.items()
        if key[:-1] == where and key[-1][0] == "version_labels" and position.key is not None
    }
    start = positions.get(where)
    path = _resolved(entry.base_path, root_dir)
    return ConfiguredModel(
        name=entry.name,
        base_path=entry.base_path,
        path=path,
        model_type=int(entry.model_type),
        platform=entry.model_platform,
        policy=_policy(entry.model_version_policy),
        labels=tuple(
            Label(name, int(entry.version_labels[name]), *label_places.get(name, (None, None)))
            for name in sorted(entry.version_labels)
        ),
        has_logging_config=entry.HasField("logging_config"),
        line=start.line if start else None,
        column=start.column if start else None,
        field_lines=fields,
        storage=_storage(path),
    )


def _policy(policy: Any) -> VersionPolicy:
    choice = policy.WhichOneof("policy_choice")
    if choice == ALL:
        return VersionPolicy(ALL)
    if choice == SPECIFIC:
        return VersionPolicy(SPECIFIC, versions=tuple(int(v) for v in policy.specific.versions))
    if choice == LATEST:
        return VersionPolicy(LATEST, int(policy.latest.num_versions))
    return VersionPolicy()


def _resolved(base_path: str, root_dir: str) -> str:
    """io::JoinPath(root, base_path) for a relative base path when a root dir is set."""
    if root_dir and is_relative(base_path):
        return posixpath.join(root_dir, base_path) if base_path else root_dir
    return base_path


def _storage(path: str) -> Storage:
    if is_relative(path):
        return Storage("relative", "a relative base path: the server refuses the config")
    try:
        storage = storage_for(path)
    except UnsupportedPath as error:
        return Storage("remote", str(error))
    kind = storage.kind(path)
    if kind is None:
        return Storage("missing", f"NOT_FOUND: {path} not found")
    if kind is not Kind.DIR:
        return Storage("not-a-folder", f"{path} is not a directory")
    try:
        return Storage("found", base=read_base_path(path))
    except SourceError as error:
        return Storage("unreadable", f"cannot list {path}: {error}")
