"""Stage 8: the same pipeline mapped over partitions of the input on Dask or Ray.

The driver lists the inputs (files in the order a local run reads them, and URLs) and cuts
them into partitions. A worker runs the per-page stages on one partition: read, extract,
identify the language, sign each article (MinHash), split sentences, code events, and writes
what it found as Parquet, one file per table, under a staging folder the driver sees too.
The driver then takes the partitions in input order, assigns story clusters (the one stage
that needs every earlier article) and inserts each partition into DuckDB in one transaction.

Every id is a content hash and clusters are assigned in the order a local run assigns them, so
a distributed run stores the rows a local run stores. A partition whose Parquet is complete is
not computed again after a crash, and one ingested twice adds nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]  # no stubs
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]
import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

from dyadwatch import __version__
from dyadwatch.config import Settings
from dyadwatch.dedupe import Deduplicator, is_short
from dyadwatch.errors import ConfigError, DyadwatchError
from dyadwatch.ingest import list_inputs, listed_urls, read_paths
from dyadwatch.ingest.web import FetchPolicy, is_url
from dyadwatch.pipeline import (
    Clock,
    ProgressHook,
    RunSummary,
    add_counts,
    code_articles,
    count_stored,
    extract_document,
    jsonl_fields,
)
from dyadwatch.records import Article, RawDocument, Skipped
from dyadwatch.store import _arrow, open_store

__all__ = [
    "Engine",
    "Partition",
    "make_engine",
    "plan_partitions",
    "process_partition",
    "run_distributed",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

DONE = "_SUCCESS"
REPORT = "report.json"
TABLES = ("pages", "articles", "sentences", "article_minhash", "skipped", "mentions")
"""The Parquet files of one partition: the store's tables, with ``article_minhash`` carrying
an ``exact`` flag (short bodies) and ``mentions`` holding the coded events before clustering."""


@dataclass(frozen=True, slots=True)
class Partition:
    """A run of consecutive inputs, and the key naming its Parquet in the staging folder."""

    number: int
    inputs: tuple[str, ...]
    key: str


def plan_partitions(paths: Sequence[str | Path], settings: Settings) -> list[Partition]:
    """Cut the inputs of ``paths`` into partitions of at most ``scale.partition_files`` files
    and about ``scale.partition_mb`` MB, in the order a local run reads them.

    A partition's key hashes its inputs (with their sizes and modification times) and the
    settings its results depend on, so a changed file or coder is computed afresh."""
    limit_files = settings.scale.partition_files
    limit_bytes = settings.scale.partition_mb * 2**20
    groups: list[list[tuple[str, str]]] = [[]]
    size = 0.0
    for item in list_inputs(paths):
        stamp, item_size = _stamp(item)
        if groups[-1] and (len(groups[-1]) >= limit_files or size + item_size > limit_bytes):
            groups.append([])
            size = 0.0
        groups[-1].append((item, stamp))
        size += item_size
    depends = json.dumps(
        [
            __version__,
            settings.coder.model_dump(mode="json"),
            settings.nlp.model_dump(mode="json"),
            settings.ingest.model_dump(mode="json"),
        ],
        sort_keys=True,
    )
    return [
        Partition(
            number=number,
            inputs=tuple(item for item, _ in group),
            key=hashlib.sha256(json.dumps([depends, group]).encode()).hexdigest()[:24],
        )
        for number, group in enumerate(group for group in groups if group)
    ]


def _stamp(item: str) -> tuple[str, float]:
    if is_url(item):
        return item, 0.0
    try:
        info = os.stat(item)
    except OSError:
        return f"{item}|missing", 0.0
    return f"{item}|{info.st_size}|{info.st_mtime_ns}", float(info.st_size)


# --- the worker's side ----------------------------------------------------------------------


Known = tuple[frozenset[str], frozenset[str]]
"""Page ids and URLs stored already, which a worker does not process again."""


def process_partition(
    partition: Partition,
    settings: Settings,
    staging: str,
    known: Known,
) -> dict[str, Any]:
    """Run the per-page stages on one partition and write its Parquet under ``staging``;
    return the partition's report (counts and stage times). ``known`` holds the page ids and
    URLs stored already, which are not processed again. Runs on a worker."""
    folder = Path(staging) / partition.key
    if (folder / DONE).exists():
        return dict(json.loads((folder / REPORT).read_text(encoding="utf-8")), reused=True)
    known_docs, known_urls = known
    summary = RunSummary()
    clock = Clock(summary, None)
    started = time.perf_counter()
    signer = Deduplicator()
    work = folder.with_name(f"{partition.key}.tmp-{uuid.uuid4().hex[:8]}")
    work.mkdir(parents=True)
    writers = _Writers(work)
    seen: set[str] = set()
    documents: list[RawDocument] = []
    articles: list[Article] = []
    skipped: list[Skipped] = []
    policy = FetchPolicy.from_settings(settings.fetch)
    inputs = read_paths(
        partition.inputs,
        fetch=policy,
        known_urls=known_urls.intersection,
        jsonl=jsonl_fields(settings),
    )
    for item in clock.iterate("ingest", inputs):
        if isinstance(item, Skipped):
            summary.skip(item)
            skipped.append(item)
        else:
            summary.pages_read += 1
            if item.doc_id not in known_docs and item.doc_id not in seen:
                seen.add(item.doc_id)
                summary.pages_new += 1
                documents.append(item)
                articles += extract_document(item, skipped, summary, clock)
        if len(documents) + len(skipped) >= settings.store.batch_size:
            _write_batch(writers, documents, articles, skipped, signer, summary, clock, settings)
            documents, articles, skipped = [], [], []
    _write_batch(writers, documents, articles, skipped, signer, summary, clock, settings)
    writers.close()
    summary.seconds = time.perf_counter() - started
    report = _report(partition, summary)
    (work / REPORT).write_text(json.dumps(report), encoding="utf-8")
    (work / DONE).touch()
    if folder.exists():  # another attempt at the same partition got there first
        shutil.rmtree(work, ignore_errors=True)
    else:
        work.rename(folder)
    return dict(report, reused=False)


class _Writers:
    """One Parquet writer per table, opened with the first batch that has rows for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._open: dict[str, pq.ParquetWriter] = {}

    def write(self, name: str, table: pa.Table) -> None:
        if not table.num_rows:
            return
        writer = self._open.get(name)
        if writer is None:
            writer = pq.ParquetWriter(self.folder / f"{name}.parquet", table.schema)
            self._open[name] = writer
        writer.write_table(table.cast(writer.schema))

    def close(self) -> None:
        for writer in self._open.values():
            writer.close()


