"""``dyadwatch.open``: the stored data as pandas DataFrames."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

import dyadwatch
from dyadwatch.store import Store

from .conftest import START, weekly_stories


def test_open_gives_events_series_dyads_and_alerts_as_dataframes(tmp_path: Path) -> None:
    db = tmp_path / "api.duckdb"
    with Store(db) as store:
        store.write_batch(
            events=[
                *weekly_stories(range(0, 30), 4, 3.0, seed=1),
                *weekly_stories(range(30, 36), 4, -4.0, seed=2),
            ]
        )
    with dyadwatch.open(db, writable=True) as data:
        assert data.detect() >= 1
        assert data.detect() == 0
    with dyadwatch.open(db) as data:
        events = data.events("CHN-RUS")
        assert len(events) == 72 and {"id", "date", "code", "goldstein"} <= set(events.columns)
        series = data.series("RUS", "CHN", freq="week")
        assert series.index[0] == pd.Timestamp(START) and series["events"].sum() == 144
        assert data.dyads().iloc[0][["a", "b"]].tolist() == ["CHN", "RUS"]
        alerts = data.alerts("RUS-CHN")
        assert "escalation" in set(alerts["kind"]) and alerts["events"].map(len).min() > 0
        assert data.articles().empty  # events written without articles
        actors = data.actors().set_index("actor")
        assert actors.loc["RUS", "events"] == 144 and 0 < actors.loc["RUS", "conflict_share"] < 1
        volume = data.volume("month")
        assert volume["events"].sum() == 144 and volume["articles"].sum() == 0


def test_an_open_notebook_dataset_lets_a_run_write(tmp_path: Path) -> None:
    db = tmp_path / "notebook.duckdb"
    with Store(db) as store:
        store.write_batch(events=weekly_stories(range(0, 3), 2, 1.0, seed=3))
    with dyadwatch.open(db) as data:
        before = len(data.events())
        started = time.monotonic()
        with Store(db, wait_s=10) as writer:  # waited 10 s, then failed, while a notebook held it
            writer.write_batch(events=weekly_stories(range(3, 6), 2, -2.0, seed=4))
        assert time.monotonic() - started < 5
        assert len(data.events()) > before  # the notebook reads on, and sees the new rows
