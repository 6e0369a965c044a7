"""Writers go first: a writer announces itself before opening the database, readers yield.

DuckDB lets one process open a file to write, or any number to read, never both. A reader that
keeps the file open (a server) or keeps reopening it (a dashboard polling once a second) can
then lock a writer out for as long as it keeps coming. So a process that wants to write holds an
exclusive ``flock`` on ``<db>.lock`` from before it opens the database until after it has closed
it; readers test that lock (a shared, non-blocking ``flock``) before they open the file and,
while they hold it open, before each use, and step aside while it is held. The kernel lets go of
the lock when its holder exits, SIGKILL included, so a crashed writer never blocks anyone. The
file itself stays beside the database (removing a lock file races with the next writer).

Where ``fcntl`` does not exist (Windows) nothing is announced and readers never yield: writers
then get in between readers' visits, as DuckDB allows.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from dyadwatch.errors import StoreBusy, StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

_POLL_S = 0.02
_held: dict[Path, tuple[int, int]] = {}  # lock file -> (descriptor, holders in this process)
_held_lock = threading.Lock()


def lock_path(db: Path) -> Path:
    """The file whose exclusive lock says that a writer has, or waits for, ``db``."""
    return db.with_name(db.name + ".lock")


def writer_waiting(db: Path) -> bool:
    """Whether a writer (in any process) holds ``db`` open to write or is waiting to."""
    if fcntl is None:
        return False
    path = lock_path(db).resolve()
    with _held_lock:
        if path in _held:
            return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # no writer has ever announced itself here, or we may not look
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # closing drops the shared lock we may have taken
    return False


def wait_for_writers(db: Path, wait_s: float) -> None:
    """Return once no writer wants ``db``; raise ``StoreError`` after ``wait_s`` seconds."""
    deadline = time.monotonic() + wait_s
    while writer_waiting(db):
        if time.monotonic() >= deadline:
            raise StoreBusy(f"{db}: a writer has it open; still busy after {wait_s:g} s")
        time.sleep(_POLL_S)


def announce_writer(db: Path, wait_s: float) -> None:
    """Take the writer's lock of ``db`` (re-entrant within this process), waiting up to
    ``wait_s`` seconds for another process's writer to finish."""
    if fcntl is None:
        return
    path = lock_path(db).resolve()
    with _held_lock:
        if path in _held:
            fd, holders = _held[path]
            _held[path] = (fd, holders + 1)
            return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StoreError(
            f"{db}: cannot create the writer's lock file {path.name}: {error}"
        ) from error
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreBusy(
                    f"{db}: in use by another writer; still busy after {wait_s:g} s"
                ) from None
            time.sleep(_POLL_S)
    with _held_lock:
        _held[path] = (fd, 1)


def withdraw_writer(db: Path) -> None:
    """Let go of the writer's lock that ``announce_writer`` took."""
    if fcntl is None:
        return
    path = lock_path(db).resolve()
    with _held_lock:
        if path not in _held:
            return
        fd, holders = _held[path]
        if holders > 1:
            _held[path] = (fd, holders - 1)
            return
        del _held[path]
    os.close(fd)  # closing the descriptor releases the flock
