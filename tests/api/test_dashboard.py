"""The dashboard in a real browser: Debian's chromium driven by Playwright, against uvicorn on
127.0.0.1 over real DuckDB files — one that `dyadwatch run` made from the bundled example, one
from ../shared/seeds, one with planted shifts and hostile text. Screenshots go to docs/.

Skips, saying why, where chromium is not installed; under CI (``CI=true``) that is a failure,
since .ci/run installs it."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from analysis.conftest import START, make_event, weekly_stories
from conftest import EXAMPLES, SEEDS
from playwright.sync_api import Browser, Page, expect, sync_playwright

from api.conftest import serving
from api.stocked import FORMULA_ITEM, STORIES, Stock, stock
from dyadwatch import codes
from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.config import Settings, StoreSettings
from dyadwatch.pipeline import run
from dyadwatch.records import Evidence
from dyadwatch.store import Store

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
XSS = "<script>window.hacked = true</script><img src=x onerror='window.hacked = true'><b>b</b>"
VIEWS = ["overview", "dyad", "events", "network", "map", "articles", "skipped"]

if shutil.which(CHROMIUM) is None:
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing under CI: .ci/run should apt-get install it")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


class Visit:
    """One browser tab on one site, recording script and console errors (CSP violations among
    them) and every URL it asked for."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.base = base
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        # Chromium reports what the Content-Security-Policy blocks as console errors.
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, route: str, ready: str) -> Page:
        self.page.goto(f"{self.base}/#/{route}")
        self.page.wait_for_selector(f"#view[data-ready='{ready}']", timeout=20_000)
        return self.page

    def shoot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.page.close()
        assert self.errors == [], f"script errors: {self.errors}"
        offsite = [url for url in self.requests if not url.startswith((self.base, "data:"))]
        assert offsite == [], f"the dashboard reached outside its server: {offsite}"


def pipeline_db(folder: Path, inputs: list[Path]) -> Path:
    db = folder / "run.duckdb"
    run(inputs, settings=Settings(store=StoreSettings(path=db)))
    with Store(db) as store:
        store.save_alerts(find_alerts(store))
    return db


@pytest.fixture(scope="module", params=["examples", "seeds"])
def real_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(name, base URL) of a site over what `dyadwatch run` stored from the example or seeds."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "seeds":
        if not SEEDS.exists():
            pytest.skip(f"{SEEDS} is absent: this check needs ../shared beside the repository")
        inputs = [SEEDS]
    else:
        hostile = folder / "hostile.jsonl"
        hostile.write_text(
            json.dumps({
                "url": "javascript:window.hacked=true",
                "title": "Moscow and Beijing sign a pact",
                "published": "2024-03-02",
                "text": "Russia signed a trade agreement with China on Friday in Beijing.",
            }) + "\n",
            encoding="utf-8",
        )  # fmt: skip
        inputs = [EXAMPLES / "pages", hostile]
    with serving(pipeline_db(folder, inputs)) as url:
        yield request.param, url


