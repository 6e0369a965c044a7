"""The word classes of ``data/words.toml`` (``&measure``, ``&bomb``, …) the coder's rules read."""

from __future__ import annotations

from functools import cache

from dyadwatch.coding.lexicon import read_table
from dyadwatch.errors import CoderError


@cache
def _classes() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for name, words in read_table("words.toml").items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise CoderError(f"words.toml: class {name!r} must be a list of words")
        found[name] = tuple(words)
    return found


def word_list(name: str) -> tuple[str, ...]:
    """The words of class ``name`` in file order (``&name``); ``CoderError`` if there is none."""
    classes = _classes()
    if name.removeprefix("&") not in classes:
        raise CoderError(
            f"words.toml: no word class {name!r} (classes: {', '.join(sorted(classes))})"
        )
    return classes[name.removeprefix("&")]


def word_class(name: str) -> frozenset[str]:
    """The words of class ``name`` as a set."""
    return frozenset(word_list(name))
