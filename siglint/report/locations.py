"""Where a finding is, for the formats that name files and places: the file read for its model,
its logical location inside the model, and a stable fingerprint."""

from __future__ import annotations

from siglint.findings import Finding, LintResult


def artifacts(result: LintResult) -> dict[str, str]:
    """Model directory -> the file read, for reporters that must name a file."""
    return {model.path: model.file for model in result.models if model.file}


def artifact(files: dict[str, str], finding: Finding) -> str:
    return files.get(finding.location.path) or finding.location.path


def logical_name(finding: Finding) -> str:
    """`serve/regress_x_to_y/output/outputs`: tag-set, signature, input or output, tensor."""
    loc = finding.location
    parts = [",".join(loc.tags) if loc.tags else None, loc.signature, loc.io, loc.tensor]
    return "/".join(part for part in parts if part)


def fingerprint(finding: Finding) -> str:
    """Stable across runs: code, model path, logical location and message."""
    import hashlib

    key = f"{finding.code}|{finding.location.path}|{logical_name(finding)}|{finding.message}"
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
