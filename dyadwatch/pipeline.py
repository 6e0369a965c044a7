"""Compose the stages: pages -> articles -> story clusters -> sentences -> store.

Runs are idempotent: a page whose content hash is already stored is not processed
again, and every row id is a content hash, so re-running on the same input adds nothing.
One bad item never sinks a run: what reading one input raises is a Skipped (see
:func:`dyadwatch.ingest.read_paths`), and so is what extracting, clustering, splitting or
coding one page or article raises; the other pages go on.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from dyadwatch.coding.coder import forget_models as forget_coder_models
from dyadwatch.config import Settings
from dyadwatch.dedupe import Deduplicator
from dyadwatch.extract import extract_articles
from dyadwatch.ingest import JsonlFields, KnownUrls, read_paths
from dyadwatch.ingest._isolate import unexpected
from dyadwatch.ingest.web import FetchPolicy
from dyadwatch.language import CODED_LANGUAGES, with_language
from dyadwatch.nlp import forget_pipelines, load_pipeline, split_sentences
from dyadwatch.records import Article, Event, RawDocument, Sentence, Skipped, Stage
from dyadwatch.registry import Coder, make_coder
from dyadwatch.store import BatchCounts, Store, open_store

logger = logging.getLogger(__name__)

ProgressHook = Callable[[str, int], None]
"""Called as ``hook(stage, n)`` each time a stage of :data:`STAGES` finishes ``n`` more items."""

STAGES = ("ingest", "extract", "dedupe", "sentences", "coding", "store")
"""The stages a run times, in order, and what each counts: input items (pages or skipped
inputs), articles found, articles clustered, sentences split, sentences coded, rows stored."""

MAX_SKIPPED_KEPT = 10_000
"""Skipped items a summary keeps one by one; beyond that only their reasons are counted."""

T = TypeVar("T")
G = TypeVar("G")
R = TypeVar("R")


@dataclass(slots=True)
class StageTime:
    """Wall-clock seconds a stage took in one run, and how many items it handled."""

    seconds: float = 0.0
    items: int = 0

    @property
    def rate(self) -> float:
        """Items per second of this stage's own time (0 when it took no time)."""
        return self.items / self.seconds if self.seconds > 0 else 0.0


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
    skipped_by_reason: Counter[str] = field(default_factory=Counter)
    table_counts: dict[str, int] = field(default_factory=dict)
    story_clusters: int = 0
    # Stored events with no date (their article prints none and none could be inferred): in
    # no series, alert or dyad list. None where the run did not count them.
    undated_events: int | None = None
    stages: dict[str, StageTime] = field(default_factory=lambda: {s: StageTime() for s in STAGES})
    seconds: float = 0.0

    @property
    def skipped_count(self) -> int:
        """How many items were skipped (all of them, not only those kept in ``skipped``)."""
        return sum(self.skipped_by_reason.values())

    def skip(self, item: Skipped, *, count: bool = True) -> None:
        """Count ``item`` (unless counted elsewhere), keeping it whole while fewer than
        MAX_SKIPPED_KEPT are kept."""
        if count:
            for reason, number in item.tally or ((item.reason, 1),):
                self.skipped_by_reason[f"{item.stage}: {reason}"] += number
        if len(self.skipped) < MAX_SKIPPED_KEPT:
            self.skipped.append(item)

    def articles_per_second(self) -> float:
        """Articles found per second of the whole run."""
        return self.articles_found / self.seconds if self.seconds > 0 else 0.0


class Clock:
    """Adds each timed block's seconds and item count to a stage, and tells the hook."""

    def __init__(self, summary: RunSummary, hook: ProgressHook | None) -> None:
        self._stages = summary.stages
        self._hook = hook

    def add(self, stage: str, started: float, items: int) -> None:
        timing = self._stages[stage]
        timing.seconds += time.perf_counter() - started
        timing.items += items
        if self._hook is not None and items:
            self._hook(stage, items)

    def iterate(
        self, stage: str, items: Iterable[T], weight: Callable[[T], int] | None = None
    ) -> Iterator[T]:
        """Yield from ``items``, timing each step under ``stage`` (one item each, or as many
        as ``weight`` says)."""
        iterator = iter(items)
        while True:
            started = time.perf_counter()
            try:
                item = next(iterator)
            except StopIteration:
                self.add(stage, started, 0)
                return
            self.add(stage, started, 1 if weight is None else weight(item))
            yield item


def input_items(item: RawDocument | Skipped) -> int:
    """How many input items ``item`` stands for: a Skipped may fold many of one file."""
    return item.count if isinstance(item, Skipped) else 1


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
    on_progress: ProgressHook | None = None,
    settings: Settings | None = None,
) -> Iterator[Article | Skipped]:
    """Read and extract ``paths`` without a store: the ``extract`` command's stage chain."""
    settings = settings or Settings()
    policy = FetchPolicy.from_settings(settings.fetch)
    for item in read_paths(paths, fetch=policy, jsonl=jsonl_fields(settings)):
        found = 0
        if isinstance(item, Skipped):
            yield item
        else:
            for result in _page_articles(item):
                found += isinstance(result, Article)
                yield result
        if on_progress is not None:
            on_progress("ingest", input_items(item))
            if found:
                on_progress("extract", found)