def test_every_view_works_on_pipeline_output(browser: Browser, real_site: tuple[str, str]) -> None:
    name, base = real_site
    visit = Visit(browser, base)
    for view in VIEWS:
        page = visit.open("" if view == "overview" else view, view)
        assert "Could not load" not in page.inner_text("main")
        if view == "events":  # the table shows each event's sentence, its verb highlighted
            assert page.query_selector("#results td mark.verb") is not None
    page = visit.open("", "overview")
    first = page.query_selector("table tbody tr.clickable")
    assert first is not None, "no dyad listed on the overview"
    first.click()
    page.wait_for_selector("#view[data-ready='dyad']", timeout=20_000)
    page.wait_for_selector("#chart .main-svg", timeout=20_000)
    page.click("#period-events tr.clickable")
    page.wait_for_selector("#event-detail .evidence mark.verb", timeout=20_000)
    verb = page.inner_text("#event-detail .evidence mark.verb")
    assert verb and verb in page.inner_text("#event-detail .evidence")
    page.click("#event-detail .source-line a")
    page.wait_for_selector("#view[data-ready='article']", timeout=20_000)
    assert len(page.inner_text("main")) > 200
    assert page.query_selector("a[href^='javascript']") is None
    page = visit.open("map", "map")
    page.wait_for_selector("#map-chart path.choroplethlocation", timeout=20_000)
    assert len(page.query_selector_all("#map-chart path.choroplethlocation")) >= 2
    assert page.evaluate("window.hacked === undefined")
    if name == "seeds":
        for view in VIEWS:
            visit.open("dyad/CHN/RUS" if view == "dyad" else view, view)
            if view == "dyad":
                page.click("#period-events tr.clickable")
                page.wait_for_selector("#event-detail .evidence mark.verb", timeout=20_000)
            if view == "map":
                page.wait_for_selector("#map-chart path.choroplethlocation", timeout=20_000)
            visit.shoot(f"seeds-{view}")
    visit.close()


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Weekly CHN–RUS stories that turn hostile, plus one event whose evidence holds markup."""
    db = tmp_path_factory.mktemp("ui") / "ui.duckdb"
    hostile = make_event(START, "USA", "IRN", "163", -8.0, "x1")
    evidence = hostile.evidence
    hostile = type(hostile)(**{
        **{f: getattr(hostile, f) for f in hostile.__dataclass_fields__},
        "evidence": Evidence(**{
            **{f: getattr(evidence, f) for f in evidence.__dataclass_fields__},
            "text": f"USA did sanction Tehran {XSS}",
        }),
    })  # fmt: skip
    with Store(db) as store:
        store.write_batch(
            events=[
                *weekly_stories(range(0, 30), 4, 3.0, seed=1),
                *weekly_stories(range(30, 36), 4, -4.0, seed=2),
                hostile,
            ]
        )
        store.save_alerts(find_alerts(store))
    with serving(db) as url:
        yield url


def test_a_shift_is_marked_and_its_events_reached(browser: Browser, planted_site: str) -> None:
    visit = Visit(browser, planted_site)
    page = visit.open("", "overview")
    assert "CHN–RUS" in page.inner_text("main") and "escalation" in page.inner_text("main")
    page.wait_for_selector("#volume-chart .main-svg", timeout=20_000)
    visit.shoot("overview")
    page.click("text=CHN–RUS")
    page.wait_for_selector("#view[data-ready='dyad']", timeout=20_000)
    page.wait_for_selector("#chart .main-svg", timeout=20_000)
    assert page.query_selector_all("#chart .shapelayer path"), "no change-point marker drawn"
    page.click("#dyad-alerts tr.clickable:has-text('escalation')")
    page.wait_for_selector("#period-events h3:has-text('behind the escalation')", timeout=20_000)
    page.click("#period-events tr.clickable")
    page.wait_for_selector("#event-detail .evidence", timeout=20_000)
    assert "did" in page.inner_text("#event-detail .evidence")
    # Codes come with their names, in the table and the detail alike.
    names = [f"{code} {codes.cameo_name(code)}" for code in ("042", "111")]
    detail = page.inner_text("#event-detail")
    assert any(name in detail for name in names), detail
    assert "verbal conflict" in detail or "verbal cooperation" in detail, detail
    assert any(name in page.inner_text("#period-events table") for name in names)
    visit.shoot("dyad")
    page = visit.open("dyad", "dyad")
    page.fill("#actor-a", "usa")
    page.fill("#actor-b", "irn")
    page.click("#pick button")
    page.wait_for_selector("#view[data-ready='dyad'] #chart .main-svg", timeout=20_000)
    assert "USA–IRN" in page.inner_text("h2")
    for view in ("network", "map"):
        visit.open(view, view)
        visit.shoot(view)
    visit.close()


def test_evidence_with_markup_is_shown_escaped(browser: Browser, planted_site: str) -> None:
    visit = Visit(browser, planted_site)
    page = visit.open("events", "events")
    page.fill("#q", "sanction")
    page.click("#filter button")
    # A locator, not wait_for_function: its polling evals in the page, which the CSP forbids.
    expect(page.locator("#results tr.clickable")).to_have_count(1, timeout=20_000)
    assert XSS in page.inner_text("#results")
    page.click("#results tr.clickable")
    page.wait_for_selector("#event-detail .evidence", timeout=20_000)
    assert XSS in page.inner_text("#event-detail .evidence")
    visit.shoot("events")
    assert page.evaluate("window.hacked === undefined")
    assert page.query_selector("#results b, #results img, #event-detail img") is None
    visit.close()


def test_the_api_docs_page_works_offline(browser: Browser, planted_site: str) -> None:
    visit = Visit(browser, planted_site)
    visit.page.goto(f"{planted_site}/docs")
    visit.page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert len(visit.page.query_selector_all(".swagger-ui .opblock")) == 11
    visit.close()


@pytest.fixture(scope="module")
def stocked_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Stock]]:
    """120 stories (some with two copies), events with alerts, and skipped items."""
    db = tmp_path_factory.mktemp("stocked") / "stocked.duckdb"
    stocked = stock(db)
    with serving(db) as url:
        yield url, stocked


def test_articles_skipped_items_and_downloads(
    browser: Browser, stocked_site: tuple[str, Stock]
) -> None:
    base, stocked = stocked_site
    visit = Visit(browser, base)
    page = visit.open("articles", "articles")
    pager = page.locator("#results .pager")
    expect(pager).to_contain_text(f"{STORIES} stories; showing 1–50", timeout=20_000)
    expect(page.locator("#results tbody tr")).to_have_count(50)
    page.click("#results .pager button.next")
    expect(pager).to_contain_text("showing 51–100", timeout=20_000)
    page.fill("#q", "GAZPROM")
    page.click("#article-search button")
    expect(pager).to_contain_text(f"{STORIES // 10} stories; showing 1–", timeout=20_000)
    expect(page.locator("#results tbody tr")).to_have_count(STORIES // 10)
    assert page.query_selector("#results .pager button") is None  # one page: no buttons
    hrefs = [a.get_attribute("href") for a in page.query_selector_all("#results a.download")]
    assert hrefs == ["/api/articles?q=GAZPROM&format=csv", "/api/articles?q=GAZPROM&format=jsonl"]
    visit.shoot("articles")
    page.click("#results tbody tr:first-child a")
    page.wait_for_selector("#view[data-ready='article']", timeout=20_000)
    assert "Carried by 2 source(s)" in page.inner_text("main")
    page = visit.open("", "overview")
    for table, path in (("dyads", "/api/dyads"), ("alerts", "/api/alerts")):
        link = page.locator(f"#{table}-download a.download.jsonl")
        assert link.get_attribute("href") == f"{path}?format=jsonl"
        with page.expect_download() as caught:
            link.click()
        lines = Path(caught.value.path()).read_text(encoding="utf-8").splitlines()
        listed = httpx.get(f"{base}{path}", params={"limit": 500}, timeout=30).json()["items"]
        assert [json.loads(line) for line in lines] == listed
    page.click("#skipped-link")
    page.wait_for_selector("#view[data-ready='skipped']", timeout=20_000)
    reasons = page.locator("#skip-reasons tbody tr")
    expect(reasons).to_have_count(len(stocked.reasons()))
    top = stocked.reasons().most_common(1)[0]
    assert reasons.first.inner_text().split("\t") == [top[0][0], top[0][1], str(top[1])]
    pager = page.locator("#results .pager")
    expect(pager).to_contain_text(f"{len(stocked.skipped)} skipped items; showing 1–")
    assert FORMULA_ITEM in page.inner_text("#results")
    page.select_option("#stage", "extract")
    extract = sum(stocked.reasons("extract").values())
    expect(pager).to_contain_text(f"{extract} skipped items; showing 1–{extract}", timeout=20_000)
    expect(page.locator("#results tbody tr")).to_have_count(extract)
    link = page.locator("#results a.download.csv")
    assert link.get_attribute("href") == "/api/skipped?stage=extract&format=csv"
    with page.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename == "dyadwatch-skipped-extract.csv"
    with open(caught.value.path(), encoding="utf-8", newline="") as saved:
        rows = list(csv.DictReader(saved))
    assert len(rows) == extract and {row["stage"] for row in rows} == {"extract"}
    visit.shoot("skipped")
    # The dyad explorer's series and alerts, and the events found, for the filters shown.
    page = visit.open("dyad/CHN/RUS", "dyad")
    series = page.get_attribute("#series-download a.csv", "href")
    assert series == "/api/series/CHN/RUS?freq=week&format=csv"
    alerts = page.get_attribute("#dyad-alerts a.download.jsonl", "href")
    assert alerts == "/api/alerts?dyad=CHN-RUS&format=jsonl"
    page = visit.open("events", "events")
    page.fill("#actor", "usa")
    page.click("#filter button")
    expect(page.locator("#results .pager")).to_contain_text("1 events", timeout=20_000)
    href = page.get_attribute("#results a.download.csv", "href")
    assert href == "/api/events?actor=USA&format=csv"
    response = httpx.get(f"{base}{href}", timeout=30)
    assert response.headers["x-row-count"] == "1" and "USA did 163" in response.text
    visit.close()
