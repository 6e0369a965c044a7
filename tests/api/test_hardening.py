"""The server as `dyadwatch serve` starts it (``dyadwatch.api.server_config``), on 127.0.0.1 over a
real DuckDB file: which Host names it answers, the security headers on every response, paging
cost that does not grow with the offset, and every error it sends in the one error shape."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
from analysis.conftest import START, make_event

from api.conftest import serving
from dyadwatch.api import MAX_HEAD, MAX_URL
from dyadwatch.records import Article
from dyadwatch.store import Store, StoredArticle, _read

STORIES = 120


def _article(n: int, copy: int = 0) -> Article:
    day = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n)
    return Article(
        article_id=f"{n:04d}-{copy}",
        doc_id=f"doc-{n:04d}-{copy}",
        origin=f"pages/{n:04d}-{copy}.txt",
        index=0,
        body=f"Story {n}, copy {copy}.",
        title=f"Story {n}",
        published=day + timedelta(minutes=copy),
        published_zone="stated",
        published_precision="minute",
        url=f"https://example.org/{n}/{copy}",
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of 120 stories, every third carried twice, and one event."""
    path = tmp_path_factory.mktemp("hardening") / "hardening.duckdb"
    articles = [_article(n) for n in range(STORIES)]
    copies = [_article(n, 1) for n in range(0, STORIES, 3)]
    stories = {a.article_id: f"{a.article_id[:4]}-0" for a in articles + copies}
    with Store(path) as store:
        store.write_batch(
            articles=articles + copies,
            story_ids=stories,
            events=[make_event(START, "RUS", "CHN", "042", 1.9, "a1")],
        )
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with serving(db) as url:
        yield url


def shaped(response: httpx.Response | tuple[int, dict[str, str], bytes], status: int) -> str:
    """Assert ``response`` is the API's error shape with ``status``; return its message."""
    if isinstance(response, httpx.Response):
        code, headers, body = response.status_code, dict(response.headers), response.content
    else:
        code, headers, body = response
    assert code == status, body[:300]
    assert headers["content-type"].startswith("application/json"), headers
    error = json.loads(body)
    assert set(error) == {"error"} and error["error"]["status"] == status, error
    message: str = error["error"]["message"]
    assert message and "Traceback" not in message and 'File "' not in message
    return message


