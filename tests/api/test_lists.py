"""The articles search and the skipped items, over uvicorn on 127.0.0.1 and a real DuckDB file."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.conftest import serving
from api.stocked import STORIES, Stock, stock
from dyadwatch.records import Stage


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Stock]]:
    db = tmp_path_factory.mktemp("lists") / "lists.duckdb"
    stocked = stock(db)
    with serving(db) as url:
        yield url, stocked


def get(base: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30)  # type: ignore[arg-type]


def test_articles_page_through_every_story_once(site: tuple[str, Stock]) -> None:
    base, _ = site
    seen: list[str] = []
    for offset in range(0, STORIES, 50):
        page = get(base, "/api/articles", limit=50, offset=offset).json()
        assert page["total"] == STORIES and page["offset"] == offset
        seen += [story["id"] for story in page["items"]]
    assert len(seen) == len(set(seen)) == STORIES


@pytest.mark.parametrize(
    "words",
    [("pipeline",), ("PIPELINE", "russia"), ("gazprom",), ("talks", "Harvest"), ("story 7:",)],
)
def test_articles_search_every_word_in_title_or_body(
    site: tuple[str, Stock], words: tuple[str, ...]
) -> None:
    base, stocked = site
    expected = stocked.stories_matching(*" ".join(words).split())
    assert expected and len(expected) < STORIES  # the case tells matches from the rest
    query = " ".join(words)
    first = get(base, "/api/articles", q=query, limit=10).json()
    assert first["total"] == len(expected)
    found = {
        story["id"] for story in get(base, "/api/articles", q=query, limit=500).json()["items"]
    }
    assert found == expected


def test_articles_search_finds_a_story_by_any_copy(site: tuple[str, Stock]) -> None:
    base, _ = site
    page = get(base, "/api/articles", q="gazprom", limit=500).json()
    # Only the reposted copies say "Gazprom"; each story is listed once, shown by its original.
    assert page["total"] == STORIES // 10
    for story in page["items"]:
        assert "gazprom" not in story["title"].lower()
        assert len(story["sources"]) == 2


@pytest.mark.parametrize(
    "attack", ["'; DROP TABLE articles; --", "%' OR '1'='1", "_", "%", "\\", "x' || body || '"]
)
def test_articles_search_text_is_a_value_not_sql(site: tuple[str, Stock], attack: str) -> None:
    base, stocked = site
    response = get(base, "/api/articles", q=attack)
    assert response.status_code == 200
    assert response.json()["total"] == len(stocked.stories_matching(*attack.split()))
    assert get(base, "/api/stats").json()["tables"]["articles"] == len(stocked.articles)


def test_articles_search_blank_lists_all_and_overlong_is_refused(site: tuple[str, Stock]) -> None:
    base, _ = site
    assert get(base, "/api/articles", q="   ").json()["total"] == STORIES
    refused = get(base, "/api/articles", q="x" * 201)
    assert refused.status_code == 422 and refused.json()["error"]["message"].startswith("q:")


def _reasons(answer: dict[str, Any]) -> Counter[tuple[str, str]]:
    return Counter({(r["stage"], r["reason"]): r["count"] for r in answer["reasons"]})


@pytest.mark.parametrize("stage", [None, "ingest", "extract", "dedupe"])
def test_skipped_counts_by_reason_and_pages_every_item_once(
    site: tuple[str, Stock], stage: Stage | None
) -> None:
    base, stocked = site
    expected = stocked.reasons(stage)
    chosen = {"stage": stage} if stage else {}
    first = get(base, "/api/skipped", **chosen, limit=7).json()
    assert first["total"] == sum(expected.values()) and first["stage"] == stage
    assert _reasons(first) == expected
    counts = [r["count"] for r in first["reasons"]]
    assert counts == sorted(counts, reverse=True)
    seen: list[tuple[str, str, str]] = []
    for offset in range(0, first["total"] + 7, 7):
        page = get(base, "/api/skipped", **chosen, limit=7, offset=offset).json()
        assert len(page["items"]) == min(7, max(0, first["total"] - offset))
        seen += [(i["stage"], i["item"], i["reason"]) for i in page["items"]]
        assert all(i["first_seen"].endswith("+00:00") for i in page["items"])
    wanted = [s for s in stocked.skipped if stage is None or s.stage == stage]
    assert sorted(seen) == sorted((s.stage, s.item, s.reason) for s in wanted)
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize("stage", ["INGEST", "parse", "ingest' OR '1'='1"])
def test_skipped_refuses_an_unknown_stage(site: tuple[str, Stock], stage: str) -> None:
    base, _ = site
    response = get(base, "/api/skipped", stage=stage)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("stage:")
