"""Stage 5: the DuckDB store: schema and migrations, one-transaction batch writes, export."""

from __future__ import annotations

from dyadwatch.store._events import EventQuery
from dyadwatch.store._read import StoredArticle
from dyadwatch.store.duckdb import BatchCounts, Store
from dyadwatch.store.export import ExportFormat

__all__ = ["BatchCounts", "EventQuery", "ExportFormat", "Store", "StoredArticle"]
