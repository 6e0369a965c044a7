"""Background events (acts of years past an article recalls): listed, but left out of series
and alerts, and counted; older stores upgrade with every event dated to the day, none past."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
from _cli import dyadwatch

from dyadwatch.analysis.alerts import background_left_out, find_alerts
from dyadwatch.analysis.series import dyad_series
from dyadwatch.records import Event
from dyadwatch.store import Store
from dyadwatch.store import schema as store_schema
from dyadwatch.store._arrow import coded_mentions_table, events_from_table

from .conftest import START, make_event, weekly_stories


def recalled(day: date, article: str, precision: str = "year") -> Event:
    """RUS and CHN opening relations on ``day``, recalled by ``article`` as background."""
    event = make_event(day, "RUS", "CHN", "054", 5.0, article)
    return replace(event, date_precision=precision, background=True)  # type: ignore[arg-type]


def test_series_leaves_background_out_and_counts_it(
    filled_store: Callable[..., Store],
) -> None:
    news = list(weekly_stories(range(0, 4), 2, 2.0, seed=1))
    past = recalled(date(1949, 1, 1), "recall-1")
    store = filled_store([*news, past])
    series = dyad_series(store, "RUS", "CHN", freq="month")
    assert [p.period for p in series.points] == [START]  # no 1949 period
    assert series.points[0].events == 8
    assert series.background_left_out == 1
    whole = dyad_series(store, "RUS", "CHN", freq="month", with_background=True)
    observed = [p.period for p in whole.points if p.events]
    assert observed == [date(1949, 1, 1), START]
    assert len(whole.points) == (START.year - 1949) * 12 + 1  # every month between, empty ones
    assert whole.background_left_out == 0
    # The listing keeps it, with its precision and mark.
    listed = {e["date"]: e for e in store.events()}
    assert listed[date(1949, 1, 1)]["background"] is True
    assert listed[date(1949, 1, 1)]["date_precision"] == "year"
    assert {e["background"] for d, e in listed.items() if d != date(1949, 1, 1)} == {False}


def test_alerts_do_not_read_background_events(filled_store: Callable[..., Store]) -> None:
    news = [
        *weekly_stories(range(0, 10), 3, 2.0, seed=5),
        *weekly_stories(range(0, 10), 3, 1.0, seed=6, pair=("BRA", "IDN")),
    ]
    # A 2024 article recalling a 2001 act would make 2001 the record's start, and every pair
    # of 2024 a "first contact" in it.
    past = recalled(date(2001, 1, 1), "recall-2")
    store = filled_store([*news, past])
    alerts = find_alerts(store)
    assert not [a for a in alerts if a.kind == "first contact"]
    assert all(a.period >= START for a in alerts)
    assert background_left_out(store) == 1


def test_the_same_act_as_news_and_as_background_are_two_events(
    filled_store: Callable[..., Store],
) -> None:
    news = make_event(START, "RUS", "CHN", "054", 5.0, "story-a")
    past = recalled(date(1949, 1, 1), "story-a")
    store = filled_store([news, replace(past, event_id="other-mention")])
    assert sorted(e["background"] for e in store.events()) == [False, True]


def test_workers_hand_back_precision_and_background() -> None:
    past = recalled(date(2016, 6, 1), "recall-3", precision="month")
    (rebuilt,) = events_from_table(coded_mentions_table([past]))
    assert rebuilt == past


def test_v6_store_upgrades_with_events_dated_to_the_day(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        store.write_batch(events=[make_event(START, "RUS", "CHN", "042", 1.9, "a1")])
    with duckdb.connect(str(db)) as con:  # back to the v6 layout, as an older dyadwatch wrote
        con.execute("ALTER TABLE events DROP COLUMN date_precision")
        con.execute("ALTER TABLE events DROP COLUMN background")
        con.execute("ALTER TABLE articles DROP COLUMN published_from")
        con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    with Store(db) as store:
        assert store.version == store_schema.latest_version() == 8
        (event,) = store.events()
        assert (event["date"], event["date_precision"], event["background"]) == (
            START,
            "day",
            False,
        )
        assert dyad_series(store, "RUS", "CHN").points[0].events == 1


def test_cli_shows_precision_and_background_and_counts_what_it_left_out(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    with Store(db) as store:
        store.write_batch(
            events=[
                make_event(START + timedelta(days=2), "RUS", "CHN", "042", 1.9, "news"),
                recalled(date(1990, 1, 1), "recall-4", precision="decade"),
            ]
        )
    listed = dyadwatch("events", "--db", db, "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["date"], r["date_precision"], r["background"]) for r in rows] == [
        ("1990-01-01", "decade", True),
        ("2024-01-03", "day", False),
    ]
    table = dyadwatch("events", "--db", db, "--format", "table")
    assert "1990s (past)" in table.stdout and "2024-01-03" in table.stdout
    series = dyadwatch("series", "RUS", "CHN", "--db", db, "--format", "csv")
    assert series.returncode == 0, series.stderr
    assert len(series.stdout.splitlines()) == 2  # header and the one week of news
    assert "1 background event(s) (acts of years past) left out" in series.stderr
    alerts = dyadwatch("alerts", "--db", db)
    assert "1 background event(s) left out" in alerts.stderr
