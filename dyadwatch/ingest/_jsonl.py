"""JSON Lines pages: one JSON object per line with ``text`` or ``html`` and optional hints."""

from __future__ import annotations

import codecs
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dyadwatch.ingest._decode import (
    MAX_BYTES,
    Unreadable,
    binary_format,
    byte_order_mark,
    decode,
    gzip_errors,
    looks_like_html,
    normalise_newlines,
    open_maybe_gzip,
    os_reason,
    path_label,
    sniff_binary,
)
from dyadwatch.ingest._isolate import one_item
from dyadwatch.records import MediaType, RawDocument, Skipped, content_id

_HEAD_BYTES = 64  # enough for every magic number and byte-order mark

GZIP_MAX_RATIO = 100
"""A compressed file may decompress to this many times its size (text compresses 3-20x) or
to :data:`GZIP_FLOOR` bytes, whichever is more; beyond that it is a gzip bomb, not read on."""
GZIP_FLOOR = 256 * 2**20


@dataclass(frozen=True, slots=True, kw_only=True)
class JsonlFields:
    """Where a JSON Lines record keeps each part of a page: a key, or a dotted path into nested
    objects and arrays (``article.body``, ``links.0.href``). The defaults are dyadwatch's own
    layout; dumps of other shapes are read by naming their fields."""

    text: str = "text"
    html: str = "html"
    url: str = "url"
    title: str = "title"
    published: str = "published"

    def items(self) -> tuple[tuple[str, str], ...]:
        """``(part, path)`` for every part."""
        return tuple((name, getattr(self, name)) for name in _PARTS)


_PARTS = ("html", "text", "url", "title", "published")
DEFAULT_FIELDS = JsonlFields()


def read_jsonl(
    path: Path,
    *,
    compressed: bool,
    fetched_at: datetime,
    fields: JsonlFields = DEFAULT_FIELDS,
) -> Iterator[RawDocument | Skipped]:
    """Yield a RawDocument per good line of ``path``, a Skipped naming ``path:LINE`` per bad one."""
    name = path_label(path)
    lineno = 0
    junk, why = b"", ""  # the last line skipped, and why: a flood of one junk line is cheap
    try:
        with open_maybe_gzip(path, compressed=compressed) as stream:
            with gzip_errors():
                problem = _file_problem(stream.peek(_HEAD_BYTES)[:_HEAD_BYTES])
            if problem is not None:
                yield _skip(name, problem)
                return
            for lineno, line in _lines(stream, _decompressed_limit(path, stream)):
                if line is None:
                    yield _skip(
                        f"{name}:{lineno}", f"line too long (over {MAX_BYTES // 2**20} MiB)"
                    )
                    continue
                if lineno == 1:
                    binary = sniff_binary(line)
                    if binary is not None:  # junk from the first line on: one skip, not many
                        yield _skip(name, binary.replace("not text", "not JSON Lines"))
                        return
                    line = line.removeprefix(codecs.BOM_UTF8)
                line = line.strip()
                if not line:
                    continue
                where = f"{name}:{lineno}"
                if line == junk:
                    yield _skip(where, why)
                    continue
                item = one_item(where, _document, line, where, fetched_at, fields)
                if isinstance(item, Skipped):
                    junk, why = line, item.reason
                yield item
    except Unreadable as exc:
        after = f" after line {lineno}" if lineno else ""
        yield _skip(name, f"{exc.reason}{after}")
    except OSError as exc:
        yield _skip(name, os_reason(exc))


def _decompressed_limit(path: Path, stream: io.BufferedReader | gzip.GzipFile) -> int | None:
    """Bytes a compressed ``path`` may decompress to (see :data:`GZIP_MAX_RATIO`); None when
    ``stream`` is not compressed."""
    if not isinstance(stream, gzip.GzipFile):
        return None
    return max(GZIP_FLOOR, GZIP_MAX_RATIO * path.stat().st_size)


