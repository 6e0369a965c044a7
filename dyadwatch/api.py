"""The REST API and the dashboard: a read-only FastAPI shell over the library (no SQL here).

Every route takes a read-only session on the database (``SharedReader``: kept open while
requests come, closed when idle so writers get in), calls the library, and returns JSON.
Errors have one shape, ``{"error": {"status": 404, "message": "..."}}``; page sizes are
bounded; nothing writes. ``dyadwatch serve`` runs it on 127.0.0.1 by default.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as Segment
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dyadwatch import __version__
from dyadwatch.analysis.series import check_freq, dyad_series
from dyadwatch.dashboard import SWAGGER_ASSETS, asset, plotly_js, swagger_asset
from dyadwatch.errors import DyadwatchError, InputError, StoreError
from dyadwatch.store import EventQuery, Store
from dyadwatch.store.shared import SharedReader

MAX_PAGE = 500
_ASSETS = {
    "app.js": "text/javascript",
    "style.css": "text/css",
    "world_110m.json": "application/json",
}
_CODE = r"^[A-Za-z]{2,8}$"  # an actor code: ISO-3 or an IGO code
_MODALITIES = ("asserted", "intent", "negated", "hypothetical")

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size, at most {MAX_PAGE}.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
Dyad = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2,8}-[A-Za-z]{2,8}$", description="e.g. RUS-CHN")
]


def create_app(db: Path, *, keep_s: float = 2.0) -> FastAPI:
    """The API over the database file ``db``, opened read-only while requests come and closed
    after ``keep_s`` idle seconds, so that `dyadwatch run` can write between visits."""
    reader = SharedReader(db, keep_s=keep_s)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        reader.close()

    app = FastAPI(
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
        return _error(error.status_code, str(error.detail))

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

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        return Response(asset("index.html"), media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="dyadwatch API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

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

    @app.get("/api/events", summary="Events, filtered and paged")
    def events(
        dyad: Dyad = None,
        actor: Annotated[str | None, Query(pattern=_CODE)] = None,
        root: Annotated[str | None, Query(pattern=r"^\d{1,2}$")] = None,
        quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
        modality: Annotated[list[str] | None, Query()] = None,
        since: date | None = None,
        until: date | None = None,
        q: Annotated[
            str | None, Query(max_length=200, description="Words in the evidence.")
        ] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        modes = tuple(modality or ("asserted", "intent"))
        if any(mode not in _MODALITIES for mode in modes):
            raise HTTPException(422, f"modality: expected one of {', '.join(_MODALITIES)}")
        query = EventQuery(
            dyad=EventQuery.parse_dyad(dyad) if dyad else None,
            actor=actor.upper() if actor else None,
            root=root,
            quad_class=quad_class,
            modalities=modes,
            since=since,
            until=until,
            text=q,
            limit=limit,
            offset=offset,
        )
        with store() as opened:
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

    @app.get("/api/articles", summary="Stories, each with every source that carried it")
    def articles(limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        with store() as opened:
            stories = opened.articles(limit + offset)[offset:]
        return {"limit": limit, "offset": offset, "items": [s.to_dict() for s in stories]}

    @app.get("/api/articles/{article_id}", summary="The story an article belongs to")
    def article(
        article_id: Annotated[str, Segment(pattern=r"^[0-9a-f]{32}$")],
    ) -> dict[str, Any]:
        with store() as opened:
            found = opened.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return found.to_dict()

    @app.get("/api/dyads", summary="Dyads by number of events")
    def dyads(limit: Limit = 50) -> dict[str, Any]:
        with store() as opened:
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

    @app.get("/api/series/{a}/{b}", summary="A dyad's series")
    def series(
        a: str,
        b: str,
        freq: Annotated[str, Query(pattern="^(day|week|month)$")] = "week",
        directed: bool = False,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        for code in (a, b):
            if not code.isalpha() or not 2 <= len(code) <= 8:
                raise HTTPException(422, f"actor code: expected 2-8 letters, got {code!r}")
        with store() as opened:
            result = dyad_series(
                opened, a, b, freq=freq, directed=directed, since=since, until=until
            )
        return {
            "dyad": list(result.dyad),
            "directed": result.directed,
            "freq": result.freq,
            "points": result.rows(),
        }

    @app.get("/api/alerts", summary="Stored alerts with the events they cite")
    def alerts(dyad: Dyad = None, since: date | None = None) -> dict[str, Any]:
        pair = EventQuery.parse_dyad(dyad) if dyad else None
        with store() as opened:
            return {"items": opened.alerts(dyad=pair, since=since)}

    return app


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
