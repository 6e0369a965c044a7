"""The coder registry: pinned contents, lookup by name, a clear error for unknown names."""

from __future__ import annotations

import pytest

from dyadwatch.errors import ConfigError
from dyadwatch.registry import coder_names, make_coder


def test_registry_contents_are_pinned() -> None:
    assert coder_names() == ["rule.v1"]


def test_registry_unknown_coder_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"rule\.v1"):
        make_coder("neural.v9")


@pytest.mark.slow
def test_registry_builds_the_rule_coder() -> None:
    coder = make_coder("rule.v1")
    assert coder.name == "rule.v1"
    ((item_id, events),) = list(coder.code_texts([("x", "Russia and China met.", None)]))
    assert item_id == "x" and events
