"""Writing and reading alerts with the evidence of the events they cite."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb

from dyadwatch.codes import with_names

if TYPE_CHECKING:
    from dyadwatch.analysis.alerts import Alert


def save_alerts(con: duckdb.DuckDBPyConnection, alerts: Sequence[Alert]) -> int:
    """Insert alerts not stored yet (by id) with their cited events; return how many were new."""
    known = {row[0] for row in con.execute("SELECT alert_id FROM alerts").fetchall()}
    new = [alert for alert in alerts if alert.alert_id not in known]
    if not new:
        return 0
    con.executemany(
        "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                alert.alert_id, alert.dyad[0], alert.dyad[1], alert.kind, alert.period,
                alert.start, alert.magnitude, alert.confidence, alert.stories, alert.message,
            ]
            for alert in new
        ],
    )  # fmt: skip
    cited = [
        [alert.alert_id, event_id, rank]
        for alert in new
        for rank, event_id in enumerate(alert.event_ids)
    ]
    if cited:
        con.executemany("INSERT INTO alert_events VALUES (?, ?, ?)", cited)
    return len(new)


_READ = """
SELECT al.alert_id, al.a, al.b, al.kind, al.period, al.start, al.magnitude, al.confidence,
       al.stories, al.message,
       list({'event_id': e.event_id, 'date': e.date, 'source': e.source, 'target': e.target,
             'code': e.code, 'goldstein': e.goldstein,
             'evidence': (SELECT first(m.text ORDER BY m.mention_id) FROM event_mentions m
                          WHERE m.event_id = e.event_id),
             'urls': (SELECT list(DISTINCT ar.url) FROM event_mentions m
                      JOIN articles ar ON ar.article_id = m.article_id
                      WHERE m.event_id = e.event_id AND ar.url IS NOT NULL)}
            ORDER BY ae.rank) AS events
FROM alerts al
JOIN alert_events ae USING (alert_id)
JOIN events e USING (event_id)
WHERE ($a IS NULL OR (al.a = $a AND al.b = $b) OR (al.a = $b AND al.b = $a))
  AND ($since IS NULL OR al.period >= $since)
GROUP BY ALL
ORDER BY al.period, al.a, al.b, al.kind
"""


def read_alerts(
    con: duckdb.DuckDBPyConnection, dyad: tuple[str, str] | None, since: date | None
) -> list[dict[str, Any]]:
    """Stored alerts, oldest first, each with its cited events, evidence sentences and URLs."""
    a, b = dyad if dyad else (None, None)
    cursor = con.execute(_READ, {"a": a, "b": b, "since": since})
    names = [column[0] for column in cursor.description]
    alerts = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for alert in alerts:
        alert["events"] = [with_names(event) for event in alert["events"]]
    return alerts
