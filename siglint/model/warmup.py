"""A SavedModel's warmup file, `assets.extra/tf_serving_warmup_requests`, read as TF Serving
replays it when it loads the model (tensorflow_serving/servables/tensorflow/
saved_model_warmup_util.cc RunSavedModelWarmup): a TFRecord file of PredictionLog records, each
parsed into a RequestView. Every byte goes through the Source seam; nothing is written.

The server runs records until one fails, then fails the load; it stops after record 1,001
(`Number of warmup records exceeds the maximum`). Reading stops there too, and after
MAX_CHECKED_BYTES of record data (the CRC-32C is pure Python), so a hostile file costs a bounded
amount of work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from siglint.io.source import SourceError, storage_for
from siglint.serving import constants

if TYPE_CHECKING:  # the reading's modules cost start-up: only a model with a warmup file imports them
    from siglint.io.tfrecord import FramingError
    from siglint.model.requests import RequestView

MAX_CHECKED_BYTES = 32 * 2**20


class RecordFailure(NamedTuple):
    """A record that is not a PredictionLog: protobuf's reason, and the record's size."""

    message: str
    size: int


class WarmupFile(NamedTuple):
    path: str  # the warmup file
    size: int
    # Each record read, in order: what the server would run, or why it cannot parse it. At most
    # MAX_WARMUP_RECORDS + 1 (the server runs the record over the limit, then fails).
    records: tuple[RequestView | RecordFailure, ...] = ()
    error: FramingError | None = None  # where the file stops being TFRecord
    unreadable: str | None = None  # why the file cannot be read at all
    stopped_at: int | None = None  # the offset checking stopped at (MAX_CHECKED_BYTES)
    trailing: int = 0  # bytes after the last record that the reader takes for the end


def warmup_path(model_dir: str) -> str:
    storage = storage_for(model_dir)
    return storage.join(storage.join(model_dir, constants.ASSETS_EXTRA_DIRECTORY), constants.WARMUP_FILENAME)


def read_warmup(model_dir: str) -> WarmupFile | None:
    """The warmup file of the model in `model_dir`, or None when it has none (the server's
    FilesExist: a dangling symlink is none; a folder of that name is a file it fails to read)."""
    storage = storage_for(model_dir)
    path = warmup_path(model_dir)
    if storage.kind(path) is None:
        return None
    from siglint.io import tfrecord

    try:
        source = storage.open(path)
    except SourceError as error:
        return WarmupFile(path, 0, unreadable=str(error))
    try:
        found = tfrecord.read_records(
            source, max_records=constants.MAX_WARMUP_RECORDS + 1, max_bytes=MAX_CHECKED_BYTES
        )
    except SourceError as error:
        return WarmupFile(path, source.size, unreadable=str(error))
    finally:
        source.close()
    return WarmupFile(
        path,
        source.size,
        tuple(_record(data) for data in found.records),
        found.error,
        stopped_at=found.stopped_at,
        trailing=found.trailing,
    )


def _record(data: bytes) -> RequestView | RecordFailure:
    from google.protobuf.message import DecodeError

    from siglint.model.requests import request_from_proto
    from siglint.serving.constants import upstream_names
    from siglint.serving.proto import PredictionLog

    try:
        log: Any = PredictionLog()
        log.ParseFromString(data)
    except (DecodeError, RecursionError) as error:
        return RecordFailure(upstream_names(str(error)) or "not a PredictionLog", len(data))
    return request_from_proto(log)

