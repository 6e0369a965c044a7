"""SharedReader: one read-only database for a server's threads, let go when idle."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from analysis.conftest import START, make_event

from dyadwatch.errors import StoreBusy
from dyadwatch.store import Store
from dyadwatch.store.shared import SharedReader


def _db(path: Path) -> Path:
    with Store(path) as store:
        store.write_batch(events=[make_event(START, "RUS", "CHN", "042", 1.9, "a1")])
    return path


def test_sessions_share_one_database_and_let_it_go_when_idle(tmp_path: Path) -> None:
    db = _db(tmp_path / "shared.duckdb")
    reader = SharedReader(db, keep_s=0.3)
    counts: list[int] = []

    def ask() -> None:
        with reader.session() as store:
            counts.append(store.count_events())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts == [1] * 8 and reader.is_open
    time.sleep(1.0)
    assert not reader.is_open  # idle: the file is free for a writer
    with Store(db) as writer:
        writer.write_batch(events=[make_event(START, "USA", "IRN", "111", -4.0, "a2")])
    with reader.session() as store:
        assert store.count_events() == 2  # reopened, sees the new rows
    reader.close()
    assert not reader.is_open


def test_a_writer_in_another_process_makes_sessions_fail_cleanly(tmp_path: Path) -> None:
    db = _db(tmp_path / "locked.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(db)!r}); "
         "print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        reader = SharedReader(db, keep_s=0.1, writer_wait_s=0.5)
        started = time.monotonic()
        with pytest.raises(StoreBusy, match=r"locked\.duckdb"), reader.session():
            pass
        assert time.monotonic() - started >= 0.5  # waited for it, as for a writer that says so
        assert not reader.is_open
    finally:
        holder.communicate("", timeout=10)
    with reader.session() as store:
        assert store.count_events() == 1
    reader.close()
