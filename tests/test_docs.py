"""Docs are tested: generated references are current, every command and setting documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from dyadwatch.cli import app
from dyadwatch.config import describe_settings

REPO = Path(__file__).resolve().parent.parent


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current() -> None:
    generator = _generator()
    for name, build in generator.GENERATED.items():
        committed = (REPO / "docs" / name).read_text(encoding="utf-8")
        assert committed == build(), f"docs/{name} is stale: run python scripts/gen_docs.py"


def test_readme_names_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        assert f"dyadwatch {name}" in readme, name


def test_every_setting_is_documented() -> None:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name, _, help_text in describe_settings():
        assert f"`{name}`" in text and help_text, name


def test_readme_opens_with_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = readme.split("```bash\n")[1:3]
    assert "dyadwatch run examples/pages" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].split("\n")[0] in ci
