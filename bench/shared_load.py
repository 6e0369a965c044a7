"""A run writing while the dashboard is in use: the run's time, and how the server answers.

Builds the pipeline benchmark's corpus (real HTML pages of ../shared/anchors, see
bench/pipeline.py), then runs ``dyadwatch run`` on it (a real subprocess, batches of
``--batch`` pages) into an empty store three times: with nobody reading, with a dashboard
polling the overview's five requests once a second, and with four clients asking as fast as
answers come. Prints a table: run seconds and the ratio to the unpolled run, the store stage's
seconds (writes, including any wait for the file), requests answered, refused, and the answer
times.

    python bench/shared_load.py                       # 300 pages, batches of 25
    python bench/shared_load.py --markdown docs/concurrency.md
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from pipeline import DEFAULT_SHARED, build_corpus
from serve import p95, serve

from dyadwatch.store import Store

POLLED = ("/api/stats", "/api/dyads", "/api/volume", "/api/events?limit=50", "/api/alerts")
LOADS = (
    ("nobody reading", 0, 0.0),
    ("dashboard, every 1 s", 1, 1.0),
    ("4 clients, no pause", 4, 0.0),
)


def timed_run(corpus: Path, db: Path, batch: int) -> tuple[float, float]:
    """(run seconds, store-stage seconds) of ``dyadwatch run corpus --db db``."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dyadwatch", "run", str(corpus), "--db", str(db), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DYADWATCH_STORE__BATCH_SIZE": str(batch)},
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"run failed: {done.stderr.strip()[-500:]}")
    stages = json.loads(done.stdout).get("stages", {})
    return seconds, float(stages.get("store", {}).get("seconds", float("nan")))


def poll(base: str, pause: float, stop: threading.Event, answers: list[tuple[int, float]]) -> None:
    """Ask for the overview's requests, then wait ``pause`` seconds, until ``stop``."""
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            for path in POLLED:
                asked = time.perf_counter()
                status = client.get(path).status_code
                answers.append((status, time.perf_counter() - asked))
            stop.wait(pause)


def measure(
    corpus: Path, work: Path, batch: int
) -> list[tuple[str, float, float, int, int, list[float]]]:
    rows = []
    for label, clients, pause in LOADS:
        db = work / f"{clients}-{pause}.duckdb"
        Store(db).close()
        answers: list[tuple[int, float]] = []
        stop = threading.Event()
        server = None
        if clients:
            server, thread, base = serve(db)
            pollers = [
                threading.Thread(target=poll, args=(base, pause, stop, answers))
                for _ in range(clients)
            ]
            for poller in pollers:
                poller.start()
        seconds, store_s = timed_run(corpus, db, batch)
        stop.set()
        if server is not None:
            for poller in pollers:
                poller.join()
            server.should_exit = True
            thread.join(timeout=10)
        refused = sum(1 for status, _ in answers if status != 200)
        times = [answer for _, answer in answers]
        rows.append((label, seconds, store_s, len(answers), refused, times))
    return rows


def report(
    rows: list[tuple[str, float, float, int, int, list[float]]], pages: int, batch: int
) -> str:
    alone = rows[0][1]
    lines = [
        f"`dyadwatch run` on {pages} benchmark pages, batches of {batch}, while the server is used",
        "",
        "| readers | run s | × alone | store stage s | answers | refused | p50 ms | p95 ms "
        "| max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, seconds, store_s, answered, refused, times in rows:
        if times:
            p50, high, top = (statistics.median(times), p95(times), max(times))
            timing = f"{p50 * 1000:.0f} | {high * 1000:.0f} | {top * 1000:.0f}"
        else:
            timing = "– | – | –"
        lines.append(
            f"| {label} | {seconds:.1f} | {seconds / alone:.2f} | {store_s:.1f} | {answered} | "
            f"{refused} | {timing} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/dyadwatch-bench-corpus"))
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    if not (args.shared / "anchors").is_dir():
        parser.error(f"{args.shared}/anchors not found: the corpus is built from its pages")
    corpus = build_corpus(args.shared, args.pages, args.corpus)
    with tempfile.TemporaryDirectory() as work:
        table = report(measure(corpus, Path(work), args.batch), args.pages, args.batch)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
