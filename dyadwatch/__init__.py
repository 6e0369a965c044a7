"""dyadwatch: news pages in, clean deduplicated articles (and soon coded events) out."""

from __future__ import annotations

import logging

from dyadwatch.config import DedupeSettings, NlpSettings, Settings, StoreSettings, load_settings
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
    "Article",
    "CoderError",
    "ConfigError",
    "DedupeSettings",
    "DyadwatchError",
    "InputError",
    "NlpSettings",
    "Provenance",
    "RawDocument",
    "RunSummary",
    "Sentence",
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
    "run",
]
