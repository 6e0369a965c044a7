"""Damaged and foreign database files get one clear error at once; writers go before readers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from analysis.conftest import START, make_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_shared import _db

from dyadwatch.errors import StoreError
from dyadwatch.store import EventQuery, Store
from dyadwatch.store._intent import lock_path, writer_waiting
from dyadwatch.store.shared import SharedReader


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a real store with rows in several tables."""
    db = tmp_path_factory.mktemp("good") / "good.duckdb"
    with Store(db) as store:
        store.write_batch(
            events=[
                make_event(START, "RUS", "CHN", "042", 1.9, f"a{number}") for number in range(400)
            ]
        )
    return db.read_bytes()


def _opened(db: Path) -> float:
    """Seconds until opening ``db`` (read-write, prepared to wait a minute for a lock) fails."""
    started = time.monotonic()
    with pytest.raises(StoreError, match=db.name) as raised, Store(db, wait_s=60):
        pass
    assert "in use by another process" not in str(raised.value)
    return time.monotonic() - started


def test_a_flipped_checksum_byte_is_named_as_damage_at_once(good: bytes, tmp_path: Path) -> None:
    db = tmp_path / "flipped.duckdb"
    damaged = bytearray(good)
    damaged[4100] ^= 0xFF  # inside the first database header: its checksum no longer matches
    db.write_bytes(bytes(damaged))
    assert _opened(db) < 5  # was: 60 s of waiting for a "lock" (the message says "block")


def test_a_truncated_file_is_refused_when_opened_not_at_a_later_query(
    good: bytes, tmp_path: Path
) -> None:
    db = tmp_path / "half.duckdb"
    db.write_bytes(good[: len(good) // 2])
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"half\.duckdb: damaged DuckDB file: truncated"):
        Store(db, read_only=True, wait_s=60)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is not a database\n", bytes(range(256)) * 64, "sqlite"],
    ids=["empty", "text", "binary", "sqlite"],
)
def test_foreign_files_are_refused_in_one_line(content: bytes | str, tmp_path: Path) -> None:
    db = tmp_path / "foreign.duckdb"
    if content == "sqlite":
        sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.commit()
    else:
        assert isinstance(content, bytes)
        db.write_bytes(content)
    before = db.read_bytes()
    cli = subprocess.run(
        [sys.executable, "-m", "dyadwatch", "events", "--db", str(db)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert cli.returncode == 1
    assert "Traceback" not in cli.stderr
    assert cli.stderr.count("\n") == 1 and "foreign.duckdb" in cli.stderr
    assert db.read_bytes() == before  # nothing written to someone else's file


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(cut=st.floats(0.0, 0.95), flips=st.lists(st.integers(0, 10**9), max_size=3))
def test_any_damage_is_a_store_error_or_a_readable_store(
    good: bytes, tmp_path: Path, cut: float, flips: list[int]
) -> None:
    """Whatever was cut off or flipped, opening takes seconds and fails as StoreError, or the
    store opens; queries on a store that opened fail, if at all, as database errors."""
    damaged = bytearray(good[: max(1, int(len(good) * (1 - cut)))])
    for position in flips:
        damaged[position % len(damaged)] ^= 0xFF
    db = tmp_path / "fuzzed.duckdb"
    db.write_bytes(bytes(damaged))
    started = time.monotonic()
    try:
        with Store(db, read_only=True, wait_s=60) as store:
            store.count_events()
    except StoreError as error:
        assert "fuzzed.duckdb" in str(error)
    except Exception as error:  # a block damaged inside: DuckDB says so when a query reads it
        assert type(error).__module__.startswith(("duckdb", "_duckdb")), repr(error)
    finally:
        db.unlink()
    assert time.monotonic() - started < 10


HOLDER = textwrap.dedent(
    """
    import sys, time
    from dyadwatch.store import Store
    with Store(sys.argv[1], wait_s=60) as store:
        print("writing", flush=True)
        time.sleep(float(sys.argv[2]))
    print("closed", flush=True)
    """
)


def test_a_writer_gets_in_while_readers_keep_asking(tmp_path: Path) -> None:
    db = _db(tmp_path / "busy.duckdb")
    reader = SharedReader(db, keep_s=60)  # idle closing alone would never let the writer in
    stop = threading.Event()
    answers: list[int] = []
    failures: list[BaseException] = []

    def ask() -> None:
        while not stop.is_set():
            try:
                with reader.session() as store:
                    answers.append(store.count_events())
            except BaseException as error:
                failures.append(error)
            time.sleep(0.01)

    askers = [threading.Thread(target=ask) for _ in range(3)]
    for asker in askers:
        asker.start()
    try:
        time.sleep(0.3)
        started = time.monotonic()
        writer = subprocess.run(
            [sys.executable, "-c", HOLDER, str(db), "0.5"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        took = time.monotonic() - started
        assert writer.returncode == 0, writer.stderr
        time.sleep(0.3)
    finally:
        stop.set()
        for asker in askers:
            asker.join(timeout=30)
    assert not failures, failures[:3]
    assert took < 8  # the interpreter starts, the reader yields, the writer holds 0.5 s
    assert reader.yielded >= 1 and len(answers) > 30
    reader.close()


def test_a_killed_writer_leaves_no_lock_behind(tmp_path: Path) -> None:
    db = _db(tmp_path / "killed.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "60"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "writing"
        assert writer_waiting(db)
        with pytest.raises(StoreError, match="writer"), Store(db, read_only=True, wait_s=0.2):
            pass
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.communicate(timeout=30)
    assert lock_path(db).exists() and not writer_waiting(db)
    with Store(db, read_only=True) as store:
        assert store.count_events() == 1


def test_a_block_damaged_inside_the_file_is_one_line_from_the_cli(
    good: bytes, tmp_path: Path
) -> None:
    """The header is sound, so the file opens; the first query to read the block fails."""
    db = tmp_path / "inside.duckdb"
    for block in range(len(good) // 262_144):
        damaged = bytearray(good)
        damaged[12_288 + block * 262_144 + 100] ^= 0xFF
        db.write_bytes(bytes(damaged))
        try:
            with Store(db, read_only=True) as store:
                store.events(EventQuery(limit=10_000))
        except StoreError:
            continue  # found when opening: the other tests' case
        except Exception:
            break  # opens, then a query fails: this case
    else:
        pytest.skip("no block of this file is read only by queries")
    cli = subprocess.run(
        [sys.executable, "-m", "dyadwatch", "events", "--db", str(db), "--format", "jsonl"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert cli.returncode == 1 and "Traceback" not in cli.stderr, cli.stderr
    assert cli.stderr.startswith("error: database error:") and cli.stderr.count("\n") == 1
