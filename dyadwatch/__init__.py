"""dyadwatch: news pages in; articles, coded events, dyad series and alerts out.

The public names below are loaded when first used (PEP 562), so a command that needs only the
store does not pay for the pipeline's libraries at start-up.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dyadwatch.analysis.alerts import Alert
    from dyadwatch.analysis.series import DyadSeries, SeriesPoint
    from dyadwatch.config import (
        DedupeSettings,
        NlpSettings,
        Settings,
        StoreSettings,
        load_settings,
    )
    from dyadwatch.dataset import Dataset, open
    from dyadwatch.errors import CoderError, ConfigError, DyadwatchError, InputError, StoreError
    from dyadwatch.pipeline import RunSummary, extract_documents, run
    from dyadwatch.records import (
        Article,
        Provenance,
        RawDocument,
        Sentence,
        Skipped,
        StoryCluster,
    )
    from dyadwatch.store import Store, StoredArticle

logging.getLogger(__name__).addHandler(logging.NullHandler())

__version__ = "0.1.0"

_HOMES = {
    "Alert": "dyadwatch.analysis.alerts",
    "DyadSeries": "dyadwatch.analysis.series",
    "SeriesPoint": "dyadwatch.analysis.series",
    "DedupeSettings": "dyadwatch.config",
    "NlpSettings": "dyadwatch.config",
    "Settings": "dyadwatch.config",
    "StoreSettings": "dyadwatch.config",
    "load_settings": "dyadwatch.config",
    "Dataset": "dyadwatch.dataset",
    "open": "dyadwatch.dataset",
    "CoderError": "dyadwatch.errors",
    "ConfigError": "dyadwatch.errors",
    "DyadwatchError": "dyadwatch.errors",
    "InputError": "dyadwatch.errors",
    "StoreError": "dyadwatch.errors",
    "RunSummary": "dyadwatch.pipeline",
    "extract_documents": "dyadwatch.pipeline",
    "run": "dyadwatch.pipeline",
    "Article": "dyadwatch.records",
    "Provenance": "dyadwatch.records",
    "RawDocument": "dyadwatch.records",
    "Sentence": "dyadwatch.records",
    "Skipped": "dyadwatch.records",
    "StoryCluster": "dyadwatch.records",
    "Store": "dyadwatch.store",
    "StoredArticle": "dyadwatch.store",
}
"""Where each public name lives."""

__all__ = [
    "Alert",
    "Article",
    "CoderError",
    "ConfigError",
    "Dataset",
    "DedupeSettings",
    "DyadSeries",
    "DyadwatchError",
    "InputError",
    "NlpSettings",
    "Provenance",
    "RawDocument",
    "RunSummary",
    "Sentence",
    "SeriesPoint",
    "Settings",
    "Skipped",
    "Store",
    "StoreError",
    "StoreSettings",
    "StoredArticle",
    "StoryCluster",
    "__version__",
    "extract_documents",
    "load_settings",
    "open",
    "run",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'dyadwatch' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