def _lines(
    stream: io.BufferedReader | gzip.GzipFile, limit: int | None
) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, bytes)``; ``None`` for a line over :data:`MAX_BYTES`. Unreadable
    once more than ``limit`` bytes (when given) have been read."""
    lineno = total = 0
    readline = stream.readline
    with gzip_errors():  # once for the whole file, not per line: a junk line costs little
        for line in iter(lambda: readline(MAX_BYTES + 1), b""):
            lineno += 1
            total += len(line)
            if limit is not None and total > limit:
                raise Unreadable(
                    f"decompresses to over {limit // 2**20} MiB, more than {GZIP_MAX_RATIO}"
                    " times its size (a gzip bomb?)"
                )
            if len(line) <= MAX_BYTES or line.endswith(b"\n"):
                yield lineno, line
                continue
            while line and not line.endswith(b"\n"):  # drop the rest of the overlong line
                line = readline(MAX_BYTES)
            yield lineno, None


def _file_problem(head: bytes) -> str | None:
    bom = byte_order_mark(head)
    if bom is not None and bom != "utf-8-sig":
        return f"{bom} text; JSON Lines must be UTF-8 (re-encode the file)"
    binary = binary_format(head)
    return None if binary is None else f"binary content ({binary}), not JSON Lines"


def _document(line: bytes, origin: str, fetched_at: datetime, fields: JsonlFields) -> RawDocument:
    binary = sniff_binary(line)
    if binary is not None:
        raise Unreadable(binary)
    try:
        text, encoding = line.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        _json_object(line.decode("latin-1"))  # junk is named before any encoding is guessed
        text, encoding = decode(line, html=False)
    record = _json_object(text)
    html, body = _field(record, "html", fields.html), _field(record, "text", fields.text)
    if html is None and body is None:
        raise Unreadable(
            f"no '{fields.text}' or '{fields.html}' field (each line needs one of them)"
        )
    # Both given: the HTML carries what extraction needs (dates, byline); the text is derived.
    media_type: MediaType = "text/plain"
    if html is not None and html.strip():
        page, media_type = html, "text/html"
    elif body is not None and body.strip():
        page = body
        if looks_like_html(body):
            media_type = "text/html"
    else:
        given = " and ".join(
            f"'{path}'"
            for path, value in ((fields.html, html), (fields.text, body))
            if value is not None
        )
        raise Unreadable(f"empty {given} (no text)")
    return RawDocument(
        doc_id=content_id(line),
        origin=origin,
        media_type=media_type,
        text=normalise_newlines(page),
        encoding=encoding,
        size=len(line),
        fetched_at=fetched_at,
        url=_hint(_field(record, "url", fields.url)),
        title=_hint(_field(record, "title", fields.title)),
        published=_hint(_field(record, "published", fields.published)),
    )


def _json_object(text: str) -> dict[str, Any]:
    """The JSON object ``text`` holds, or Unreadable."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise Unreadable("invalid JSON (nested too deeply)") from exc
    if not isinstance(record, dict):
        raise Unreadable(f"expected a JSON object, got {_json_type(record)}")
    return record


def _field(record: dict[str, Any], part: str, path: str) -> str | None:
    """The string at ``path`` in ``record``: a string as given, a text or HTML given as a list of
    strings (paragraphs) joined by blank lines, a number under ``published`` as Unix time; or
    Unreadable."""
    value: Any = record
    for key in path.split("."):
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            value = None
        if value is None:
            return None
    if part == "published" and isinstance(value, int | float) and not isinstance(value, bool):
        return _unix_time(value, path)
    paragraphs = part in ("text", "html") and isinstance(value, list) and value
    if paragraphs and all(isinstance(item, str) for item in value):
        value = "\n\n".join(value)
    if not isinstance(value, str):
        raise Unreadable(f"'{path}' must be a string, got {_json_type(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Unreadable(f"'{path}' holds an unpaired surrogate ({exc.reason})") from exc
    return value


def _unix_time(value: float, path: str) -> str:
    seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds, as JavaScript writes
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError) as exc:
        raise Unreadable(f"'{path}' is not a Unix time ({value})") from exc


def _hint(value: str | None) -> str | None:
    return value if value is not None and value.strip() else None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _skip(item: str, reason: str) -> Skipped:
    return Skipped(stage="ingest", item=item, reason=reason)
