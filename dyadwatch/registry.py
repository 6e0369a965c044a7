"""Protocols and registries: coders are looked up by versioned name (``rule.v1``).

Built-ins register through the same seam a third party uses: the ``dyadwatch.coders``
entry-point group, or :func:`register_coder` at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from importlib.metadata import entry_points
from typing import Protocol

from dyadwatch.errors import ConfigError
from dyadwatch.records import Event, Sentence


class Coder(Protocol):
    """Codes events in texts and in stored sentences."""

    name: str

    def code_texts(
        self, items: Iterable[tuple[str, str, date | None]]
    ) -> Iterator[tuple[str, list[Event]]]:
        """Code each ``(id, text, date)``; yield ``(id, events)`` in input order."""
        ...

    def code_sentences(
        self, sentences: Iterable[Sentence], dates: Mapping[str, date | None]
    ) -> Iterator[Event]:
        """Code stored sentences; ``dates`` gives each article's publication date."""
        ...


CoderFactory = Callable[[], Coder]
_CODERS: dict[str, CoderFactory] = {}


def register_coder(name: str) -> Callable[[CoderFactory], CoderFactory]:
    """Register a coder factory under a versioned name such as ``rule.v1``."""

    def add(factory: CoderFactory) -> CoderFactory:
        _CODERS[name] = factory
        return factory

    return add


def _rule_coder() -> Coder:
    from dyadwatch.coding import RuleCoder

    return RuleCoder()


register_coder("rule.v1")(_rule_coder)


def coder_names() -> list[str]:
    """Return every registered coder name, built-in and from entry points."""
    _load_entry_points()
    return sorted(_CODERS)


def make_coder(name: str) -> Coder:
    """Build the coder registered as ``name``, or raise ``ConfigError`` listing the choices."""
    _load_entry_points()
    factory = _CODERS.get(name)
    if factory is None:
        raise ConfigError(f"unknown coder {name!r}; available: {', '.join(sorted(_CODERS))}")
    return factory()


def _load_entry_points() -> None:
    for entry in entry_points(group="dyadwatch.coders"):
        if entry.name not in _CODERS:
            _CODERS[entry.name] = entry.load()