def _write_batch(
    writers: _Writers,
    documents: list[RawDocument],
    articles: list[Article],
    skipped: list[Skipped],
    signer: Deduplicator,
    summary: RunSummary,
    clock: Clock,
    settings: Settings,
) -> None:
    started = time.perf_counter()
    signatures = [(a.article_id, signer.signature(a.body)) for a in articles]
    minhash = _arrow.minhash_table(signatures).append_column(
        "exact", pa.array([is_short(a.body) for a in articles], type=pa.bool_())
    )
    clock.add("dedupe", started, len(articles))
    sentences, events = code_articles(articles, skipped, summary, clock, settings)
    started = time.perf_counter()
    writers.write("pages", _arrow.pages_table(documents))
    writers.write("articles", _arrow.articles_table(articles, {}))
    writers.write("sentences", _arrow.sentences_table(sentences))
    writers.write("article_minhash", minhash)
    writers.write("skipped", _arrow.skipped_table(skipped, datetime.now(UTC)))
    writers.write("mentions", _arrow.coded_mentions_table(events))
    clock.add("store", started, 0)


def _report(partition: Partition, summary: RunSummary) -> dict[str, Any]:
    return {
        "partition": partition.number,
        "key": partition.key,
        "pages_read": summary.pages_read,
        "pages_new": summary.pages_new,
        "articles_found": summary.articles_found,
        "skipped_by_reason": dict(summary.skipped_by_reason),
        "seconds": summary.seconds,
        "stages": {name: [t.seconds, t.items] for name, t in summary.stages.items()},
    }


# --- the driver's side ----------------------------------------------------------------------


