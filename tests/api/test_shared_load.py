"""A dashboard polling the server while `dyadwatch run` writes: neither waits on the other."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from test_crash_safety import rows, write_corpus

from api.conftest import serving
from dyadwatch.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.alone]  # compares run times: nothing beside it

POLLED = ("/api/stats", "/api/dyads", "/api/volume", "/api/events?limit=50", "/api/alerts")
"""What the dashboard's overview and event table ask for."""
EVERY_S = 0.5
"""How often the dashboard asks again (the issue's page polled once a second, twice as often)."""


def _timed_run(corpus: Path, db: Path) -> float:
    """Seconds a real `dyadwatch run` takes to store ``corpus`` in ``db``, batch by batch."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dyadwatch", "run", str(corpus), "--db", str(db), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DYADWATCH_STORE__BATCH_SIZE": "4"},
    )
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def test_a_polling_dashboard_never_holds_up_a_run(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", pages=60)
    quiet, polled = tmp_path / "quiet.duckdb", tmp_path / "polled.duckdb"
    for db in (quiet, polled):
        Store(db).close()  # both runs start from an empty store the server can open
    quiet_s = _timed_run(corpus, quiet)

    answers: list[tuple[str, int, float]] = []
    stop = threading.Event()

    def poll(base: str) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while not stop.is_set():
                for path in POLLED:
                    asked = time.perf_counter()
                    status = client.get(path).status_code
                    answers.append((path, status, time.perf_counter() - asked))
                stop.wait(EVERY_S)

    with serving(polled) as base:
        pollers = [threading.Thread(target=poll, args=(base,))]
        for poller in pollers:
            poller.start()
        try:
            polled_s = _timed_run(corpus, polled)
        finally:
            stop.set()
            for poller in pollers:
                poller.join(timeout=60)

    assert rows(polled) == rows(quiet)
    refused = [(path, status) for path, status, _ in answers if status != 200]
    assert not refused, f"the server refused {len(refused)} of {len(answers)}: {refused[:5]}"
    rounds = len(answers) / len(POLLED)
    assert rounds >= polled_s / (2 * EVERY_S), "the server stopped answering during the run"
    slowest = max(seconds for _, _, seconds in answers)
    assert polled_s <= 1.5 * quiet_s, (
        f"polled run {polled_s:.1f} s vs {quiet_s:.1f} s unpolled; slowest answer {slowest:.2f} s"
    )
