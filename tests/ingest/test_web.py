"""Fetching URLs from a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from dyadwatch.config import Settings, StoreSettings
from dyadwatch.ingest import files, read_paths
from dyadwatch.ingest.web import Fetcher, FetchPolicy, read_url_list
from dyadwatch.pipeline import run
from dyadwatch.records import RawDocument, Skipped
from dyadwatch.store import Store

PAGE = (
    "<html><head><title>Energy deal</title></head><body><article><h1>Energy deal</h1>"
    "<p>MOSCOW, March 5 -- Russia and China signed an agreement on energy cooperation on "
    "Tuesday, officials in both capitals said, after two days of talks in Moscow.</p>"
    "<p>The deal covers gas deliveries through a second pipeline and joint research on "
    "nuclear power, the Kremlin said in a statement published after the meeting.</p>"
    "</article></body></html>"
)
RUSSIAN = "Россия и Китай подписали соглашение о сотрудничестве в области энергетики."
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
    "<item><title>Talks</title><link>https://wire.example.org/t</link>"
    "<pubDate>Tue, 05 Mar 2024 14:30:00 +0300</pubDate>"
    "<description>Russia and China held talks in Beijing about trade.</description></item>"
    "</channel></rss>"
)


class Site(BaseHTTPRequestHandler):
    """A small news site with every kind of answer a crawler meets."""

    log: list[tuple[str, float, str]]  # (path, time, user agent)
    flaky_left: int

    def do_GET(self) -> None:
        type(self).log.append((self.path, time.monotonic(), self.headers.get("User-Agent", "")))
        routes = {
            "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private\n"),
            "/a.html": (200, "text/html; charset=utf-8", PAGE.encode()),
            "/b.html": (200, "text/html", PAGE.replace("Energy", "Grain").encode()),
            "/private/x.html": (200, "text/html", PAGE.encode()),
            "/image.png": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32),
            "/feed.rss": (200, "application/rss+xml", FEED.encode()),
            "/ru.html": (
                200,
                "text/html; charset=windows-1251",
                f"<html><body><p>{RUSSIAN}</p></body></html>".encode("cp1251"),
            ),
            "/big.html": (200, "text/html", b"<p>" + b"x" * 300_000 + b"</p>"),
            "/missing": (404, "text/html", b"not here"),
        }
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/a.html")
            self.end_headers()
            return
        if self.path == "/flaky":
            if type(self).flaky_left > 0:
                type(self).flaky_left -= 1
                self._answer(503, "text/plain", b"busy", retry_after="0")
                return
            self._answer(200, "text/html", PAGE.replace("Energy", "Flaky").encode())
            return
        if self.path == "/slow":
            time.sleep(1.5)
            self._answer(200, "text/html", PAGE.encode())
            return
        status, media, body = routes.get(self.path, (404, "text/plain", b"no"))
        self._answer(status, media, body)

    def _answer(self, status: int, media: str, body: bytes, retry_after: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        if retry_after is not None:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    Site.log = []
    Site.flaky_left = 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


POLICY = FetchPolicy(
    user_agent="dyadwatch-test", timeout_s=1.0, retries=1, backoff_s=0.05, interval_s=0.15,
    max_bytes=200_000,
)  # fmt: skip


def fetch(url: str) -> list[RawDocument | Skipped]:
    with Fetcher(POLICY) as fetcher:
        return list(fetcher.fetch(url))


def test_pages_feeds_and_every_refusal_are_named(site: str) -> None:
    reasons = {}
    pages = {}
    with Fetcher(POLICY) as fetcher:
        for path in [
            "/a.html", "/redirect", "/ru.html", "/feed.rss", "/private/x.html", "/image.png",
            "/big.html", "/missing", "/flaky", "/slow",
        ]:  # fmt: skip
            for item in fetcher.fetch(site + path):
                if isinstance(item, Skipped):
                    reasons[path] = item.reason
                else:
                    pages[path] = item
    assert pages["/a.html"].url == site + "/a.html" and pages["/a.html"].title is None
    assert pages["/redirect"].url == site + "/a.html"  # the final URL after the redirect
    assert pages["/redirect"].doc_id == pages["/a.html"].doc_id
    assert RUSSIAN in pages["/ru.html"].text and pages["/ru.html"].encoding == "windows-1251"
    assert pages["/feed.rss"].published == "Tue, 05 Mar 2024 14:30:00 +0300"
    assert pages["/feed.rss"].url == "https://wire.example.org/t"
    assert "Flaky" in pages["/flaky"].text  # a 503 then a success: retried
    assert reasons == {
        "/private/x.html": "disallowed by robots.txt",
        "/image.png": "content type image/png is not a page",
        "/big.html": "larger than the size cap (300007 > 200000 bytes)",
        "/missing": "HTTP status 404",
        "/slow": reasons["/slow"],
    }
    assert reasons["/slow"].startswith("request timed out after 2 attempts")
    agents = {agent for _, _, agent in Site.log}
    assert agents == {"dyadwatch-test"}
    assert [path for path, _, _ in Site.log].count("/robots.txt") == 1  # asked once per host
    assert "/private/x.html" not in [path for path, _, _ in Site.log]


class _Timed(httpx.BaseTransport):
    """A real HTTP transport that notes when each request leaves the client."""

    def __init__(self) -> None:
        self.sent: list[float] = []
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(time.monotonic())
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def test_requests_to_one_host_are_spaced(site: str) -> None:
    """Measured where the spacing is kept, as each request leaves the client: the server's
    arrival times also carry the machine's scheduling delays, which a loaded CI shifts."""
    timed = _Timed()
    with Fetcher(POLICY, transport=timed) as fetcher:
        for _ in range(3):
            list(fetcher.fetch(site + "/a.html"))
    gaps = [later - earlier for earlier, later in itertools.pairwise(timed.sent)]
    assert len(timed.sent) == 4 and min(gaps) >= POLICY.interval_s * 0.99
    assert len(Site.log) == 4  # robots.txt once, then the page three times


