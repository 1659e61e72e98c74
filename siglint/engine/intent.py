"""Which TF Serving API a signature is meant for: from its method name, and for TF2 exports
(whose method name is always predict, save.py) from the shape of its keys, which the
tf-serving pack's contracts define (siglint.engine.contracts.core.shaped_for)."""

from __future__ import annotations

import enum
from collections.abc import Callable

from siglint.model.view import SignatureView
from siglint.savedmodel import constants as c


class Intent(str, enum.Enum):
    CLASSIFY = "classify"
    REGRESS = "regress"
    PREDICT = "predict"


_BY_METHOD = {
    c.CLASSIFY_METHOD_NAME: Intent.CLASSIFY,
    c.REGRESS_METHOD_NAME: Intent.REGRESS,
    c.PREDICT_METHOD_NAME: Intent.PREDICT,
}


def intents(
    signature: SignatureView, tf2: bool, shaped_for: Callable[[SignatureView], Intent | None]
) -> frozenset[Intent]:
    """The APIs whose contract this signature is checked against.

    A classify or regress method name means that API. A predict method name means Predict, and
    in a TF2 export (which cannot write any other method) also the API its keys and DT_STRING
    input are shaped for (`shaped_for`: read from the tf-serving pack's contracts).
    Any other method name is served by whichever API its keys fit while the server's method
    check is off, so it gets Predict plus its key shape.
    """
    declared = _BY_METHOD.get(signature.method_name)
    if declared in (Intent.CLASSIFY, Intent.REGRESS):
        return frozenset({declared})
    shaped = shaped_for(signature)
    if shaped is not None and (declared is None or tf2):
        return frozenset({Intent.PREDICT, shaped})
    return frozenset({Intent.PREDICT})
