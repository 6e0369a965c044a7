"""The REST API and the dashboard: a read-only FastAPI shell over the library (no SQL here).

Every route takes a read-only session on the database (``SharedReader``: kept open while
requests come, closed when idle so writers get in), calls the library, and returns JSON.
Every error the server sends has one shape, ``{"error": {"status": 404, "message": "..."}}``
(also a refused Host, a too-long URL or head, a request uvicorn cannot parse, and an unexpected
failure, which says nothing of its cause); page sizes are bounded; nothing writes.

Hardening (``_Guard``, a pure ASGI wrapper around the whole app, so streaming and speed are
untouched): only the loopback names and the names given (the bound host among them) are
answered as Host, against DNS rebinding; every response carries security headers (a
Content-Security-Policy of 'self' only, see ``content_policy``; /docs gets one allowing its own
inline script by hash);
HEAD is answered as GET without a body. ``serve`` runs it as ``dyadwatch serve`` does, on
127.0.0.1 by default.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import h11
import uvicorn
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as Segment
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from dyadwatch import __version__
from dyadwatch._downloads import MAX_DOWNLOAD, download_response, read_pages
from dyadwatch.analysis.alerts import undated_left_out
from dyadwatch.analysis.series import check_freq, dyad_series
from dyadwatch.dashboard import (
    SWAGGER_ASSETS,
    asset,
    plotly_inline_styles,
    plotly_js,
    swagger_asset,
)
from dyadwatch.errors import DyadwatchError, InputError, StoreError
from dyadwatch.queries import FILTER_HELP, EventFilters, event_query, stored_actors
from dyadwatch.records import Stage
from dyadwatch.store import EventQuery, Store
from dyadwatch.store.shared import SharedReader

MAX_PAGE = 500
MAX_URL = 8 * 1024  # path and query string; longer gets 414
MAX_HEADERS = 64 * 1024  # all header names and values; more gets 431
MAX_HEAD = 1024 * 1024  # what uvicorn buffers of a request head before refusing it itself
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
SECURITY_HEADERS = (  # on every response, with a Content-Security-Policy
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_CSP = b"content-security-policy"
_ERROR_POLICY = b"default-src 'none'; frame-ancestors 'none'"  # uvicorn-level errors

_ASSETS = {
    "app.js": "text/javascript",
    "style.css": "text/css",
    "world_110m.json": "application/json",
}
_CODE = r"^[A-Za-z]{2,8}$"  # an actor code: ISO-3 or an IGO code
_MODALITIES = ("asserted", "intent", "negated", "hypothetical")
_ARTICLE_SEARCH = "Only stories with a copy whose title or body holds every word (any case)."

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
Download = Annotated[
    Literal["csv", "jsonl"] | None,
    Query(
        alias="format",
        description=(
            "Instead of a page of JSON, every matching row (limit and offset aside, at most "
            f"{MAX_DOWNLOAD:,}) as a file to download: CSV (text that a spreadsheet would run "
            "as a formula gets a leading ') or JSON Lines."
        ),
    ),
]
_DOWNLOADABLE: dict[str, Any] = {  # the options of a route that can answer with a download
    "response_model": None,
    "responses": {200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}},
}
Dyad = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2,8}-[A-Za-z]{2,8}$", description="e.g. RUS-CHN")
]


@cache
def content_policy() -> str:
    """The Content-Security-Policy of every response but /docs: only this server's files, no
    framing; inline styles only those plotly.js adds (by hash; it styles the rest through the
    CSSOM, which CSP allows) and empty style attributes."""
    empty = _sha256(b"")
    styles = " ".join([empty, *(_sha256(css.encode()) for css in plotly_inline_styles())])
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self' {styles}; "
        f"style-src-attr 'unsafe-hashes' {empty}; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def _sha256(text: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text).digest()).decode() + "'"


def create_app(
    db: Path,
    *,
    keep_s: float = 2.0,
    writer_wait_s: float = 10.0,
    allow_hosts: Iterable[str] = (),
) -> FastAPI:
    """The API over the database file ``db``, opened read-only while requests come, closed
    the moment a writer such as `dyadwatch run` wants the file (requests wait for it, up to
    ``writer_wait_s`` seconds, then get 503) and after ``keep_s`` idle seconds.

    It answers requests whose Host is a loopback name or one of ``allow_hosts`` (names or
    addresses, a port ignored; ``*`` allows any), and refuses others with 400."""
    reader = SharedReader(db, keep_s=keep_s, writer_wait_s=writer_wait_s)
    hosts = _host_names([*LOCAL_HOSTS, *allow_hosts])

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        reader.close()

    app = _GuardedAPI(
        hosts,
        lifespan=lifespan,
        docs_url=None,  # served below from the package's assets, not a CDN
        redoc_url=None,
        title="dyadwatch",
        version=__version__,
        description="Coded international events, dyad series and early-warning alerts.",
    )

    @contextmanager
    def store() -> Iterator[Store]:
        if not db.is_file():
            raise HTTPException(503, f"no database at {db}")
        with ExitStack() as stack:
            try:
                session = stack.enter_context(reader.session())
            except StoreError as error:  # for example locked by a `dyadwatch run` writing to it
                raise HTTPException(503, f"database unavailable, retry later: {error}") from error
            yield session

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail), dict(error.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "query")
        return _error(422, f"{where}: {first.get('msg', 'invalid value')}")

    @app.exception_handler(InputError)
    async def bad_input(request: Request, error: InputError) -> JSONResponse:
        return _error(400, str(error))

    @app.exception_handler(DyadwatchError)
    async def failed(request: Request, error: DyadwatchError) -> JSONResponse:
        return _error(500, str(error))

    @app.exception_handler(Exception)  # reached through Starlette's ServerErrorMiddleware,
    async def crashed(request: Request, error: Exception) -> JSONResponse:  # which logs it
        return _error(500, "internal server error (the server log has the details)")

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        return Response(asset("index.html"), media_type="text/html; charset=utf-8")

    docs_page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="dyadwatch API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="data:,",
    ).body

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        policy = {"Content-Security-Policy": _inline_scripts_policy(bytes(docs_page))}
        return Response(docs_page, media_type="text/html; charset=utf-8", headers=policy)

    @app.get("/static/swagger/{name}", include_in_schema=False)
    def swagger(name: str) -> Response:
        if name not in SWAGGER_ASSETS:
            raise HTTPException(404, f"no asset {name}")
        return Response(
            swagger_asset(name),
            media_type=SWAGGER_ASSETS[name],
            headers={"Cache-Control": "public, max-age=3600"},
        )

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        cached = {"Cache-Control": "public, max-age=3600"}
        if name == "plotly.min.js":
            return Response(plotly_js(), media_type="text/javascript", headers=cached)
        if name not in _ASSETS:
            raise HTTPException(404, f"no asset {name}")
        return Response(asset(name), media_type=_ASSETS[name], headers=cached)

    @app.get("/api/stats", summary="Rows in each table")
    def stats() -> dict[str, Any]:
        with store() as opened:
            return {"database": db.name, "tables": opened.counts()}

    @app.get("/api/events", summary="Events, filtered and paged", **_DOWNLOADABLE)
    def events(
        dyad: Annotated[str | None, Query(description=FILTER_HELP["dyad"])] = None,
        actor: Annotated[str | None, Query(description=FILTER_HELP["actor"])] = None,
        since: Annotated[str | None, Query(description=FILTER_HELP["since"])] = None,
        until: Annotated[str | None, Query(description=FILTER_HELP["until"])] = None,
        root: Annotated[str | None, Query(description=FILTER_HELP["root"])] = None,
        quad: Annotated[str | None, Query(description=FILTER_HELP["quad"])] = None,
        text: Annotated[str | None, Query(max_length=200, description=FILTER_HELP["text"])] = None,
        undated: Annotated[bool, Query(description=FILTER_HELP["undated"])] = False,
        modality: Annotated[list[str] | None, Query()] = None,
        quad_class: Annotated[
            int | None, Query(ge=1, le=4, description="Same as quad (kept for old clients).")
        ] = None,
        q: Annotated[
            str | None, Query(max_length=200, description="Same as text (kept for old clients).")
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
        fmt: Download = None,
    ) -> dict[str, Any] | Response:
        modes = tuple(modality or ("asserted", "intent"))
        if any(mode not in _MODALITIES for mode in modes):
            raise HTTPException(422, f"modality: expected one of {', '.join(_MODALITIES)}")
        filters = EventFilters(
            dyad=dyad,
            actor=actor,
            since=since,
            until=until,
            root=root,
            quad=quad if quad is not None else quad_class,
            text=text if text is not None else q,
            undated=undated,
        )
        with store() as opened:
            try:
                query = event_query(
                    filters,
                    modalities=modes,
                    limit=limit,
                    offset=offset,
                    stored=stored_actors(opened),
                )
            except InputError as error:  # a bad filter value, like any other: 422
                raise HTTPException(422, str(error)) from None
            if fmt is not None:
                every = replace(query, limit=None, offset=0)
                rows = read_pages(
                    lambda size, skip: opened.events(replace(every, limit=size, offset=skip))
                )
                return download_response("events", fmt, rows, opened.count_events(every))
            total, items = opened.event_page(query)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/events/{event_id}", summary="One event with its evidence and sources")
    def event(event_id: Annotated[str, Segment(pattern=r"^[0-9a-f]{32}$")]) -> dict[str, Any]:
        modes = _MODALITIES
        with store() as opened:
            found = opened.events(EventQuery(event_id=event_id, modalities=modes, limit=1))
            if not found:
                raise HTTPException(404, f"no event {event_id}")
            return {**found[0], "sentences": opened.mentions(event_id)}

    @app.get(
        "/api/articles",
        summary="Stories, each with every source that carried it",
        **_DOWNLOADABLE,
    )
    def articles(
        q: Annotated[str | None, Query(max_length=200, description=_ARTICLE_SEARCH)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
        fmt: Download = None,
    ) -> dict[str, Any] | Response:
        with store() as opened:
            total = opened.cluster_count(q)
            if fmt is not None:
                rows = read_pages(
                    lambda size, skip: [
                        story.to_dict() for story in opened.articles(size, skip, text=q)
                    ]
                )
                return download_response("articles", fmt, rows, total)
            stories = opened.articles(limit, offset, text=q)
        items = [story.to_dict() for story in stories]
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/skipped", summary="What the pipeline left out, and why", **_DOWNLOADABLE)
    def skipped(
        stage: Annotated[Stage | None, Query(description="Only this stage's items.")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
        fmt: Download = None,
    ) -> dict[str, Any] | Response:
        with store() as opened:
            reasons = opened.skipped_reasons(stage)
            total = sum(reason["count"] for reason in reasons)
            if fmt is not None:
                rows = read_pages(lambda size, skip: opened.skipped_items(stage, size, skip))
                name = f"skipped-{stage}" if stage else "skipped"
                return download_response(name, fmt, rows, total)
            items = opened.skipped_items(stage, limit, offset)
        return {
            "total": total,
            "limit": limit,
            "offset": offset,
            "stage": stage,
            "reasons": reasons,
            "items": items,
        }

    @app.get("/api/articles/{article_id}", summary="The story an article belongs to")
    def article(
        article_id: Annotated[str, Segment(pattern=r"^[0-9a-f]{32}$")],
    ) -> dict[str, Any]:
        with store() as opened:
            found = opened.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return found.to_dict()

    @app.get("/api/dyads", summary="Dyads by number of events", **_DOWNLOADABLE)
    def dyads(limit: Limit = 50, fmt: Download = None) -> dict[str, Any] | Response:
        with store() as opened:
            if fmt is not None:
                return download_response("dyads", fmt, opened.dyads(MAX_DOWNLOAD + 1))
            return {"items": opened.dyads(limit)}

    @app.get("/api/actors", summary="Actors by events, with mean Goldstein and conflict share")
    def actors(limit: Annotated[int, Query(ge=1, le=1000)] = 500) -> dict[str, Any]:
        with store() as opened:
            return {"items": opened.actors(limit)}

    @app.get("/api/volume", summary="News volume per period: articles and events")
    def volume(
        freq: Annotated[str, Query(pattern="^(day|week|month)$")] = "week",
    ) -> dict[str, Any]:
        with store() as opened:
            return {"freq": freq, "points": opened.volume(check_freq(freq))}

    @app.get("/api/series/{a}/{b}", summary="A dyad's series", **_DOWNLOADABLE)
    def series(
        a: str,
        b: str,
        freq: Annotated[str, Query(pattern="^(day|week|month)$")] = "week",
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
        fmt: Download = None,
    ) -> dict[str, Any] | Response:
        for code in (a, b):
            if not code.isalpha() or not 2 <= len(code) <= 8:
                raise HTTPException(422, f"actor code: expected 2-8 letters, got {code!r}")
        with store() as opened:
            result = dyad_series(
                opened, a, b, freq=freq, directed=directed, since=since, until=until
            )
        if fmt is not None:
            return download_response(f"series-{a.upper()}-{b.upper()}-{freq}", fmt, result.rows())
        return {
            "dyad": list(result.dyad),
            "directed": result.directed,
            "freq": result.freq,
            "points": result.rows(),
            "background_left_out": result.background_left_out,
            "undated_left_out": result.undated_left_out,
        }

    @app.get("/api/alerts", summary="Stored alerts with the events they cite", **_DOWNLOADABLE)
    def alerts(
        dyad: Dyad = None, since: date | None = None, fmt: Download = None
    ) -> dict[str, Any] | Response:
        pair = EventQuery.parse_dyad(dyad) if dyad else None
        with store() as opened:
            if fmt is not None:
                name = f"alerts-{pair[0]}-{pair[1]}" if pair else "alerts"
                return download_response(name, fmt, opened.alerts(dyad=pair, since=since))
            return {
                "items": opened.alerts(dyad=pair, since=since),
                "undated_left_out": undated_left_out(opened),
            }

    return app


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "message": message}}, status_code=status, headers=headers
    )


def _error_body(status: int, message: str) -> bytes:
    return json.dumps({"error": {"status": status, "message": message}}).encode()


@cache
def _inline_scripts_policy(page: bytes) -> str:
    """:func:`content_policy` allowing also exactly the inline scripts of ``page`` (by hash)."""
    scripts = re.findall(rb"<script>(.*?)</script>", page, re.DOTALL)
    allowed = " ".join(["script-src 'self'", *(_sha256(script) for script in scripts)])
    return content_policy().replace("script-src 'self'", allowed)


def _host_name(host: str) -> str:
    """``host`` (a Host header, or a name given to allow) lower-cased, without a port, an IPv6
    address in brackets."""
    host = host.strip().lower()
    if host.startswith("[") and "]" in host:
        return host.partition("]")[0] + "]"
    if host.count(":") > 1:  # a bare IPv6 address, as --host takes it
        return f"[{host}]"
    name, _, port = host.partition(":")
    return name if port.isdigit() or not port else host


def _host_names(hosts: Iterable[str]) -> frozenset[str] | None:
    """The Host names to answer; None when ``*`` (any) is among them."""
    names = frozenset(_host_name(host) for host in hosts)
    return None if "*" in names else names


class _GuardedAPI(FastAPI):
    """FastAPI with :class:`_Guard` outside everything, its error pages included."""

    def __init__(self, hosts: frozenset[str] | None, **options: Any) -> None:
        super().__init__(**options)
        self.allowed_hosts = hosts

    def build_middleware_stack(self) -> ASGIApp:
        return _Guard(super().build_middleware_stack(), self.allowed_hosts)


class _Guard:
    """Pure ASGI: refuses a foreign Host (400), a long URL (414) or headers (431) in the error
    shape, adds :data:`SECURITY_HEADERS` to every response, and serves HEAD as GET."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [pair for pair in SECURITY_HEADERS if pair[0] not in present]
                if _CSP not in present:
                    headers.append((_CSP, content_policy().encode()))
                message = {**message, "headers": headers}
            await send(message)

        refusal = self.refusal(scope)
        if refusal is not None:
            body = _error_body(*refusal)
            await secured({
                "type": "http.response.start",
                "status": refusal[0],
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            })  # fmt: skip
            await secured({"type": "http.response.body", "body": body})
            return
        if scope["method"] == "HEAD":  # uvicorn still sees HEAD and sends no body
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, secured)

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        """(status, message) when the request is not to be served, else None."""
        url = len(scope.get("raw_path") or scope["path"]) + len(scope["query_string"])
        if url > MAX_URL:
            return 414, f"URL of {url} bytes: at most {MAX_URL} are served"
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        size = sum(len(name) + len(value) for name, value in headers)
        if size > MAX_HEADERS:
            return 431, f"headers of {size} bytes: at most {MAX_HEADERS} are served"
        if self.hosts is None:
            return None
        host = next((value for name, value in headers if name == b"host"), None)
        if host is None:
            return 400, "the request has no Host header"
        name = _host_name(host.decode("latin-1"))
        if name not in self.hosts:
            shown = name if len(name) <= 100 else name[:100] + "..."
            return 400, (
                f"host {shown!r} is not served here (only {', '.join(sorted(self.hosts))}); "
                "`dyadwatch serve --allow-host NAME` adds a name"
            )
        return None


