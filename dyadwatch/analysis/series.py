"""Per-dyad time series: counts, Goldstein, quad classes, and the share of all news."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from dyadwatch.errors import InputError
from dyadwatch.store._series import FREQS, Freq

if TYPE_CHECKING:
    from dyadwatch.store import Store


@dataclass(frozen=True, slots=True, kw_only=True)
class SeriesPoint:
    """One period of a dyad's series. A period with no event is present, with zero counts
    and no mean (None: a mean of nothing is not zero); its shares are 0 where other dyads
    made news that period, None where nothing was coded at all."""

    period: date
    events: int  # one per story and act
    stories: int  # distinct story clusters
    mentions: int  # sentences saying them, across every copy of every story
    goldstein_sum: float
    goldstein_mean: float | None  # None in a period without events
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    volume: int  # events about any dyad in the period
    share: float | None  # events / volume: the dyad's part of the news, growth of sources aside
    goldstein_share: float | None  # goldstein_sum / volume: the dyad's weight, volume-normalised
    roots: dict[str, int]  # events by CAMEO root ("19": 3)
    plover_types: dict[str, int]  # events by PLOVER type ("ASSAULT": 3)
    plover_score: float | None  # mean PLOVER-type score of the period's typed events


@dataclass(frozen=True, slots=True, kw_only=True)
class DyadSeries:
    """A dyad's series: who, how grouped, the periods (every one from its first event to its
    last, empty ones too), and how many events it left out: background ones (acts of years
    past that articles recall, within since/until) and undated ones (their article prints no
    date and none could be inferred; all of the dyad's, whatever since/until, as they could
    fall in any period)."""

    dyad: tuple[str, str]
    directed: bool
    freq: Freq
    points: tuple[SeriesPoint, ...]
    background_left_out: int = 0
    undated_left_out: int = 0

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
    with_background: bool = False,
) -> DyadSeries:
    """The series of events between ``a`` and ``b`` (both ways unless ``directed``); background
    events are left out, and counted, unless ``with_background``; undated events are left out
    and counted."""
    period = check_freq(freq)
    dyad = (a.upper(), b.upper())
    rows = store.series_rows(
        *dyad,
        freq=period,
        directed=directed,
        since=since,
        until=until,
        with_background=with_background,
    )
    points = tuple(
        _point(row, {k: v for k, v in sorted((row["plover_types"] or {}).items()) if k})
        for row in rows
    )
    left_out = (
        0
        if with_background
        else store.background_count(dyad, directed=directed, since=since, until=until)
    )
    return DyadSeries(
        dyad=dyad,
        directed=directed,
        freq=period,
        points=points,
        background_left_out=left_out,
        undated_left_out=store.undated_count(dyad, directed=directed),
    )


def _point(row: dict[str, Any], types: dict[str, int]) -> SeriesPoint:
    return SeriesPoint(
        period=row["period"],
        events=int(row["events"]),
        stories=int(row["stories"]),
        mentions=int(row["mentions"] or 0),
        goldstein_sum=float(row["goldstein_sum"]),
        goldstein_mean=_optional(row["goldstein_mean"]),
        verbal_cooperation=int(row["verbal_cooperation"]),
        material_cooperation=int(row["material_cooperation"]),
        verbal_conflict=int(row["verbal_conflict"]),
        material_conflict=int(row["material_conflict"]),
        volume=int(row["volume"]),
        share=_optional(row["share"]),
        goldstein_share=_optional(row["goldstein_share"]),
        roots=dict(sorted((row["roots"] or {}).items())),
        plover_types=types,
        plover_score=_plover_score(types),
    )


def _optional(value: float | None) -> float | None:
    return None if value is None else float(value)


@cache
def plover_scores() -> dict[str, float]:
    """A cooperation-conflict score per PLOVER type: the mean Goldstein value of the CAMEO
    codes the crosswalk puts in it (from the coder's cameo.toml)."""
    from dyadwatch.interop._tables import cameo

    values: dict[str, list[float]] = {}
    for goldstein, kind in cameo().values():
        if kind:
            values.setdefault(kind, []).append(goldstein)
    return {kind: round(sum(v) / len(v), 2) for kind, v in values.items()}


def _plover_score(types: dict[str, int]) -> float | None:
    scores = plover_scores()
    typed = {kind: n for kind, n in types.items() if kind in scores}
    total = sum(typed.values())
    if not total:
        return None
    return round(sum(scores[kind] * n for kind, n in typed.items()) / total, 3)
