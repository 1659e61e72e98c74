"""CI runs the README's test command word for word, and the README's set-up is two commands: one
that installs siglint and checks the demo, one that installs the test dependencies (the oracles,
tensorflow-serving-api next to TensorFlow CPU without its own requirements) and runs the suite."""

from __future__ import annotations

import re

from conftest import ROOT


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", setup, re.DOTALL)


def test_the_readme_has_two_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    assert commands[0] == "python -m pip install . && siglint check fixtures/demo"


def test_ci_runs_the_readmes_test_command() -> None:
    test_command = _setup_commands()[1]
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert script[-1] == test_command
    assert '--no-deps "tensorflow-serving-api==' in test_command and '"tensorflow-text~=' in test_command
    assert test_command.endswith("&& python -m pytest")
