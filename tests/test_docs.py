"""Docs cannot drift: every command, option and config key is documented; README == CI."""

from __future__ import annotations

import re
from pathlib import Path

from voiceline.cli import main
from voiceline.config import Mapping, PipelineConfig, SourceConfig, documented_keys

REPO = Path(__file__).resolve().parents[1]


def test_every_config_key_is_in_docs_config_md() -> None:
    doc = (REPO / "docs" / "config.md").read_text()
    missing = [k for k in documented_keys(PipelineConfig) if f"`{k}`" not in doc]
    missing += [
        f"sources.*.{k}" for k in SourceConfig.model_fields if f"`sources.*.{k}`" not in doc
    ]
    missing += [f"mapping.{k}" for k in Mapping.model_fields if f"`mapping.{k}`" not in doc]
    assert not missing, f"document these keys in docs/config.md: {missing}"


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    missing = [name for name in main.commands if f"voiceline {name}" not in readme]
    assert not missing, f"mention these commands in the README: {missing}"


def test_every_ingest_option_has_help() -> None:
    ingest = main.commands["ingest"]
    assert all(p.help for p in ingest.params if p.param_type_name == "option")


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section, flags=re.S)


def test_ci_runs_exactly_the_readme_commands() -> None:
    setup, tests = _readme_commands()
    ci = (REPO / ".ci" / "run").read_text()
    assert setup in ci
    assert tests in ci
