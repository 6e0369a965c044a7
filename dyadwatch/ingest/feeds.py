"""News feeds: every entry of an RSS 0.9x/1.0/2.0 or Atom feed, read with feedparser.

An entry becomes one RawDocument: its full content (``content:encoded``, Atom ``content``) or
else its summary, as HTML; its link as ``url``; its title; and its date *as printed*
(``published``, else ``updated``) as the ``published`` hint — feedparser's parsed dates are in
UTC and drop the offset the outlet printed, so extraction parses the original string and keeps
it. ``origin`` is ``FILE#N`` for the N-th entry. An entry without text is a Skipped; a file that
is not a feed, or a feed too malformed to read, is a Skipped naming the file. Character
references to what is no character (``&#xD800;``, ``&#0;``, ``&#xFFFE;``, ``&#99999999;``) are
read as U+FFFD, so they break neither their entry nor the feed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import feedparser  # type: ignore[import-untyped]

from dyadwatch.ingest._decode import (
    Unreadable,
    looks_like_html,
    normalise_newlines,
)
from dyadwatch.ingest._isolate import one_item, unexpected
from dyadwatch.records import RawDocument, Skipped, content_id

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_REPLACEMENT_REF = b"&#xFFFD;"


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a file open an RSS, RDF or Atom document."""
    return _FEED_ROOT.search(head[:4096]) is not None


def read_feed(data: bytes, label: str, fetched_at: datetime) -> Iterator[RawDocument | Skipped]:
    """Yield a RawDocument per entry of the feed ``data`` (read from ``label``)."""
    if not looks_like_feed(data):
        yield _skip(label, "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> element)")
        return
    try:
        parsed = feedparser.parse(
            _valid_char_refs(data), sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as failure:  # feedparser fails on odd input in many ways
        yield _skip(label, f"malformed feed: {unexpected(failure)}")
        return
    entries = parsed.get("entries") or []
    if parsed.get("bozo") and not entries:
        problem = parsed.get("bozo_exception")
        yield _skip(label, f"malformed feed: {str(problem).strip() or type(problem).__name__}")
        return
    for number, entry in enumerate(entries, start=1):
        item = f"{label}#{number}"
        yield one_item(item, _entry, entry, item, fetched_at)
    if parsed.get("bozo"):
        error = parsed.get("bozo_exception")
        detail = str(error).strip() or type(error).__name__
        yield _skip(label, f"malformed feed: {detail} (read {len(entries)} entries before it)")


def _valid_char_refs(data: bytes) -> bytes:
    """``data`` with each numeric character reference to a code point XML does not allow
    (surrogates, NUL and other controls, U+FFFE/U+FFFF, beyond U+10FFFF) as ``&#xFFFD;``:
    feedparser turns them into characters it cannot encode and gives up on the whole feed."""
    return _CHAR_REF.sub(_valid_char_ref, data) if b"&#" in data else data


def _valid_char_ref(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    digits = hexadecimal or decimal
    if len(digits.lstrip(b"0")) > 8:
        return _REPLACEMENT_REF
    code = int(digits, 16 if hexadecimal else 10)
    allowed = (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )
    return match.group(0) if allowed else _REPLACEMENT_REF


def _entry(entry: dict[str, Any], item: str, fetched_at: datetime) -> RawDocument:
    body = _text(entry)
    if body is None:
        raise Unreadable("feed entry without content or summary")
    title = _string(entry.get("title"))
    link = _string(entry.get("link"))
    # dict.get: feedparser's own get maps a missing "published" to "updated" with a warning.
    printed = _string(dict.get(entry, "published")) or _string(dict.get(entry, "updated"))
    if not looks_like_html(body):
        body = "".join(f"<p>{_escape(part)}</p>" for part in body.split("\n\n") if part.strip())
    if "<html" not in body.lower():
        # A page as a site would serve it: the feed's headline as the title, the entry as body.
        head = f"<title>{_escape(title)}</title>" if title else ""
        body = f"<html><head>{head}</head><body><article>{body}</article></body></html>"
    page = normalise_newlines(body)
    key = content_id("feed-entry", link or "", title or "", printed or "", page)
    return RawDocument(
        doc_id=key,
        origin=item,
        media_type="text/html",
        text=page,
        encoding="utf-8",
        size=len(page.encode("utf-8")),
        fetched_at=fetched_at,
        url=link,
        title=title,
        published=printed,
    )


def _text(entry: dict[str, Any]) -> str | None:
    for content in entry.get("content") or []:
        value = _string(content.get("value"))
        if value:
            return value
    return _string(entry.get("summary")) or _string(entry.get("description"))


def _string(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _skip(item: str, reason: str) -> Skipped:
    return Skipped(stage="ingest", item=item, reason=reason)
