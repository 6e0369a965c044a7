"""Stage 2: RawDocument -> Article.

HTML pages go through trafilatura (:mod:`.html`); plain-text pages that repost
many stories (forum threads, reposting blogs) through our segmenter (:mod:`.segment`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dyadwatch.records import Article, RawDocument, Skipped

__all__ = ["MAX_PAGE_CHARS", "extract_articles"]

MAX_PAGE_CHARS = 8_000_000
"""Pages longer than this are not extracted: no news page is; such a page is a dump or a trap,
and extracting it would take minutes (a 50 MB page: about a minute in trafilatura)."""


def extract_articles(documents: Iterable[RawDocument]) -> Iterator[Article | Skipped]:
    """Yield the articles of each document, or a ``Skipped`` naming why it has none."""
    from dyadwatch.extract.html import extract_html
    from dyadwatch.extract.segment import segment_text

    for document in documents:
        if len(document.text) > MAX_PAGE_CHARS:
            size = len(document.text) / 1_000_000
            limit = MAX_PAGE_CHARS // 1_000_000
            reason = f"page too large to extract ({size:.1f} M characters; limit {limit} M)"
            yield Skipped(stage="extract", item=document.origin, reason=reason)
        elif document.media_type == "text/html":
            yield from extract_html(document)
        else:
            yield from segment_text(document)
