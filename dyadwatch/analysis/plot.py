"""A dyad's series as a self-contained HTML chart (Plotly, no CDN): Goldstein per period,
the four quad classes, the dyad's share of all news, and its alerts marked. A period without
events has no mean: its lines break there rather than bridge the gap."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyadwatch.analysis.series import DyadSeries
from dyadwatch.errors import InputError

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

_COLOURS = {"escalation": "#c0392b", "de-escalation": "#27ae60", "volume surge": "#8e44ad"}
_COLOURS["first contact"] = "#2c3e50"


def plot_series(series: DyadSeries, alerts: Sequence[dict[str, Any]], path: Path) -> Path:
    """Write the chart to ``path`` (``.html``); return the path."""
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(str(path), "the chart is written as HTML: give a .html file name")
    figure = series_figure(series, alerts)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.write_html(str(path), include_plotlyjs=True, full_html=True)
    return path


def series_figure(series: DyadSeries, alerts: Sequence[dict[str, Any]]) -> Figure:
    """The chart as a Plotly figure: three panels over the same periods, alerts marked."""
    from plotly.subplots import make_subplots

    points = series.points
    periods = [p.period for p in points]
    figure = make_subplots(
        rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.06,
        subplot_titles=("Mean Goldstein per event", "Events by quad class", "Share of all events"),
    )  # fmt: skip
    figure.add_scatter(
        x=periods, y=[p.goldstein_mean for p in points], mode="lines+markers", name="Goldstein",
        connectgaps=False, row=1, col=1,
    )  # fmt: skip
    quads = (
        ("verbal cooperation", "verbal_cooperation", "#7fb3d5"),
        ("material cooperation", "material_cooperation", "#1f618d"),
        ("verbal conflict", "verbal_conflict", "#f5b041"),
        ("material conflict", "material_conflict", "#b03a2e"),
    )
    for label, field, colour in quads:
        figure.add_bar(
            x=periods, y=[getattr(p, field) for p in points], name=label, marker_color=colour,
            row=2, col=1,
        )  # fmt: skip
    figure.add_scatter(
        x=periods, y=[p.share for p in points], mode="lines", name="share of news",
        connectgaps=False, row=3, col=1,
    )  # fmt: skip
    for alert in alerts:
        colour = _COLOURS.get(str(alert["kind"]), "#555")
        figure.add_vline(x=alert["start"], line_color=colour, line_dash="dot")
        figure.add_annotation(
            x=alert["period"], y=1.02, yref="paper", text=str(alert["kind"]), showarrow=False,
            font={"color": colour, "size": 10}, hovertext=str(alert["message"]),
        )  # fmt: skip
    a, b = series.dyad
    arrow = "→" if series.directed else "–"
    figure.update_layout(
        title=f"{a}{arrow}{b}, per {series.freq}",
        barmode="stack",
        height=820,
        template="simple_white",
    )
    return figure
