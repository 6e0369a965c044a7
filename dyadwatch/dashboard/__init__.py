"""The web dashboard: static pages served by the API app, drawing from the same JSON routes.

Every asset ships in the package (plotly.js comes from the installed ``plotly`` package), so the
dashboard works on a machine with no internet. Evidence and names are inserted as text, never as
HTML, so a sentence holding ``<script>`` is shown, not run.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


@cache
def asset(name: str) -> bytes:
    """The bytes of one dashboard file (``index.html``, ``app.js``, ``style.css``)."""
    return resources.files("dyadwatch.dashboard").joinpath("static", name).read_bytes()


@cache
def plotly_js() -> bytes:
    """plotly.js, from the installed plotly package."""
    from plotly.offline import get_plotlyjs

    script: str = get_plotlyjs()
    return script.encode("utf-8")


@cache
def plotly_inline_styles() -> tuple[str, ...]:
    """The style sheets plotly.js adds to the page as ``<style>`` text when it loads (maplibre's,
    for tile maps), so that a Content-Security-Policy can allow exactly these by hash."""
    found = re.findall(
        r'createElement\("style"\);[^`]{0,400}?\.textContent=`([^`\\$]*)`',
        plotly_js().decode("utf-8"),
    )
    return tuple(found)


SWAGGER_ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css"}


@cache
def swagger_asset(name: str) -> bytes:
    """One Swagger UI file for the /docs page, from the installed ``fastapi-offline``."""
    if name not in SWAGGER_ASSETS:
        raise KeyError(name)
    return resources.files("fastapi_offline").joinpath("static", name).read_bytes()
