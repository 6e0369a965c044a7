"""dyadwatch: news pages in; articles, coded events, dyad series and alerts out."""

from __future__ import annotations

import logging

from dyadwatch.analysis.alerts import Alert
from dyadwatch.analysis.series import DyadSeries, SeriesPoint
from dyadwatch.config import DedupeSettings, NlpSettings, Settings, StoreSettings, load_settings
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
