"""Compose the stages: pages -> articles -> story clusters -> sentences -> store.

Runs are idempotent: a page whose content hash is already stored is not processed
again, and every row id is a content hash, so re-running on the same input adds nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from dyadwatch.config import Settings
from dyadwatch.dedupe import Deduplicator
from dyadwatch.extract import extract_articles
from dyadwatch.ingest import JsonlFields, read_paths
from dyadwatch.ingest.web import FetchPolicy
from dyadwatch.language import CODED_LANGUAGES, with_language
from dyadwatch.nlp import split_sentences
from dyadwatch.records import Article, Event, RawDocument, Sentence, Skipped
from dyadwatch.registry import Coder, make_coder
from dyadwatch.store import Store

logger = logging.getLogger(__name__)

ProgressHook = Callable[[str], None]
"""Called with each input item's origin as the run finishes it."""


@dataclass(slots=True)
class RunSummary:
    """What one run read, found, added and dropped."""

    pages_read: int = 0
    pages_new: int = 0
    articles_found: int = 0
    articles_added: int = 0
    duplicates: int = 0
    sentences_added: int = 0
    events_added: int = 0
    mentions_added: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    table_counts: dict[str, int] = field(default_factory=dict)
    story_clusters: int = 0

    @property
    def skipped_by_reason(self) -> Counter[str]:
        """Skipped items counted by stage and reason."""
        return Counter(f"{item.stage}: {item.reason}" for item in self.skipped)


@dataclass(slots=True)
class _Batch:
    documents: list[RawDocument] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    story_ids: dict[str, str] = field(default_factory=dict)
    minhashes: list[tuple[str, np.ndarray]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def jsonl_fields(settings: Settings) -> JsonlFields:
    """The JSON Lines field names the ``[ingest]`` settings give."""
    ingest = settings.ingest
    return JsonlFields(
        text=ingest.jsonl_text,
        html=ingest.jsonl_html,
        url=ingest.jsonl_url,
        title=ingest.jsonl_title,
        published=ingest.jsonl_published,
    )


def extract_documents(
    paths: Sequence[str | Path],
    *,
    on_item: ProgressHook | None = None,
    settings: Settings | None = None,
) -> Iterator[Article | Skipped]:
    """Read and extract ``paths`` without a store: the ``extract`` command's stage chain."""
    settings = settings or Settings()
    policy = FetchPolicy.from_settings(settings.fetch)
    for item in read_paths(paths, fetch=policy, jsonl=jsonl_fields(settings)):
        if isinstance(item, Skipped):
            yield item
        else:
            for result in extract_articles([item]):
                yield result if isinstance(result, Skipped) else with_language(result)
        if on_item is not None:
            on_item(item.item if isinstance(item, Skipped) else item.origin)


def run(
    paths: Sequence[str | Path],
    *,
    settings: Settings | None = None,
    on_item: ProgressHook | None = None,
) -> RunSummary:
    """Run the whole pipeline on ``paths`` into the DuckDB file of ``settings.store.path``.

    The file is open only while a batch is written (one transaction each), so other processes
    can read it between batches and see whole batches only; a run killed at any point and run
    again ends with the rows an uninterrupted run stores."""
    settings = settings or Settings()
    batch_size = settings.store.batch_size
    summary = RunSummary()
    deduplicator = Deduplicator(threshold=settings.dedupe.threshold)
    with _open(settings) as store:  # creates or migrates the file
        deduplicator.load(store.minhash_signatures())
        known = store.doc_ids()
    stored_urls = _StoredUrls(settings)
    policy = FetchPolicy.from_settings(settings.fetch)
    fields = jsonl_fields(settings)
    batch = _Batch()
    for item in read_paths(paths, fetch=policy, known_url=stored_urls.__contains__, jsonl=fields):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            batch.skipped.append(item)
            origin = item.item
        else:
            summary.pages_read += 1
            origin = item.origin
            if item.doc_id not in known:
                known.add(item.doc_id)
                summary.pages_new += 1
                _process(item, batch, deduplicator, summary)
        if on_item is not None:
            on_item(origin)
        if len(batch.documents) + len(batch.skipped) >= batch_size:
            _flush(batch, summary, settings)
            batch = _Batch()
    _flush(batch, summary, settings)
    with _open(settings) as store:
        summary.table_counts = store.counts()
        summary.story_clusters = store.cluster_count()
    return summary


def _open(settings: Settings) -> Store:
    return Store(settings.store.path, wait_s=settings.store.lock_wait_s)


class _StoredUrls:
    """The page URLs already stored, loaded on the first question (only URL inputs ask)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._urls: set[str] | None = None

    def __contains__(self, url: object) -> bool:
        if self._urls is None:
            with _open(self._settings) as store:
                self._urls = store.page_urls()
        return url in self._urls


def _process(
    document: RawDocument, batch: _Batch, deduplicator: Deduplicator, summary: RunSummary
) -> None:
    batch.documents.append(document)
    for result in extract_articles([document]):
        if isinstance(result, Skipped):
            batch.skipped.append(result)
            summary.skipped.append(result)
            continue
        summary.articles_found += 1
        result = with_language(result)
        story_id, signature = deduplicator.assign(result)
        if story_id != result.article_id:
            summary.duplicates += 1
        batch.articles.append(result)
        batch.story_ids[result.article_id] = story_id
        batch.minhashes.append((result.article_id, signature))


@cache
def _coder(name: str) -> Coder:
    """The named coder, loaded once per process (spaCy and the lexicons take ~1 s)."""
    return make_coder(name)


def _flush(batch: _Batch, summary: RunSummary, settings: Settings) -> None:
    if not (batch.documents or batch.skipped):
        return
    coded = [a for a in batch.articles if a.language is None or a.language in CODED_LANGUAGES]
    for article in batch.articles:
        if article.language is not None and article.language not in CODED_LANGUAGES:
            skip = Skipped(
                stage="code",
                item=article.article_id,
                reason=f"language '{article.language}': only English is coded",
            )
            batch.skipped.append(skip)
            summary.skipped.append(skip)
    sentences: list[Sentence] = list(split_sentences(coded, mode=settings.nlp.sentence_mode))
    events: list[Event] = []
    if settings.coder.enabled and sentences:
        dates = {a.article_id: a.published.date() if a.published else None for a in coded}
        events = list(_coder(settings.coder.name).code_sentences(sentences, dates))
    with _open(settings) as store:
        counts = store.write_batch(
            documents=batch.documents,
            articles=batch.articles,
            sentences=sentences,
            story_ids=batch.story_ids,
            minhashes=batch.minhashes,
            skipped=batch.skipped,
            events=events,
        )
    summary.events_added += counts.events
    summary.mentions_added += counts.event_mentions
    summary.articles_added += counts.articles
    summary.sentences_added += counts.sentences
    logger.debug("stored batch: %s", counts)
