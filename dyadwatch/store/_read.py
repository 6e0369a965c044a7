"""Queries that turn stored rows back into records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import duckdb
import numpy as np
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]  # no stubs

from dyadwatch.errors import StoreError
from dyadwatch.records import (
    Article,
    DatePrecision,
    MediaType,
    Provenance,
    PublishedZone,
    RawDocument,
    Sentence,
    Skipped,
    Stage,
    format_published,
)
from dyadwatch.store._arrow import from_epoch_us

_CHUNK = 2048


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredArticle:
    """One story cluster as stored: its representative copy plus every source that carried it."""

    id: str
    title: str | None
    byline: str | None
    outlet: str | None
    published: datetime | None
    published_zone: PublishedZone | None
    published_precision: DatePrecision | None
    url: str | None
    body: str
    sources: tuple[Provenance, ...]
    published_from: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: ISO 8601 times, ``sources`` as a list of dicts."""
        return {
            "id": self.id,
            "title": self.title,
            "byline": self.byline,
            "outlet": self.outlet,
            "published": format_published(self.published, self.published_precision),
            "published_zone": self.published_zone,
            "published_precision": self.published_precision,
            "published_from": self.published_from,
            "url": self.url,
            "body": self.body,
            "sources": [
                {
                    "article_id": source.article_id,
                    "doc_id": source.doc_id,
                    "origin": source.origin,
                    "outlet": source.outlet,
                    "url": source.url,
                    "published": None if source.published is None else source.published.isoformat(),
                }
                for source in self.sources
            ],
        }


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> Iterator[tuple[Any, ...]]:
    cursor = con.cursor()
    try:
        result = cursor.execute(sql)
        while chunk := result.fetchmany(_CHUNK):
            yield from chunk
    finally:
        cursor.close()


def _published(micros: int | None, offset_s: int | None) -> datetime | None:
    return None if micros is None else from_epoch_us(micros, offset_s or 0)


def archive_files(con: duckdb.DuckDBPyConnection, archive: Path) -> list[str]:
    """The page-archive files the ``pages`` table names; each must be there."""
    names = con.execute(
        "SELECT DISTINCT text_archive FROM pages WHERE text_archive IS NOT NULL ORDER BY 1"
    ).fetchall()
    files = [archive / name for (name,) in names]
    for file in files:
        if not file.is_file():
            raise StoreError(
                f"{file}: page text archive missing; keep the folder {archive.name} beside "
                "the database when moving it"
            )
    return [str(file) for file in files]


def pages_sql(con: duckdb.DuckDBPyConnection, archive: Path) -> str:
    """A query for every ``pages`` row with its text, from the table or the archive."""
    files = archive_files(con, archive)
    if not files:
        return "SELECT * FROM pages"
    listed = ", ".join("'" + file.replace("'", "''") + "'" for file in files)
    return (
        "SELECT p.* REPLACE (coalesce(p.text, a.text) AS text) FROM pages p "
        f"LEFT JOIN read_parquet([{listed}]) a ON a.doc_id = p.doc_id"
    )


def documents(con: duckdb.DuckDBPyConnection, archive: Path) -> Iterator[RawDocument]:
    """Yield every stored page, ordered by ``doc_id``; ``fetched_at`` comes back in UTC."""
    sql = f"""SELECT doc_id, origin, media_type, text, encoding, size, epoch_us(fetched_at),
        url, title, published_hint FROM ({pages_sql(con, archive)}) ORDER BY doc_id"""
    for row in _rows(con, sql):
        yield RawDocument(
            doc_id=row[0],
            origin=row[1],
            media_type=cast(MediaType, row[2]),
            text=row[3],
            encoding=row[4],
            size=row[5],
            fetched_at=from_epoch_us(row[6]),
            url=row[7],
            title=row[8],
            published=row[9],
        )