def raw(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as it is on a fresh connection; return the status, headers, body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, body


def test_only_the_local_and_bound_host_names_are_served(server: str, db: Path) -> None:
    port = server.rsplit(":", 1)[1]
    for host in ["127.0.0.1", f"127.0.0.1:{port}", "localhost", f"LOCALHOST:{port}", "[::1]"]:
        assert httpx.get(server + "/api/stats", headers={"Host": host}).status_code == 200, host
    for host in ["evil.example", f"evil.example:{port}", "localhost.evil.example", "127.0.0.2"]:
        response = httpx.get(server + "/api/stats", headers={"Host": host})
        assert "not served" in shaped(response, 400) and host.split(":")[0] in response.text
        assert response.headers["x-content-type-options"] == "nosniff"
    assert "Host" in shaped(raw(server, b"GET /api/stats HTTP/1.0\r\n\r\n"), 400)
    with serving(db, allow_hosts=("Dash.Example", "10.0.0.7:8000")) as other:
        for host in ["dash.example", "dash.example:80", "10.0.0.7", "localhost"]:
            assert httpx.get(other + "/", headers={"Host": host}).status_code == 200, host
        shaped(httpx.get(other + "/", headers={"Host": "evil.example"}), 400)


def test_every_response_carries_the_security_headers(server: str) -> None:
    responses = [
        httpx.get(server + path)
        for path in ["/", "/api/stats", "/static/app.js", "/static/plotly.min.js", "/nothing"]
    ]
    responses.append(httpx.post(server + "/api/stats"))
    responses.append(httpx.get(server + "/", headers={"Host": "evil.example"}))
    for response in responses:
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", response.url
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cross-origin-resource-policy"] == "same-origin"
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "server" not in headers


def test_the_docs_page_allows_exactly_its_own_inline_script(server: str) -> None:
    import base64
    import hashlib

    page = httpx.get(server + "/docs")
    policy = page.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert scripts
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert httpx.get(server + "/").headers["content-security-policy"] != policy


def test_articles_paging_work_does_not_grow_with_the_offset(
    server: str, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []

    def counted(**fields: Any) -> StoredArticle:
        built.append(fields["id"])
        return StoredArticle(**fields)

    monkeypatch.setattr(_read, "StoredArticle", counted)  # the server runs in this process
    with Store(db, read_only=True) as store:
        everything = [story.to_dict() for story in store.articles()]
    assert len(everything) == STORIES
    built.clear()

    def page(offset: int, limit: int = 7) -> list[dict[str, Any]]:
        response = httpx.get(server + "/api/articles", params={"offset": offset, "limit": limit})
        assert response.status_code == 200
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    pages = [item for offset in range(0, STORIES, 7) for item in page(offset)]
    assert pages == everything  # pages in order, nothing skipped or repeated
    assert len(built) == STORIES
    for offset in [0, 100, STORIES - 7]:
        built.clear()
        assert len(page(offset)) == 7 and len(built) == 7, offset
    built.clear()
    assert page(10_000_000, limit=500) == [] and built == []
    assert [s["sources"] for s in page(0, 1)] == [everything[0]["sources"]]
    assert len(everything[0]["sources"]) == 2


def test_a_long_url_or_head_is_answered_in_the_error_shape(server: str) -> None:
    million = b"GET /api/events?q=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    assert str(MAX_URL) in shaped(raw(server, million), 414)
    just_over = b"GET /api/events?q=" + b"a" * MAX_URL + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
    shaped(raw(server, just_over), 414)
    fits = httpx.get(server + "/api/events", params={"q": "a" * 150})
    assert fits.status_code == 200
    many = b"".join(b"X-Filler-%d: %s\r\n" % (n, b"b" * 4000) for n in range(40))
    headers = b"GET /api/stats HTTP/1.1\r\nHost: localhost\r\n" + many + b"\r\n"
    shaped(raw(server, headers), 431)
    # Past what the server buffers at all (no end of line in sight): still the shape.
    endless = b"GET /" + b"a" * MAX_HEAD
    response = raw(server, endless)
    assert response[2] and shaped(response, 414)
    endless_head = b"GET / HTTP/1.1\r\nX-A: " + b"a" * MAX_HEAD
    shaped(raw(server, endless_head), 431)
    shaped(raw(server, b"NOT HTTP AT ALL\r\n\r\n"), 400)


def test_405_422_and_nul_bytes_or_huge_numbers_are_in_the_shape(server: str) -> None:
    options = httpx.options(server + "/api/stats")
    shaped(options, 405)
    assert "GET" in options.headers["allow"]
    for path, params in [
        ("/api/events", {"q": "\x00"}),
        ("/api/events", {"actor": "RU\x00S"}),
        ("/api/events", {"limit": "9" * 400}),
        ("/api/events", {"offset": "1e400"}),
        ("/api/series/RUS/CHN", {"since": "\x00"}),
        ("/api/articles", {"offset": "-1"}),
        ("/api/articles", {"limit": "18446744073709551617"}),
    ]:
        response = httpx.get(server + path, params=params)
        if response.status_code != 200:
            assert response.status_code in (400, 422) and shaped(response, response.status_code)
        assert response.status_code != 200 or params == {"q": "\x00"}


def test_head_answers_like_get_without_a_body(server: str) -> None:
    get = httpx.get(server + "/api/stats")
    head = httpx.head(server + "/api/stats")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["content-security-policy"] == get.headers["content-security-policy"]
    assert httpx.head(server + "/nothing").status_code == 404


def test_an_unexpected_failure_is_a_500_in_the_shape(tmp_path: Path) -> None:
    broken = tmp_path / "broken.duckdb"
    with Store(broken) as store:
        store.write_batch(articles=[_article(1)])
    with duckdb.connect(str(broken)) as con:
        con.execute("DROP TABLE articles")  # a store the code does not expect
    with serving(broken) as url:
        response = httpx.get(url + "/api/articles")
        assert "internal" in shaped(response, 500)
        assert "articles" not in response.text and "duckdb" not in response.text.lower()
        assert response.headers["x-frame-options"] == "DENY"
        assert httpx.get(url + "/").status_code == 200  # and still serving


def test_dyadwatch_serve_answers_the_hosts_it_is_told(db: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "dyadwatch", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--allow-host", "dash.example", "--allow-host", "10.1.2.3"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None and "serving" in server.stderr.readline()
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(url + "/api/stats")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        for host in ["dash.example", "10.1.2.3:8000", f"localhost:{port}"]:
            assert httpx.get(url + "/api/stats", headers={"Host": host}).status_code == 200
        shaped(httpx.get(url + "/api/stats", headers={"Host": "rebound.example"}), 400)
        shaped(raw(url, b"GET /?" + b"q" * 100_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414)
    finally:
        server.terminate()
        server.communicate(timeout=10)
