"""Helpers shared by the rules of `siglint diff` (SIG7xx): each rule's level, and what a client
of the old version sees when it calls the new one, in the server's own words (TF Serving's
predict_util.cc, classifier.cc, regressor.cc, tfrt_predict_util.cc, util/json_tensor.cc and
TensorFlow's function.cc)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Mapping

from siglint.engine.diff import Level
from siglint.engine.profile import TFRT, Profile
from siglint.engine.rule import Rule
from siglint.model.view import SignatureView, TensorView
from siglint.savedmodel import constants
from siglint.savedmodel.dtypes import DTYPE_NUMBERS, base_dtype, dtype_name, type_string
from siglint.serving import messages
from siglint.serving.constants import BYTES_SUFFIX
from siglint.serving.messages import key_set as keys

# A finding's `actual` when the new version no longer has the thing (`expected` is the old one).
ABSENT = "absent"


def level_of(rule: Rule) -> Level:
    """The level a diff rule belongs to: its module's LEVEL."""
    level: Level = importlib.import_module(rule.module).LEVEL
    return level


def tag_set_text(tags: tuple[str, ...]) -> str:
    return "{" + ",".join(tags) + "}"


# ---------------------------------------------------------------------------------------------
# Signature lookups


def sentences(*parts: str) -> str:
    """Server messages and siglint's words, one after the other, each ended as a sentence."""
    return " ".join(part if part.endswith((".", ":", " ")) else f"{part}." for part in parts if part)


def not_found(key: str, method: str, profile: Profile, rest: bool) -> str:
    """What a request naming a signature key the model no longer has gets, by API."""
    if profile.runtime == TFRT:
        errors = [messages.tfrt_function_not_found(key)]
    else:
        errors = [f"Predict: {messages.predict_signature_not_found(key)}"]
        if method in (constants.CLASSIFY_METHOD_NAME, constants.REGRESS_METHOD_NAME):
            errors.append(f"Classify and Regress: {messages.classify_signature_not_found(key)}")
    if rest:
        errors.append(f"REST: {messages.rest_signature_not_found(key)}")
    return sentences(*errors)


# ---------------------------------------------------------------------------------------------
# Inputs


def request_input_errors(sent: set[str], signature: SignatureView, profile: Profile) -> str | None:
    """The error a gRPC Predict request sending the inputs `sent` gets from `signature`, if any
    (predict_util.cc VerifyRequestInputsSize, then TensorFlow's saved_model::GetInputValues;
    tfrt_predict_util.cc on TFRT, which ignores extra inputs)."""
    wanted = set(signature.inputs)
    extra, missing = sent - wanted, wanted - sent
    required = missing - signature.defaults
    if profile.runtime == TFRT:
        return messages.tfrt_inputs_mismatch("<model>", keys(extra), keys(required)) if required else None
    if len(sent) > len(wanted) or (len(sent) < len(wanted) and not signature.defaults):
        return messages.input_size_mismatch(len(sent), len(wanted), keys(sent), keys(wanted), keys(extra), keys(missing))
    if required:
        alias = min(required)
        return messages.input_alias_not_found(alias, signature.inputs[alias].name, keys(sent), keys(signature.defaults))
    if extra:
        return messages.invalid_input_name(keys(sent & wanted), keys(sent))
    return None


def fed_positions(old: SignatureView, new: SignatureView) -> dict[str, int]:
    """The place of each input among the feeds of an old client's request to `new` (TensorFlow
    numbers a session's feeds in the request's order; siglint counts in key order)."""
    return {key: place for place, key in enumerate(sorted(k for k in old.inputs if k in new.inputs))}


# ---------------------------------------------------------------------------------------------
# Dtypes