@pytest.mark.parametrize("chunk", [files.KNOWN_URLS_CHUNK, 2])
def test_url_lists_run_through_the_pipeline_once(
    site: str, tmp_path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list's stored URLs are not fetched again, whether the store is asked about the whole
    list at once or a chunk at a time (the list is longer than a chunk)."""
    monkeypatch.setattr(files, "KNOWN_URLS_CHUNK", chunk)
    listing = tmp_path / "sources.urls"
    listing.write_text(f"# morning sources\n{site}/a.html\n\n{site}/b.html\n{site}/missing\n")
    assert read_url_list(listing.read_text()) == [
        f"{site}/a.html",
        f"{site}/b.html",
        f"{site}/missing",
    ]
    db = tmp_path / "web.duckdb"
    settings = Settings.model_validate(
        {"store": StoreSettings(path=db), "fetch": {"interval_s": 0.0, "retries": 0}}
    )
    first = run([str(listing), f"{site}/feed.rss"], settings=settings)
    assert first.pages_new == 3 and [s.reason for s in first.skipped if s.stage == "ingest"] == [
        "HTTP status 404"
    ]
    asked = len(Site.log)
    with Store(db, read_only=True) as store:
        rows = store.counts()
        sources = {source.url for story in store.articles() for source in story.sources}
        assert sources >= {f"{site}/a.html", f"{site}/b.html"}  # one story, two copies
    second = run([str(listing)], settings=settings)
    assert second.pages_new == 0
    fetched_again = [path for path, _, _ in Site.log[asked:] if path != "/robots.txt"]
    assert fetched_again == ["/missing"]  # stored pages are not fetched again; failures are
    with Store(db, read_only=True) as store:
        assert store.counts() == rows


def test_urls_given_as_paths_are_fetched(site: str) -> None:
    (page,) = list(read_paths([f"{site}/a.html"], fetch=POLICY))
    assert isinstance(page, RawDocument) and page.origin == f"{site}/a.html"


def test_malformed_urls_are_named_not_fatal() -> None:
    with Fetcher(POLICY) as fetcher:
        for url in ("http://[broken/page", "https://", "ftp://example.org/a"):
            (item,) = list(fetcher.fetch(url))
            assert isinstance(item, Skipped) and item.item == url and item.reason
