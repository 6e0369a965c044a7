"""Stage 1: read pages from files and folders into RawDocument records."""

from __future__ import annotations

from dyadwatch.ingest.files import SUPPORTED, count_pages, read_paths

__all__ = ["SUPPORTED", "count_pages", "read_paths"]
