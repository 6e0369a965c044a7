"""Stage 1: read pages from files, folders, archives, feeds and URLs into RawDocument records."""

from __future__ import annotations

from dyadwatch.ingest._jsonl import JsonlFields
from dyadwatch.ingest.files import (
    SUPPORTED,
    KnownUrls,
    count_pages,
    list_inputs,
    listed_urls,
    read_paths,
)

__all__ = [
    "SUPPORTED",
    "JsonlFields",
    "KnownUrls",
    "count_pages",
    "list_inputs",
    "listed_urls",
    "read_paths",
]
