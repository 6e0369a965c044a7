"""``dyadwatch dyads``, ``series`` and ``alerts`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from _cli import dyadwatch

from dyadwatch.store import Store

from .conftest import weekly_stories


def test_dyads_series_and_alerts_commands(tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    with Store(db) as store:
        store.write_batch(
            events=[
                *weekly_stories(range(0, 30), 4, 3.0, seed=1),
                *weekly_stories(range(30, 36), 4, -4.0, seed=2),
            ]
        )
    listed = dyadwatch("dyads", "--db", db, "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    (dyad,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (dyad["a"], dyad["b"], dyad["events"]) == ("CHN", "RUS", 144)

    series = dyadwatch("series", "RUS", "CHN", "--db", db, "--format", "csv", "--freq", "month")
    assert series.returncode == 0, series.stderr
    header, *rows = series.stdout.splitlines()
    assert header.startswith("period,events,stories,mentions,goldstein_sum,goldstein_mean")
    assert len(rows) == 9

    first = dyadwatch("alerts", "--db", db, "--format", "jsonl")
    assert first.returncode == 0, first.stderr
    alerts = [json.loads(line) for line in first.stdout.splitlines()]
    (escalation,) = [a for a in alerts if a["kind"] == "escalation"]
    assert escalation["events"] and escalation["events"][0]["evidence"]
    assert "1 new alert(s) stored" in first.stderr
    again = dyadwatch("alerts", "--db", db, "--format", "jsonl")
    assert "0 new alert(s) stored" in again.stderr
    assert again.stdout == first.stdout

    chart = tmp_path / "rus-chn.html"
    plotted = dyadwatch("series", "RUS", "CHN", "--db", db, "--plot", chart)
    assert plotted.returncode == 0, plotted.stderr
    html = chart.read_text(encoding="utf-8")
    assert "plotly" in html and "escalation" in html
    assert '<script src="http' not in html  # the library is inlined: works offline
    png = dyadwatch("series", "RUS", "CHN", "--db", db, "--plot", tmp_path / "chart.png")
    assert png.returncode == 1 and ".html" in png.stderr

    bad = dyadwatch("series", "RUS", "CHN", "--db", db, "--freq", "fortnight")
    assert bad.returncode == 2 and "--freq" in bad.stderr and "Traceback" not in bad.stderr
