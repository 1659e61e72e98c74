"""Which TF Serving API a signature is meant for: from its method name (declared), and for TF2
exports (whose method name is always predict, save.py) from its keys (inferred): keys and a
DT_STRING input shaped for a contract, which the tf-serving pack's contracts define
(siglint.engine.contracts.core.shaped_for), or else a key that names the API (`classify`,
`regression`, ...). A contract that applies only by inference is checked at warning: Predict
serves the signature whatever its shape, only a request to the inferred API would fail."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import NamedTuple

from siglint.model.view import SignatureView
from siglint.savedmodel import constants as c


class Intent(str, enum.Enum):
    CLASSIFY = "classify"
    REGRESS = "regress"
    PREDICT = "predict"

    @property
    def api(self) -> str:
        return self.value.title()


class Inference(NamedTuple):
    """An API the signature is checked against though its method name does not declare it."""

    intent: Intent
    by_shape: bool  # True: its keys and input fit the contract; False: only its key names the API
    reason: str  # "its keys and DT_STRING input fit it", for the finding's message


class Intents(NamedTuple):
    apis: frozenset[Intent]  # every API whose contract the signature is checked against
    inferred: tuple[Inference, ...] = ()  # those of `apis` that are inferred, not declared


_BY_METHOD = {
    c.CLASSIFY_METHOD_NAME: Intent.CLASSIFY,
    c.REGRESS_METHOD_NAME: Intent.REGRESS,
    c.PREDICT_METHOD_NAME: Intent.PREDICT,
}
# Words in a key that name an API (lower case): what Estimator exports and people call them.
_NAMED = ((Intent.CLASSIFY, ("classify", "classification")), (Intent.REGRESS, ("regress",)))
PREDICT_ONLY = Intents(frozenset({Intent.PREDICT}))


def named_for(key: str) -> Intent | None:
    """CLASSIFY or REGRESS when the key names that API (`classify`, `my_regression`), else None."""
    lower = key.lower()
    return next((intent for intent, words in _NAMED if any(word in lower for word in words)), None)


def intents(
    signature: SignatureView, tf2: bool, shaped_for: Callable[[SignatureView], Intent | None]
) -> Intents:
    """The APIs whose contract this signature is checked against.

    A classify or regress method name declares that API. A predict method name declares
    Predict, and in a TF2 export (which cannot write any other method) the API its keys and
    DT_STRING input are shaped for (`shaped_for`: read from the tf-serving pack's contracts) is
    inferred; failing that, the API its key names. Any other method name is served by whichever
    API its keys fit while the server's method check is off, so it gets Predict plus the same
    inference.
    """
    declared = _BY_METHOD.get(signature.method_name)
    if declared in (Intent.CLASSIFY, Intent.REGRESS):
        return Intents(frozenset({declared}))
    if declared is not None and not tf2:
        return PREDICT_ONLY
    shaped = shaped_for(signature)
    if shaped is not None:
        reason = "its keys and DT_STRING input fit it"
        return Intents(frozenset({Intent.PREDICT, shaped}), (Inference(shaped, True, reason),))
    named = named_for(signature.key)
    if named is not None:
        reason = f"its key {signature.key!r} names it"
        return Intents(frozenset({Intent.PREDICT, named}), (Inference(named, False, reason),))
    return PREDICT_ONLY
