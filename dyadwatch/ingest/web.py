"""Pages from the web: URLs and URL lists, fetched politely with httpx.

A :class:`Fetcher` keeps one HTTP client and, per host, the robots.txt rules and the time of the
last request. Each URL is asked for at most ``retries + 1`` times (connection errors, timeouts,
429 and 5xx answers are retried with exponential backoff, honouring ``Retry-After``), no sooner
than ``interval_s`` (or the host's ``Crawl-delay``) after the previous request to its host,
with our user agent, and never when robots.txt disallows it. HTML and text answers become a
RawDocument (``origin`` and ``url`` the final URL after redirects); RSS and Atom answers are
read as feeds, one document per entry; other content types, answers over ``max_bytes``, and
failures are a Skipped naming the URL and the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from dyadwatch.config import USER_AGENT, FetchSettings
from dyadwatch.ingest._decode import Unreadable, http_document
from dyadwatch.ingest._isolate import isolated, one_item
from dyadwatch.ingest.feeds import read_feed
from dyadwatch.records import RawDocument, Skipped

_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def is_url(text: str) -> bool:
    """Whether ``text`` is an http(s) URL rather than a path."""
    return text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """How politely and how patiently to fetch."""

    user_agent: str = USER_AGENT
    timeout_s: float = 20.0
    retries: int = 2
    backoff_s: float = 1.0
    interval_s: float = 1.0
    max_bytes: int = 10 * 1024 * 1024
    respect_robots: bool = True

    @classmethod
    def from_settings(cls, settings: FetchSettings) -> FetchPolicy:
        """The policy the ``[fetch]`` settings describe."""
        return cls(
            user_agent=settings.user_agent,
            timeout_s=settings.timeout_s,
            retries=settings.retries,
            interval_s=settings.interval_s,
            max_bytes=settings.max_bytes,
            respect_robots=settings.respect_robots,
        )


class Fetcher:
    """Fetches URLs under a :class:`FetchPolicy`; use as a context manager."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=self.policy.timeout_s,
            follow_redirects=True,
            max_redirects=5,
            transport=transport,
        )
        self._robots: dict[str, RobotFileParser | str] = {}
        self._last_request: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()

    def fetch(self, url: str) -> Iterator[RawDocument | Skipped]:
        """Yield the page at ``url`` (or a feed's entries), or a Skipped saying why not."""
        if not is_url(url) or not _host(url):
            yield _skip(url, "not an http(s) URL")
            return
        refusal = self._robots_refusal(url)
        if refusal is not None:
            yield _skip(url, refusal)
            return
        try:
            response, data = self._get(url)
        except httpx.InvalidURL as error:
            yield _skip(url, f"not a valid URL ({error})")
            return
        except Unreadable as problem:
            yield _skip(url, problem.reason)
            return
        final = str(response.url)
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        fetched_at = _date(response.headers.get("date"))
        if media_type in _FEED_TYPES or (not media_type and data.lstrip()[:5] == b"<?xml"):
            yield from read_feed(data, final, fetched_at)
            return
        if media_type and media_type not in _PAGE_TYPES:
            yield _skip(url, f"content type {media_type} is not a page")
            return
        charset = response.charset_encoding
        yield one_item(url, _document, data, final, fetched_at, charset, media_type)

    def _get(self, url: str) -> tuple[httpx.Response, bytes]:
        """GET ``url`` politely, with retries; return the answer and its body, or Unreadable."""
        attempts = self.policy.retries + 1
        for attempt in range(1, attempts + 1):
            self._wait_for_host(url)
            try:
                with self._client.stream("GET", url) as response:
                    if response.status_code in _RETRY_STATUS and attempt < attempts:
                        self._sleep(self._backoff(attempt, response.headers.get("retry-after")))
                        continue
                    if response.status_code >= 400:
                        raise Unreadable(f"HTTP status {response.status_code}")
                    return response, self._body(response)
            except httpx.TooManyRedirects as error:
                raise Unreadable("too many redirects") from error
            except (httpx.TimeoutException, httpx.TransportError) as error:
                if attempt == attempts:
                    what = "timed out" if isinstance(error, httpx.TimeoutException) else "failed"
                    reason = f"request {what} after {attempts} attempts ({error})"
                    raise Unreadable(reason) from error
                self._sleep(self._backoff(attempt, None))
        raise Unreadable(f"gave up after {attempts} attempts")

    def _body(self, response: httpx.Response) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise Unreadable(f"larger than the size cap ({int(declared)} > {limit} bytes)")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise Unreadable(f"larger than the size cap (over {limit} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        wait = self.policy.backoff_s * 2.0 ** (attempt - 1)
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))
        return min(wait, 60.0)

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        interval = max(self.policy.interval_s, self._crawl_delay(url))
        last = self._last_request.get(host)
        if last is not None:
            wait = last + interval - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last_request[host] = time.monotonic()

    def _robots_for(self, url: str) -> RobotFileParser | str:
        """The host's robots.txt rules, or the reason we may not fetch from it at all."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin in self._robots:
            return self._robots[origin]
        rules: RobotFileParser | str
        robots_url = f"{origin}/robots.txt"
        try:
            self._wait_for_host(robots_url)
            response = self._client.get(robots_url)
        except httpx.HTTPError as error:
            rules = f"robots.txt unreachable ({error}); not fetching from {origin}"
        else:
            rules = RobotFileParser(robots_url)
            if response.status_code in (401, 403):  # as Python's robotparser reads them
                rules.parse(["User-agent: *", "Disallow: /"])
            elif response.status_code >= 500:
                rules = f"robots.txt answered {response.status_code}; not fetching from {origin}"
            elif response.status_code >= 400:  # no robots.txt: everything is allowed
                rules.parse([])
            else:
                rules.parse(response.text.splitlines())
        self._robots[origin] = rules
        return rules

    def _robots_refusal(self, url: str) -> str | None:
        if not self.policy.respect_robots:
            return None
        rules = self._robots_for(url)
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.policy.user_agent, url):
            return "disallowed by robots.txt"
        return None

    def _crawl_delay(self, url: str) -> float:
        parts = urlsplit(url)
        rules = self._robots.get(f"{parts.scheme}://{parts.netloc}".lower())
        if isinstance(rules, RobotFileParser):
            delay = rules.crawl_delay(self.policy.user_agent)
            return float(delay) if delay else 0.0
        return 0.0


def _host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # "http://[broken"
        return None


def read_url_list(text: str) -> list[str]:
    """The URLs of a URL list: one per line; blank lines and lines starting ``#`` ignored."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def fetch_all(urls: Iterable[str], fetcher: Fetcher) -> Iterator[RawDocument | Skipped]:
    """Fetch every URL in turn; what one raises is a Skipped naming it."""
    for url in urls:
        yield from isolated(url, fetcher.fetch(url))


def _document(
    data: bytes, url: str, fetched_at: datetime, charset: str | None, media_type: str
) -> RawDocument:
    return http_document(
        data, origin=url, url=url, fetched_at=fetched_at, media_type=media_type, charset=charset
    )


def _date(value: str | None) -> datetime:
    """The answer's Date header, else now (UTC)."""
    if value:
        try:
            parsed = parsedate_to_datetime(value)
            if parsed.tzinfo is not None:
                return parsed
        except (TypeError, ValueError):
            pass
    return datetime.now(UTC)


def _skip(url: str, reason: str) -> Skipped:
    return Skipped(stage="ingest", item=url, reason=reason)
