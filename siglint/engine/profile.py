"""The TF Serving a model is checked for. Each knob is declared once, here: the command line's
flags, the config file's `[profile]` keys and their JSON Schema, the contract packs' `profile`
conditions and per-runtime severities, and the README are built from or checked against KNOBS."""

from __future__ import annotations

from typing import Any, NamedTuple

from siglint.savedmodel import constants
from siglint.serving.constants import TENSORFLOW_PLATFORM

TF = "tf"  # the TF session servables (classifier.cc, regressor.cc, predict_util.cc)
TFRT = "tfrt"  # the TFRT servables (tfrt_classifier.cc, ...): stricter or laxer in places
RUNTIMES = (TF, TFRT)


class Profile(NamedTuple):
    """The TF Serving a model is linted for. The defaults are a stock `tensorflow_model_server`."""

    # --enable_signature_method_name_check: off by default since TF Serving 2.4.
    method_name_check: bool = False
    # Clients use the REST API (json_tensor.cc rules apply) as well as gRPC.
    rest: bool = True
    # Which servables serve the model: TF's session path or TFRT's.
    runtime: str = TF
    # --saved_model_tags: the tag-set the server loads.
    tags: tuple[str, ...] = (constants.SERVING_TAG,)
    # The key every API uses when a request names no signature.
    default_signature: str = constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY
    # Ops the server registers beyond a stock build (a tensorflow_model_server built with them).
    custom_ops: tuple[str, ...] = ()
    # --enable_model_warmup: the server replays a model's assets.extra/tf_serving_warmup_requests.
    model_warmup: bool = True
    # The model platforms the server is configured for (platform_config_util.cc: tensorflow;
    # --platform_config_file may add others).
    platforms: tuple[str, ...] = (TENSORFLOW_PLATFORM,)
    # ServerCore::Options::allow_version_labels: requests may name a version by label.
    version_labels: bool = True
    # --allow_version_labels_for_unavailable_models.
    allow_version_labels_for_unavailable_models: bool = False
    # ServerCore::Options::model_config_list_root_dir: relative base paths are joined to it.
    model_config_list_root_dir: str = ""
    # --prefer_tflite_model: a version folder's model.tflite is served instead of its SavedModel.
    prefer_tflite_model: bool = False


class Knob(NamedTuple):
    """One setting of the Profile, as the command line, config files and packs name it."""

    field: str  # the Profile field
    kind: type  # bool, str, or tuple for a comma-separated list
    help: str
    choices: tuple[str, ...] | None = None
    metavar: str | None = None

    @property
    def key(self) -> str:
        """The config file's key and the flag's name: `method-name-check`."""
        return self.field.replace("_", "-")

    @property
    def flag(self) -> str:
        return f"--{self.key}"

    @property
    def default(self) -> Any:
        return Profile._field_defaults[self.field]


KNOBS = (
    Knob(
        "method_name_check", bool,
        "the server runs with --enable_signature_method_name_check (default: off, as since TF Serving 2.4)",
    ),
    Knob("rest", bool, "clients use the REST API (default: on)"),
    Knob("runtime", str, "servable runtime (default: tf)", choices=RUNTIMES),
    Knob("tags", tuple, "tag-set the server loads (default: serve)", metavar="TAGS"),
    Knob(
        "default_signature", str,
        "signature key used when a request names none (default: serving_default)", metavar="KEY",
    ),
    Knob(
        "custom_ops", tuple,
        "ops the server registers beyond a stock build: a custom tensorflow_model_server (default: none)",
        metavar="OPS",
    ),
    Knob("model_warmup", bool, "the server replays warmup files, --enable_model_warmup (default: on)"),
    Knob(
        "platforms", tuple,
        "model platforms the server serves, --platform_config_file (default: tensorflow)", metavar="PLATFORMS",
    ),
    Knob(
        "version_labels", bool,
        "the server lets requests name versions by label, ServerCore's allow_version_labels (default: on)",
    ),
    Knob(
        "allow_version_labels_for_unavailable_models", bool,
        "the server runs with --allow_version_labels_for_unavailable_models (default: off)",
    ),
    Knob(
        "model_config_list_root_dir", str,
        "ServerCore's model_config_list_root_dir, which relative base paths are joined to "
        "(tensorflow_model_server has no such flag; default: none)", metavar="DIR",
    ),
    Knob(
        "prefer_tflite_model", bool,
        "the server runs with --prefer_tflite_model: a version's model.tflite is served instead of its "
        "SavedModel (default: off)",
    ),
)


def profile_from(values: dict[str, Any], base: Profile = Profile()) -> Profile:
    """`base` with the knobs in `values` (by field name) replaced; None means "not given"."""
    return base._replace(**{field: value for field, value in values.items() if value is not None})


def knob_table() -> str:
    """The README's table of knobs (between its `profile:start`/`profile:end` markers)."""
    import json

    rows = ["| flag | config key | default | the server it describes |", "|---|---|---|---|"]
    for knob in KNOBS:
        if knob.kind is bool:
            flag = f"--[no-]{knob.key}"
        else:
            flag = f"{knob.flag} {'|'.join(knob.choices) if knob.choices else knob.metavar}"
        default = json.dumps(list(knob.default) if knob.kind is tuple else knob.default)
        rows.append(f"| `{flag.replace('|', chr(92) + '|')}` | `{knob.key}` | `{default}` | {knob.help} |")
    return "\n".join(rows) + "\n"
