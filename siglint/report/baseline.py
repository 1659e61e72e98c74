"""Baselines: today's findings recorded in a JSON file, so that later runs report only new ones.

A finding is known by its code and where it is (model path relative to the baseline file's
folder, tag-set, signature, tensor, input or output), and for a contract pack's finding by the
contract, not by its message, so rewording a message keeps the baseline valid. Identical entries
are counted. A finding in a TF Serving version folder is recorded under its base path, not the
version, so the next export (`export/churn/00000124`) keeps the findings of the last one known;
entries that older files recorded under a version folder still match that version."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from siglint.findings import Finding, Location, printable
from siglint.io.documents import DocumentError, read_bytes, within_limits
from siglint.io.quoting import bounded

BASELINE_VERSION = 1
# A baseline of a million findings is about 200 MB: more is no baseline siglint wrote.
MAX_BASELINE_BYTES = 256 * 2**20


class BaselineError(ValueError):
    """A baseline file siglint cannot use: the message names the file and what is wrong."""


class Entry(NamedTuple):
    code: str
    path: str  # the model path relative to the baseline file's folder, with `/` separators
    tags: tuple[str, ...] | None = None
    signature: str | None = None
    tensor: str | None = None
    io: str | None = None
    contract: str | None = None  # "<pack>/<contract>" of SIG601/SIG602

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.path, self.tags or (), self.signature or "", self.io or "", self.tensor or "", self.code,
            self.contract or "",
        )

    def __str__(self) -> str:
        where = Location(self.path, self.tags, self.signature, self.tensor, self.io)
        return f"{where}: {self.code}" + (f" ({self.contract})" if self.contract else "")


class Comparison(NamedTuple):
    """Findings against a baseline: those it does not hold, and its entries that did not occur."""

    new: tuple[Finding, ...]
    known: int  # findings the baseline holds
    stale: tuple[tuple[Entry, int], ...]  # entry, how many of it did not occur


class Baseline(NamedTuple):
    root: str  # the baseline file's folder
    counts: Counter[Entry]

    def entry(self, finding: Finding, path: str | None = None) -> Entry:
        """The entry recording `finding`: under its servable's path (a version folder's base
        path), or under `path` when given."""
        loc = finding.location
        return Entry(
            finding.code, _relative(loc.servable_path if path is None else path, self.root),
            loc.tags, loc.signature, loc.tensor, loc.io, finding.contract,
        )

    def compare(self, findings: Iterable[Finding]) -> Comparison:
        remaining = Counter(self.counts)
        new: list[Finding] = []
        for finding in findings:
            # A version folder's finding matches its base path's entry, or an entry an older
            # siglint recorded under the version folder itself.
            candidates = (self.entry(finding), self.entry(finding, finding.location.path))
            entry = next((e for e in candidates if remaining[e] > 0), None)
            if entry is not None:
                remaining[entry] -= 1
            else:
                new.append(finding)
        stale = sorted(((e, n) for e, n in remaining.items() if n > 0), key=lambda item: item[0].sort_key)
        known = sum(self.counts.values()) - sum(n for _, n in stale)
        return Comparison(tuple(new), known, tuple(stale))


def write_baseline(path: str | os.PathLike[str], findings: Iterable[Finding]) -> int:
    """Record `findings` in the baseline file `path`; returns how many were recorded."""
    path = os.fspath(path)
    baseline = Baseline(_folder(path), Counter())
    counts = Counter(baseline.entry(finding) for finding in findings)
    document = {
        "version": BASELINE_VERSION,
        "findings": [
            {**entry_to_dict(entry), "count": count}
            for entry, count in sorted(counts.items(), key=lambda item: item[0].sort_key)
        ],
    }
    try:
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=2)
            stream.write("\n")
    except OSError as error:
        raise BaselineError(f"cannot write {path}: {error.strerror or error}") from None
    return sum(counts.values())


def read_baseline(path: str | os.PathLike[str]) -> Baseline:
    path = os.fspath(path)
    def parse() -> Any:
        try:
            return json.loads(data)
        except json.JSONDecodeError as error:
            raise DocumentError(f"not valid JSON: {error}") from None
        except UnicodeDecodeError as error:
            raise DocumentError(f"not valid JSON: {error}") from None

    try:
        data = read_bytes(path, MAX_BASELINE_BYTES)
        document = within_limits("JSON", parse)
    except DocumentError as error:
        raise BaselineError(f"{path}: {error}") from None
    if not isinstance(document, dict) or document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: version: expected {BASELINE_VERSION} (a file written by --write-baseline)")
    rows = document.get("findings")
    if not isinstance(rows, list):
        raise BaselineError(f"{path}: findings: expected a list")
    counts: Counter[Entry] = Counter()
    for index, row in enumerate(rows):
        entry, count = _entry(row, f"{path}: findings[{index}]")
        counts[entry] += count
    return Baseline(_folder(path), counts)


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    row = {**entry._asdict(), "tags": list(entry.tags) if entry.tags is not None else None}
    if row["contract"] is None:  # only contract packs' findings have one
        del row["contract"]
    return row


_OPTIONAL_TEXT = ("signature", "tensor", "io", "contract")


def _entry(row: Any, where: str) -> tuple[Entry, int]:
    if not isinstance(row, dict):
        raise BaselineError(f"{where}: expected an object")
    unknown = sorted(set(row) - set(Entry._fields) - {"count"})
    if unknown:
        raise BaselineError(f"{where}.{printable(bounded(unknown[0], 100))}: unknown key")
    for key in ("code", "path"):
        if not isinstance(row.get(key), str):
            raise BaselineError(f"{where}.{key}: expected a string")
    for key in _OPTIONAL_TEXT:
        if not isinstance(row.get(key), (str, type(None))):
            raise BaselineError(f"{where}.{key}: expected a string or null")
    tags = row.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(tag, str) for tag in tags)):
        raise BaselineError(f"{where}.tags: expected a list of strings or null")
    count = row.get("count", 1)
    if type(count) is not int or count < 1:
        raise BaselineError(f"{where}.count: expected a whole number of at least 1")
    entry = Entry(
        code=row["code"],
        path=row["path"],
        tags=tuple(tags) if tags is not None else None,
        signature=row.get("signature"),
        tensor=row.get("tensor"),
        io=row.get("io"),
        contract=row.get("contract"),
    )
    return entry, count


def _folder(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _relative(path: str, root: str) -> str:
    if not path:
        return path
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