# The JSON values json_tensor.cc's AddValueToTensor accepts for each dtype.
_JSON_VALUES = {
    **{name: "numbers" for name in ("DT_FLOAT", "DT_DOUBLE")},
    **{name: "int32 integers" for name in ("DT_INT32", "DT_INT16", "DT_INT8", "DT_UINT8")},
    "DT_INT64": "int64 integers",
    "DT_UINT32": "uint32 integers",
    "DT_UINT64": "uint64 integers",
    "DT_STRING": "strings",
    "DT_BOOL": "booleans",
}
# Which JSON values a dtype accepts that another's clients send: integers are numbers; a wider
# integer type takes a narrower one's.
_ACCEPTS = {
    "numbers": {"numbers", "int32 integers", "int64 integers", "uint32 integers", "uint64 integers"},
    "int64 integers": {"int32 integers", "int64 integers", "uint32 integers"},
    "uint64 integers": {"uint32 integers", "uint64 integers"},
}
# The TensorProto field a fetched tensor's values are in (Tensor::AsProtoField).
_VALUE_FIELDS = {
    "DT_FLOAT": "float_val", "DT_DOUBLE": "double_val", "DT_INT64": "int64_val", "DT_STRING": "string_val",
    "DT_BOOL": "bool_val", "DT_UINT32": "uint32_val", "DT_UINT64": "uint64_val", "DT_HALF": "half_val",
    "DT_BFLOAT16": "half_val", "DT_COMPLEX64": "scomplex_val", "DT_COMPLEX128": "dcomplex_val",
    **{name: "int_val" for name in ("DT_INT32", "DT_INT16", "DT_INT8", "DT_UINT8", "DT_UINT16")},
}


def json_values(dtype: int) -> str | None:
    """The JSON values REST converts to `dtype` (None: REST cannot convert it)."""
    return _JSON_VALUES.get(dtype_name(base_dtype(dtype)))


def rest_still_converts(old: int, new: int) -> bool:
    """Whether the JSON values REST clients send for `old` still convert to `new`."""
    sent, taken = json_values(old), json_values(new)
    if sent is None or taken is None:
        return False
    return sent == taken or sent in _ACCEPTS.get(taken, ())


def value_field(dtype: int) -> str:
    return _VALUE_FIELDS.get(dtype_name(base_dtype(dtype)), "tensor_content")


def input_dtype_error(key: str, old: SignatureView, new: SignatureView, profile: Profile, place: int) -> str:
    """What a client feeding input `key` the old dtype (as feed number `place`) gets from the new
    signature."""
    sent, wanted = type_string(base_dtype(old.inputs[key].dtype)), type_string(base_dtype(new.inputs[key].dtype))
    return messages.input_dtype_mismatch(key, place, wanted, sent, profile.runtime == TFRT)


# ---------------------------------------------------------------------------------------------
# Shapes


def dims_narrowed(old: TensorView, new: TensorView) -> list[int]:
    """The dimensions (same known rank) where `new` accepts less than `old`: an unknown size
    made fixed, or a fixed size changed."""
    if old.shape is None or new.shape is None or len(old.shape) != len(new.shape):
        return []
    return [i for i, (was, now) in enumerate(zip(old.shape, new.shape)) if now >= 0 and was != now]


def dims_widened(old: TensorView, new: TensorView) -> list[int]:
    """The dimensions (same known rank) where `new` may be what `old` could not: a fixed size
    made unknown, or changed."""
    if old.shape is None or new.shape is None or len(old.shape) != len(new.shape):
        return []
    return [i for i, (was, now) in enumerate(zip(old.shape, new.shape)) if was >= 0 and was != now]


def input_narrowed(old_signature: SignatureView, key: str, old: TensorView, new: TensorView) -> bool:
    """Whether input `key` takes fewer shapes than it did (SIG723): its rank made known, or, at
    the same rank, a dimension fixed or changed. A Classify or Regress signature's `inputs` made
    `[batch]` still takes what those APIs feed it (serialized Examples, DT_STRING [N])."""
    if new.shape is None:
        return False
    if old.shape is not None and not dims_narrowed(old, new):
        return False
    feeds_examples = (
        old_signature.method_name in (constants.CLASSIFY_METHOD_NAME, constants.REGRESS_METHOD_NAME)
        and key == constants.CLASSIFY_INPUTS
        and len(new.shape) == 1
        and new.shape[0] < 0
    )
    return not feeds_examples


def dim_text(size: int) -> str:
    return "unknown (-1)" if size < 0 else str(size)


# ---------------------------------------------------------------------------------------------
# Renames and names


def renames(old: Mapping[str, TensorView], new: Mapping[str, TensorView]) -> dict[str, str]:
    """Each key gone from `new` -> the key it most likely became: the one added key with its
    dtype, shape and encoding when no other key gone has them; failing that, the one added key
    with its tensor names; failing that, the only key added when it is the only key gone.
    Linear: a signature may have a million inputs."""
    gone = [tensor for key, tensor in old.items() if key not in new]
    added = [tensor for key, tensor in new.items() if key not in old]
    found: dict[str, str] = {}
    for trait in (_spec, _names):
        olds, news = _by_trait(gone, trait), _by_trait(added, trait)
        for value, keys_gone in olds.items():
            keys_added = news.get(value, [])
            if len(keys_gone) == 1 and len(keys_added) == 1 and keys_gone[0] not in found:
                found[keys_gone[0]] = keys_added[0]
    if not found and len(gone) == 1 and len(added) == 1:
        found[gone[0].key] = added[0].key
    return found


