"""Reading per-dyad series and per-story scores from stored events (SQL lives here)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

import duckdb

Freq = Literal["day", "week", "month"]
FREQS: tuple[Freq, ...] = ("day", "week", "month")

# Events that count: asserted acts and stated intents, with a date, not acts of years past
# recalled as background (see dyadwatch.coding.when). Undated ones (their article prints no
# date and their sentence gives none) fall in no period: left out, and counted.
_ASSERTED = "modality IN ('asserted', 'intent')"
_DATED = f"{_ASSERTED} AND date IS NOT NULL"
_COUNTED = f"{_DATED} AND background IS NOT TRUE"
_UNDATED = f"{_ASSERTED} AND date IS NULL AND background IS NOT TRUE"

_SERIES = """
WITH volume AS (
    SELECT date_trunc($freq, date)::DATE AS period, count(*) AS all_events
    FROM events WHERE {counted} GROUP BY 1
),
picked AS (
    SELECT e.*, date_trunc($freq, e.date)::DATE AS period
    FROM events e
    WHERE {counted} AND {pair}
      AND ($since IS NULL OR e.date >= $since) AND ($until IS NULL OR e.date <= $until)
),
observed AS (
    SELECT period, count(*) AS events, count(DISTINCT story_id) AS stories,
           sum(mentions)::BIGINT AS mentions, sum(goldstein) AS goldstein_sum,
           round(avg(goldstein), 3) AS goldstein_mean,
           count(*) FILTER (WHERE quad_class = 1) AS verbal_cooperation,
           count(*) FILTER (WHERE quad_class = 2) AS material_cooperation,
           count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict,
           count(*) FILTER (WHERE quad_class = 4) AS material_conflict,
           histogram(root) AS roots, histogram(plover) AS plover_types
    FROM picked GROUP BY period
),
periods AS (  -- every period from the first observed to the last, empty ones too
    SELECT unnest(generate_series(
        min(period)::TIMESTAMP, max(period)::TIMESTAMP, ('1 ' || $freq)::INTERVAL
    ))::DATE AS period
    FROM observed
)
SELECT p.period, coalesce(o.events, 0) AS events, coalesce(o.stories, 0) AS stories,
       coalesce(o.mentions, 0) AS mentions, round(coalesce(o.goldstein_sum, 0), 3) AS goldstein_sum,
       o.goldstein_mean,
       coalesce(o.verbal_cooperation, 0) AS verbal_cooperation,
       coalesce(o.material_cooperation, 0) AS material_cooperation,
       coalesce(o.verbal_conflict, 0) AS verbal_conflict,
       coalesce(o.material_conflict, 0) AS material_conflict,
       coalesce(v.all_events, 0) AS volume,
       round(coalesce(o.events, 0) / v.all_events, 4) AS share,
       round(coalesce(o.goldstein_sum, 0) / v.all_events, 4) AS goldstein_share,
       o.roots, o.plover_types
FROM periods p LEFT JOIN observed o USING (period) LEFT JOIN volume v USING (period)
ORDER BY p.period
"""
_DIRECTED = "e.source = $a AND e.target = $b"
_UNDIRECTED = "((e.source = $a AND e.target = $b) OR (e.source = $b AND e.target = $a))"


def dyad_series(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    *,
    freq: Freq = "week",
    directed: bool = False,
    since: date | None = None,
    until: date | None = None,
    with_background: bool = False,
) -> list[dict[str, Any]]:
    """Per-period counts, Goldstein sums and means, quad classes and the dyad's share of all
    events in the period (news-volume normalised), for every period from the dyad's first
    event to its last. A period without events has zero counts and no mean (NULL); its share
    is 0 where other dyads made news that period and NULL where no event was coded at all.
    Background events are left out unless ``with_background``."""
    pair = _DIRECTED if directed else _UNDIRECTED
    sql = _SERIES.format(counted=_DATED if with_background else _COUNTED, pair=pair)
    params = {"freq": freq, "a": a, "b": b, "since": since, "until": until}
    cursor = con.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_BACKGROUND = """
SELECT count(*) FROM events e
WHERE {dated} AND e.background AND e.source <> '' AND e.target <> '' AND e.source <> e.target
  AND ($a IS NULL OR {pair})
  AND ($since IS NULL OR e.date >= $since) AND ($until IS NULL OR e.date <= $until)
"""


def count_background(
    con: duckdb.DuckDBPyConnection,
    a: str | None = None,
    b: str | None = None,
    *,
    directed: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> int:
    """How many background events between two named actors (``a`` and ``b`` when given) the
    series and alerts leave out."""
    pair = _DIRECTED if directed else _UNDIRECTED
    sql = _BACKGROUND.format(dated=_DATED, pair=pair)
    row = con.execute(sql, {"a": a, "b": b, "since": since, "until": until}).fetchone()
    return int(row[0]) if row else 0


_UNDATED_COUNT = """
SELECT count(*) FROM events e
WHERE {undated} AND e.source <> '' AND e.target <> '' AND e.source <> e.target
  AND ($a IS NULL OR {pair})
