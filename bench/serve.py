"""Speed of the REST API and the dashboard over a database of one million stored events.

Builds a DuckDB file with N synthetic events (default 1,000,000; the layout of
bench/series_speed.py: 20 countries, five years, one mention each, with their articles and
varied evidence sentences), serves it with `dyadwatch.api.create_app` under uvicorn on
127.0.0.1 (one process, as `dyadwatch serve` runs), and times over HTTP, with a kept-alive
client, the series endpoint and filtered pages of the events endpoint: p50 and p95 of repeated
calls after one cold call. Then opens the dashboard in Debian's chromium (Playwright, headless)
in a fresh browser context each time (nothing cached) and reports, for the overview and a
dyad's page: the first contentful paint, the first meaningful paint (the view's data on screen:
the overview's tables, the dyad's alerts and events; the page marks it), and the time until
every chart is drawn (plotly.js, 4.6 MB, is fetched after the data is on screen).

    python bench/serve.py [--events 1000000] [--runs 30] [--loads 5] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import httpx
import uvicorn

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from series_speed import build  # noqa: E402

from dyadwatch.api import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

_ARTICLES = """
UPDATE event_mentions SET text = source || ' did ' || code || ' to ' || target || ' in story '
    || story_id || ' (' || CAST(date AS VARCHAR) || ').'
FROM events WHERE events.event_id = event_mentions.event_id;
INSERT INTO articles
SELECT article_id, 'd' || article_id, 'bench', 0, 'Story ' || article_id, NULL, 'Bench Wire',
       min(date)::TIMESTAMPTZ, 0, 'stated', 'day',
       'https://news.example.org/' || article_id, 'body', 'en', min(story_id)
FROM events GROUP BY article_id;
"""

ENDPOINTS: list[tuple[str, str, dict[str, object], float]] = [
    # (label, path, params, target p95 in ms)
    ("series RUS–CHN weekly", "/api/series/RUS/CHN", {"freq": "week"}, 100),
    ("series RUS–CHN monthly", "/api/series/RUS/CHN", {"freq": "month"}, 100),
    ("series RUS→CHN weekly, directed", "/api/series/RUS/CHN", {"directed": "true"}, 100),
    ("events dyad, first page", "/api/events", {"dyad": "RUS-CHN", "limit": 50}, 200),
    (
        "events dyad + one year",
        "/api/events",
        {"dyad": "RUS-CHN", "since": "2022-01-01", "until": "2022-12-31", "limit": 50},
        200,
    ),
    ("events actor + quad class", "/api/events", {"actor": "RUS", "quad_class": 4}, 200),
    ("events root + page 20", "/api/events", {"root": "19", "limit": 50, "offset": 1000}, 200),
    ("events words in evidence", "/api/events", {"q": "did 190 to CHN", "limit": 50}, 200),
    ("events unfiltered, first page", "/api/events", {"limit": 100}, 200),
    ("dyads (overview)", "/api/dyads", {"limit": 15}, 200),
    ("volume (overview)", "/api/volume", {}, 200),
    ("actors (map)", "/api/actors", {}, 200),
]


def prepare(path: Path, events: int) -> float:
    """Build the database; return the seconds it took."""
    start = time.perf_counter()
    build(path, events)
    with duckdb.connect(str(path)) as con:
        for statement in _ARTICLES.split(";"):
            if statement.strip():
                con.execute(statement)
    return time.perf_counter() - start


def serve(db: Path) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Start uvicorn on a free port of 127.0.0.1 in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_endpoints(base: str, runs: int) -> list[tuple[str, float, float, float, float, int]]:
    """(label, cold ms, p50 ms, p95 ms, target ms, items) per endpoint."""
    rows = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for label, path, params, target in ENDPOINTS:
            times = []
            size = 0
            for _ in range(runs + 1):
                start = time.perf_counter()
                response = client.get(path, params=params)  # type: ignore[arg-type]
                times.append((time.perf_counter() - start) * 1000)
                response.raise_for_status()
                body = response.json()
                size = len(body.get("items", body.get("points", [])))
            rows.append(
                (label, times[0], statistics.median(times[1:]), p95(times[1:]), target, size)
            )
    return rows


def time_paints(base: str, loads: int) -> list[tuple[str, float, float, float, float, float]]:
    """(view, first paint p50, first meaningful paint p50 and max, all drawn p50, target), in ms
    from navigation, each load in a fresh browser context (nothing cached)."""
    from playwright.sync_api import sync_playwright

    views = [("overview", "#/", "overview"), ("dyad RUS–CHN", "#/dyad/RUS/CHN", "dyad")]
    rows = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for label, route, ready in views:
            paints, meaningful, readies = [], [], []
            for _ in range(loads + 1):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/{route}")
                page.wait_for_function(
                    f"document.getElementById('view').dataset.ready === '{ready}'",
                    polling="raf",
                    timeout=60_000,
                )
                done = page.evaluate("performance.now()")
                shown = float(page.evaluate("document.getElementById('view').dataset.painted"))
                fcp = page.evaluate(
                    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
                )
                paints.append(fcp)
                meaningful.append(shown)
                readies.append(done)
                context.close()
            # The first load warms the server.
            paints, meaningful, readies = paints[1:], meaningful[1:], readies[1:]
            rows.append(
                (
                    label,
                    statistics.median(paints),
                    statistics.median(meaningful),
                    max(meaningful),
                    statistics.median(readies),
                    1500,
                )
            )
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "serve.duckdb"
        built = prepare(db, args.events)
        server, thread, base = serve(db)
        try:
            calls = time_endpoints(base, args.runs)
            paints = time_paints(base, args.loads) if shutil.which(CHROMIUM) else []
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    lines = [
        "| endpoint | cold (ms) | p50 (ms) | p95 (ms) | target p95 (ms) | items |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r[0]} | {r[1]:.0f} | {r[2]:.1f} | {r[3]:.1f} | {r[4]:.0f} | {r[5]} |"
            for r in calls
        ),
    ]
    if paints:
        lines += [
            "",
            "| dashboard view (Chromium, cold context) | first paint p50 (ms) "
            "| first meaningful paint p50 (ms) | max (ms) | all charts drawn p50 (ms) "
            "| target (ms) |",
            "|---|---:|---:|---:|---:|---:|",
            *(
                f"| {r[0]} | {r[1]:.0f} | {r[2]:.0f} | {r[3]:.0f} | {r[4]:.0f} | {r[5]:.0f} |"
                for r in paints
            ),
        ]
    table = "\n".join(lines)
    print(table)
    passed = all(r[3] < r[4] for r in calls) and all(r[3] < r[5] for r in paints)
    verdict = "PASS" if passed and paints else "FAIL" if not passed else "browser not measured"
    note = (
        f"{args.events:,} events built in {built:.1f} s; {args.runs} calls per endpoint after a "
        f"cold one, {args.loads} page loads per view after a warm-up; targets: {verdict}"
    )
    print(f"\n{note}")
    if args.markdown:
        command = "python bench/serve.py " + " ".join(argv if argv is not None else sys.argv[1:])
        args.markdown.write_text(
            "# API and dashboard speed\n\n"
            + __doc__.split("\n\n", 1)[1].split("    python")[0]
            + f"Regenerate:\n\n    {command.strip()}\n\n"
            + f"Measured with Python {platform.python_version()} on {platform.machine()}, "
            + f"{os.cpu_count()} cores; {note}.\n\n{table}\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
