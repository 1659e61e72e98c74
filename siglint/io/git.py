"""A revision of a git repository as a Storage: `git:REV:path/to/model` is `path/to/model` as
commit (or tree) REV holds it, read with `git ls-tree` and `git cat-file` from the repository
the current folder is in, without a checkout and without writing anything, as `git show
REV:path` reads it. As in git, the path is from the repository's top folder, unless it starts
with `./` or `../` (from the current folder).

Every git command runs with a timeout and its arguments as a list (no shell); REV may not start
with `-`. A tree entry that is a symbolic link or a submodule is neither a file nor a folder
here. Blobs up to WHOLE_BLOB_BYTES are read whole; a larger one (a 1 GiB `saved_model.pb`) is
streamed from `git cat-file`, keeping its first bytes and the last window read, and read again
from its start in the rare case a reader goes back further (memory stays bounded; time grows
with the blob, which git must inflate).
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from collections.abc import Sequence
from typing import IO, NamedTuple

from siglint.io.source import Kind, SourceError

PREFIX = "git:"
GIT_TIMEOUT_SECONDS = 120
WHOLE_BLOB_BYTES = 32 * 2**20
_HEAD_BYTES = 1 << 16  # kept from a streamed blob's start: the fields a reader comes back to
_SYMLINK_MODE, _TREE_MODE = "120000", "040000"


class GitError(SourceError):
    """A git revision or path siglint cannot read; the message says why."""


class GitPath(NamedTuple):
    rev: str
    path: str  # as given after `git:REV:`


def parse_git_path(spec: str) -> GitPath:
    """`git:REV:path` split; raises GitError when it is not of that form."""
    rest = spec[len(PREFIX):] if spec.startswith(PREFIX) else None
    if rest is None or ":" not in rest:
        raise GitError(f"expected git:REV:PATH (a revision and a path in it), got {spec!r}")
    rev, path = rest.split(":", 1)
    if not rev or rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision")
    if path.startswith("/"):
        raise GitError(f"{path!r}: a path in a git revision is relative to the repository's top, not absolute")
    return GitPath(rev, path)


class _Entry(NamedTuple):
    mode: str
    type: str  # blob, tree or commit
    oid: str
    size: int


def _git(args: Sequence[str], cwd: str | None = None) -> bytes:
    """The standard output of `git args`; raises GitError with git's own message."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT_SECONDS, env=environment,
            stdin=subprocess.DEVNULL, check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed (it reads git: paths)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took more than {GIT_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        message = os.fsdecode(done.stderr).strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


class GitStorage:
    """The tree of one revision. Paths are `git:REV:` and a path from the repository's top."""

    def __init__(self, rev: str, cwd: str | None = None) -> None:
        self.rev, self.cwd, self.prefix = rev, cwd, f"{PREFIX}{rev}:"
        try:
            self.tree = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{tree}}"], cwd).decode().strip()
        except GitError as error:
            if "not a git repository" in str(error):
                raise GitError(f"{os.path.abspath(cwd or '.')} is not in a git repository") from None
            raise GitError(f"unknown revision {rev!r}") from None
        self._in_repository = os.fsdecode(_git(["rev-parse", "--show-prefix"], cwd)).strip()
        self._trees: dict[str, dict[str, _Entry]] = {}

    def path(self, given: str) -> str:
        """The storage path of `given` (what follows `git:REV:`), as git reads it."""
        if given in (".", "..") or given.startswith(("./", "../")):
            given = posixpath.join(self._in_repository, given)
        return self.prefix + self._clean(given)

    @staticmethod
    def _clean(relative: str) -> str:
        relative = posixpath.normpath(relative) if relative else ""
        if relative == "." or relative.startswith("/"):
            return ""
        if relative == ".." or relative.startswith("../"):
            raise GitError(f"{relative} is outside the repository")
        return relative

    def _relative(self, path: str) -> str:
        if not path.startswith(self.prefix):
            raise GitError(f"{path} is not a path of {self.prefix}")
        return self._clean(path[len(self.prefix):])

    def _listing(self, folder: str) -> dict[str, _Entry]:
        if folder not in self._trees:
            treeish = f"{self.tree}:{folder}" if folder else self.tree
            output = _git(["ls-tree", "--full-tree", "-l", "-z", treeish], self.cwd)
            entries = {}
            for record in output.split(b"\0"):
                if not record:
                    continue
                meta, name = record.split(b"\t", 1)
                mode, kind, oid, size = meta.decode().split()
                entries[os.fsdecode(name)] = _Entry(mode, kind, oid, int(size) if size != "-" else 0)
            self._trees[folder] = entries
        return self._trees[folder]

    def _entry(self, path: str) -> _Entry | None:
        entry = _Entry(_TREE_MODE, "tree", self.tree, 0)
        folder = ""
        for name in filter(None, self._relative(path).split("/")):
            if entry.type != "tree":
                return None
            found = self._listing(folder).get(name)
            if found is None:
                return None
            entry, folder = found, posixpath.join(folder, name) if folder else name
        return entry

    def kind(self, path: str, *, follow: bool = True) -> Kind | None:
        entry = self._entry(path)
        if entry is None:
            return None
        if entry.type == "tree":
            return Kind.DIR
        return Kind.FILE if entry.type == "blob" and entry.mode != _SYMLINK_MODE else Kind.OTHER

    def is_link(self, path: str) -> bool:
        entry = self._entry(path)
        return entry is not None and entry.mode == _SYMLINK_MODE

    def why_unreachable(self, path: str) -> str | None:
        entry = self._entry(path)
        if entry is not None and entry.mode == _SYMLINK_MODE:
            return "a symbolic link, which siglint does not follow in a git revision"
        return None

    def list(self, path: str) -> Sequence[str]:
        entry = self._entry(path)
        if entry is None or entry.type != "tree":
            raise SourceError("not a folder of the revision")
        return sorted(self._listing(self._relative(path)))

    def open(self, path: str) -> GitSource:
        entry = self._entry(path)
        if entry is None:
            raise SourceError(f"no such path in {self.rev}")
        if entry.type == "tree":
            raise SourceError("it is a directory, not a file")
        if entry.type != "blob" or entry.mode == _SYMLINK_MODE:
            raise SourceError("it is not a regular file")
        return GitSource(path, entry.oid, entry.size, self.cwd)

    def identity(self, path: str) -> str:
        return self.normpath(path)

    def absolute(self, path: str) -> str:
        return self.normpath(path)

    def join(self, folder: str, name: str) -> str:
        relative = self._relative(folder)
        return self.prefix + (posixpath.join(relative, name) if relative else name)

    def dirname(self, path: str) -> str:
        return self.prefix + posixpath.dirname(self._relative(path))

    def basename(self, path: str) -> str:
        return posixpath.basename(self._relative(path))

    def normpath(self, path: str) -> str:
        return self.prefix + self._relative(path)


