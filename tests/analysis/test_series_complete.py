"""A dyad's series has every period from its first event to its last: an empty period has zero
counts and no means (a mean of nothing is not zero), the Python API gives days as datetime64
and frames with their columns even when empty, and the charts break their lines at the gaps,
with zero at one height on the dashboard's two y-axes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

import dyadwatch
from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.analysis.plot import plot_series, series_figure
from dyadwatch.analysis.series import dyad_series
from dyadwatch.store import Store

from .conftest import make_event, weekly_stories

APRIL, JULY = date(2017, 4, 5), date(2017, 7, 12)
OTHER_NEWS = date(2017, 5, 10)  # USA–IRN: May has news, only not about RUS and CHN
MONTHS = [date(2017, month, 1) for month in (4, 5, 6, 7)]
CHROMIUM = "/usr/bin/chromium"


def april_and_july(filled_store: Callable[..., Store]) -> Store:
    """RUS–CHN: two stories in April 2017 (mean +5), one in July (-2); USA–IRN in May."""
    return filled_store(
        [
            make_event(APRIL, "RUS", "CHN", "042", 6.0, "april-1", "CONSULT"),
            make_event(APRIL + timedelta(days=1), "CHN", "RUS", "042", 4.0, "april-2"),
            make_event(JULY, "RUS", "CHN", "111", -2.0, "july-1", "ACCUSE"),
            make_event(OTHER_NEWS, "USA", "IRN", "111", -2.0, "may-1"),
        ]
    )


def test_empty_months_are_rows_with_zero_counts_and_no_means(
    filled_store: Callable[..., Store],
) -> None:
    series = dyad_series(april_and_july(filled_store), "RUS", "CHN", freq="month")
    assert [p.period for p in series.points] == MONTHS
    april, may, june, july = series.points
    assert (april.events, april.goldstein_mean, july.events, july.goldstein_mean) == (
        2,
        5.0,
        1,
        -2.0,
    )
    for empty in (may, june):
        assert (empty.events, empty.stories, empty.mentions) == (0, 0, 0)
        quads = ("verbal_cooperation", "material_cooperation", "verbal_conflict")
        assert [getattr(empty, q) for q in (*quads, "material_conflict")] == [0, 0, 0, 0]
        assert empty.goldstein_sum == 0.0 and (empty.roots, empty.plover_types) == ({}, {})
        assert empty.goldstein_mean is None and empty.plover_score is None
    # May had other news: the pair's part of it was nothing. June had none: no share at all.
    assert (may.volume, may.share, may.goldstein_share) == (1, 0.0, 0.0)
    assert (june.volume, june.share, june.goldstein_share) == (0, None, None)


@pytest.mark.parametrize(("freq", "step"), [("week", timedelta(weeks=1)), ("day", timedelta(1))])
def test_weekly_and_daily_series_step_one_period_at_a_time(
    filled_store: Callable[..., Store], freq: str, step: timedelta
) -> None:
    series = dyad_series(april_and_july(filled_store), "RUS", "CHN", freq=freq)
    periods = [p.period for p in series.points]
    assert all(later - earlier == step for earlier, later in pairwise(periods))
    first = APRIL - timedelta(days=APRIL.weekday()) if freq == "week" else APRIL
    last = JULY - timedelta(days=JULY.weekday()) if freq == "week" else JULY
    assert (periods[0], periods[-1]) == (first, last)
    assert sum(p.events for p in series.points) == 3
    empty = [p for p in series.points if not p.events]
    assert empty and all(p.goldstein_mean is None for p in empty)
    assert len(empty) == len(periods) - len({p.period for p in series.points if p.events})


def test_the_range_is_that_of_the_events_within_since_and_until(
    filled_store: Callable[..., Store],
) -> None:
    store = april_and_july(filled_store)
    later = dyad_series(store, "RUS", "CHN", freq="month", since=date(2017, 5, 1))
    assert [(p.period, p.events) for p in later.points] == [(MONTHS[-1], 1)]
    assert dyad_series(store, "RUS", "USA", freq="month").points == ()


def test_frames_give_days_as_datetime64_and_missing_means_as_nan(
    filled_store: Callable[..., Store], tmp_path: Path
) -> None:
    april_and_july(filled_store).close()
    with dyadwatch.open(tmp_path / "analysis.duckdb") as data:
        series = data.series("RUS", "CHN", freq="month")
        assert pd.api.types.is_datetime64_dtype(series.index)
        assert list(series.index) == [pd.Timestamp(month) for month in MONTHS]
        assert series["goldstein_mean"].isna().tolist() == [False, True, True, False]
        assert series["events"].tolist() == [2, 0, 0, 1]
        assert pd.api.types.is_datetime64_dtype(data.events()["date"])
        assert pd.api.types.is_datetime64_dtype(data.volume("month").index)
        dyads = data.dyads()
        assert all(pd.api.types.is_datetime64_dtype(dyads[c]) for c in ("first", "last"))
        assert dyads.set_index("a").loc["CHN", "first"] == pd.Timestamp(APRIL)


def _full_store(path: Path) -> None:
    """A store where every frame has rows: a shift that raises alerts, and one article."""
    from store.test_store import _article, _doc

    published = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
    with Store(path) as store:
        store.write_batch(
            documents=[_doc("one")],
            articles=[_article("one", published=published)],
            events=[
                *weekly_stories(range(0, 30), 4, 3.0, seed=1),
                *weekly_stories(range(30, 36), 4, -4.0, seed=2),
            ],
        )
        assert store.save_alerts(find_alerts(store)) > 0


FRAMES: dict[str, Callable[[dyadwatch.Dataset], pd.DataFrame]] = {
    "events": lambda data: data.events(),
    "articles": lambda data: data.articles(),
    "dyads": lambda data: data.dyads(),
    "actors": lambda data: data.actors(),
    "volume": lambda data: data.volume(),
    "series": lambda data: data.series("RUS", "CHN"),
    "alerts": lambda data: data.alerts(),
}


def test_empty_frames_have_the_columns_and_dtypes_of_full_ones(tmp_path: Path) -> None:
    _full_store(tmp_path / "full.duckdb")
    Store(tmp_path / "empty.duckdb").close()
    with (
        dyadwatch.open(tmp_path / "full.duckdb") as full,
        dyadwatch.open(tmp_path / "empty.duckdb") as empty,
    ):
        for name, read in FRAMES.items():
            filled, bare = read(full), read(empty)
            assert not filled.empty and bare.empty, name
            assert list(bare.columns) == list(filled.columns), name
            assert bare.index.name == filled.index.name, name
            times = [c for c in filled.columns if pd.api.types.is_datetime64_any_dtype(filled[c])]
            assert [c for c in bare.columns if pd.api.types.is_datetime64_any_dtype(bare[c])] == (
                times
            ), name
        alerts = full.alerts()
        assert all(pd.api.types.is_datetime64_dtype(alerts[c]) for c in ("period", "start"))
        published = full.articles()["published"]
        assert published.tolist() == [pd.Timestamp("2024-03-04 10:00", tz="UTC")]


def test_the_chart_breaks_its_lines_at_empty_periods(
    filled_store: Callable[..., Store], tmp_path: Path
) -> None:
    series = dyad_series(april_and_july(filled_store), "RUS", "CHN", freq="month")
    figure = json.loads(series_figure(series, []).to_json())
    lines = {trace["name"]: trace for trace in figure["data"] if trace["type"] == "scatter"}
    goldstein, share = lines["Goldstein"], lines["share of news"]
    assert goldstein["y"] == [5.0, None, None, -2.0] and goldstein["connectgaps"] is False
    assert share["y"] == [1.0, 0.0, None, 1.0] and share["connectgaps"] is False
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert [sum(column) for column in zip(*(bar["y"] for bar in bars), strict=True)] == [2, 0, 0, 1]
    written = plot_series(series, [], tmp_path / "chart.html").read_text(encoding="utf-8")
    assert written.count('"connectgaps":false') == 2


@pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason=f"{CHROMIUM} is not installed")
def test_dashboard_chart_breaks_at_gaps_and_aligns_zero(
    filled_store: Callable[..., Store], tmp_path: Path
) -> None:
    from api.conftest import serving
    from api.test_dashboard import FLAGS, Visit
    from playwright.sync_api import sync_playwright

    april_and_july(filled_store).close()
    with (
        serving(tmp_path / "analysis.duckdb") as url,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        visit = Visit(browser, url)
        page = visit.open("dyad/RUS/CHN", "dyad")
        page.wait_for_selector("#chart .main-svg", timeout=20_000)
        drawn = page.evaluate(
            """() => { const chart = document.getElementById("chart");
                return { data: chart.data, y: chart._fullLayout.yaxis.range,
                         y2: chart._fullLayout.yaxis2.range }; }"""
        )
        visit.close()
        browser.close()
    (line,) = [trace for trace in drawn["data"] if trace.get("yaxis") == "y2"]
    means = line["y"]
    assert line["connectgaps"] is False and means[0] == 5.0 and means[-1] == -2.0
    assert len(means) > 10 and means.count(None) == len(means) - 2  # weeks, two with news
    bars = [trace for trace in drawn["data"] if trace.get("type") == "bar"]
    stacked = [sum(column) for column in zip(*(bar["y"] for bar in bars), strict=True)]
    (low, high), (low2, high2) = drawn["y"], drawn["y2"]
    assert low < 0 < high and max(stacked) <= high
    assert low2 <= -2.0 and high2 >= 5.0
    assert -low / (high - low) == pytest.approx(-low2 / (high2 - low2))  # zero at one height
