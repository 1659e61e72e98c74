"""Each server-profile knob is declared once (siglint.engine.profile.KNOBS): the Profile record,
the command line's flags, the config file's JSON Schema, the contract packs' schema (profile
conditions and per-runtime severities) and the README all follow it."""

from __future__ import annotations

import json
import re

from conftest import ROOT

from siglint.cli.parser import build_parser
from siglint.engine.profile import KNOBS, RUNTIMES, Profile, knob_table

_JSON_TYPES = {bool: "boolean", str: "string", tuple: "array"}


def test_every_profile_field_is_a_knob() -> None:
    assert [knob.field for knob in KNOBS] == list(Profile._fields)


def test_the_flags_are_the_knobs() -> None:
    check = build_parser("0")._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    group = next(g for g in check._action_groups if g.title and g.title.startswith("server profile"))
    flags = {option for action in group._group_actions for option in action.option_strings}
    expected = {knob.flag for knob in KNOBS} | {f"--no-{knob.key}" for knob in KNOBS if knob.kind is bool}
    assert flags == expected
    runtime = next(a for a in group._group_actions if a.dest == "runtime")
    assert tuple(runtime.choices) == RUNTIMES


def test_the_config_schema_is_the_knobs() -> None:
    schema = json.loads((ROOT / "siglint" / "config" / "schema.json").read_text(encoding="utf-8"))
    properties = schema["properties"]["profile"]["properties"]
    assert list(properties) == [knob.key for knob in KNOBS]
    for knob in KNOBS:
        declared = properties[knob.key]
        if knob.choices:
            assert tuple(declared["enum"]) == knob.choices, knob.key
        else:
            assert declared["type"] == _JSON_TYPES[knob.kind], knob.key


def test_the_pack_schema_is_the_knobs_and_the_runtimes() -> None:
    schema = json.loads((ROOT / "rules" / "schema.json").read_text(encoding="utf-8"))
    conditions = schema["$defs"]["profile"]["properties"]
    assert set(conditions) <= {knob.key for knob in KNOBS}
    assert tuple(conditions["runtime"]["enum"]) == RUNTIMES
    per_runtime = schema["$defs"]["severity"]["oneOf"][1]
    assert tuple(per_runtime["required"]) == tuple(per_runtime["properties"]) == RUNTIMES


def test_the_readme_table_is_the_knobs() -> None:
    """Regenerate with `python -c "from siglint.engine.profile import knob_table; print(knob_table())"`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- profile:start -->\n(.*?)<!-- profile:end -->", readme, re.DOTALL)
    assert block and block.group(1) == knob_table()


def test_the_readme_names_every_knob_as_flag_and_key() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    profile = re.search(r"\[tool\.siglint\.profile\].*?```", readme, re.DOTALL)
    assert profile
    for knob in KNOBS:
        assert re.search(rf"^{re.escape(knob.key)} = ", profile.group(0), re.MULTILINE), knob.key
        assert knob.flag in readme or f"--[no-]{knob.key}" in readme, knob.flag
    for runtime in RUNTIMES:
        assert f'"{runtime}"' in profile.group(0) or f"--runtime {runtime}" in readme
