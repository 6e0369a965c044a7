"""Stage 5: the DuckDB store: schema and migrations, one-transaction batch writes, export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dyadwatch.store._events import EventQuery
from dyadwatch.store._read import StoredArticle
from dyadwatch.store.duckdb import BatchCounts, Store
from dyadwatch.store.export import ExportFormat

if TYPE_CHECKING:
    from dyadwatch.config import Settings

__all__ = ["BatchCounts", "EventQuery", "ExportFormat", "Store", "StoredArticle", "open_store"]


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """The store of ``settings``, waiting for a busy file as the settings say."""
    store = settings.store
    return Store(
        store.path,
        read_only=read_only,
        wait_s=store.lock_wait_s,
        checkpoint_memory_mb=store.checkpoint_memory_mb,
    )
