"""Opening a DuckDB file: what is not a DuckDB database, or is damaged, is refused at once with
one clear message; a file another process holds is retried, then reported busy."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from dyadwatch.errors import StoreBusy, StoreError

_CONFIG: dict[str, str | bool | int | float | list[str]] = {"autoinstall_known_extensions": False}
"""Nothing is downloaded: a store needs no extension beyond those DuckDB is built with."""
_LOCKED = ("could not set lock", "conflicting lock", "different configuration than existing")
"""How DuckDB says that another process, or another connection of this one, has the file
open in the other mode (and nothing else it says: a checksum error speaks of a "block", which
is not a lock)."""


_MAGIC = b"DUCK"
"""What a DuckDB file holds at bytes 8-11."""


def _check_kind(path: Path) -> None:
    """Refuse a file that is not a DuckDB database before DuckDB tries to read it (given a
    SQLite file, DuckDB would go looking for its SQLite extension)."""
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror or error}") from error
    if head and head[8:12] != _MAGIC:
        starts = head.split(b"\0")[0][:16]
        raise StoreError(f"{path}: not a DuckDB database file (it starts with {starts!r})")


def connect(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    """Open ``path`` with DuckDB, retrying while another process has it open for up to
    ``wait_s`` seconds (``StoreBusy`` after that); a damaged or foreign file is a ``StoreError``."""
    _check_kind(path)
    deadline = time.monotonic() + wait_s
    pause = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=_CONFIG)
        except duckdb.Error as error:
            message = " ".join(str(error).split())
            locked = any(sign in message.lower() for sign in _LOCKED)
            left = deadline - time.monotonic()
            if not locked or left <= 0:
                busy = StoreBusy if locked else StoreError
                raise busy(f"{path}: {_why_not_opened(message, locked)}") from error
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.1)


def _why_not_opened(message: str, locked: bool) -> str:
    if locked:
        return f"in use by another process: {message}"
    if "corrupt" in message.lower() or "checksum" in message.lower():
        return f"damaged DuckDB file (a checksum does not match; restore it from a copy): {message}"
    return f"cannot open as a DuckDB database: {message}"


def check_size(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file too short to hold the blocks in use (a truncated copy): DuckDB would open it
    and fail only when a query reaches a missing block. (Free blocks at the end may be cut off
    the file, so only the used ones count.)"""
    row = con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchone()
    if row is None or not row[0]:
        return
    expected = _HEADER_BYTES + int(row[0]) * int(row[1])
    actual = path.stat().st_size
    if actual < expected:
        raise StoreError(
            f"{path}: damaged DuckDB file: truncated to {actual:,} bytes, the blocks it uses "
            f"need {expected:,} (restore it from a copy)"
        )


_HEADER_BYTES = 3 * 4096
"""DuckDB's file header and its two database headers, before the first block."""
