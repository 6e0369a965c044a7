"""A read-only store shared by the threads of a server, kept open only while it is in use.

DuckDB keeps its decompressed data in the open database, so reopening the file for every request
makes each one start cold (tens of milliseconds at a million events). Holding it open for good
would lock out ``dyadwatch run``. The middle way: one database opened on the first request,
shared by concurrent requests through their own cursors, and closed once it has been idle for
``keep_s`` seconds — a page's burst of requests is served warm, and a writer gets in between.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dyadwatch.store.duckdb import Store


class SharedReader:
    """Hands out read-only sessions on ``path``; see the module docstring."""

    def __init__(self, path: Path, *, keep_s: float = 2.0) -> None:
        self.path = path
        self.keep_s = keep_s
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._users = 0
        self._last_used = 0.0
        self._closer: threading.Timer | None = None

    @contextmanager
    def session(self) -> Iterator[Store]:
        """A read-only :class:`Store` for one request (its own cursor on the shared database)."""
        with self._lock:
            if self._store is None:
                self._store = Store(self.path, read_only=True)
            self._users += 1
            try:
                session = self._store.session()
            except BaseException:
                self._users -= 1
                raise
        try:
            yield session
        finally:
            session.close()
            with self._lock:
                self._users -= 1
                self._last_used = time.monotonic()
                self._schedule_close()

    def _schedule_close(self) -> None:
        if self._closer is None:
            self._closer = threading.Timer(self.keep_s, self._close_if_idle)
            self._closer.daemon = True
            self._closer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            self._closer = None
            if self._store is None:
                return
            idle = time.monotonic() - self._last_used
            if self._users == 0 and idle >= self.keep_s:
                self._store.close()
                self._store = None
            else:
                self._closer = threading.Timer(max(0.05, self.keep_s - idle), self._close_if_idle)
                self._closer.daemon = True
                self._closer.start()

    @property
    def is_open(self) -> bool:
        """Whether the database file is open now."""
        with self._lock:
            return self._store is not None

    def close(self) -> None:
        """Close the database now (when no session is in use) and stop the timer."""
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
                self._closer = None
            if self._store is not None and self._users == 0:
                self._store.close()
                self._store = None