class GitSource:
    """One blob of a revision, read through `git cat-file blob`."""

    def __init__(self, name: str, oid: str, size: int, cwd: str | None) -> None:
        self.name, self.size = name, size
        self._oid, self._cwd = oid, cwd
        self._whole: bytes | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._position = 0  # bytes of the stream consumed
        self._head = b""
        self._window_start, self._window = 0, b""

    def read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > self.size:
            raise SourceError(f"a read past the end of the blob (byte {offset + length} of {self.size})")
        if length == 0:
            return b""
        if self.size <= WHOLE_BLOB_BYTES:
            if self._whole is None:
                self._whole = _git(["cat-file", "blob", self._oid], self._cwd)
                if len(self._whole) != self.size:
                    raise SourceError("the blob changed while it was read")
            return self._whole[offset:offset + length]
        return self._streamed(offset, length)

    def _streamed(self, offset: int, length: int) -> bytes:
        end = offset + length
        if end <= len(self._head):
            return self._head[offset:end]
        start = self._window_start
        if start <= offset and end <= start + len(self._window):
            return self._window[offset - start:end - start]
        if offset < self._position or self._process is None:
            self._restart()
        self._skip(offset - self._position)
        data = self._take(length)
        self._window_start, self._window = offset, data
        return data

    def _restart(self) -> None:
        self.close()
        try:
            self._process = subprocess.Popen(
                ["git", "cat-file", "blob", self._oid], cwd=self._cwd, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise GitError("git is not installed (it reads git: paths)") from None
        self._position = 0

    def _pipe(self) -> IO[bytes]:
        assert self._process is not None and self._process.stdout is not None
        return self._process.stdout

    def _take(self, length: int) -> bytes:
        data = self._pipe().read(length)
        if len(data) != length:
            raise SourceError(f"the blob ended early (at byte {self._position + len(data)} of {self.size})")
        if self._position < _HEAD_BYTES and len(self._head) == self._position:
            self._head += data[: _HEAD_BYTES - self._position]
        self._position += length
        return data

    def _skip(self, count: int) -> None:
        while count > 0:
            step = min(count, 1 << 20)
            self._take(step)
            count -= step

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
