"""Strict text format for `saved_model.pbtxt` and text-format SignatureDefs, as TensorFlow's
`text_format.Parse` reads them, except inside the fields siglint types as `Opaque` (graphs,
collections, type specs), whose contents its schema does not model.

protobuf has no public hook for "strict, but lenient inside these message types": this module is
the one place that uses its private `text_format._Parser`. If a protobuf release changes that
parser, parsing fails loudly (ProtobufChanged) rather than turning lenient; the tests hold the
supported range (`protobuf` in pyproject.toml) to this behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from google.protobuf import text_format

from siglint.savedmodel.proto import PACKAGE

ParseError = text_format.ParseError


class ProtobufChanged(RuntimeError):
    """The installed protobuf no longer has the parser hook siglint relies on."""


def _strict_parser() -> type:
    parser = getattr(text_format, "_Parser", None)
    if parser is None or not hasattr(parser, "_MergeField"):
        import google.protobuf

        raise ProtobufChanged(
            f"protobuf {google.protobuf.__version__} changed its text-format parser, which siglint "
            "uses to read .pbtxt files strictly; install a protobuf release that siglint supports "
            "(see its `protobuf` dependency)"
        )

    class Parser(parser):  # type: ignore[misc,valid-type]
        positions: Positions | None = None
        _path: FieldPath = ()
        _counts: dict[tuple[FieldPath, str], int]

        def _MergeField(self, tokenizer: Any, message: Any) -> None:
            self.allow_unknown_field = message.DESCRIPTOR.name == "Opaque"
            if self.positions is None:
                super()._MergeField(tokenizer, message)
                return
            name, parent = str(tokenizer.token), self._path
            # The tokenizer's place is private too; without it, no positions (never a failure).
            line, column = getattr(tokenizer, "_line", -2) + 1, getattr(tokenizer, "_column", -1) + 1
            index = self._counts.get((parent, name), 0)
            self._counts[(parent, name)] = index + 1
            self._path = parent + ((name, index),)
            keys = _map_keys(message, name)
            try:
                super()._MergeField(tokenizer, message)
            finally:
                self._path = parent
            added = sorted(_map_keys(message, name) - keys) if keys is not None else []  # type: ignore[operator]
            self.positions[parent + ((name, index),)] = FieldPosition(
                name, line, column, added[0] if added else None
            )

    return Parser


class FieldPosition(NamedTuple):
    """Where a field is set in the text (1-based), and for a map field the key it added."""

    field: str
    line: int
    column: int
    key: str | None = None


# A field's place in the message tree: (field name, occurrence) from the top message down; the
# n-th occurrence of a repeated field in the text is its n-th element.
FieldPath = tuple[tuple[str, int], ...]
Positions = dict[FieldPath, FieldPosition]


def _map_keys(message: Any, name: str) -> set[Any] | None:
    field = message.DESCRIPTOR.fields_by_name.get(name)
    if field is None or field.message_type is None or not field.message_type.GetOptions().map_entry:
        return None
    return set(getattr(message, name).keys())


def tensorflow_names(text: str) -> str:
    """`text` with siglint's SavedModel message names as TensorFlow's (``tensorflow.SignatureDef``)."""
    return text.replace(f"{PACKAGE}.", "tensorflow.")


def parse(
    text: str,
    message: Any,
    *,
    positions: Positions | None = None,
    rename: Callable[[str], str] = tensorflow_names,
) -> None:
    """Parse `text` into `message`; raises ParseError naming the message types as their owners
    do (``tensorflow.SignatureDef``: `rename`), as TensorFlow's own parse error would. With
    `positions`, records where each field is set."""
    parser = _strict_parser()()
    parser.positions, parser._counts = positions, {}
    try:
        parser.ParseLines(text.split("\n"), message)
    except text_format.ParseError as error:
        line, column = error.GetLine(), error.GetColumn()
        text = str(error).removeprefix(f"{line}:{column} : " if line is not None else "")
        raise text_format.ParseError(rename(text), line, column) from None