class _H11Protocol(H11Protocol):
    """uvicorn's h11 protocol, answering a request it cannot parse in the API's error shape."""

    def send_400_response(self, msg: str) -> None:
        buffered = self.conn.trailing_data[0]
        if len(buffered) > MAX_HEAD and b"\n" not in buffered:
            status, message = 414, f"request line over {MAX_HEAD} bytes"
        elif len(buffered) > MAX_HEAD:
            status, message = 431, f"request head over {MAX_HEAD} bytes"
        else:
            status, message = 400, "malformed HTTP request"
        body = _error_body(status, message)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            (_CSP, _ERROR_POLICY),
            *SECURITY_HEADERS,
        ]
        for event in (
            h11.Response(status_code=status, headers=headers),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()


def server_config(
    db: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    allow_hosts: Iterable[str] = (),
    keep_s: float = 2.0,
    writer_wait_s: float = 10.0,
) -> uvicorn.Config:
    """The uvicorn configuration `dyadwatch serve` runs: the app over ``db`` answering the
    loopback names, ``host`` and ``allow_hosts``; h11 buffering up to :data:`MAX_HEAD` of a
    request head so that the app answers a long URL (414) or long headers (431) itself."""
    app = create_app(
        db, keep_s=keep_s, writer_wait_s=writer_wait_s, allow_hosts=[host, *allow_hosts]
    )
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=_H11Protocol,
        h11_max_incomplete_event_size=MAX_HEAD,
        server_header=False,
        log_level="warning",
    )


def serve(
    db: Path, host: str = "127.0.0.1", port: int = 8000, *, allow_hosts: Iterable[str] = ()
) -> None:
    """Serve the API and dashboard over ``db`` until interrupted (see :func:`server_config`)."""
    uvicorn.Server(server_config(db, host, port, allow_hosts=allow_hosts)).run()
