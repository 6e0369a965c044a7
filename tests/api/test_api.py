"""The REST API against uvicorn on 127.0.0.1 in a thread, over a real DuckDB file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from analysis.conftest import START, make_event, weekly_stories

from api.conftest import serving
from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.api import MAX_PAGE
from dyadwatch.store import Store

INJECTIONS = [
    "'; DROP TABLE events; --",
    "RUS' OR '1'='1",
    '" OR 1=1 --',
    "%' UNION SELECT * FROM pages --",
    "\\'; SELECT 1; --",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("api") / "api.duckdb"
    with Store(db) as store:
        store.write_batch(
            events=[
                *weekly_stories(range(0, 30), 4, 3.0, seed=1),
                *weekly_stories(range(30, 36), 4, -4.0, seed=2),
                make_event(START, "USA", "IRN", "163", -8.0, "x1"),
            ]
        )
        store.save_alerts(find_alerts(store))
    with serving(db) as url:
        yield url


def get(server: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(server + path, params=params, timeout=10)  # type: ignore[arg-type]


def test_events_filter_page_and_count(server: str) -> None:
    page = get(server, "/api/events", dyad="CHN-RUS", limit=10, offset=5).json()
    assert page["total"] == 72 and len(page["items"]) == 10 and page["offset"] == 5
    assert {(e["source"], e["target"]) for e in page["items"]} == {("CHN", "RUS")}
    conflict = get(server, "/api/events", actor="rus", quad_class=3, limit=500).json()
    assert conflict["total"] > 0 and all(e["quad_class"] == 3 for e in conflict["items"])
    words = get(server, "/api/events", q="did 163", modality=["asserted"]).json()
    assert [e["code"] for e in words["items"]] == ["163"]
    one = words["items"][0]
    detail = get(server, f"/api/events/{one['id']}").json()
    assert detail["evidence"] and detail["source"] == "USA"


def test_series_dyads_alerts_and_stats(server: str) -> None:
    series = get(server, "/api/series/RUS/CHN", freq="month").json()
    assert series["dyad"] == ["RUS", "CHN"] and sum(p["events"] for p in series["points"]) == 144
    (dyad, *_) = get(server, "/api/dyads").json()["items"]
    assert (dyad["a"], dyad["b"]) == ("CHN", "RUS")
    alerts = get(server, "/api/alerts", dyad="RUS-CHN").json()["items"]
    assert any(a["kind"] == "escalation" and a["events"] for a in alerts)
    assert get(server, "/api/stats").json()["tables"]["events"] == 145
    assert get(server, "/openapi.json").json()["info"]["title"] == "dyadwatch"


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/events", {"limit": MAX_PAGE + 1}, 422),
        ("/api/events", {"dyad": "RUSSIA"}, 422),
        ("/api/events", {"since": "yesterday"}, 422),
        ("/api/events", {"modality": "maybe"}, 422),
        ("/api/events/0123", {}, 422),
        ("/api/events/" + "0" * 32, {}, 404),
        ("/api/series/RUS/CHN", {"freq": "fortnight"}, 422),
        ("/api/nothing", {}, 404),
    ],
)
def test_errors_have_one_shape(
    server: str, path: str, params: dict[str, object], status: int
) -> None:
    response = get(server, path, **params)
    assert response.status_code == status
    assert set(response.json()) == {"error"} and response.json()["error"]["status"] == status


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_are_rejected_or_find_nothing(server: str, attack: str) -> None:
    for path, params in [
        ("/api/events", {"dyad": attack}),
        ("/api/events", {"actor": attack}),
        ("/api/events", {"root": attack}),
        ("/api/events", {"q": attack}),
        ("/api/alerts", {"dyad": attack}),
        (f"/api/series/{attack}/CHN", {}),
        (f"/api/events/{attack}", {}),
    ]:
        response = get(server, path, **params)
        assert response.status_code < 500, (path, params, response.text)
        if response.status_code == 200 and "items" in response.json():
            assert response.json()["items"] == []
    assert get(server, "/api/stats").json()["tables"]["events"] == 145  # nothing dropped


def test_nothing_writes(server: str) -> None:
    assert httpx.post(server + "/api/events", json={}, timeout=10).status_code == 405
    assert httpx.delete(server + "/api/alerts", timeout=10).status_code == 405


def test_actors_volume_and_an_events_sentences(server: str) -> None:
    actors = {a["actor"]: a for a in get(server, "/api/actors").json()["items"]}
    assert actors["RUS"]["events"] == actors["CHN"]["events"] == 144
    assert actors["IRN"]["conflict_share"] == 1.0 and actors["IRN"]["goldstein_mean"] == -8.0
    volume = get(server, "/api/volume", freq="month").json()["points"]
    assert sum(p["events"] for p in volume) == 145
    rus = actors["RUS"]
    assert sum(p["conflict_events"] for p in volume) == 1 + round(
        rus["events"] * rus["conflict_share"]
    )
    found = get(server, "/api/events", q="did 163").json()["items"][0]
    (sentence,) = get(server, f"/api/events/{found['id']}").json()["sentences"]
    assert sentence["text"][sentence["source_start"] : sentence["source_end"]] == "USA"
    assert sentence["text"][sentence["verb_start"] : sentence["verb_end"]] == "did"
    missing = get(server, "/api/articles/" + "0" * 32)
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404


def test_a_locked_database_answers_503_in_the_error_shape(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    with Store(db) as store:
        store.write_batch(events=[make_event(START, "RUS", "CHN", "042", 1.9, "a1")])
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(db)!r}); "
         "print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    with serving(db, writer_wait_s=0.5) as url:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
            busy = get(url, "/api/stats")  # a writer that never lets go: waited for, then 503
            assert busy.status_code == 503 and "retry later" in busy.json()["error"]["message"]
        finally:
            holder.communicate("", timeout=10)
        assert get(url, "/api/stats").json()["tables"]["events"] == 1
