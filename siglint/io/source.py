"""The Source seam: every byte siglint reads, and every folder it lists, goes through a Storage.

A Storage knows one kind of place: `LocalStorage` the local file system, and the revisions of a
git repository (`siglint.io.git`, mounted under `git:REV:` while `siglint diff` reads one);
remote objects (`gs://`, `s3://`, through fsspec) are a later issue and plug in here, without
touching discovery, loading or the rules. `storage_for(path)` picks the Storage of a path.

A Source is one readable object: its `size`, and `read(offset, length)` of a range. Only regular
files are opened (a FIFO or a device would block or never end), so every read is bounded by the
size seen when the file was opened.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import re
import stat
from collections.abc import Iterator, Sequence
from typing import Protocol


class SourceError(Exception):
    """A path that cannot be read as asked; the message says why, without the path."""


class Kind(enum.Enum):
    FILE = "file"
    DIR = "dir"
    OTHER = "other"  # a FIFO, socket or device: never read


class Source(Protocol):
    """One readable object of a known size."""

    name: str
    size: int

    def read(self, offset: int, length: int) -> bytes:
        """Exactly `length` bytes from `offset` (raises SourceError if the object is shorter)."""

    def close(self) -> None: ...


class Storage(Protocol):
    """Where sources and folders live. Paths are strings as users give them."""

    def kind(self, path: str, *, follow: bool = True) -> Kind | None:
        """What `path` is (None: nothing there; with follow=False, a symlink is OTHER)."""

    def is_link(self, path: str) -> bool: ...

    def why_unreachable(self, path: str) -> str | None:
        """Why `path` cannot be looked at, when something is in the way other than its not
        existing (a permission, a symlink loop); else None."""

    def list(self, path: str) -> Sequence[str]:
        """The names in folder `path`, sorted; raises SourceError."""

    def open(self, path: str) -> Source:
        """`path` opened for reading; raises SourceError."""

    def identity(self, path: str) -> str:
        """A key equal for two paths of one object (symlinks resolved)."""

    def absolute(self, path: str) -> str:
        """`path` made absolute (the name of `.` is that of the current folder)."""

    def join(self, folder: str, name: str) -> str: ...

    def dirname(self, path: str) -> str: ...

    def basename(self, path: str) -> str: ...

    def normpath(self, path: str) -> str: ...


class LocalSource:
    """A regular local file, read with positioned reads (no shared file offset)."""

    def __init__(self, name: str, fd: int, size: int) -> None:
        self.name = name
        self.size = size
        self._fd = fd
        self.bytes_read = 0

    def read(self, offset: int, length: int) -> bytes:
        try:
            data = os.pread(self._fd, length, offset)
        except OSError as error:
            raise SourceError(error.strerror or str(error)) from None
        self.bytes_read += len(data)
        if len(data) != length:
            raise SourceError(f"the file changed while it was read (short read at byte {offset})")
        return data

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> LocalSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalStorage:
    """The local file system."""

    def kind(self, path: str, *, follow: bool = True) -> Kind | None:
        try:
            mode = os.stat(path, follow_symlinks=follow).st_mode
        except (OSError, ValueError):
            return None
        if stat.S_ISREG(mode):
            return Kind.FILE
        return Kind.DIR if stat.S_ISDIR(mode) else Kind.OTHER

    def is_link(self, path: str) -> bool:
        return os.path.islink(path)

    def why_unreachable(self, path: str) -> str | None:
        try:
            os.stat(path)
        except FileNotFoundError:
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "a symlink loop"
            return error.strerror or str(error)
        except ValueError as error:
            return str(error)
        return None

    def list(self, path: str) -> Sequence[str]:
        try:
            return sorted(os.listdir(path))
        except OSError as error:
            raise SourceError(error.strerror or str(error)) from None

    def open(self, path: str) -> LocalSource:
        try:
            mode = os.stat(path).st_mode
            if stat.S_ISDIR(mode):
                raise SourceError("it is a directory, not a file")
            if not stat.S_ISREG(mode):
                raise SourceError("it is not a regular file")
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as error:
            raise SourceError(error.strerror or str(error)) from None
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):  # swapped for something else since the stat
            os.close(fd)
            raise SourceError("it is not a regular file")
        return LocalSource(path, fd, status.st_size)

    def identity(self, path: str) -> str:
        return os.path.realpath(path)

    def absolute(self, path: str) -> str:
        return os.path.abspath(path)

    def join(self, folder: str, name: str) -> str:
        return os.path.join(folder, name)

    def dirname(self, path: str) -> str:
        return os.path.dirname(path)

    def basename(self, path: str) -> str:
        return os.path.basename(path)

    def normpath(self, path: str) -> str:
        return os.path.normpath(path)


LOCAL = LocalStorage()
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)://")


class UnsupportedPath(SourceError):
    """A path of a kind of storage siglint cannot read yet (`gs://...`)."""


# Storages mounted for a while under a path prefix (`git:main:`, siglint.io.git), by prefix.
_MOUNTS: dict[str, Storage] = {}


@contextlib.contextmanager
def mounted(prefix: str, storage: Storage) -> Iterator[None]:
    """Paths starting with `prefix` are `storage`'s while the block runs."""
    _MOUNTS[prefix] = storage
    try:
        yield
    finally:
        del _MOUNTS[prefix]


def storage_for(path: str) -> Storage:
    """The Storage that holds `path`; raises UnsupportedPath for a URL siglint cannot read."""
    if _MOUNTS:
        for prefix, storage in _MOUNTS.items():
            if path.startswith(prefix):
                return storage
    scheme = _SCHEME.match(path)
    if scheme:
        raise UnsupportedPath(f"{scheme.group(1)}:// paths are not supported yet (local files only)")
    return LOCAL


def read_all(source: Source) -> bytes:
    """The whole of `source` (bounded by the size seen when it was opened)."""
    return source.read(0, source.size) if source.size else b""


def read_chunks(source: Source, size: int = 1 << 20) -> Iterator[bytes]:
    """`source` in order, `size` bytes at a time (for readers that stream); raises SourceError."""
    for offset in range(0, source.size, size):
        yield source.read(offset, min(size, source.size - offset))