def _page_articles(document: RawDocument) -> list[Article | Skipped]:
    """The articles of one page, each with its language, and what was skipped; whatever
    extraction raises is one Skipped naming the page."""
    try:
        return [
            result if isinstance(result, Skipped) else with_language(result)
            for result in extract_articles([document])
        ]
    except Exception as error:
        return [Skipped(stage="extract", item=document.origin, reason=unexpected(error))]


def run(
    paths: Sequence[str | Path],
    *,
    settings: Settings | None = None,
    on_progress: ProgressHook | None = None,
) -> RunSummary:
    """Run the whole pipeline on ``paths`` into the DuckDB file of ``settings.store.path``.

    The file is open only while a batch is written (one transaction each), so other processes
    can read it between batches and see whole batches only; a run killed at any point and run
    again ends with the rows an uninterrupted run stores. Memory stays flat: pages stream
    through in batches of ``settings.store.batch_size``; what grows is one MinHash signature
    and one id per article (the deduplicator's index and the pages already seen)."""
    settings = settings or Settings()
    started = time.perf_counter()
    summary = RunSummary()
    clock = Clock(summary, on_progress)
    deduplicator = Deduplicator(threshold=settings.dedupe.threshold, window=settings.dedupe.window)
    with open_store(settings) as store:  # creates or migrates the file
        deduplicator.load(store.minhash_signatures(latest=settings.dedupe.window or None))
    policy = FetchPolicy.from_settings(settings.fetch)
    fields = jsonl_fields(settings)
    inputs = read_paths(paths, fetch=policy, known_urls=stored_urls(settings), jsonl=fields)
    pending: list[RawDocument | Skipped] = []
    due = time.monotonic() + settings.store.flush_s
    for item in clock.iterate("ingest", inputs, input_items):
        pending.append(item)
        if len(pending) >= settings.store.batch_size or time.monotonic() >= due:
            _run_batch(pending, deduplicator, summary, settings, clock)
            pending = []
            due = time.monotonic() + settings.store.flush_s
    _run_batch(pending, deduplicator, summary, settings, clock)
    with open_store(settings) as store:
        count_stored(summary, store)
    summary.seconds = time.perf_counter() - started
    return summary


def count_stored(summary: RunSummary, store: Store) -> None:
    """Put what the store holds after a run in its summary: rows per table, story clusters,
    undated events."""
    summary.table_counts = store.counts()
    summary.story_clusters = store.cluster_count()
    summary.undated_events = store.undated_count()


def _run_batch(
    items: list[RawDocument | Skipped],
    deduplicator: Deduplicator,
    summary: RunSummary,
    settings: Settings,
    clock: Clock,
) -> None:
    """Process and store one batch of inputs; pages stored already (by this run's earlier
    batches too) are not processed again. Asking the store, not a set kept in memory, is
    what keeps a run over millions of pages at the same size."""
    ids = [item.doc_id for item in items if isinstance(item, RawDocument)]
    known: set[str] = set()
    if ids:
        with open_store(settings) as store:
            known = store.known_doc_ids(ids)
    batch = _Batch()
    for item in items:
        if isinstance(item, Skipped):
            summary.skip(item)
            batch.skipped.append(item)
            continue
        summary.pages_read += 1
        if item.doc_id not in known:
            known.add(item.doc_id)  # a page repeated within the batch is processed once
            summary.pages_new += 1
            _process(item, batch, deduplicator, summary, clock)
    _flush(batch, summary, settings, clock)


def stored_urls(settings: Settings) -> KnownUrls:
    """Ask the store which of some URLs it holds (one query per chunk of a URL list)."""

    def known(urls: Sequence[str]) -> set[str]:
        with open_store(settings) as store:
            return store.known_urls(urls)

    return known


def _process(
    document: RawDocument,
    batch: _Batch,
    deduplicator: Deduplicator,
    summary: RunSummary,
    clock: Clock,
) -> None:
    batch.documents.append(document)
    found = extract_document(document, batch.skipped, summary, clock)
    started = time.perf_counter()
    for article in found:
        try:
            story_id, signature = deduplicator.assign(article)
        except Exception as error:
            _skip_article(article, "dedupe", error, batch.skipped, summary)
            continue
        if story_id != article.article_id:
            summary.duplicates += 1
        batch.articles.append(article)
        batch.story_ids[article.article_id] = story_id
        batch.minhashes.append((article.article_id, signature))
    clock.add("dedupe", started, len(found))


def extract_document(
    document: RawDocument, skipped: list[Skipped], summary: RunSummary, clock: Clock
) -> list[Article]:
    """The articles of one page, each with its language; what has none goes to ``skipped``."""
    started = time.perf_counter()
    found: list[Article] = []
    for result in _page_articles(document):
        if isinstance(result, Skipped):
            skipped.append(result)
            summary.skip(result)
        else:
            found.append(result)
    summary.articles_found += len(found)
    clock.add("extract", started, len(found))
    return found


