"""The dashboard says how many undated events its series and alerts do not show, and lists
them: Debian's chromium driven by Playwright against uvicorn on 127.0.0.1 over a real DuckDB
file (skipped, saying why, where chromium is not installed; see test_dashboard.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from analysis.conftest import START, make_event, weekly_stories
from playwright.sync_api import Browser, expect, sync_playwright

from api.conftest import serving
from api.test_dashboard import CHROMIUM, FLAGS, Visit
from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.store import Store

UNDATED_PAIRS = [("CHN", "RUS")] * 3 + [("RUS", "CHN")] * 2 + [("USA", "IRN")]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Weekly CHN–RUS stories, a dated BRA–IDN one, and six undated events."""
    db = tmp_path_factory.mktemp("undated-ui") / "ui.duckdb"
    undated = [
        replace(make_event(START, a, b, "036", 4.0, f"nodate-{n}"), date=None)
        for n, (a, b) in enumerate(UNDATED_PAIRS)
    ]
    with Store(db) as store:
        store.write_batch(
            events=[
                *weekly_stories(range(0, 12), 3, 2.0, seed=3),
                make_event(START, "BRA", "IDN", "042", 1.9, "bra-idn"),
                *undated,
            ]
        )
        store.save_alerts(find_alerts(store))
    with serving(db) as url:
        yield url


def test_overview_counts_undated_events_and_lists_them(browser: Browser, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("", "overview")
    note = page.inner_text("#undated-note")
    assert note.startswith(f"{len(UNDATED_PAIRS)} undated events not shown"), note
    page.click("#undated-list")
    page.wait_for_selector("#view[data-ready='events']", timeout=20_000)
    assert page.is_checked("#undated")
    rows = page.locator("#results tbody tr.clickable")
    expect(rows).to_have_count(len(UNDATED_PAIRS), timeout=20_000)
    assert page.inner_text("#results .pager").startswith(f"{len(UNDATED_PAIRS)} events")
    dates = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert dates == ["undated"] * len(UNDATED_PAIRS)
    page.uncheck("#undated")
    page.click("#filter button")
    expect(page.locator("#results .pager")).to_contain_text(f"{36 + 1 + 6} events")
    visit.close()


def test_dyad_view_counts_its_undated_events_and_lists_them(browser: Browser, site: str) -> None:
    visit = Visit(browser, site)
    page = visit.open("dyad/CHN/RUS", "dyad")
    both_ways = sum(1 for pair in UNDATED_PAIRS if set(pair) == {"CHN", "RUS"})
    assert page.inner_text("#undated-note").startswith(f"{both_ways} undated events not shown")
    page.click("#undated-list")
    heading = f"Undated events between CHN and RUS ({both_ways})"
    page.wait_for_selector(f"#period-events h3:has-text('{heading}')", timeout=20_000)
    rows = page.locator("#period-events tbody tr.clickable")
    expect(rows).to_have_count(both_ways)
    rows.first.click()
    page.wait_for_selector("#event-detail .evidence", timeout=20_000)
    assert page.inner_text("#event-detail h3").endswith("(undated)")
    page = visit.open("dyad/BRA/IDN", "dyad")
    page.wait_for_selector("#chart .main-svg", timeout=20_000)
    assert page.query_selector("#undated-note") is None  # nothing left out, nothing said
    visit.close()
