"""Strict text format for `saved_model.pbtxt` and text-format SignatureDefs, as TensorFlow's
`text_format.Parse` reads them, except inside the fields siglint types as `Opaque` (graphs,
collections, type specs) and the graph subset's messages, whose contents its schema models in part.

protobuf has no public hook for "strict, but lenient inside these message types": this module is
the one place that uses its private `text_format._Parser`. If a protobuf release changes that
parser, parsing fails loudly (ProtobufChanged) rather than turning lenient; the tests hold the
supported range (`protobuf` in pyproject.toml) to this behaviour.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import text_format

from siglint.savedmodel.proto import PACKAGE

ParseError = text_format.ParseError
# The messages whose fields siglint models only in part: unknown fields in them are skipped, as
# TensorFlow's full schema has them. Only `Opaque` is reachable from a SavedModel; the others
# are the graph subset's (siglint.savedmodel.graph_proto), which the graph rules parse.
PARTIAL_MESSAGES = frozenset({
    "Opaque", "NameAttrList", "AttrValue", "ListValue", "NodeDef", "ArgDef", "OpDef",
    "FunctionDef", "FunctionDefLibrary", "VersionDef", "GraphDef", "SaverDef", "CollectionDef",
    "NodeList", "AnyList", "AssetFileDef", "GraphMetaGraph", "GraphSavedModel",
})


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

    class Parser(parser):  # type: ignore[misc,valid-type]  # noqa: SLF001
        def _MergeField(self, tokenizer: Any, message: Any) -> None:  # noqa: N802
            self.allow_unknown_field = message.DESCRIPTOR.name in PARTIAL_MESSAGES
            super()._MergeField(tokenizer, message)

    return Parser


def parse(text: str, message: Any) -> None:
    """Parse `text` into `message`; raises ParseError naming TensorFlow's message types
    (``tensorflow.SignatureDef``), as TensorFlow's own parse error would."""
    parser = _strict_parser()
    try:
        parser().ParseLines(text.split("\n"), message)
    except text_format.ParseError as error:
        raise text_format.ParseError(str(error).replace(f"{PACKAGE}.", "tensorflow.")) from None