def articles(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[Article, str]]:
    """Yield every stored article with its story id, ordered by ``article_id``."""
    sql = """SELECT article_id, doc_id, origin, idx, title, byline, outlet, epoch_us(published),
        published_offset_s, published_zone, published_precision, url, body, language, story_id,
        published_from
        FROM articles ORDER BY article_id"""
    for row in _rows(con, sql):
        article = Article(
            article_id=row[0],
            doc_id=row[1],
            origin=row[2],
            index=row[3],
            title=row[4],
            byline=row[5],
            outlet=row[6],
            published=_published(row[7], row[8]),
            published_zone=row[9],
            published_precision=row[10],
            url=row[11],
            body=row[12],
            language=row[13],
            published_from=row[15],
        )
        yield article, row[14]


def sentences(con: duckdb.DuckDBPyConnection) -> Iterator[Sentence]:
    """Yield every stored sentence, ordered by article then position."""
    sql = """SELECT sentence_id, article_id, idx, start_char, end_char, text FROM sentences
        ORDER BY article_id, idx, start_char"""
    for row in _rows(con, sql):
        yield Sentence(
            sentence_id=row[0],
            article_id=row[1],
            index=row[2],
            start=row[3],
            end=row[4],
            text=row[5],
        )


def skipped(con: duckdb.DuckDBPyConnection) -> list[Skipped]:
    """Return every stored skipped item, oldest first."""
    sql = "SELECT stage, item, reason FROM skipped ORDER BY first_seen, stage, item, reason"
    return [
        Skipped(stage=cast(Stage, stage), item=item, reason=reason)
        for stage, item, reason in _rows(con, sql)
    ]


_SKIPPED_ITEMS = """
SELECT stage, item, reason, epoch_us(first_seen) FROM skipped
WHERE $stage IS NULL OR stage = $stage
ORDER BY first_seen, stage, item, reason, skip_id
LIMIT $limit OFFSET $offset
"""

_SKIPPED_REASONS = """
SELECT stage, reason, count(*) AS count FROM skipped
WHERE $stage IS NULL OR stage = $stage
GROUP BY stage, reason
ORDER BY count DESC, stage, reason
"""


def skipped_items(
    con: duckdb.DuckDBPyConnection, stage: str | None, limit: int | None, offset: int = 0
) -> list[dict[str, Any]]:
    """The stored skipped items of ``stage`` (or all), oldest first, a page of them, each with
    when it was first seen (ISO 8601, UTC)."""
    params = {"stage": stage, "limit": limit, "offset": offset}
    return [
        {"stage": row[0], "item": row[1], "reason": row[2], "first_seen": _iso(row[3])}
        for row in con.execute(_SKIPPED_ITEMS, params).fetchall()
    ]


def skipped_reasons(con: duckdb.DuckDBPyConnection, stage: str | None) -> list[dict[str, Any]]:
    """How many stored skipped items each (stage, reason) has, most first."""
    rows = con.execute(_SKIPPED_REASONS, {"stage": stage}).fetchall()
    return [{"stage": row[0], "reason": row[1], "count": int(row[2])} for row in rows]


def _iso(micros: int | None) -> str | None:
    return None if micros is None else from_epoch_us(micros).isoformat()


def minhash_signatures(
    con: duckdb.DuckDBPyConnection, latest: int | None = None
) -> Iterator[tuple[str, str, np.ndarray]]:
    """Yield ``(article_id, story_id, signature)`` for the stored signatures in the order they
    were stored: all, or the ``latest`` ones."""
    limit = "" if not latest else f"ORDER BY rowid DESC LIMIT {int(latest)}"
    sql = f"""SELECT m.article_id, coalesce(a.story_id, m.article_id) AS story_id, m.hashvalues
        FROM (SELECT rowid AS stored, * FROM article_minhash {limit}) m
        LEFT JOIN articles a USING (article_id) ORDER BY m.stored"""
    cursor = con.cursor()
    try:
        for batch in cursor.sql(sql).to_arrow_reader(_CHUNK):
            hashvalues = cast(pa.ListArray, batch.column(2))
            flat = hashvalues.flatten().to_numpy()
            bounds = np.cumsum(hashvalues.value_lengths().to_numpy())[:-1]
            parts = np.split(flat, bounds) if len(batch) else []
            ids = batch.column(0).to_pylist()
            stories = batch.column(1).to_pylist()
            yield from zip(ids, stories, parts, strict=True)
    finally:
        cursor.close()


