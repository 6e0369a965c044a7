"""Downloads of what the REST API lists: every matching row (up to :data:`MAX_DOWNLOAD`) as a
CSV or JSON Lines attachment, read from the database a chunk at a time and written out before
the response starts, so a slow client never holds the database."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from typing import IO, Any

from fastapi.responses import Response, StreamingResponse

MAX_DOWNLOAD = 100_000  # rows in one download (format=csv|jsonl); the rest are left out, said so
_DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}

Fetch = Callable[[int, int], list[dict[str, Any]]]
"""A page of a listing: ``fetch(limit, offset)``."""
_CHUNK_ROWS = 5_000
_SPOOL_BYTES = 8 << 20  # a download in memory up to this size, then in a temporary file


def read_pages(fetch: Fetch, most: int = MAX_DOWNLOAD + 1) -> Iterator[dict[str, Any]]:
    """Up to ``most`` rows of a listing, read from the database a chunk at a time (one more
    than a download holds, to tell whether rows were left out)."""
    offset = 0
    while offset < most:
        size = min(_CHUNK_ROWS, most - offset)
        rows = fetch(size, offset)
        yield from rows
        if len(rows) < size:
            return
        offset += size


def download_response(
    name: str, fmt: str, rows: Iterable[dict[str, Any]], total: int | None = None
) -> Response:
    """The first :data:`MAX_DOWNLOAD` of ``rows`` as a CSV or JSON Lines attachment, written
    out before the response starts (so the database is not held while a client reads).
    ``total``, the rows that matched when known, and how many the file holds go in headers
    (X-Total-Count, X-Row-Count); X-Truncated says so when rows were left out."""
    remaining = iter(rows)
    body, written = _spool(fmt, islice(remaining, MAX_DOWNLOAD))
    cut = next(remaining, None) is not None
    if total is None and not cut:
        total = written
    headers = {
        "Content-Disposition": f'attachment; filename="dyadwatch-{name}.{fmt}"',
        "Content-Length": str(body.tell()),
        "X-Row-Count": str(written),
    }
    if total is not None:
        headers["X-Total-Count"] = str(total)
    if cut:
        of = "" if total is None else f" of {total}"
        headers["X-Truncated"] = (
            f"the first {written}{of} rows: a download holds at most {MAX_DOWNLOAD}; "
            "narrow the filters for the rest"
        )
    body.seek(0)
    return StreamingResponse(_blocks(body), media_type=_DOWNLOAD_TYPES[fmt], headers=headers)


def _spool(fmt: str, rows: Iterable[dict[str, Any]]) -> tuple[IO[bytes], int]:
    """``rows`` written as CSV (columns those of the first row; a cell a spreadsheet would run
    as a formula gets a leading ', as the CLI's CSV) or JSON Lines to a temporary file; the
    file, at its end, and how many rows it holds."""
    from dyadwatch._cli_output import csv_cell  # the CLI's module: loaded on a first download

    # Returned open, at its end: _blocks reads and closes it.
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115
    written = 0
    columns: list[str] = []
    source = iter(rows)
    try:
        while chunk := list(islice(source, 1000)):
            text = io.StringIO()
            if fmt == "jsonl":
                for row in chunk:
                    text.write(json.dumps(row, ensure_ascii=False, default=_json_value) + "\n")
            else:
                writer = csv.writer(text)
                if not columns:
                    columns = list(chunk[0])
                    writer.writerow(columns)
                writer.writerows([csv_cell(_iso(row.get(key))) for key in columns] for row in chunk)
            out.write(text.getvalue().encode())
            written += len(chunk)
    except BaseException:
        out.close()
        raise
    return out, written


def _iso(value: Any) -> Any:
    """Dates and times as ISO 8601 (as the JSON answers give them); other values as they are."""
    return value.isoformat() if isinstance(value, date) else value


def _json_value(value: Any) -> str:
    return str(_iso(value))


def _blocks(body: IO[bytes]) -> Iterator[bytes]:
    try:
        while block := body.read(64 << 10):
            yield block
    finally:
        body.close()