def ingest_partition(
    folder: Path,
    deduplicator: Deduplicator,
    summary: RunSummary,
    settings: Settings,
    clock: Clock,
) -> None:
    """Cluster one partition's articles into stories and write it into the store; pages
    stored already (from another input, or an earlier partition) are left out, as a local
    run leaves them out."""
    tables = {
        name: pq.read_table(folder / f"{name}.parquet")
        for name in TABLES
        if (folder / f"{name}.parquet").exists()
    }
    if "pages" in tables:
        with open_store(settings) as store:
            stored = store.known_doc_ids(tables["pages"].column("doc_id").to_pylist())
        if stored:
            tables = _without_pages(tables, stored, summary)
    started = time.perf_counter()
    story_ids: dict[str, str] = {}
    minhash = tables.pop("article_minhash", None)
    if minhash is not None:
        for article_id, values, exact in zip(
            minhash.column("article_id").to_pylist(),
            minhash.column("hashvalues").to_numpy(zero_copy_only=False),
            minhash.column("exact").to_pylist(),
            strict=True,
        ):
            story_ids[article_id] = story = deduplicator.assign_signature(
                article_id, values, short=bool(exact)
            )
            summary.duplicates += story != article_id
        tables["article_minhash"] = minhash.drop_columns(["exact"])
    if "articles" in tables:
        articles = tables["articles"]
        stories = pa.array([story_ids.get(a, a) for a in articles.column("article_id").to_pylist()])
        where = articles.schema.get_field_index("story_id")
        tables["articles"] = articles.set_column(where, "story_id", stories)
    mentions = tables.pop("mentions", None)
    if mentions is not None:
        events = _arrow.events_from_table(mentions)
        tables["events"], tables["event_mentions"] = _arrow.events_tables(events, story_ids)
    clock.add("dedupe", started, len(story_ids))
    started = time.perf_counter()
    with open_store(settings) as store:
        counts = store.write_tables(tables)
    clock.add("store", started, sum(counts.as_dict().values()))
    add_counts(summary, counts)
    skipped = tables.get("skipped")
    if skipped is not None:  # counted from the worker's report; kept here for the summary
        for row in skipped.select(["stage", "item", "reason"]).to_pylist():
            summary.skip(Skipped(**row), count=False)


def _without_pages(
    tables: dict[str, pa.Table], doc_ids: set[str], summary: RunSummary
) -> dict[str, pa.Table]:
    """``tables`` without the pages ``doc_ids`` and what was read from them (their skipped
    items aside: the same pages name the same skips); the worker's counts corrected."""
    stored = pa.array(list(doc_ids), pa.string())
    keep_pages = pc.invert(pc.is_in(tables["pages"].column("doc_id"), stored))
    kept = dict(tables, pages=tables["pages"].filter(keep_pages))
    summary.pages_new -= tables["pages"].num_rows - kept["pages"].num_rows
    articles = tables.get("articles")
    if articles is None:
        return kept
    from_stored = pc.is_in(articles.column("doc_id"), stored)
    dropped = pa.array(articles.filter(from_stored).column("article_id").to_pylist(), pa.string())
    summary.articles_found -= len(dropped)
    for name in ("articles", "sentences", "article_minhash", "mentions"):
        if name in kept:
            table = kept[name]
            kept[name] = table.filter(pc.invert(pc.is_in(table.column("article_id"), dropped)))
    return kept


def run_distributed(
    paths: Sequence[str | Path],
    *,
    settings: Settings,
    engine: Engine,
    on_progress: ProgressHook | None = None,
) -> RunSummary:
    """Run the pipeline on ``paths`` with the per-page stages on ``engine``'s workers."""
    started = time.perf_counter()
    summary = RunSummary()
    clock = Clock(summary, on_progress)
    deduplicator = Deduplicator(threshold=settings.dedupe.threshold, window=settings.dedupe.window)
    with open_store(settings) as store:
        deduplicator.load(store.minhash_signatures(latest=settings.dedupe.window or None))
    staging = staging_folder(settings)
    staging.mkdir(parents=True, exist_ok=True)
    partitions = plan_partitions(paths, settings)
    logger.info("%d partitions on %s (%d workers)", len(partitions), engine.name, engine.workers)
    jobs = ((partition, stored_from(partition, settings)) for partition in partitions)
    results = engine.map_ordered(_process_job, jobs, settings, str(staging))
    for partition, report in zip(partitions, results, strict=True):
        _add_report(summary, report, on_progress)
        folder = staging / partition.key
        ingest_partition(folder, deduplicator, summary, settings, clock)
        shutil.rmtree(folder, ignore_errors=True)
    with open_store(settings) as store:
        count_stored(summary, store)
    summary.seconds = time.perf_counter() - started
    return summary


def stored_from(partition: Partition, settings: Settings) -> Known:
    """What the store holds from ``partition``'s inputs: the pages read from them and the
    URLs they list. Only these travel to the worker, so what a worker is sent stays the size
    of its partition however large the store grows; a page stored from another input is
    read again and left out when the partition is written (see ``ingest_partition``)."""
    with open_store(settings) as store:
        pages = store.doc_ids_from(partition.inputs)
        urls = store.known_urls(listed_urls(partition.inputs))
    return frozenset(pages), frozenset(urls)


def _process_job(job: tuple[Partition, Known], settings: Settings, staging: str) -> dict[str, Any]:
    partition, known = job
    return process_partition(partition, settings, staging, known)


def staging_folder(settings: Settings) -> Path:
    """Where workers write their Parquet: ``scale.staging``, else beside the database."""
    if settings.scale.staging is not None:
        return settings.scale.staging
    db = settings.store.path.resolve()
    return db.with_name(db.name + ".staging")


