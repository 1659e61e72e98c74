"""Each rule's fixtures, generated from the rule itself: adding a rule is adding its module and
its case file, and `siglint fixtures regenerate` writes its fixtures.

- A rule about one signature gets a `fail` fixture from its documentation's failing example and
  a `clean` one from its "Use instead" example, each served as the `serving_default` signature
  of a TF2 export (for the rule about TF2's op signatures: under `__saved_model_init_op`, beside
  a plain `serving_default`). The fail fixture must find the rule; the clean one, nothing.
- A rule of `siglint diff` (SIG7) gets `fail` and `clean` fixtures from its documentation's
  failing and "Use instead" examples, each an old and a new model: a base path whose version 1
  is the old one (a `saved_model.pb`) and version 2 the new one (a `.pbtxt`), diffed at the
  rule's level. The fail fixture must find the rule; the clean one, nothing.
- A rule about files, folders, MetaGraphDefs or contract packs states its fixtures as specs
  (the format of `siglint.fixturegen.spec`) under `fixtures` in its case file,
  tests/cases/<CODE>-<name>.yaml, each with the codes it must find.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from siglint import checks
from siglint.engine.rule import Rule, Scope
from siglint.fixturegen import spec as specs
from siglint.model.coerce import to_signature_proto
from siglint.model.view import signature_from_proto
from siglint.savedmodel import constants

FIXTURE_MODEL = "model/1"
TENSORFLOW_VERSION = "2.21.0"
# What a TF2 export's serving_default looks like, beside the op signature of the op-signature rule.
_SERVING_DEFAULT = specs.SignatureSpec(
    method=constants.PREDICT_METHOD_NAME,
    inputs={"x": specs.TensorSpec("DT_FLOAT", (-1, 3), "serving_default_x:0")},
    outputs={"y": specs.TensorSpec("DT_FLOAT", (-1, 1), "StatefulPartitionedCall:0")},
)


class Fixture(NamedTuple):
    relative: str  # e.g. rules/SIG301-classify-input-count/fail
    spec: specs.FolderSpec
    # True: the golden finds exactly `spec.expect`; False: at least it (a doc example may also
    # break a neighbouring rule, as a signature with three Classify outputs has a foreign one).
    exact: bool = True


def case_file(cases: Path, rule: Rule | checks.Entry) -> Path:
    return cases / f"{rule.code}-{rule.name}.yaml"


def rule_fixtures(cases: Path) -> list[Fixture]:
    """The fixtures of every rule of the catalogue, in code order."""
    fixtures: list[Fixture] = []
    for rule in checks.rules():
        folder = f"rules/{rule.code}-{rule.name}"
        if rule.scope is Scope.SIGNATURE and not rule.code.startswith(checks.PACK_RULES):
            fixtures += _from_doc(rule, folder)
        elif checks.is_diff(rule.code):
            fixtures += _from_diff_doc(rule, folder)
        else:
            fixtures += _from_case_file(case_file(cases, rule), folder)
    return fixtures


def _from_doc(rule: Rule, folder: str) -> list[Fixture]:
    blocks = re.findall(r"```json\n(.*?)```", rule.doc, re.DOTALL)
    if len(blocks) != 2:
        raise specs.SpecError(f"{rule.code}: its documentation needs a failing and a 'Use instead' JSON example")
    failing, fixed = (json.loads(block) for block in blocks)
    name = f"{rule.code} {rule.name}"
    return [
        Fixture(f"{folder}/fail", _signature_folder(rule, failing, f"{name} fires: {rule.summary}", (rule.code,)), exact=False),
        Fixture(f"{folder}/clean", _signature_folder(rule, fixed, f"The fix for {name}: the rule's 'Use instead' example.", ())),
    ]


def _signature_folder(rule: Rule, example: Any, description: str, expect: tuple[str, ...]) -> specs.FolderSpec:
    view = signature_from_proto("", to_signature_proto(example))
    signature = specs.signature_spec_from_view(view)
    if rule.op_signatures:
        signatures = {constants.INIT_OP_SIGNATURE_KEY: signature, constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: _SERVING_DEFAULT}
    else:
        signatures = {constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: signature}
    meta_graph = specs.MetaGraphSpec((constants.SERVING_TAG,), signatures, TENSORFLOW_VERSION, tf2=True)
    # Odd codes are written as saved_model.pb, even ones as .pbtxt: both readers see every kind.
    file_format = "pb" if int(rule.code[3:]) % 2 else "pbtxt"
    model = specs.ModelFile(FIXTURE_MODEL, specs.SavedModelSpec((meta_graph,)), file_format)
    return specs.FolderSpec(description, expect, models=(model,))


def _from_diff_doc(rule: Rule, folder: str) -> list[Fixture]:
    from siglint.checks._diff import level_of
    from siglint.run.diff import model_view

    name, level = f"{rule.code} {rule.name}", level_of(rule).value
    fixtures = []
    for variant, example, description, expect in (
        ("fail", 0, f"{name} fires: {rule.summary}", (rule.code,)),
        ("clean", 1, f"The fix for {name}: the rule's 'Use instead' example.", ()),
    ):
        versions = diff_examples(rule)[example]
        models = tuple(
            specs.ModelFile(f"model/{number}", specs.spec_from_view(model_view(versions[side])), file_format)
            for number, side, file_format in ((1, "old", "pb"), (2, "new", "pbtxt"))
        )
        spec = specs.FolderSpec(description, expect, models=models, diff=level)
        fixtures.append(Fixture(f"{folder}/{variant}", spec, exact=not expect))
    return fixtures


def diff_examples(rule: Rule) -> tuple[dict[str, Any], dict[str, Any]]:
    """A diff rule's failing and "Use instead" examples: each {"old": model, "new": model}."""
    blocks = re.findall(r"```json\n(.*?)```", rule.doc, re.DOTALL)
    examples = [json.loads(block) for block in blocks]
    if len(examples) != 2 or any(set(example) != {"old", "new"} for example in examples):
        raise specs.SpecError(f"{rule.code}: its documentation needs a failing and a 'Use instead' example of an old and a new model")
    return examples[0], examples[1]


def _from_case_file(path: Path, folder: str) -> list[Fixture]:
    import yaml  # a developer tool's dependency (the test extra), never the check path's

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        variants = document["fixtures"]
        return [
            Fixture(f"{folder}/{variant}", specs.folder_spec(data))
            for variant, data in sorted(variants.items())
        ]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as error:
        raise specs.SpecError(f"{path}: no `fixtures` to read ({error})") from None
    except specs.SpecError as error:
        raise specs.SpecError(f"{path}: fixtures: {error}") from None
