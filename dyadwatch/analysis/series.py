"""Per-dyad time series: counts, Goldstein, quad classes, and the share of all news."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from dyadwatch.errors import InputError
from dyadwatch.store._series import FREQS, Freq

if TYPE_CHECKING:
    from dyadwatch.store import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class SeriesPoint:
    """One period of a dyad's series (periods with no event are absent)."""

    period: date
    events: int  # one per story and act
    stories: int  # distinct story clusters
    mentions: int  # sentences saying them, across every copy of every story
    goldstein_sum: float
    goldstein_mean: float
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    volume: int  # events about any dyad in the period
    share: float  # events / volume: the dyad's part of the news, growth of sources aside
    goldstein_share: float  # goldstein_sum / volume: the dyad's weight, volume-normalised
    roots: dict[str, int]  # events by CAMEO root ("19": 3)


@dataclass(frozen=True, slots=True, kw_only=True)
class DyadSeries:
    """A dyad's series: who, how grouped, and the periods."""

    dyad: tuple[str, str]
    directed: bool
    freq: Freq
    points: tuple[SeriesPoint, ...]

    def rows(self) -> list[dict[str, Any]]:
        """The points as dicts, for writers and DataFrames."""
        return [
            {"period": p.period, **{k: getattr(p, k) for k in _FIELDS if k != "period"}}
            for p in self.points
        ]


_FIELDS = tuple(SeriesPoint.__dataclass_fields__)


def check_freq(freq: str) -> Freq:
    """Return ``freq`` if it is day, week or month, else raise ``InputError``."""
    if freq not in FREQS:
        raise InputError("--freq", f"expected one of {', '.join(FREQS)}, got {freq!r}")
    return freq


def dyad_series(
    store: Store,
    a: str,
    b: str,
    *,
    freq: str = "week",
    directed: bool = False,
    since: date | None = None,
    until: date | None = None,
) -> DyadSeries:
    """The series of events between ``a`` and ``b`` (both ways unless ``directed``)."""
    period = check_freq(freq)
    rows = store.series_rows(
        a.upper(), b.upper(), freq=period, directed=directed, since=since, until=until
    )
    points = tuple(
        SeriesPoint(
            period=row["period"],
            events=int(row["events"]),
            stories=int(row["stories"]),
            mentions=int(row["mentions"] or 0),
            goldstein_sum=float(row["goldstein_sum"]),
            goldstein_mean=float(row["goldstein_mean"]),
            verbal_cooperation=int(row["verbal_cooperation"]),
            material_cooperation=int(row["material_cooperation"]),
            verbal_conflict=int(row["verbal_conflict"]),
            material_conflict=int(row["material_conflict"]),
            volume=int(row["volume"]),
            share=float(row["share"]),
            goldstein_share=float(row["goldstein_share"]),
            roots=dict(sorted((row["roots"] or {}).items())),
        )
        for row in rows
    )
    return DyadSeries(dyad=(a.upper(), b.upper()), directed=directed, freq=period, points=points)
