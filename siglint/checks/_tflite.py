"""Helpers of the TF Lite rules (SIG9xx): the model's TF Lite view, and names as findings show
them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from siglint.engine.rule import ModelContext
from siglint.findings import Problem

if TYPE_CHECKING:  # the TF Lite modules load with a TF Lite model, not with the rules
    from siglint.model.tflite_view import TfliteView


def tflite(context: ModelContext) -> TfliteView:
    """The TF Lite view of the model (the rules run on TF Lite models only)."""
    view = context.model.tflite
    assert view is not None, "a TF Lite rule ran on a model that is not one"
    return view


def differences(context: ModelContext, kind: str) -> Iterator[Problem]:
    """The model's differences of `kind` from the SavedModel it was converted from."""
    conversion = tflite(context).conversion
    if conversion is None:
        return
    source = "the SavedModel beside it" if conversion.source == context.model.path else f"the SavedModel {conversion.source}"
    for difference in conversion.differences:
        if difference.kind == kind:
            yield Problem(
                f"{difference.message} (compared with {source})", difference.tensor, difference.io,
                difference.expected, difference.actual, signature=difference.signature,
            )
