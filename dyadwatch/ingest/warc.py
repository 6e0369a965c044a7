"""Web archives: the HTML pages of a WARC file (``.warc`` or ``.warc.gz``), read with warcio.

Each ``response`` (or ``resource``) record that holds an HTML or text page becomes one
RawDocument whose ``url`` is the record's target URI and whose ``fetched_at`` is its WARC-Date;
``origin`` names the file and the record's byte offset, so the record can be found again.
Requests, metadata, revisits and non-page payloads (images, scripts, styles) are not pages and
are passed over; a page that cannot be used (an HTTP error status, an empty or undecodable
body, a truncated record) is a Skipped naming the file, the offset and the reason. A damaged
archive stops at the damage: the records before it are kept and the damage is named.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from dyadwatch.ingest._decode import (
    MAX_BYTES,
    Unreadable,
    http_document,
    os_reason,
    path_label,
)
from dyadwatch.ingest._isolate import one_item, unexpected
from dyadwatch.records import RawDocument, Skipped

_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_PAGE_RECORDS = ("response", "resource")


def read_warc(path: Path) -> Iterator[RawDocument | Skipped]:
    """Yield a RawDocument per HTML or text page in the WARC file ``path``."""
    label = path_label(path)
    offset = ended = 0
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream, check_digests=False)
            for record in records:
                if record.rec_type is None or record.length is None:
                    records.read_to_end()
                    offset = records.get_record_offset()
                    yield _damaged(label, offset, "a record without WARC headers (truncated?)")
                    return
                if record.rec_type not in _PAGE_RECORDS:
                    records.read_to_end()
                    offset = records.get_record_offset()
                    if _cut_short(record):
                        yield _damaged(label, offset, "a record is cut short (truncated archive)")
                        return
                    ended = offset + records.get_record_length()
                    continue
                payload: bytes | Exception | None
                try:
                    payload = _payload(record)
                except Exception as problem:  # one record's failure is that record's alone
                    payload = problem
                # warcio knows a record's offset only once the record has been read.
                offset = records.get_record_offset()
                item = f"{label}@{offset}"
                records.read_to_end()
                if _cut_short(record):
                    yield _damaged(label, offset, "a record is cut short (truncated archive)")
                    return
                ended = offset + records.get_record_length()
                if isinstance(payload, Exception):
                    reason = (
                        payload.reason if isinstance(payload, Unreadable) else unexpected(payload)
                    )
                    yield Skipped(stage="ingest", item=item, reason=reason)
                elif payload is not None:
                    yield one_item(item, _page, record, payload, item)
        cut = _truncation(path, ended)
        if cut is not None:
            yield _damaged(label, ended, cut)
    except ArchiveLoadFailed as error:
        reason = str(error.msg if hasattr(error, "msg") else error).strip() or "not a WARC record"
        yield _damaged(label, offset, reason)
    except OSError as error:
        yield _damaged(label, offset, os_reason(error))
    except Exception as error:  # warcio fails on damage in many ways
        yield _damaged(label, offset, f"{type(error).__name__}: {error}".rstrip(": "))


def _damaged(label: str, offset: int, reason: str) -> Skipped:
    return Skipped(stage="ingest", item=f"{label}@{offset}", reason=f"damaged WARC: {reason}")


def _cut_short(record: object) -> bool:
    """Whether the file ended before the record's declared length."""
    return int(getattr(record.raw_stream, "limit", 0) or 0) > 0  # type: ignore[attr-defined]


def _truncation(path: Path, ended: int) -> str | None:
    """Why the archive is cut short, or None: warcio stops quietly at a truncated record."""
    size = path.stat().st_size
    if ended < size:
        with path.open("rb") as stream:
            stream.seek(ended)
            tail = stream.read(65536)
        if tail.strip() or len(tail) == 65536:
            return f"unreadable data after byte {ended} of {size} (a truncated or damaged record)"
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.open(path, "rb") as stream:
                while stream.read(1 << 20):
                    pass
        except (OSError, EOFError, zlib.error) as error:
            return f"truncated or corrupt gzip ({error})"
    return None


def _payload(record: object) -> bytes | None:
    """The payload of a record that holds a page, None for records that do not, or Unreadable."""
    http = record.http_headers  # type: ignore[attr-defined]
    media_type = _content_type(http.get_header("Content-Type") if http else None) or _content_type(
        record.rec_headers.get_header("Content-Type")  # type: ignore[attr-defined]
    )
    if media_type not in _PAGE_TYPES:
        return None
    if http is not None:
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            raise Unreadable(f"HTTP status {status or 'missing'}, not a page")
    data: bytes = record.content_stream().read(MAX_BYTES + 1)  # type: ignore[attr-defined]
    if len(data) > MAX_BYTES:
        raise Unreadable(f"page larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise Unreadable("empty page")
    return data


def _page(record: object, data: bytes, item: str) -> RawDocument:
    """The RawDocument for a page's payload, or Unreadable."""
    headers = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers  # type: ignore[attr-defined]
    content_type = http.get_header("Content-Type") if http else None
    return http_document(
        data,
        origin=item,
        url=headers.get_header("WARC-Target-URI") or None,
        fetched_at=_warc_date(headers.get_header("WARC-Date")),
        media_type=_content_type(content_type),
        charset=_charset(content_type),
    )


def _content_type(value: str | None) -> str | None:
    return value.split(";", 1)[0].strip().lower() if value else None


def _charset(value: str | None) -> str | None:
    for part in (value or "").split(";")[1:]:
        key, _, charset = part.partition("=")
        if key.strip().lower() == "charset" and charset.strip():
            return charset.strip().strip("\"'")
    return None


def _warc_date(value: str | None) -> datetime:
    """WARC-Date (ISO 8601, UTC) as an aware datetime; now when missing or malformed."""
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)