def _add_report(
    summary: RunSummary, report: dict[str, Any], on_progress: ProgressHook | None
) -> None:
    summary.pages_read += report["pages_read"]
    summary.pages_new += report["pages_new"]
    summary.articles_found += report["articles_found"]
    summary.skipped_by_reason.update(report["skipped_by_reason"])
    for name, (seconds, items) in report["stages"].items():
        if name in ("dedupe", "store"):
            items = 0  # the driver counts what it clusters and stores
        summary.stages[name].seconds += seconds
        summary.stages[name].items += items
        if on_progress is not None and items:
            on_progress(name, items)


# --- engines --------------------------------------------------------------------------------


class Engine(Protocol):
    """What the driver needs of a distributed engine."""

    name: str
    workers: int

    def map_ordered(
        self, function: Callable[..., R], items: Iterable[Any], *args: Any
    ) -> Iterator[R]:
        """Yield ``function(item, *args)`` for each item, in order, running ahead a little."""

    def close(self) -> None:
        """Leave the cluster (and stop it when this engine started it)."""


def make_engine(settings: Settings) -> Engine:
    """Connect to (or start) the engine ``scale.engine`` names."""
    scale = settings.scale
    workers = scale.workers or len(os.sched_getaffinity(0))
    if scale.engine == "dask":
        return DaskEngine(scale.address or None, workers)
    if scale.engine == "ray":
        return RayEngine(scale.address or None, workers)
    raise ConfigError(f"engine {scale.engine!r} runs in this process; no cluster to start")


class _Windowed:
    """Ordered results from a bounded window of submitted tasks (2 per worker ahead)."""

    workers: int

    def _submit(self, function: Callable[..., Any], item: Any, args: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def _result(self, handle: Any) -> Any:
        raise NotImplementedError

    def map_ordered(
        self, function: Callable[..., R], items: Iterable[Any], *args: Any
    ) -> Iterator[R]:
        pending: list[Any] = []
        window = max(2, 2 * self.workers)
        for item in items:
            pending.append(self._submit(function, item, args))
            if len(pending) >= window:
                yield self._result(pending.pop(0))
        while pending:
            yield self._result(pending.pop(0))


class DaskEngine(_Windowed):
    """Dask distributed: a scheduler at ``address``, or a local cluster of processes."""

    name = "dask"

    def __init__(self, address: str | None, workers: int) -> None:
        try:
            distributed: Any = importlib.import_module("dask.distributed")
        except ImportError:
            raise ConfigError(
                "--engine dask needs Dask distributed: pip install 'dyadwatch[dask]'"
            ) from None
        self._cluster: Any = None
        if address:
            self._client = distributed.Client(address, timeout="30s")
            self.workers = max(1, sum(self._client.nthreads().values()))
        else:
            for name in ("distributed", "tornado"):  # workers' chatter stays out of the output
                logging.getLogger(name).setLevel(logging.WARNING)
            self._cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = distributed.Client(self._cluster)
            self.workers = workers

    def _submit(self, function: Callable[..., Any], item: Any, args: tuple[Any, ...]) -> Any:
        return self._client.submit(function, item, *args, pure=False)

    def _result(self, handle: Any) -> Any:
        return handle.result()

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class RayEngine(_Windowed):
    """Ray: a cluster at ``address`` ("auto" for the one this machine belongs to), or a
    local one of ``workers`` CPUs."""

    name = "ray"

    def __init__(self, address: str | None, workers: int) -> None:
        try:
            ray: Any = importlib.import_module("ray")
        except ImportError:
            raise ConfigError("--engine ray needs Ray: pip install 'dyadwatch[ray]'") from None
        self._ray = ray
        options: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
        if address:
            ray.init(address=address, **options)
            self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        else:
            ray.init(num_cpus=workers, _node_ip_address="127.0.0.1", **options)
            self.workers = workers
        self._remote: dict[Callable[..., Any], Any] = {}

    def _submit(self, function: Callable[..., Any], item: Any, args: tuple[Any, ...]) -> Any:
        remote = self._remote.get(function)
        if remote is None:
            remote = self._remote[function] = self._ray.remote(num_cpus=1)(function)
        return remote.remote(item, *args)

    def _result(self, handle: Any) -> Any:
        try:
            return self._ray.get(handle)
        except self._ray.exceptions.RayTaskError as error:
            cause = error.as_instanceof_cause()
            if isinstance(cause, DyadwatchError):
                raise cause from None
            raise

    def close(self) -> None:
        self._ray.shutdown()
