"""The records of a run: what a rule yields (Problem), what the engine makes of it (Finding, at
a Location, with a Severity), what a run gives back (LintResult, with a ModelSummary per model)
and what a report says of each rule (RuleInfo). They sit below the engine, the orchestrator and
the reporters, which all pass them along."""

from __future__ import annotations

import enum
import os
from typing import Any, NamedTuple

from siglint.io.quoting import bounded
from siglint.model.view import SignatureView


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Location(NamedTuple):
    """Where a finding is: a model directory, then a tag-set, signature key and tensor key."""

    path: str = ""
    tags: tuple[str, ...] | None = None
    signature: str | None = None
    tensor: str | None = None
    # "input" or "output" when `tensor` is set: a key may name an input and an output at once.
    io: str | None = None
    # The TF Serving version `path` is (its folder's number), when it is a version folder: the
    # model is then the base path's servable, whatever its version (baselines key on that).
    version: int | None = None
    # A line and column of the file at `path` (1-based), for findings about a text file such as
    # a models.config.
    line: int | None = None
    column: int | None = None
    # The servable name a models.config gives the model, for findings about a model it lists.
    model: str | None = None

    @property
    def servable_path(self) -> str:
        """The base path of a version folder's finding, else `path`."""
        if self.version is None or not self.path:
            return self.path
        return os.path.dirname(self.path) or "."

    def __str__(self) -> str:
        """`path[tags]:signature:tensor`, each part cut to a length a person can read (a key
        in a stranger's model may be megabytes long)."""
        text = bounded(self.path) if self.path else "<signature>"
        for number in (self.line, self.column if self.line is not None else None):
            if number is not None:
                text += f":{number}"
        if self.tags is not None:
            text += f"[{bounded(','.join(self.tags))}]"
        for part in (self.signature, self.tensor):
            if part is not None:
                text += f":{bounded(part)}"
        if self.model is not None:
            text += f" (model {bounded(self.model) or chr(34) * 2})"
        return text


class Problem(NamedTuple):
    """What a rule yields: the engine adds the rule's identity, severity and location."""

    message: str
    tensor: str | None = None
    io: str | None = None
    expected: str | None = None
    actual: str | None = None
    severity: Severity | None = None  # None: the rule's default severity
    contract: str | None = None  # "<pack>/<contract>" for SIG601/SIG602
    # The signature a finding of a rule about a whole model or graph concerns (SIG801: the
    # signature whose tensor name does not resolve).
    signature: str | None = None
    # Where in the file the subject was read from the problem is (1-based), when the rule knows
    # better than the subject's own place (a models.config's label, a parse error's column).
    line: int | None = None
    column: int | None = None


class Finding(NamedTuple):
    code: str
    name: str
    severity: Severity
    message: str
    location: Location = Location()
    expected: str | None = None
    actual: str | None = None
    contract: str | None = None  # "<pack>/<contract>" for a contract pack's finding

    @property
    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (
            loc.path,
            loc.line or 0,
            loc.column or 0,
            loc.model or "",
            loc.tags or (),
            loc.signature or "",
            loc.io or "",
            loc.tensor or "",
            self.code,
            self.message,
        )

    def for_model(self, model: str | None) -> Finding:
        """This finding, about a model a models.config lists under the name `model`."""
        return self if model is None else self._replace(location=self.location._replace(model=model))

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": loc.path or None,
            "tags": list(loc.tags) if loc.tags is not None else None,
            "signature": loc.signature,
            "tensor": loc.tensor,
            "io": loc.io,
            "expected": self.expected,
            "actual": self.actual,
            "contract": self.contract,
            "line": loc.line,
            "column": loc.column,
            "model": loc.model,
        }

    def __str__(self) -> str:
        return printable(f"{self.location}: {self.code} {self.severity.value} {self.message}")


def printable(text: str) -> str:
    """`text` (a key, a name, a path, a message quoting them) safe to show a person: every
    character that could break one line per finding, drive a terminal or a CI log, or make text
    read other than it is, escaped visibly. That is C0 and C1 controls and DEL (`\\n`, `\\x1b`,
    `\\x85`), the line and paragraph separators and the bidirectional controls (`\\u2028`,
    `\\u202e`), and lone surrogates: a byte of a file name that is not UTF-8 is shown as that
    byte (`\\xff`)."""
    return text.translate(_PRINTABLE)


def _escape(code: int) -> str:
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogate escape of a byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_PRINTABLE = {
    code: _escape(code)
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *_BIDI, *range(0xD800, 0xE000))
} | {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}


class RuleInfo(NamedTuple):
    """What a report says of a rule: its identity, the severity it has in this run, and its
    documentation (the docstring of its module, imported only when a report asks for it)."""

    code: str
    name: str
    severity: Severity
    module: str

    @property
    def doc(self) -> str:
        import importlib

        return importlib.import_module(self.module).__doc__ or ""

    @property
    def summary(self) -> str:
        """The documentation's first line."""
        return self.doc.strip().splitlines()[0].strip()


class ModelSummary(NamedTuple):
    """A model siglint looked at: what it read, or that it could not."""

    path: str
    file: str | None
    version: int | None
    loaded: bool
    tag_sets: tuple[tuple[str, ...], ...] = ()
    signatures: tuple[str, ...] = ()  # keys of the served MetaGraphDef
    # The served MetaGraphDef's signatures, for reports that show a finding's signature.
    signature_views: tuple[SignatureView, ...] = ()
    model: str | None = None  # the servable name a models.config gives it

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "file": self.file,
            "version": self.version,
            "loaded": self.loaded,
            "tag_sets": [list(tags) for tags in self.tag_sets],
            "signatures": list(self.signatures),
            "model": self.model,
        }


class LintResult(NamedTuple):
    findings: tuple[Finding, ...]
    models: tuple[ModelSummary, ...]
    # Failures of siglint itself on one model (a bug, not bad input): the run went on without it.
    internal_errors: tuple[str, ...] = ()
    # Folders given to check that hold no model at all (as given: `src/`).
    empty_paths: tuple[str, ...] = ()
    # The rules the run had on, at the severities it gave them (what reports list).
    rules: tuple[RuleInfo, ...] = ()
    # What a run could not check and why (graph rules skipped on a model without a graph), for
    # `check --verbose`: not findings.
    notes: tuple[str, ...] = ()
    # What the run was asked to do and could not (a --converted-from comparison), always printed.
    warnings: tuple[str, ...] = ()

    def total(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.total(Severity.ERROR) > 0
