"""A read-only store shared by the threads of a server, which steps aside whenever a writer
wants the file.

DuckDB keeps its decompressed data in the open database, so reopening the file for every request
makes each one start cold (tens of milliseconds at a million events), and one database shared by
concurrent requests through their own cursors serves them warm. But DuckDB lets no process write
a file another has open, and a dashboard polling once a second would keep it open for good.

So the reader yields to writers (see ``_intent``): a writer holds ``<db>.lock`` from before it
opens the file until it has closed it. While the database is open here, a watcher looks at that
lock every ``_WATCH_S`` seconds and closes the database as soon as the requests in flight have
finished; new requests wait for the writer to close the file (one batch of a run: well under a
second to a few seconds) and are then served from the reopened file, with the new batch in it.
A writer thus gets in within about one request's time, and readers are delayed, never refused,
unless a writer holds the file for longer than ``writer_wait_s`` (a program that does not
announce itself is waited for the same way, through DuckDB's own lock). The database is also closed
after ``keep_s`` idle seconds, for writers that do not announce themselves (other programs).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dyadwatch.errors import StoreBusy
from dyadwatch.store._intent import wait_for_writers, writer_waiting
from dyadwatch.store.duckdb import Store

_WATCH_S = 0.05
_RETRY_S = 0.05


class SharedReader:
    """Hands out read-only sessions on ``path``; see the module docstring."""

    def __init__(self, path: Path, *, keep_s: float = 2.0, writer_wait_s: float = 30.0) -> None:
        self.path = path
        self.keep_s = keep_s
        self.writer_wait_s = writer_wait_s
        self._lock = threading.Condition()
        self._store: Store | None = None
        self._users = 0
        self._last_used = 0.0
        self._watcher: threading.Thread | None = None
        self.yielded = 0
        """How many times the database was closed for a writer (for tests and logs)."""

    @contextmanager
    def session(self) -> Iterator[Store]:
        """A read-only :class:`Store` for one request (its own cursor on the shared database).
        Waits while a writer has, or wants, the file; ``StoreError`` after ``writer_wait_s``."""
        deadline = time.monotonic() + self.writer_wait_s
        while True:
            wait_for_writers(self.path, max(0.0, deadline - time.monotonic()))
            with self._lock:
                if self._store is not None and writer_waiting(self.path):
                    continue  # the watcher closes it once the requests in flight are done
                if self._store is None:
                    try:
                        self._store = Store(self.path, read_only=True)
                    except StoreBusy:
                        if time.monotonic() >= deadline:
                            raise
                        self._lock.wait(_RETRY_S)  # a writer came in between: wait, as above
                        continue
                    self._last_used = time.monotonic()
                    self._start_watcher()
                session = self._store.session()
                self._users += 1
                break
        try:
            yield session
        finally:
            session.close()
            with self._lock:
                self._users -= 1
                self._last_used = time.monotonic()
                self._lock.notify_all()

    def _start_watcher(self) -> None:
        self._watcher = threading.Thread(
            target=self._watch, name=f"dyadwatch-reader-{self.path.name}", daemon=True
        )
        self._watcher.start()

    def _watch(self) -> None:
        """While the database is open: close it when a writer wants it or it has been idle."""
        while True:
            time.sleep(_WATCH_S)
            wanted = writer_waiting(self.path)
            with self._lock:
                if self._store is None:
                    return
                idle = self._users == 0 and time.monotonic() - self._last_used >= self.keep_s
                if wanted:
                    while self._users:  # let the requests in flight finish
                        self._lock.wait()
                    self.yielded += 1
                if wanted or idle:
                    self._store.close()
                    self._store = None
                    self._watcher = None
                    return

    @property
    def is_open(self) -> bool:
        """Whether the database file is open now."""
        with self._lock:
            return self._store is not None

    def close(self) -> None:
        """Close the database now (when no session is in use); the watcher then stops."""
        with self._lock:
            if self._store is not None and self._users == 0:
                self._store.close()
                self._store = None