def _spec(tensor: TensorView) -> object:
    return tensor.dtype, tensor.shape, tensor.encoding


def _names(tensor: TensorView) -> object:
    return tensor.tensor_names or None


def _by_trait(tensors: list[TensorView], trait: Callable[[TensorView], object]) -> dict[object, list[str]]:
    groups: dict[object, list[str]] = {}
    for tensor in tensors:
        value = trait(tensor)
        if value is not None:
            groups.setdefault(value, []).append(tensor.key)
    return groups


def rename_hint(key: str, found: Mapping[str, str], old: Mapping[str, TensorView], new: Mapping[str, TensorView]) -> str:
    """` (renamed to 'k'?)`, saying what else changed, when `key` was probably renamed."""
    if key not in found:
        return ""
    was, now = old[key], new[found[key]]
    if (was.dtype, was.shape) == (now.dtype, now.shape):
        return f" (renamed to {now.key!r}?)"
    return f" (renamed to {now.key!r}? it is {now.dtype_name} {now.shape_text} where {key!r} was {was.dtype_name} {was.shape_text})"


# Keys TensorFlow and Keras make up for tensors that had no name: `output_0` (tf.saved_model.save
# of a function returning a tensor or a list), `args_0` (positional arguments of a traced
# function), `input_1` / `inputs_1` (Keras 2's unnamed Input layers), `keras_tensor` and
# `keras_tensor_3` (Keras 3's).
GENERIC_NAME = re.compile(r"^(?:(output|outputs|args|input|inputs)_([0-9]+)|(keras_tensor)(?:_([0-9]+))?)$")


def generic_number(key: str) -> tuple[str, int] | None:
    """(prefix, number) of a made-up key (`keras_tensor` is number 0), else None."""
    match = GENERIC_NAME.match(key)
    if match is None:
        return None
    if match.group(3):
        return match.group(3), int(match.group(4) or 0)
    return match.group(1), int(match.group(2))


def is_bytes_key(key: str, tensor: TensorView) -> bool:
    """TF Serving's REST API writes this output's strings as {"b64": ...} (json_tensor.cc
    IsNamedTensorBytes)."""
    return base_dtype(tensor.dtype) == DTYPE_NUMBERS["DT_STRING"] and key.endswith(BYTES_SUFFIX)


def is_predict_like(signature: SignatureView) -> bool:
    """A signature clients call through Predict (REST's `:predict` returns its outputs)."""
    return signature.method_name not in (constants.CLASSIFY_METHOD_NAME, constants.REGRESS_METHOD_NAME)


# ---------------------------------------------------------------------------------------------
# Contracts: what a client of a signature relies on (method, and each tensor's key, dtype,
# shape and encoding), without the graph tensor names behind it


Contract = tuple[str, tuple[tuple[str, int, object, str], ...], tuple[tuple[str, int, object, str], ...]]


def contract(signature: SignatureView) -> Contract:
    def tensors(group: Mapping[str, TensorView]) -> tuple[tuple[str, int, object, str], ...]:
        return tuple((k, t.dtype, t.shape, t.encoding) for k, t in sorted(group.items()))

    return signature.method_name, tensors(signature.inputs), tensors(signature.outputs)


def contract_text(signature: SignatureView) -> str:
    """`predict: x DT_FLOAT (-1, 3) -> y DT_FLOAT (-1, 1)`, keys in order."""

    def tensors(group: Mapping[str, TensorView]) -> str:
        return ", ".join(f"{k} {t.dtype_name} {t.shape_text}" for k, t in sorted(group.items())) or "nothing"

    method = signature.method_name.rsplit("/", 1)[-1] or "no method name"
    return f"{method}: {tensors(signature.inputs)} -> {tensors(signature.outputs)}"


def common_tensors(old: SignatureView, new: SignatureView) -> Iterator[tuple[str, str, TensorView, TensorView]]:
    """(io, key, old tensor, new tensor) of every input, then every output, both signatures have."""
    for io, old_group, new_group in (("input", old.inputs, new.inputs), ("output", old.outputs, new.outputs)):
        for key, tensor in old_group.items():
            if key in new_group:
                yield io, key, tensor, new_group[key]
