"""The DuckDB store: open and migrate a file, write batches in one transaction, read back."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Self

import duckdb
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]  # no stubs
import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

from dyadwatch.errors import InputError, StoreError
from dyadwatch.records import Article, Event, RawDocument, Sentence, Skipped, content_id
from dyadwatch.store import _arrow, _read
from dyadwatch.store._alerts import read_alerts, save_alerts
from dyadwatch.store._events import (
    EventQuery,
    count_events,
    event_mentions,
    list_events,
    page_events,
)
from dyadwatch.store._intent import announce_writer, wait_for_writers, withdraw_writer
from dyadwatch.store._open import check_size, connect
from dyadwatch.store._read import StoredArticle
from dyadwatch.store._series import (
    Freq,
    count_background,
    count_undated,
    dyad_series,
    list_actors,
    list_dyads,
    news_volume,
    story_scores,
)
from dyadwatch.store.export import ExportFormat, export_tables
from dyadwatch.store.schema import (
    ROW_KEYS,
    check_version,
    latest_version,
    migrate,
    schema_version,
    tables,
)

if TYPE_CHECKING:
    from dyadwatch.analysis.alerts import Alert

logger = logging.getLogger(__name__)

_NO_STORIES: Mapping[str, str] = MappingProxyType({})


ARCHIVE_VERSION = 5
"""The schema version from which pages' raw text is kept in the archive, not the table."""
UNKEYED_SENTENCES_VERSION = 6
"""The schema version from which sentences have no key index (see ``_new_sentences``)."""