_STORIES = """
WITH ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY story_id
        ORDER BY article_id = story_id DESC, published NULLS LAST, origin, idx, article_id
    ) AS rank
    FROM articles
    WHERE ($story IS NULL OR story_id = $story) /* matching */
),
representatives AS (
    SELECT * FROM ranked WHERE rank = 1
    ORDER BY published NULLS LAST, origin, idx, story_id
    LIMIT $limit OFFSET $offset
),
sources AS (
    SELECT story_id, list(
        {'article_id': article_id, 'doc_id': doc_id, 'origin': origin, 'outlet': outlet,
         'url': url, 'micros': epoch_us(published), 'offset_s': published_offset_s}
        ORDER BY published NULLS LAST, origin, article_id
    ) AS copies
    FROM articles WHERE story_id IN (SELECT story_id FROM representatives)
    GROUP BY story_id
)
SELECT r.story_id, r.title, r.byline, r.outlet, epoch_us(r.published), r.published_offset_s,
    r.published_zone, r.published_precision, r.url, r.body, s.copies, r.published_from
FROM representatives r JOIN sources s USING (story_id)
ORDER BY r.published NULLS LAST, r.origin, r.idx, r.story_id
"""


_MATCHING = """
    AND story_id IN (
        SELECT story_id FROM articles WHERE NOT EXISTS (
            SELECT 1 FROM unnest($words::VARCHAR[]) AS wanted(word)
            WHERE NOT contains(lower(coalesce(title, '') || chr(10) || body), wanted.word)
        )
    )"""


def search_words(text: str | None) -> list[str] | None:
    """The lower-cased words of a search ``text``; None when it holds none."""
    words = (text or "").lower().split()
    return words or None


def stories(
    con: duckdb.DuckDBPyConnection,
    limit: int | None,
    story_id: str | None = None,
    *,
    offset: int = 0,
    text: str | None = None,
) -> list[StoredArticle]:
    """Return one :class:`StoredArticle` per story cluster (or only ``story_id``'s), oldest
    first, skipping the first ``offset``: the database pages (story_id breaks ties, so pages
    neither overlap nor skip), and only the page's rows reach Python. With ``text``, only the
    stories one of whose copies holds every word of it in its title or body (any case)."""
    # DuckDB reads LIMIT NULL as no limit.
    params: dict[str, Any] = {"limit": limit, "offset": offset, "story": story_id}
    words = search_words(text)
    if words:
        params["words"] = words
    sql = _STORIES.replace("/* matching */", _MATCHING if words else "")
    rows = con.execute(sql, params).fetchall()
    return [
        StoredArticle(
            id=row[0],
            title=row[1],
            byline=row[2],
            outlet=row[3],
            published=_published(row[4], row[5]),
            published_zone=row[6],
            published_precision=row[7],
            published_from=row[11],
            url=row[8],
            body=row[9],
            sources=tuple(
                Provenance(
                    article_id=copy["article_id"],
                    doc_id=copy["doc_id"],
                    origin=copy["origin"],
                    outlet=copy["outlet"],
                    url=copy["url"],
                    published=_published(copy["micros"], copy["offset_s"]),
                )
                for copy in row[10]
            ),
        )
        for row in rows
    ]


def count_stories(con: duckdb.DuckDBPyConnection, text: str | None = None) -> int:
    """How many story clusters there are; with ``text``, how many :func:`stories` lists."""
    words = search_words(text)
    if not words:
        row = con.execute("SELECT count(DISTINCT story_id) FROM articles").fetchone()
    else:
        sql = "SELECT count(DISTINCT story_id) FROM articles WHERE true" + _MATCHING
        row = con.execute(sql, {"words": words}).fetchone()
    return int(row[0]) if row else 0