VOCAB_LIMIT = 2_000_000
"""Strings a spaCy pipeline may hold before it is loaded afresh: spaCy keeps every token
string it has seen for good, which over a terabyte of news (names, numbers, typos) would grow
without end; reloading takes about a second."""


@cache
def _coder(name: str) -> Coder:
    """The named coder, loaded once per process (spaCy and the lexicons take ~1 s)."""
    return make_coder(name)


def _keep_spacy_small(settings: Settings) -> None:
    """Load the spaCy pipelines afresh once one remembers more than VOCAB_LIMIT strings."""
    coder_nlp = getattr(_coder(settings.coder.name), "nlp", None)
    if coder_nlp is not None and len(coder_nlp.vocab.strings) > VOCAB_LIMIT:
        logger.info("reloading the coder: spaCy holds %d strings", len(coder_nlp.vocab.strings))
        _coder.cache_clear()
        forget_coder_models()
    splitter = load_pipeline(settings.nlp.sentence_mode)
    if len(splitter.vocab.strings) > VOCAB_LIMIT:
        logger.info("reloading the sentence splitter: %d strings", len(splitter.vocab.strings))
        forget_pipelines()


def code_articles(
    articles: Sequence[Article],
    skipped: list[Skipped],
    summary: RunSummary,
    clock: Clock,
    settings: Settings,
) -> tuple[list[Sentence], list[Event]]:
    """Split the articles in a coded language into sentences and code their events; the
    others go to ``skipped`` with their language."""
    coded = [a for a in articles if a.language is None or a.language in CODED_LANGUAGES]
    for article in articles:
        if article.language is not None and article.language not in CODED_LANGUAGES:
            skip = Skipped(
                stage="code",
                item=article.article_id,
                reason=f"language '{article.language}': only English is coded",
            )
            skipped.append(skip)
            summary.skip(skip)
    by_id = {article.article_id: article for article in coded}

    def failed(stage: Stage) -> Callable[[Article, Exception], None]:
        return lambda article, error: _skip_article(article, stage, error, skipped, summary)

    def split(group: Sequence[Article]) -> list[Sentence]:
        return list(split_sentences(group, mode=settings.nlp.sentence_mode))

    started = time.perf_counter()
    sentences = _together_or_alone(coded, split, failed("nlp"))
    clock.add("sentences", started, len(sentences))
    events: list[Event] = []
    started = time.perf_counter()
    if settings.coder.enabled and sentences:
        dates = {a.article_id: a.published.date() if a.published else None for a in coded}
        of_article: dict[str, list[Sentence]] = {}
        for sentence in sentences:
            of_article.setdefault(sentence.article_id, []).append(sentence)

        def code(group: Sequence[Article]) -> list[Event]:
            batch = [s for article in group for s in of_article[article.article_id]]
            return list(_coder(settings.coder.name).code_sentences(batch, dates))

        events = _together_or_alone([by_id[key] for key in of_article], code, failed("code"))
        _keep_spacy_small(settings)
    clock.add("coding", started, len(sentences) if settings.coder.enabled else 0)
    return sentences, events


def _together_or_alone(
    groups: Sequence[G],
    work: Callable[[Sequence[G]], list[R]],
    failed: Callable[[G, Exception], None],
) -> list[R]:
    """``work`` done on all ``groups`` at once; if that raises, on each group alone, so that
    only the groups that raise themselves (told to ``failed``) are left out."""
    try:
        return work(groups)
    except Exception as error:
        if len(groups) == 1:
            failed(groups[0], error)
            return []
    results: list[R] = []
    for group in groups:
        try:
            results += work([group])
        except Exception as error:
            failed(group, error)
    return results


def _skip_article(
    article: Article, stage: Stage, error: Exception, skipped: list[Skipped], summary: RunSummary
) -> None:
    """Name ``article`` (its page and place on it) as skipped at ``stage`` for ``error``."""
    item = Skipped(
        stage=stage, item=f"{article.origin}#article-{article.index + 1}", reason=unexpected(error)
    )
    skipped.append(item)
    summary.skip(item)


def _flush(batch: _Batch, summary: RunSummary, settings: Settings, clock: Clock) -> None:
    if not (batch.documents or batch.skipped):
        return
    sentences, events = code_articles(batch.articles, batch.skipped, summary, clock, settings)
    started = time.perf_counter()
    with open_store(settings) as store:
        counts = store.write_batch(
            documents=batch.documents,
            articles=batch.articles,
            sentences=sentences,
            story_ids=batch.story_ids,
            minhashes=batch.minhashes,
            skipped=batch.skipped,
            events=events,
        )
    clock.add("store", started, sum(counts.as_dict().values()))
    add_counts(summary, counts)
    logger.debug("stored batch: %s", counts)


def add_counts(summary: RunSummary, counts: BatchCounts) -> None:
    """Add what one write stored to the run's summary."""
    summary.events_added += counts.events
    summary.mentions_added += counts.event_mentions
    summary.articles_added += counts.articles
    summary.sentences_added += counts.sentences
