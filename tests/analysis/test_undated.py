"""Undated events (their article prints no date and their sentence gives none): listed, left out
of series, alerts, dyads and GDELT exports, and counted wherever they are left out."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from _cli import dyadwatch

import dyadwatch as library
from dyadwatch.analysis.alerts import find_alerts, undated_left_out
from dyadwatch.analysis.series import dyad_series
from dyadwatch.errors import InputError
from dyadwatch.interop import write_events
from dyadwatch.interop.gdelt import UNDATED as UNDATED_REASON
from dyadwatch.records import Event
from dyadwatch.store import EventQuery, Store

from .conftest import START, make_event, weekly_stories


def undated(source: str, target: str, article: str, code: str = "036") -> Event:
    """An act whose article prints no date and whose sentence gives none."""
    return replace(make_event(START, source, target, code, 4.0, article), date=None)


def recalled(day: date, article: str) -> Event:
    """RUS and CHN opening relations on ``day``, recalled by ``article`` as background."""
    event = make_event(day, "RUS", "CHN", "054", 5.0, article)
    return replace(event, date_precision="year", background=True)


def mixed() -> list[Event]:
    """Dated news, background, and undated acts: three RUS→CHN, two CHN→RUS, one USA→IRN, and
    three no series could hold (an unnamed side, a state acting on itself, a negated act)."""
    return [
        make_event(START, "RUS", "CHN", "042", 1.9, "news-1"),
        make_event(START + timedelta(days=8), "CHN", "RUS", "111", -2.0, "news-2"),
        recalled(date(1949, 10, 2), "recall-1"),
        *(undated("RUS", "CHN", f"nodate-rc-{n}") for n in range(3)),
        *(undated("CHN", "RUS", f"nodate-cr-{n}") for n in range(2)),
        undated("USA", "IRN", "nodate-ui", code="111"),
        undated("RUS", "", "nodate-unnamed"),
        undated("RUS", "RUS", "nodate-self"),
        replace(undated("RUS", "CHN", "nodate-negated"), modality="negated"),
    ]


def test_store_counts_undated_events_of_named_dyads(filled_store: Callable[..., Store]) -> None:
    store = filled_store(mixed())
    assert store.undated_count() == 6
    assert store.undated_count(("RUS", "CHN")) == store.undated_count(("CHN", "RUS")) == 5
    assert store.undated_count(("RUS", "CHN"), directed=True) == 3
    assert store.undated_count(("CHN", "RUS"), directed=True) == 2
    assert store.undated_count(("USA", "IRN")) == 1
    assert store.undated_count(("BRA", "IDN")) == 0
    assert store.background_count() == 1  # background and undated are apart


def test_series_leaves_undated_out_and_counts_the_dyads(
    filled_store: Callable[..., Store],
) -> None:
    store = filled_store(mixed())
    series = dyad_series(store, "rus", "chn", freq="week")
    assert [p.period for p in series.points] == [START, START + timedelta(weeks=1)]
    assert sum(p.events for p in series.points) == 2
    assert sum(p.volume for p in series.points) == 2  # nor are they in the news volume
    assert (series.undated_left_out, series.background_left_out) == (5, 1)
    directed = dyad_series(store, "RUS", "CHN", directed=True)
    assert directed.undated_left_out == 3
    # Cut to a period, the series still counts them: they could have happened in any.
    later = dyad_series(store, "RUS", "CHN", since=START + timedelta(days=1))
    assert [p.events for p in later.points] == [1]
    assert (later.undated_left_out, later.background_left_out) == (5, 0)
    assert dyad_series(store, "BRA", "IDN").undated_left_out == 0


def test_alerts_do_not_read_undated_events_and_count_them(tmp_path: Path) -> None:
    news = [
        *weekly_stories(range(0, 20), 3, 3.0, seed=1),
        *weekly_stories(range(20, 26), 3, -4.0, seed=2),
    ]
    nodate = [undated("CHN", "RUS", f"nodate-{n}", code="190") for n in range(40)]
    with Store(tmp_path / "dated.duckdb") as dated, Store(tmp_path / "both.duckdb") as both:
        dated.write_batch(events=news)
        both.write_batch(events=[*news, *nodate])
        expected = find_alerts(dated)
        assert expected, "the planted shift gives an alert"
        assert find_alerts(both) == expected
        assert (undated_left_out(dated), undated_left_out(both)) == (0, 40)


def test_the_events_filter_lists_undated_events_only(filled_store: Callable[..., Store]) -> None:
    store = filled_store(mixed())
    listed = store.events(EventQuery(undated=True))
    assert len(listed) == store.count_events(EventQuery(undated=True)) == 8  # negated aside
    assert {e["date"] for e in listed} == {None} and not any(e["background"] for e in listed)
    assert len(store.events(EventQuery(undated=True, dyad=("RUS", "CHN")))) == 3
    assert len(store.events()) == 11
    with pytest.raises(InputError, match="undated events have no date"):
        EventQuery(undated=True, since=START)


def test_python_api_lists_undated_events_and_says_what_a_series_left_out(
    filled_store: Callable[..., Store], tmp_path: Path
) -> None:
    filled_store(mixed()).close()
    with library.open(tmp_path / "analysis.duckdb") as data:
        frame = data.events(undated=True)
        assert len(frame) == 8 and frame["date"].isna().all()
        assert len(data.events("CHN-RUS", undated=True)) == 2
        series = data.series("RUS", "CHN")
        assert series["events"].sum() == 2
        assert series.attrs == {"background_left_out": 1, "undated_left_out": 5}
        with pytest.raises(InputError):
            data.events(undated=True, until=START)


def test_gdelt_export_leaves_undated_events_out_and_says_why(
    filled_store: Callable[..., Store], tmp_path: Path
) -> None:
    store = filled_store(mixed())
    gdelt = write_events(store, tmp_path / "out", "gdelt")
    rows = gdelt.path.read_text(encoding="utf-8").splitlines()
    assert len(rows) == gdelt.written == 3  # two news and one background, each with a date
    assert dict(gdelt.left_out) == {UNDATED_REASON: 8}
    assert all(len(row.split("\t")) == 61 and row.split("\t")[1].isdigit() for row in rows)
    plover = write_events(store, tmp_path / "out", "plover")
    assert (plover.written, dict(plover.left_out)) == (11, {})


@pytest.fixture
def cli_db(tmp_path: Path) -> Path:
    db = tmp_path / "cli.duckdb"
    with Store(db) as store:
        store.write_batch(events=mixed())
    return db


def test_cli_says_what_series_alerts_and_dyads_left_out(cli_db: Path) -> None:
    hint = "(their article prints no date and none could be inferred) left out; "
    hint += "`dyadwatch events --undated` lists them"
    series = dyadwatch("series", "RUS", "CHN", "--db", cli_db, "--format", "csv")
    assert series.returncode == 0, series.stderr
    assert len(series.stdout.splitlines()) == 3  # header and two weeks of news
    assert f"5 undated event(s) {hint}" in series.stderr
    assert "1 background event(s) (acts of years past) left out" in series.stderr
    directed = dyadwatch("series", "CHN", "RUS", "--directed", "--db", cli_db)
    assert f"2 undated event(s) {hint}" in directed.stderr
    alerts = dyadwatch("alerts", "--db", cli_db)
    assert alerts.returncode == 0, alerts.stderr
    assert f"6 undated event(s) {hint}" in alerts.stderr
    dyads = dyadwatch("dyads", "--db", cli_db, "--format", "jsonl")
    assert dyads.returncode == 0, dyads.stderr
    assert f"6 undated event(s) {hint}" in dyads.stderr
    assert sum(json.loads(line)["events"] for line in dyads.stdout.splitlines()) == 2


def test_cli_lists_undated_events(cli_db: Path) -> None:
    listed = dyadwatch("events", "--undated", "--db", cli_db, "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 8 and {row["date"] for row in rows} == {None}
    one_way = dyadwatch(
        "events", "--undated", "--dyad", "CHN-RUS", "--db", cli_db, "--format", "table"
    )
    assert one_way.stdout.count("(undated)") == 2
    refused = dyadwatch("events", "--undated", "--since", "2024-01-01", "--db", cli_db)
    assert refused.returncode == 2
    assert "undated events have no date" in refused.stderr
    none = dyadwatch("events", "--undated", "--dyad", "USA-CHN", "--db", cli_db)
    assert none.returncode == 0 and "no events for --dyad USA-CHN --undated" in none.stderr


def test_cli_gdelt_export_counts_what_it_left_out(cli_db: Path, tmp_path: Path) -> None:
    done = dyadwatch("export", "--to", tmp_path / "out", "--format", "gdelt", "--db", cli_db)
    assert done.returncode == 0, done.stderr
    (path,) = done.stdout.split()
    assert len(Path(path).read_text(encoding="utf-8").splitlines()) == 3
    assert f"3 events written; 8 left out: {UNDATED_REASON}" in done.stderr
    jsonl = dyadwatch("export", "--to", tmp_path / "out", "--format", "jsonl", "--db", cli_db)
    assert jsonl.returncode == 0 and "11 events written\n" in jsonl.stderr


def test_run_summary_counts_undated_events(tmp_path: Path) -> None:
    """A page without a date gives undated events; the run's summary says how many."""
    pages = tmp_path / "pages.jsonl"
    pages.write_text(
        json.dumps({
            "title": "Moscow and Beijing sign a trade pact",
            "text": "Russia signed a trade agreement with China in Beijing. "
            + "Officials said further rounds of talks on tariffs would follow. " * 6,
        })
        + "\n"
        + json.dumps({
            "title": "Tokyo protests over the fishing dispute",
            "published": "2024-03-02",
            "text": "Japan condemned Russia on Friday over the fishing dispute. "
            + "The coast guard said patrols near the islands would go on all winter. " * 6,
        })
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    db = tmp_path / "run.duckdb"
    done = dyadwatch("run", pages, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    with Store(db, read_only=True) as store:
        undated_listed = store.events(EventQuery(undated=True))
        assert summary["undated_events"] == store.undated_count()
    assert summary["undated_events"] >= 1, "the undated page's RUS-CHN pact is undated"
    assert {(e["source"], e["target"]) for e in undated_listed} >= {("RUS", "CHN")}
    table = dyadwatch("run", pages, "--db", db)
    assert table.returncode == 0, table.stderr
    row = next(line for line in table.stdout.splitlines() if "undated events" in line)
    assert row.split("│")[-2].strip() == str(summary["undated_events"])
