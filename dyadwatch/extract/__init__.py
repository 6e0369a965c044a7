"""Stage 2: RawDocument -> Article.

HTML pages go through trafilatura (:mod:`.html`); plain-text pages that repost
many stories (forum threads, reposting blogs) through our segmenter (:mod:`.segment`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dyadwatch.records import Article, RawDocument, Skipped

__all__ = ["extract_articles"]


def extract_articles(documents: Iterable[RawDocument]) -> Iterator[Article | Skipped]:
    """Yield the articles of each document, or a ``Skipped`` naming why it has none."""
    from dyadwatch.extract.html import extract_html
    from dyadwatch.extract.segment import segment_text

    for document in documents:
        if document.media_type == "text/html":
            yield from extract_html(document)
        else:
            yield from segment_text(document)