"""


def count_undated(
    con: duckdb.DuckDBPyConnection,
    a: str | None = None,
    b: str | None = None,
    *,
    directed: bool = False,
) -> int:
    """How many undated events between two named actors (``a`` and ``b`` when given) the
    series and alerts leave out."""
    pair = _DIRECTED if directed else _UNDIRECTED
    row = con.execute(_UNDATED_COUNT.format(undated=_UNDATED, pair=pair), {"a": a, "b": b})
    found = row.fetchone()
    return int(found[0]) if found else 0


_DYADS = """
WITH pairs AS (
    SELECT least(source, target) AS a, greatest(source, target) AS b, date, story_id, goldstein
    FROM events
    WHERE {counted} AND source <> '' AND target <> '' AND source <> target
),
latest AS (SELECT max(date) AS day FROM pairs)
SELECT a, b, count(*) AS events, count(DISTINCT story_id) AS stories,
       round(avg(goldstein), 3) AS goldstein_mean,
       round(avg(goldstein) FILTER (WHERE date > (SELECT day FROM latest) - 30), 3) AS last_30_days,
       round(avg(goldstein) FILTER (WHERE date <= (SELECT day FROM latest) - 30), 3) AS before,
       min(date) AS first, max(date) AS last
FROM pairs
GROUP BY 1, 2
ORDER BY events DESC, a, b
LIMIT $limit
"""


def list_dyads(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[dict[str, Any]]:
    """Undirected dyads by number of events, with their mean Goldstein, its mean over the last
    30 days of the record against the time before, the direction that gives, and date range."""
    cursor = con.execute(_DYADS.format(counted=_COUNTED), {"limit": limit})
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        recent, before = row["last_30_days"], row["before"]
        if recent is None or before is None:
            row["direction"] = "new" if before is None else "quiet"
        else:
            change = recent - before
            row["direction"] = (
                "worsening" if change < -1 else "improving" if change > 1 else "steady"
            )
    return rows


_STORIES = """
SELECT least(source, target) AS a, greatest(source, target) AS b,
       date_trunc($freq, date)::DATE AS period, story_id,
       avg(goldstein) AS goldstein, list(event_id ORDER BY event_id) AS event_ids
FROM events
WHERE {counted} AND source <> '' AND target <> '' AND source <> target
GROUP BY ALL
ORDER BY a, b, period, story_id
"""


def story_scores(
    con: duckdb.DuckDBPyConnection, freq: Freq = "week"
) -> Iterator[tuple[str, str, date, str, float, list[str]]]:
    """Yield ``(a, b, period, story_id, mean Goldstein, event ids)`` per undirected dyad: one
    score per story cluster and period, however many outlets carried the story."""
    cursor = con.execute(_STORIES.format(counted=_COUNTED), {"freq": freq})
    while rows := cursor.fetchmany(10_000):
        for a, b, period, story, score, ids in rows:
            yield a, b, period, story, float(score), list(ids)


_ACTORS = """
WITH sides AS (
    SELECT source AS actor, goldstein, quad_class, story_id FROM events
    WHERE {counted} AND source <> '' AND target <> '' AND source <> target
    UNION ALL
    SELECT target AS actor, goldstein, quad_class, story_id FROM events
    WHERE {counted} AND source <> '' AND target <> '' AND source <> target
)
SELECT actor, count(*) AS events, count(DISTINCT story_id) AS stories,
       round(avg(goldstein), 3) AS goldstein_mean,
       round(count(*) FILTER (WHERE quad_class >= 3) / count(*), 4) AS conflict_share
FROM sides
GROUP BY actor
ORDER BY events DESC, actor
LIMIT $limit
"""


def list_actors(con: duckdb.DuckDBPyConnection, limit: int = 500) -> list[dict[str, Any]]:
    """Actors by number of events they take part in (either side), with their mean Goldstein
    and the share of those events that are conflict (quad classes 3 and 4)."""
    cursor = con.execute(_ACTORS.format(counted=_COUNTED), {"limit": limit})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


_VOLUME = """
WITH coded AS (
    SELECT date_trunc($freq, date)::DATE AS period, count(*) AS events,
           count(DISTINCT story_id) AS stories,
           count(*) FILTER (WHERE quad_class >= 3) AS conflict_events
    FROM events WHERE {counted} GROUP BY 1
),
published AS (
    SELECT date_trunc($freq, published)::DATE AS period, count(*) AS articles
    FROM articles WHERE published IS NOT NULL GROUP BY 1
)
SELECT period, coalesce(p.articles, 0) AS articles, coalesce(c.events, 0) AS events,
       coalesce(c.stories, 0) AS stories, coalesce(c.conflict_events, 0) AS conflict_events
FROM coded c FULL JOIN published p USING (period)
ORDER BY period
"""


def news_volume(con: duckdb.DuckDBPyConnection, freq: Freq = "week") -> list[dict[str, Any]]:
    """Per period: articles published, events coded, stories with events, conflict events."""
    cursor = con.execute(_VOLUME.format(counted=_COUNTED), {"freq": freq})
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
