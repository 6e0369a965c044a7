"""Reading stored events: filters by dyad, date and root, mention counts, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from dyadwatch.codes import with_names
from dyadwatch.errors import InputError


@dataclass(frozen=True, slots=True, kw_only=True)
class EventQuery:
    """Which stored events to list."""

    dyad: tuple[str, str] | None = None
    actor: str | None = None  # either side
    since: date | None = None
    until: date | None = None
    root: str | None = None
    quad_class: int | None = None
    text: str | None = None  # words in the evidence sentence (case-insensitive)
    event_id: str | None = None
    undated: bool = False  # only events with no date (series and alerts leave them out)
    modalities: tuple[str, ...] = ("asserted", "intent")
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.undated and (self.since or self.until):
            raise InputError(
                "--undated", "undated events have no date: ask for them without --since or --until"
            )

    @staticmethod
    def parse_dyad(text: str) -> tuple[str, str]:
        """Parse ``RUS-CHN`` into ``("RUS", "CHN")``, or raise ``InputError``."""
        parts = text.upper().split("-")
        if len(parts) != 2 or not all(part.isalnum() for part in parts):
            raise InputError("--dyad", f"expected SOURCE-TARGET such as RUS-CHN, got {text!r}")
        return parts[0], parts[1]


_ORDER = "e.date NULLS LAST, e.source, e.target, e.code, e.event_id"

# The page of events is picked first (filter, order, limit) and only then joined to its
# mentions and articles, so a page costs the same whatever the size of the store.
_SELECT = """
WITH e AS (
    SELECT *{total} FROM events e WHERE {where} ORDER BY {order} {page}
),
m AS (SELECT * FROM event_mentions WHERE event_id IN (SELECT event_id FROM e)),
a AS (SELECT article_id, url FROM articles WHERE article_id IN (SELECT article_id FROM m))
SELECT e.event_id AS id, e.article_id, e.story_id, e.date, e.date_precision, e.background,
       e.source, e.source_sector,
       e.target, e.target_sector, e.code, e.goldstein, e.quad_class, e.plover, e.modality,
       e.coder, count(m.mention_id) AS mentions,
       list(m.text ORDER BY m.mention_id) AS evidence,
       list([m.source_start, m.source_end, m.verb_start, m.verb_end, m.target_start,
             m.target_end] ORDER BY m.mention_id) AS evidence_spans,
       list(DISTINCT a.url) FILTER (WHERE a.url IS NOT NULL) AS urls{total_out}
FROM e
LEFT JOIN m USING (event_id)
LEFT JOIN a ON a.article_id = m.article_id
GROUP BY ALL
ORDER BY {order}
"""


def count_events(con: duckdb.DuckDBPyConnection, query: EventQuery) -> int:
    """How many events match ``query`` (its limit and offset aside)."""
    where, params = _where(query)
    row = con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()
    return int(row[0]) if row else 0


def _where(query: EventQuery) -> tuple[str, list[Any]]:
    """The SQL condition and its parameters for ``query`` (values are always parameters)."""
    where = ["e.modality IN (SELECT unnest(?::VARCHAR[]))"]
    params: list[Any] = [list(query.modalities)]
    if query.dyad:
        where.append("e.source = ? AND e.target = ?")
        params += list(query.dyad)
    if query.since:
        where.append("e.date >= ?")
        params.append(query.since)
    if query.until:
        where.append("e.date <= ?")
        params.append(query.until)
    if query.undated:
        where.append("e.date IS NULL")
    if query.root:
        where.append("e.root = ?")
        params.append(query.root.zfill(2))
    if query.actor:
        where.append("(e.source = ? OR e.target = ?)")
        params += [query.actor, query.actor]
    if query.quad_class is not None:
        where.append("e.quad_class = ?")
        params.append(query.quad_class)
    if query.event_id:
        where.append("e.event_id = ?")
        params.append(query.event_id)
    if query.text:
        # A plain substring test (no wildcards to escape), case-insensitive.
        where.append(
            "e.event_id IN (SELECT event_id FROM event_mentions WHERE contains(lower(text), ?))"
        )
        params.append(query.text.lower())
    return " AND ".join(where), params


def list_events(con: duckdb.DuckDBPyConnection, query: EventQuery) -> list[dict[str, Any]]:
    """Return the events matching ``query`` as dicts, oldest first."""
    return _select(con, query, with_total=False)[1]


def page_events(
    con: duckdb.DuckDBPyConnection, query: EventQuery
) -> tuple[int, list[dict[str, Any]]]:
    """Return how many events match ``query`` (limit aside) and its page of them.

    A search in the evidence scans every mention, so its count comes from the same scan as the
    page (a window count); other filters are cheap to count on their own, which spares sorting
    every match just to count them."""
    if query.text:
        return _select(con, query, with_total=True)
    return count_events(con, query), list_events(con, query)


def _select(
    con: duckdb.DuckDBPyConnection, query: EventQuery, *, with_total: bool
) -> tuple[int, list[dict[str, Any]]]:
    where, params = _where(query)
    page = f"LIMIT {int(query.limit)}" if query.limit is not None else ""
    if query.offset:
        page += f" OFFSET {int(query.offset)}"
    sql = _SELECT.format(
        where=where,
        order=_ORDER,
        page=page,
        total=", count(*) OVER () AS total" if with_total else "",
        total_out=", e.total AS total" if with_total else "",
    )
    cursor = con.execute(sql, params)
    names = [column[0] for column in cursor.description]
    rows = [with_names(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    if not with_total:
        return len(rows), rows
    total = rows[0]["total"] if rows else _count_beyond_page(con, query)
    for row in rows:
        del row["total"]
    return int(total), rows


def _count_beyond_page(con: duckdb.DuckDBPyConnection, query: EventQuery) -> int:
    # An empty page says nothing of the total when it lies past the last match.
    return count_events(con, query) if query.offset else 0


_MENTIONS = """
SELECT m.mention_id, m.sentence_id, m.text, m.source_start, m.source_end, m.verb_start,
       m.verb_end, m.target_start, m.target_end, m.entries, m.coder,
       a.article_id, a.title, a.outlet, a.url, a.published
FROM event_mentions m
LEFT JOIN articles a ON a.article_id = m.article_id
WHERE m.event_id = ?
ORDER BY a.published NULLS LAST, m.mention_id
"""


def event_mentions(con: duckdb.DuckDBPyConnection, event_id: str) -> list[dict[str, Any]]:
    """Every mention of one event: the sentence, the character spans of source, verb and target,
    the lexicon entries that fired, and the article (title, outlet, URL) that carried it."""
    cursor = con.execute(_MENTIONS, [event_id])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
