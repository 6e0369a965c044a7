"""Downloads (format=csv|jsonl): every row behind a list for its filters, as a file, over
uvicorn on 127.0.0.1 and a real DuckDB file."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.conftest import serving
from api.stocked import FORMULA_ITEM, FORMULA_TITLE, STORIES, Stock, stock
from dyadwatch.api import MAX_DOWNLOAD


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Stock]]:
    db = tmp_path_factory.mktemp("downloads") / "downloads.duckdb"
    stocked = stock(db)
    with serving(db) as url:
        yield url, stocked


def get(base: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=120)


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


def jsonl_rows(response: httpx.Response) -> list[dict[str, Any]]:
    return [json.loads(line) for line in response.text.splitlines()]


def every_page(base: str, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, read through the JSON answers page by page."""
    items: list[dict[str, Any]] = []
    while True:
        page = get(base, path, **params, limit=50, offset=len(items)).json()
        items += page["items"]
        if len(items) >= page["total"]:
            return items


LISTS = [
    ("/api/events", {"dyad": "CHN-RUS"}, "events"),
    ("/api/events", {"actor": "USA", "text": "did 163"}, "events"),
    ("/api/articles", {"q": "pipeline"}, "articles"),
    ("/api/articles", {}, "articles"),
    ("/api/skipped", {"stage": "ingest"}, "skipped-ingest"),
    ("/api/skipped", {}, "skipped"),
]


@pytest.mark.parametrize(("path", "filters", "name"), LISTS)
def test_a_download_holds_every_filtered_row_not_only_a_page(
    site: tuple[str, Stock], path: str, filters: dict[str, str], name: str
) -> None:
    base, _ = site
    expected = every_page(base, path, **filters)
    assert 1 <= len(expected) < 1000
    for fmt, media in (("csv", "text/csv; charset=utf-8"), ("jsonl", "application/x-ndjson")):
        # limit and offset are a page's: a download ignores them
        response = get(base, path, **filters, format=fmt, limit=3, offset=5)
        assert response.status_code == 200
        assert response.headers["content-type"] == media
        disposition = response.headers["content-disposition"]
        assert disposition == f'attachment; filename="dyadwatch-{name}.{fmt}"'
        assert response.headers["x-total-count"] == response.headers["x-row-count"]
        assert int(response.headers["x-row-count"]) == len(expected)
        assert "x-truncated" not in response.headers
        rows = csv_rows(response) if fmt == "csv" else jsonl_rows(response)
        assert len(rows) == len(expected)
        key = "id" if "id" in expected[0] else "item"
        listed = [item[key] for item in expected]
        if fmt == "csv":  # as a spreadsheet would not run them
            listed = ["'" + cell if cell[0] in "=+-@" else cell for cell in listed]
        assert [row[key] for row in rows] == listed
        if fmt == "jsonl":
            assert rows == expected  # the same values as the JSON answers, in the same order


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/api/dyads", {"limit": 1}, "dyads"),
        ("/api/alerts", {"dyad": "RUS-CHN"}, "alerts-RUS-CHN"),
        ("/api/alerts", {}, "alerts"),
        ("/api/series/RUS/CHN", {"freq": "month"}, "series-RUS-CHN-month"),
    ],
)
def test_the_unpaged_lists_download_whole(
    site: tuple[str, Stock], path: str, params: dict[str, str], name: str
) -> None:
    base, _ = site
    answer = get(base, path, **{**params, "limit": 500} if "limit" in params else params).json()
    expected = answer.get("items", answer.get("points"))
    assert expected
    download = get(base, path, **params, format="jsonl")
    assert download.headers["content-disposition"].endswith(f'filename="dyadwatch-{name}.jsonl"')
    assert jsonl_rows(download) == expected
    table = csv_rows(get(base, path, **params, format="csv"))
    assert len(table) == len(expected) and list(table[0]) == list(expected[0])


def test_csv_cells_a_spreadsheet_would_run_get_a_quote(site: tuple[str, Stock]) -> None:
    base, _ = site
    stories = csv_rows(get(base, "/api/articles", format="csv"))
    titles = {row["title"] for row in stories}
    assert "'" + FORMULA_TITLE in titles and FORMULA_TITLE not in titles
    assert any(row["body"].startswith("'-2 degrees") for row in stories)
    raw = jsonl_rows(get(base, "/api/articles", format="jsonl"))
    assert FORMULA_TITLE in {row["title"] for row in raw}  # JSON keeps the text as it is
    skipped = {row["item"]: row for row in csv_rows(get(base, "/api/skipped", format="csv"))}
    assert skipped["'" + FORMULA_ITEM]["reason"] == "'=not a page"
    # Numbers stay numbers: a negative Goldstein score is not quoted.
    events = csv_rows(get(base, "/api/events", dyad="USA-IRN", format="csv"))
    assert [row["goldstein"] for row in events] == ["-8.0"]
    assert events[0]["date"] == "2024-01-01"


def test_a_download_of_nothing_is_empty_and_a_bad_format_is_refused(
    site: tuple[str, Stock],
) -> None:
    base, _ = site
    empty = get(base, "/api/articles", q="no-such-word", format="csv")
    assert empty.status_code == 200 and empty.text == ""
    assert empty.headers["x-total-count"] == empty.headers["x-row-count"] == "0"
    refused = get(base, "/api/events", format="xlsx")
    assert refused.status_code == 422 and refused.json()["error"]["message"].startswith("format:")
    bad_filter = get(base, "/api/events", dyad="RUSSIA", format="csv")
    assert bad_filter.status_code == 422 and "error" in bad_filter.json()
    assert len(jsonl_rows(get(base, "/api/articles", format="jsonl"))) == STORIES


def test_a_download_stops_at_the_cap_and_says_so(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = tmp_path_factory.mktemp("cap") / "cap.duckdb"
    stocked = stock(db, extra_skipped=MAX_DOWNLOAD)
    total = len(stocked.skipped)
    assert total > MAX_DOWNLOAD
    with serving(db) as base:
        assert get(base, "/api/skipped", limit=1).json()["total"] == total
        started = time.perf_counter()
        response = get(base, "/api/skipped", format="csv")
        seconds = time.perf_counter() - started
        rows = csv_rows(response)
        assert len(rows) == MAX_DOWNLOAD == int(response.headers["x-row-count"])
        assert int(response.headers["x-total-count"]) == total
        assert f"first {MAX_DOWNLOAD} of {total} rows" in response.headers["x-truncated"]
        assert int(response.headers["content-length"]) == len(response.content)
        # Oldest first, as the pages list them: the cut leaves out the last ones.
        first = get(base, "/api/skipped", limit=500).json()["items"]
        assert [row["item"] for row in rows[:500]] == [item["item"] for item in first]
        under = get(base, "/api/skipped", stage="ingest", format="jsonl")
        assert "x-truncated" not in under.headers
    assert seconds < 60, f"a {MAX_DOWNLOAD}-row download took {seconds:.1f} s"
