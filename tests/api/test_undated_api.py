"""Undated events over the REST API, against uvicorn on 127.0.0.1 over a real DuckDB file:
listed with ``?undated=true``, counted where series and alerts leave them out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from analysis.conftest import START, make_event

from api.conftest import serving
from dyadwatch.store import Store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("undated-api") / "api.duckdb"
    nodate = [
        replace(make_event(START, source, target, "036", 4.0, f"nodate-{n}"), date=None)
        for n, (source, target) in enumerate(
            [("RUS", "CHN")] * 3 + [("CHN", "RUS"), ("USA", "IRN")]
        )
    ]
    with Store(db) as store:
        store.write_batch(
            events=[
                make_event(START, "RUS", "CHN", "042", 1.9, "news-1"),
                make_event(START + timedelta(days=9), "CHN", "RUS", "111", -2.0, "news-2"),
                *nodate,
            ]
        )
    with serving(db) as url:
        yield url


def get(server: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(server + path, params=params, timeout=10)  # type: ignore[arg-type]


def test_events_lists_undated_ones_on_request(server: str) -> None:
    every = get(server, "/api/events").json()
    assert every["total"] == 7
    page = get(server, "/api/events", undated="true").json()
    assert page["total"] == 5 and {e["date"] for e in page["items"]} == {None}
    one_way = get(server, "/api/events", undated="true", dyad="RUS-CHN", limit=2).json()
    assert one_way["total"] == 3 and len(one_way["items"]) == 2
    dated = get(server, "/api/events", undated="false").json()
    assert dated["total"] == every["total"]  # false is no filter, as for every flag


def test_undated_with_dates_is_refused_in_the_error_shape(server: str) -> None:
    refused = get(server, "/api/events", undated="true", since="2024-01-01")
    assert refused.status_code == 422
    assert "undated events have no date" in refused.json()["error"]["message"]
    assert get(server, "/api/events", undated="maybe").status_code == 422


def test_series_and_alerts_say_how_many_undated_events_they_left_out(server: str) -> None:
    series = get(server, "/api/series/RUS/CHN").json()
    assert sum(p["events"] for p in series["points"]) == 2
    assert (series["undated_left_out"], series["background_left_out"]) == (4, 0)
    directed = get(server, "/api/series/CHN/RUS", directed="true").json()
    assert directed["undated_left_out"] == 1
    later = get(server, "/api/series/RUS/CHN", since="2024-01-05").json()
    assert later["undated_left_out"] == 4  # any period could hold them
    assert get(server, "/api/alerts").json()["undated_left_out"] == 5
