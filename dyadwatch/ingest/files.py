"""Stage 1 from local files: paths (files or folders) -> RawDocument, or Skipped with the reason.

Supported: plain text (``.txt``, ``.text``), HTML (``.html``, ``.htm``, ``.xhtml``), JSON Lines
(``.jsonl``, ``.ndjson``: one page per line), RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``:
one page per entry), URL lists (``.urls``: one URL per line, fetched), each also
gzip-compressed (``.gz``); web archives (``.warc``, ``.warc.gz``: one page per HTML response
record); and http(s) URLs given as paths.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Literal

from dyadwatch.ingest._decode import (
    Unreadable,
    decode,
    looks_like_html,
    normalise_newlines,
    open_maybe_gzip,
    os_reason,
    path_label,
    read_limited,
    sniff_binary,
)
from dyadwatch.ingest._isolate import capped, isolated, one_item
from dyadwatch.ingest._jsonl import DEFAULT_FIELDS, JsonlFields, read_jsonl
from dyadwatch.ingest.feeds import read_feed
from dyadwatch.ingest.warc import read_warc
from dyadwatch.ingest.web import Fetcher, FetchPolicy, is_url, read_url_list
from dyadwatch.records import MediaType, RawDocument, Skipped, content_id

_Kind = Literal["text/plain", "text/html", "jsonl", "feed", "warc", "urls"]
_TEXT = frozenset({".txt", ".text"})
_HTML = frozenset({".html", ".htm", ".xhtml"})
_JSONL = frozenset({".jsonl", ".ndjson"})
_FEED = frozenset({".rss", ".atom", ".xml"})
SUPPORTED = (
    ".txt, .text, .html, .htm, .xhtml, .jsonl, .ndjson, .rss, .atom, .xml, .urls (each also as "
    ".gz), .warc, .warc.gz, and http(s) URLs"
)
"""The file types :func:`read_paths` reads, as listed in its messages."""

_OWN_FILES = (".duckdb", ".duckdb.wal")  # the store's own database, if kept next to the input


KnownUrls = Callable[[Sequence[str]], AbstractSet[str]]
"""Given URLs about to be fetched, those already stored (asked once per chunk of a list)."""

KNOWN_URLS_CHUNK = 500


@dataclass(slots=True)
class _Context:
    """What a walk over the inputs shares: how to fetch URLs, and which are stored already."""

    policy: FetchPolicy | None
    known_urls: KnownUrls | None
    jsonl: JsonlFields = DEFAULT_FIELDS
    seen_dirs: set[tuple[int, int]] = field(default_factory=set)
    fetcher: Fetcher | None = None

    def fetch(self, urls: Iterable[str]) -> Iterator[RawDocument | Skipped]:
        pending = iter(urls)
        while chunk := tuple(islice(pending, KNOWN_URLS_CHUNK)):
            known = self.known_urls(chunk) if self.known_urls is not None else set()
            for url in chunk:
                if url in known:
                    continue  # fetched by an earlier run: re-running adds nothing
                if self.fetcher is None:
                    self.fetcher = Fetcher(self.policy)
                yield from isolated(url, self.fetcher.fetch(url))


def read_paths(
    paths: Sequence[str | Path],
    *,
    fetch: FetchPolicy | None = None,
    known_urls: KnownUrls | None = None,
    jsonl: JsonlFields = DEFAULT_FIELDS,
) -> Iterator[RawDocument | Skipped]:
    """Yield a RawDocument per page in ``paths`` (files, folders, http(s) URLs and ``.urls``
    lists of URLs), or a Skipped saying why not. URLs are fetched under ``fetch`` (a polite
    default when None); those ``known_urls`` says are stored already are not fetched again.
    JSON Lines records are read through ``jsonl``, which names their fields.

    Nothing one input holds stops the others: what any page, line, entry or record raises is
    a Skipped naming it, and a file lists at most ``MAX_SKIPS_LISTED`` skips one by one (the
    rest are one Skipped that counts them)."""
    if isinstance(paths, str | Path):  # a str is a Sequence[str] too: one path, not its letters
        paths = [paths]
    context = _Context(policy=fetch, known_urls=known_urls, jsonl=jsonl)
    try:
        for path in paths:
            if isinstance(path, str) and is_url(path):
                yield from isolated(path, context.fetch([path]))
            else:
                yield from isolated(path_label(Path(path)), _read_path(Path(path), context))
    finally:
        if context.fetcher is not None:
            context.fetcher.close()


def list_inputs(paths: Sequence[str | Path]) -> list[str]:
    """The files and URLs ``read_paths`` reads for ``paths``, in its order (folders walked as
    it walks them); what cannot be listed is kept as given, for the reader to name why."""
    return _walk_inputs(paths)[0]


def _walk_inputs(paths: Sequence[str | Path]) -> tuple[list[str], int]:
    """:func:`list_inputs`, and how many folders the walk reached again (through symbolic
    links) and did not walk twice."""
    if isinstance(paths, str | Path):
        paths = [paths]
    found: list[str] = []
    seen_dirs: set[tuple[int, int]] = set()
    again = 0

    def walk(path: Path) -> None:
        try:
            info = path.stat()
        except OSError:
            found.append(str(path))
            return
        if not stat.S_ISDIR(info.st_mode):
            found.append(str(path))
            return
        key = (info.st_dev, info.st_ino)
        try:
            with os.scandir(path) as scan:
                names = sorted(entry.name for entry in scan)
        except OSError:
            found.append(str(path))
            return
        if key in seen_dirs:
            nonlocal again
            again += 1  # reached again through a symbolic link: its files are listed once
            return
        seen_dirs.add(key)
        for name in names:
            if not (name.startswith(".") or name.lower().endswith(_OWN_FILES)):
                walk(path / name)

    for path in paths:
        if isinstance(path, str) and is_url(path):
            found.append(path)
        else:
            walk(Path(path))
    return found, again


def listed_urls(inputs: Sequence[str]) -> list[str]:
    """The URLs ``inputs`` (as :func:`list_inputs` gives them) name: http(s) URLs, and the
    lines of ``.urls`` lists; a list that cannot be read names none (reading it says why)."""
    found: list[str] = []
    for item in inputs:
        if is_url(item):
            found.append(item)
            continue
        kind, compressed = _file_kind(Path(item).name)
        if kind == "urls":
            with contextlib.suppress(Unreadable, OSError):
                found += _url_list(Path(item), compressed)
    return found


def _url_list(path: Path, compressed: bool) -> list[str]:
    """The URLs a ``.urls`` list holds; raises ``Unreadable`` or ``OSError``."""
    with open_maybe_gzip(path, compressed=compressed) as stream:
        text, _ = decode(read_limited(stream), html=False)
    return read_url_list(text)


COUNT_LINES_UP_TO = 2_000_000_000
"""Bytes of plain JSON Lines and URL lists :func:`count_pages` reads to count their lines;
beyond that (and for feeds, archives and compressed lists) the count is left unknown."""


def count_pages(paths: Sequence[str | Path]) -> int | None:
    """Return how many items ``read_paths`` will yield (for a progress bar's ETA), counting
    the lines of plain JSON Lines and URL lists; None when feeds, archives or compressed
    lists make it unknown. Folders are walked as :func:`list_inputs` walks them (each once,
    whatever symbolic links lead back to them) and only regular files are opened: a FIFO,
    socket or device counts as the one Skipped the reader makes of it."""
    inputs, again = _walk_inputs(paths)
    total = again  # each folder reached again is one Skipped
    budget = COUNT_LINES_UP_TO
    for item in inputs:
        kind, compressed = (None, False) if is_url(item) else _file_kind(Path(item).name)
        size = None if kind is None else _regular_size(Path(item))
        if kind not in ("jsonl", "urls", "feed", "warc") or size is None:
            total += 1  # one page, or one Skipped (a missing file, a FIFO, socket or device)
        elif kind in ("feed", "warc") or compressed or size > budget:
            return None  # many pages per file, known only by reading it all
        else:
            budget -= size
            total += _count_lines(Path(item), comments=kind == "urls")
    return total


def _regular_size(path: Path) -> int | None:
    """The size of ``path`` if it is a regular file (never opened here), else None."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _count_lines(path: Path, *, comments: bool) -> int:
    """Non-blank lines of ``path`` (and not ``#`` comments when ``comments``); 1 if unreadable
    (the reader then yields one Skipped for it)."""
    try:
        with path.open("rb") as lines:
            return (
                sum(
                    1
                    for line in lines
                    if line.strip() and not (comments and line.lstrip().startswith(b"#"))
                )
                or 1
            )
    except OSError:
        return 1


def _read_path(path: Path, context: _Context) -> Iterator[RawDocument | Skipped]:
    try:
        info = path.stat()
    except FileNotFoundError:
        yield _skip(path, "no such file or directory")
        return
    except OSError as exc:
        yield _skip(path, os_reason(exc))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _read_folder(path, info, context)
    elif stat.S_ISREG(info.st_mode):
        label = path_label(path)
        yield from capped(label, isolated(label, _read_file(path, info, context)))
    else:
        yield _skip(path, "not a regular file or folder (a FIFO, socket or device is not read)")


def _read_folder(
    folder: Path, info: os.stat_result, context: _Context
) -> Iterator[RawDocument | Skipped]:
    seen_dirs = context.seen_dirs
    key = (info.st_dev, info.st_ino)
    if key in seen_dirs:  # kept for the whole walk: no folder is walked twice
        again = "folder already read (a symbolic link loops back to it or leads to it again)"
        yield _skip(folder, again)
        return
    seen_dirs.add(key)
    try:
        with os.scandir(folder) as scan:
            names = sorted(entry.name for entry in scan)
    except OSError as exc:
        yield _skip(folder, os_reason(exc))
        return
    for name in names:
        if name.startswith(".") or name.lower().endswith(_OWN_FILES):
            continue
        yield from _read_path(folder / name, context)


def _read_file(
    path: Path, info: os.stat_result, context: _Context
) -> Iterator[RawDocument | Skipped]:
    kind, compressed = _file_kind(path.name)
    if kind is None:
        suffix = "".join(path.suffixes[-2:]) if compressed else path.suffix
        what = f"'{suffix.lower()}'" if suffix else "(no extension)"
        yield _skip(path, f"unsupported file type {what}; supported: {SUPPORTED}")
        return
    fetched_at = datetime.fromtimestamp(info.st_mtime, UTC)
    if kind == "jsonl":
        yield from read_jsonl(
            path, compressed=compressed, fetched_at=fetched_at, fields=context.jsonl
        )
        return
    if kind == "warc":
        yield from read_warc(path)
        return
    if kind == "feed" or kind == "urls":  # mypy narrows only this form
        try:
            if kind == "urls":
                urls = _url_list(path, compressed)
            else:
                with open_maybe_gzip(path, compressed=compressed) as stream:
                    data = read_limited(stream)
        except Unreadable as exc:
            yield _skip(path, exc.reason)
            return
        except OSError as exc:
            yield _skip(path, os_reason(exc))
            return
        if kind == "urls":
            yield from context.fetch(urls)
        else:
            yield from read_feed(data, path_label(path), fetched_at)
        return
    yield one_item(path_label(path), _read_page, path, kind, compressed, fetched_at)


def _read_page(path: Path, kind: MediaType, compressed: bool, fetched_at: datetime) -> RawDocument:
    try:
        with open_maybe_gzip(path, compressed=compressed) as stream:
            data = read_limited(stream)
    except OSError as exc:
        raise Unreadable(os_reason(exc)) from exc
    if not data:
        raise Unreadable("empty file")
    binary = sniff_binary(data)
    if binary is not None:
        raise Unreadable(binary)
    is_html = kind == "text/html" or looks_like_html(data)
    text, encoding = decode(data, html=is_html)
    if not text.strip():
        raise Unreadable("whitespace-only file (no text)")
    return RawDocument(
        doc_id=content_id(data),
        origin=path_label(path),
        media_type="text/html" if is_html or looks_like_html(text) else "text/plain",
        text=normalise_newlines(text),
        encoding=encoding,
        size=len(data),
        fetched_at=fetched_at,
    )


def _file_kind(name: str) -> tuple[_Kind | None, bool]:
    lowered = name.lower()
    if lowered.endswith((".warc", ".warc.gz")):
        return "warc", False  # warcio reads per-record gzip itself
    compressed = lowered.endswith(".gz")
    stem = lowered.removesuffix(".gz") if compressed else lowered
    suffix = os.path.splitext(stem)[1]
    if suffix in _TEXT:
        return "text/plain", compressed
    if suffix in _HTML:
        return "text/html", compressed
    if suffix in _JSONL:
        return "jsonl", compressed
    if suffix in _FEED:
        return "feed", compressed
    if suffix == ".urls":
        return "urls", compressed
    return None, compressed


def _skip(path: Path, reason: str) -> Skipped:
    return Skipped(stage="ingest", item=path_label(path), reason=reason)
