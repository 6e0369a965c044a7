"""Dyad series and alerts read from a real DuckDB file of hand-made events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.analysis.series import dyad_series
from dyadwatch.errors import InputError
from dyadwatch.store import Store

from .conftest import START, make_event, weekly_stories


def test_series_counts_share_and_direction(filled_store: Callable[..., Store]) -> None:
    events = [
        make_event(START, "CHN", "RUS", "042", 1.9, "a1", "CONSULT"),
        make_event(START + timedelta(days=1), "RUS", "CHN", "111", -2.0, "a2", "ACCUSE"),
        make_event(START + timedelta(days=2), "USA", "IRN", "163", -8.0, "a3"),
        make_event(START + timedelta(days=8), "CHN", "RUS", "057", 8.0, "a4"),
    ]
    store = filled_store(events)
    both = dyad_series(store, "chn", "rus")
    assert [p.events for p in both.points] == [2, 1]
    first = both.points[0]
    assert first.period == START and first.volume == 3
    assert first.share == pytest.approx(2 / 3, abs=1e-3)
    assert first.goldstein_sum == pytest.approx(-0.1)
    assert (first.verbal_cooperation, first.verbal_conflict) == (1, 1)
    assert first.roots == {"04": 1, "11": 1}
    assert first.plover_types == {"ACCUSE": 1, "CONSULT": 1}
    assert first.plover_score == pytest.approx((2.77 - 2.0) / 2, abs=0.01)
    assert first.goldstein_share == pytest.approx(-0.1 / 3, abs=1e-3)
    directed = dyad_series(store, "CHN", "RUS", directed=True)
    assert [p.events for p in directed.points] == [1, 1]
    monthly = dyad_series(store, "CHN", "RUS", freq="month")
    assert [p.events for p in monthly.points] == [3]
    with pytest.raises(InputError, match="--freq"):
        dyad_series(store, "CHN", "RUS", freq="fortnight")


def test_escalation_alert_cites_the_conflict_events(filled_store: Callable[..., Store]) -> None:
    events = [
        *weekly_stories(range(0, 30), 4, 3.0, seed=1),
        *weekly_stories(range(30, 40), 4, -4.0, seed=2),
        *weekly_stories(range(0, 40), 3, 2.0, seed=3, pair=("USA", "GBR")),
    ]
    store = filled_store(events)
    alerts = find_alerts(store)
    (alert,) = [a for a in alerts if a.kind == "escalation"]
    assert alert.dyad == ("CHN", "RUS")
    assert START + timedelta(weeks=29) <= alert.start <= alert.period
    assert alert.period <= START + timedelta(weeks=32)
    assert alert.magnitude < -4 and alert.confidence > 0.99
    assert "CHN–RUS" in alert.message and "worsened" in alert.message
    cited = {e["id"]: e for e in store.events() if e["id"] in alert.event_ids}
    assert cited and all(e["goldstein"] < 0 for e in cited.values())
    assert not [a for a in alerts if a.dyad == ("GBR", "USA") and a.kind != "first contact"]
    assert all(a.event_ids for a in alerts)  # every alert cites its events
    (dyad,) = [d for d in store.dyads() if (d["a"], d["b"]) == ("CHN", "RUS")]
    assert dyad["direction"] == "worsening" and dyad["last_30_days"] < dyad["before"]

    assert store.save_alerts(alerts) == len(alerts)
    assert store.save_alerts(find_alerts(store)) == 0  # re-running adds nothing
    (stored,) = [a for a in store.alerts(dyad=("RUS", "CHN")) if a["kind"] == "escalation"]
    assert stored["events"][0]["evidence"].endswith(").")
    assert all(e["goldstein"] < 0 for e in stored["events"])


def test_burst_of_reposts_of_one_story_raises_no_alert(
    filled_store: Callable[..., Store],
) -> None:
    events = list(weekly_stories(range(0, 30), 3, 3.0, seed=4))
    burst = [
        make_event(START + timedelta(weeks=25), "RUS", "CHN", "190", -10.0, f"copy-{n}")
        for n in range(60)
    ]
    store = filled_store(events + burst, {f"copy-{n}": "copy-0" for n in range(60)})
    stories = dyad_series(store, "CHN", "RUS").points
    week = next(p for p in stories if p.period == START + timedelta(weeks=25))
    assert week.stories == 4 and week.mentions == 3 + 60
    assert [a for a in find_alerts(store) if a.kind != "first contact"] == []


def test_first_contact_between_a_new_pair(filled_store: Callable[..., Store]) -> None:
    events = [
        *weekly_stories(range(0, 10), 3, 2.0, seed=5),
        *weekly_stories(range(6, 8), 4, 1.0, seed=6, pair=("BRA", "IDN")),
    ]
    alerts = find_alerts(filled_store(events))
    (contact,) = [a for a in alerts if a.kind == "first contact"]
    assert contact.dyad == ("BRA", "IDN") and contact.period == START + timedelta(weeks=6)
    assert contact.event_ids


def test_volume_surge_is_measured_against_all_news(filled_store: Callable[..., Store]) -> None:
    events = [
        *weekly_stories(range(0, 20), 3, 2.0, seed=7),
        *weekly_stories(range(20, 21), 20, 2.0, seed=8),
        *weekly_stories(range(0, 21), 10, 1.0, seed=9, pair=("USA", "GBR")),
        # Everyone's volume doubles from week 12: growth of sources, not a surge.
        *weekly_stories(range(12, 21), 10, 1.0, seed=10, pair=("DEU", "FRA")),
    ]
    alerts = find_alerts(filled_store(events))
    (surge,) = [a for a in alerts if a.kind == "volume surge"]
    assert surge.dyad == ("CHN", "RUS") and surge.period == START + timedelta(weeks=20)
    assert surge.magnitude > 2.5 and surge.stories == 20 and len(surge.event_ids) == 20
