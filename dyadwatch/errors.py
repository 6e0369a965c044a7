"""Exceptions raised by dyadwatch.

DyadwatchError            base: the CLI prints it as one line, exit status 1
 ├── InputError           a file, URL or record that cannot be read or parsed
 ├── ConfigError          a setting with a bad value or an unknown key
 ├── StoreError           the database cannot be opened, migrated or written
 │    └── StoreBusy       ... because another process has it open (try again later)
 └── CoderError           the event coder cannot be loaded or run
"""

from __future__ import annotations


class DyadwatchError(Exception):
    """Base class of every error dyadwatch raises on purpose."""


class InputError(DyadwatchError):
    """An input item cannot be read; the message names the item and the problem."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class ConfigError(DyadwatchError):
    """A setting is invalid or unknown."""


class StoreError(DyadwatchError):
    """The store cannot be opened, migrated or written."""


class StoreBusy(StoreError):
    """The database is open in another process (or being written) and was not freed in time."""


class CoderError(DyadwatchError):
    """The event coder cannot be loaded or run."""
