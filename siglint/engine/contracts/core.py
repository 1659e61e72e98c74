"""The bundled tf-serving pack: TF Serving's Classify, Regress and Predict contracts, the one
place they are stated. The core rules SIG3xx, SIG4xx and SIG5xx give the findings of its checks
(each check names its rule), and the intent a TF2 signature's keys are shaped for is read from
it too: a signature is shaped for Classify or Regress when it meets that contract's key checks
and the dtype of its input."""

from __future__ import annotations

from siglint.engine.contracts.compiler import compile_pack
from siglint.engine.contracts.evaluate import holds
from siglint.engine.contracts.packs import read_bundled
from siglint.engine.contracts.records import CORE_PACK, Check, Contract, Kind, Pack, Subject
from siglint.engine.intent import Intent
from siglint.model.view import SignatureView

_CORE: list[Pack] = []


def core_pack() -> Pack:
    """The bundled tf-serving pack, compiled once per process (validated by the tests)."""
    if not _CORE:
        _CORE.append(compile_pack(read_bundled(CORE_PACK), f"{CORE_PACK}.json", core=True))
    return _CORE[0]


def _shape_checks(contract: Contract) -> tuple[Check, ...]:
    """What makes a signature look made for `contract`: its checks of the keys, and of the
    dtype of its inputs."""
    return tuple(
        check for check in contract.checks
        if check.on_keys or (check.kind is Kind.DTYPE and check.io == "input" and check.subject is Subject.TENSORS)
    )


def shaped_for(signature: SignatureView) -> Intent | None:
    """CLASSIFY or REGRESS when `signature` has exactly that contract's keys and an input of
    serialized Examples (DT_STRING), else None. A numeric `inputs` -> `outputs` signature is an
    ordinary Predict signature with generic key names (old predict_signature_def wrote those)."""
    pack = core_pack()
    for intent in (Intent.CLASSIFY, Intent.REGRESS):
        checks = _shape_checks(pack.contract(intent.value))
        if all(holds(check, signature) for check in checks):
            return intent
    return None