@dataclass(frozen=True, slots=True)
class BatchCounts:
    """Rows one ``write_batch`` call actually added, per table (0 for rows already stored)."""

    pages: int = 0
    articles: int = 0
    sentences: int = 0
    article_minhash: int = 0
    skipped: int = 0
    events: int = 0
    event_mentions: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counts keyed by table name."""
        return asdict(self)


class Store:
    """A dyadwatch database in one DuckDB file; use as a context manager or call ``close``."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        wait_s: float = 0.0,
        checkpoint_memory_mb: int | None = None,
    ) -> None:
        """Open (and, read-write, migrate) the file; while another process holds it (DuckDB
        lets one process at a time open a file to write), retry for up to ``wait_s`` seconds.
        ``checkpoint_memory_mb`` bounds the memory of the checkpoint that closing a written
        store runs (see ``close``); None leaves it to DuckDB (up to 80% of the machine)."""
        self.path = Path(path)
        self.read_only = read_only
        self.checkpoint_memory_mb = checkpoint_memory_mb
        self._con: duckdb.DuckDBPyConnection | None = None
        self._writer = False
        if read_only:
            wait_for_writers(self.path, wait_s)
        else:
            announce_writer(self.path, wait_s)
            self._writer = True
        try:
            self._con = connect(self.path, read_only, wait_s)
            if self.path.exists():
                check_size(self._con, self.path)
            self._con.execute("SET TimeZone = 'UTC'")  # COPY ... csv prints times in this zone
            self.version = self._open_schema()
        except BaseException:
            self.close()
            raise

    def _open_schema(self) -> int:
        con = self._connection()
        if not self.read_only:
            return migrate(con, self.path)
        try:
            version = schema_version(con)
        except duckdb.Error as error:
            raise StoreError(f"{self.path}: cannot read the schema version: {error}") from error
        check_version(version, self.path)
        if version == 0:
            raise StoreError(f"{self.path}: not a dyadwatch store (no meta table)")
        if version < latest_version():
            raise StoreError(
                f"{self.path}: schema version {version} is older than {latest_version()}; open it "
                "once read-write (for example `dyadwatch run`) to migrate it"
            )
        return version

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._con

    def session(self) -> Store:
        """Another handle on this open database with its own connection (a DuckDB cursor), for
        use from another thread; closing it leaves this one open."""
        twin = object.__new__(Store)
        twin.path, twin.read_only, twin.version = self.path, self.read_only, self.version
        twin.checkpoint_memory_mb = None  # the database checkpoints when this handle closes
        twin._writer = False  # the writer's lock stays with the handle that opened the file
        twin._con = self._connection().cursor()
        return twin

    def close(self) -> None:
        """Close the database file; later calls raise ``StoreError``.

        Closing a written store checkpoints it: DuckDB moves the write-ahead log into the
        file and, now and then, merges a table's small row groups into the big one before
        them, which reads and recompresses that whole row group (0.7 GB at 65,000 articles).
        With ``checkpoint_memory_mb`` the checkpoint runs under that memory limit, evicting
        cached blocks as it goes; should it need more, it runs again without one."""
        try:
            if self._con is None:
                return
            if not self.read_only and self.checkpoint_memory_mb:
                self._checkpoint(self._con, self.checkpoint_memory_mb)
            self._con.close()
            self._con = None
        finally:
            if self._writer:
                self._writer = False
                withdraw_writer(self.path)

    def _checkpoint(self, con: duckdb.DuckDBPyConnection, memory_mb: int) -> None:
        try:
            con.execute(f"SET memory_limit = '{int(memory_mb)}MiB'")
            con.execute("CHECKPOINT")
        except duckdb.OutOfMemoryException as error:
            logger.warning("%s: checkpoint needs over %d MiB: %s", self.path, memory_mb, error)
            con.execute("RESET memory_limit")  # close checkpoints again, unbounded
        except duckdb.Error as error:  # a failed connection: close as DuckDB can
            logger.warning("%s: checkpoint before close failed: %s", self.path, error)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Store({str(self.path)!r}, {mode})"

    # -- writes ---------------------------------------------------------------------------

    def write_batch(
        self,
        *,
        documents: Iterable[RawDocument] = (),
        articles: Iterable[Article] = (),
        sentences: Iterable[Sentence] = (),
        story_ids: Mapping[str, str] = _NO_STORIES,
        minhashes: Iterable[tuple[str, np.ndarray]] = (),
        skipped: Iterable[Skipped] = (),
        events: Iterable[Event] = (),
    ) -> BatchCounts:
        """Add the given records in one transaction; rows already stored are left as they are."""
        try:
            tables = {
                "pages": _arrow.pages_table(list(documents)),
                "articles": _arrow.articles_table(list(articles), story_ids),
                "sentences": _arrow.sentences_table(list(sentences)),
                "article_minhash": _arrow.minhash_table(list(minhashes)),
                "skipped": _arrow.skipped_table(list(skipped), datetime.now(UTC)),
            }
            tables["events"], tables["event_mentions"] = _arrow.events_tables(
                list(events), story_ids
            )
        except (TypeError, ValueError, OverflowError, pa.ArrowException) as error:
            raise StoreError(
                f"{self.path}: cannot convert the batch for writing: {error}"
            ) from error
        return self.write_tables(tables)

    def write_tables(self, tables: Mapping[str, pa.Table]) -> BatchCounts:
        """Add Arrow ``tables`` (keyed by store table name, columns named as stored) in one
        transaction; rows already stored, and later repeats of a row's key, are left out."""
        con = self._connection()
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write")
        unknown = sorted(set(tables) - set(BatchCounts().as_dict()))
        if unknown:
            raise StoreError(f"{self.path}: no table {', '.join(unknown)} to write to")
        added = dict.fromkeys(BatchCounts().as_dict(), 0)
        if not any(table.num_rows for table in tables.values()):
            return BatchCounts()
        tables = {name: _arrow.first_of_each(t, ROW_KEYS[name]) for name, t in tables.items()}
        con.begin()
        try:
            if "pages" in tables and self.version >= ARCHIVE_VERSION:
                tables = {**tables, "pages": self._archive_pages(tables["pages"])}
            if "sentences" in tables and self.version >= UNKEYED_SENTENCES_VERSION:
                tables = {**tables, "sentences": self._new_sentences(tables)}
            for name, table in tables.items():
                if table.num_rows:
                    added[name] = self._insert(con, name, table)
            if added["event_mentions"]:
                self._count_mentions(con, tables["event_mentions"])
            con.commit()
        except Exception as error:
            try:
                con.rollback()
            except duckdb.Error:  # the connection itself failed; DuckDB discards the transaction
                logger.warning("%s: rollback failed after: %s", self.path, error)
            raise StoreError(
                f"{self.path}: batch not written, nothing stored from it: {error}"
            ) from error
        counts = BatchCounts(**added)
        logger.debug("%s: added %s", self.path, counts)
        return counts

    @property
    def archive(self) -> Path:
        """The folder of Parquet files that hold the pages' raw text, beside the database."""
        return self.path.with_name(self.path.name + ".pages")

    def _archive_pages(self, pages: pa.Table) -> pa.Table:
        """Write the text of the pages not stored yet to one Parquet file in the archive
        (named by their ids, so a batch written again reuses it); return their rows to
        insert, the text replaced by the file's name."""
        ids = pages.column("doc_id").to_pylist()
        stored = self.known_doc_ids(ids)  # the same connection: inside the batch's transaction
        if stored:
            pages = pages.filter(pa.array([doc_id not in stored for doc_id in ids]))
        if not pages.num_rows:
            return pages
        name = content_id("page-archive", *pages.column("doc_id").to_pylist())[:32] + ".parquet"
        target = self.archive / name
        if not target.exists():
            self.archive.mkdir(exist_ok=True)
            partial = target.with_name(f".{name}.{os.getpid()}.partial")
            pq.write_table(pages.select(["doc_id", "text"]), partial, compression="zstd")
            os.replace(partial, target)  # whole or absent: a killed write leaves no half file
        text = pages.schema.get_field_index("text")
        pages = pages.set_column(text, "text", pa.nulls(pages.num_rows, pa.string()))
        return pages.append_column("text_archive", pa.array([name] * pages.num_rows, pa.string()))

    def _new_sentences(self, tables: Mapping[str, pa.Table]) -> pa.Table:
        """The batch's sentences of articles not stored before it (sentences have no key
        index: a sentence is only ever written with its article)."""
        sentences = tables["sentences"]
        stored = self._lookup(
            "SELECT article_id FROM articles WHERE article_id IN (FROM wanted)",
            sentences.column("article_id").to_pylist(),
        )
        if not stored:
            return sentences
        keep = [
            article_id not in stored for article_id in sentences.column("article_id").to_pylist()
        ]
        return sentences.filter(pa.array(keep))

    @staticmethod
    def _insert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> int:
        """Insert the Arrow ``table`` into the store table ``name``; return the rows added."""
        columns = ", ".join(table.column_names)
        view = f"_batch_{name}"
        con.register(view, table)  # a failed insert leaves it: the next register replaces it
        keyed = name != "sentences"  # see _new_sentences
        row = con.execute(
            f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {view}"
            + (" ON CONFLICT DO NOTHING" if keyed else "")
        ).fetchone()
        con.unregister(view)
        return int(row[0]) if row else 0

    @staticmethod
    def _count_mentions(con: duckdb.DuckDBPyConnection, mentions: pa.Table) -> None:
        """Bring ``events.mentions`` up to date for the events these new mentions cite."""
        con.register("_batch_cited", mentions.select(["event_id"]))
        try:
            con.execute(
                """
                UPDATE events SET mentions = counted.n
                FROM (SELECT event_id, count(*)::INTEGER AS n FROM event_mentions
                      WHERE event_id IN (SELECT DISTINCT event_id FROM _batch_cited)
                      GROUP BY event_id) counted
                WHERE events.event_id = counted.event_id
                """
            )
        finally:
            con.unregister("_batch_cited")

    # -- reads ----------------------------------------------------------------------------

    def doc_ids(self) -> set[str]:
        """The ids of every stored page."""
        rows = self._connection().execute("SELECT doc_id FROM pages").fetchall()
        return {row[0] for row in rows}

    def known_doc_ids(self, ids: Iterable[str]) -> set[str]:
        """Return those of ``ids`` that are already stored as pages."""
        return self._lookup("SELECT doc_id FROM pages WHERE doc_id IN (FROM wanted)", ids)

    def doc_ids_from(self, inputs: Iterable[str]) -> set[str]:
        """The ids of the pages stored from ``inputs`` (files by path, URLs): each input
        itself, or an entry in it (a JSON Lines line ``path:N``, a feed item ``path#N``, a
        WARC record ``path@N``)."""
        sql = """SELECT doc_id FROM pages WHERE origin IN (FROM wanted)
            OR regexp_replace(origin, '[:#@][0-9]+$', '') IN (FROM wanted)"""
        return self._lookup(sql, inputs)

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Return those of ``urls`` that stored pages were fetched from (or named with)."""
        return self._lookup("SELECT DISTINCT url FROM pages WHERE url IN (FROM wanted)", urls)

    def _lookup(self, select: str, values: Iterable[str]) -> set[str]:
        """The first column of ``select``, which names the distinct ``values`` ``wanted``."""
        wanted = sorted(set(values))
        if not wanted:
            return set()
        sql = f"WITH wanted AS (SELECT unnest($1::VARCHAR[])) {select}"
        return {row[0] for row in self._connection().execute(sql, [wanted]).fetchall()}

    def counts(self) -> dict[str, int]:
        """Return the number of rows in each table."""
        con = self._connection()
        result = {}
        for table in tables():  # fixed names from the schema
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            result[table] = int(row[0]) if row else 0
        return result

    def cluster_count(self, text: str | None = None) -> int:
        """Return the number of story clusters (distinct story ids); with ``text``, of those
        that ``articles(text=text)`` lists."""
        return _read.count_stories(self._connection(), text)

    def minhash_signatures(
        self, latest: int | None = None
    ) -> Iterator[tuple[str, str, np.ndarray]]:
        """Yield ``(article_id, story_id, signature)`` for the stored article signatures in
        the order they were stored: all, or the ``latest`` ones."""
        return _read.minhash_signatures(self._connection(), latest)

    def articles(
        self, limit: int | None = None, offset: int = 0, *, text: str | None = None
    ) -> list[StoredArticle]:
        """Return one row per story (its first-seen copy) with every source, oldest first,
        after skipping ``offset`` stories (the database pages: the cost is the page's). With
        ``text``, only stories one of whose copies has every word of it in its title or body
        (any case; the words are passed to DuckDB as a parameter)."""
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and value < 0:
                raise InputError(name, f"must be 0 or more, got {value}")
        return _read.stories(self._connection(), limit, offset=offset, text=text)

    def article(self, article_id: str) -> StoredArticle | None:
        """The story that an article (any copy of it) belongs to, with every source, or None."""
        row = (
            self._connection()
            .execute("SELECT story_id FROM articles WHERE article_id = ?", [article_id])
            .fetchone()
        )
        if row is None:
            return None
        found = _read.stories(self._connection(), 1, story_id=row[0])
        return found[0] if found else None

    def events(self, query: EventQuery | None = None) -> list[dict[str, Any]]:
        """Return stored events (one per story and act) with mention counts and evidence."""
        return list_events(self._connection(), query or EventQuery())

    def event_page(self, query: EventQuery) -> tuple[int, list[dict[str, Any]]]:
        """How many stored events match ``query`` (limit aside), and its page of them."""
        return page_events(self._connection(), query)

    def count_events(self, query: EventQuery | None = None) -> int:
        """How many stored events match ``query`` (limit and offset aside)."""
        return count_events(self._connection(), query or EventQuery())

    def series_rows(
        self,
        a: str,
        b: str,
        *,
        freq: Freq = "week",
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
        with_background: bool = False,
    ) -> list[dict[str, Any]]:
        """Per-period rows of a dyad's series (see ``dyadwatch.analysis.series``)."""
        return dyad_series(
            self._connection(),
            a,
            b,
            freq=freq,
            directed=directed,
            since=since,
            until=until,
            with_background=with_background,
        )

    def background_count(
        self,
        dyad: tuple[str, str] | None = None,
        *,
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
    ) -> int:
        """How many background events (acts of years past) series and alerts leave out."""
        a, b = dyad if dyad else (None, None)
        return count_background(
            self._connection(), a, b, directed=directed, since=since, until=until
        )

    def undated_count(self, dyad: tuple[str, str] | None = None, *, directed: bool = False) -> int:
        """How many undated events (their article prints no date and their sentence gives
        none) series and alerts leave out, of one dyad or of all.

        It takes no since/until: an undated event could fall in any period, so a series cut
        to a period still counts every undated event of its dyad."""
        a, b = dyad if dyad else (None, None)
        return count_undated(self._connection(), a, b, directed=directed)

    def dyads(self, limit: int = 50) -> list[dict[str, Any]]:
        """Undirected dyads by number of events."""
        if limit < 0:
            raise InputError("--limit", f"must be 0 or more, got {limit}")
        return list_dyads(self._connection(), limit)

    def actors(self, limit: int = 500) -> list[dict[str, Any]]:
        """Actors by number of events on either side, with mean Goldstein and conflict share."""
        if limit < 0:
            raise InputError("--limit", f"must be 0 or more, got {limit}")
        return list_actors(self._connection(), limit)

    def volume(self, freq: Freq = "week") -> list[dict[str, Any]]:
        """News volume per period: articles published and events coded."""
        return news_volume(self._connection(), freq)

    def mentions(self, event_id: str) -> list[dict[str, Any]]:
        """Every mention of one event with its spans and the article that carried it."""
        return event_mentions(self._connection(), event_id)

    def story_scores(
        self, freq: Freq = "week"
    ) -> Iterator[tuple[str, str, date, str, float, list[str]]]:
        """Yield one Goldstein score per story, period and undirected dyad, with event ids."""
        return story_scores(self._connection(), freq)

    def save_alerts(self, alerts: Sequence[Alert]) -> int:
        """Store alerts not stored yet, with the events they cite; return how many were new."""
        con = self._connection()
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; cannot write")
        con.begin()
        try:
            added = save_alerts(con, alerts)
            con.commit()
        except duckdb.Error as error:
            con.rollback()
            raise StoreError(f"{self.path}: alerts not written: {error}") from error
        return added

    def alerts(
        self, dyad: tuple[str, str] | None = None, since: date | None = None
    ) -> list[dict[str, Any]]:
        """Stored alerts with their cited events, evidence sentences and source URLs."""
        return read_alerts(self._connection(), dyad, since)

    def skipped_rows(self) -> list[Skipped]:
        """Return every stored skipped item, oldest first."""
        return _read.skipped(self._connection())

    def skipped_items(
        self, stage: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """The stored skipped items (stage, item, reason, first_seen) of ``stage`` or of every
        stage, oldest first: ``limit`` of them after ``offset`` (the database pages)."""
        for name, value in (("limit", limit), ("offset", offset)):
            if value is not None and value < 0:
                raise InputError(name, f"must be 0 or more, got {value}")
        return _read.skipped_items(self._connection(), stage, limit, offset)

    def skipped_reasons(self, stage: str | None = None) -> list[dict[str, Any]]:
        """How many skipped items each stage and reason has (of ``stage`` or all), most first."""
        return _read.skipped_reasons(self._connection(), stage)

    def iter_documents(self) -> Iterator[RawDocument]:
        """Yield every stored page (``fetched_at`` in UTC), ordered by id."""
        return _read.documents(self._connection(), self.archive)

    def iter_articles(self) -> Iterator[tuple[Article, str]]:
        """Yield ``(article, story_id)`` for every stored article, ordered by id."""
        return _read.articles(self._connection())

    def iter_sentences(self) -> Iterator[Sentence]:
        """Yield every stored sentence, ordered by article and position."""
        return _read.sentences(self._connection())

    def export(
        self, to: str | Path, fmt: ExportFormat | str = "parquet", *, csv_raw: bool = False
    ) -> list[Path]:
        """Write every table to ``to/<table>.<fmt>`` (Parquet or CSV; CSV text cells that
        start like a spreadsheet formula get a leading quote unless ``csv_raw``)."""
        return export_tables(self._connection(), Path(to), fmt, self.archive, csv_raw=csv_raw)
