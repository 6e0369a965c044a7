"""Early-warning alerts: shifts in a dyad's relations, each citing the events behind it.

For every dyad with events between two named actors, one Goldstein score per story and period
(a story reposted by fifty outlets is one story) is read from the store and run through the
shift ``Detector``. A downward shift is an escalation, an upward one a de-escalation; a period
where the pair takes several times its usual share of all stories is a volume surge; a pair
whose first stories appear after the start of the record is a first contact. Each alert keeps
the events of the stories that moved the level, strongest first, as its evidence.

Background events (acts of years past that an article recalls, see ``dyadwatch.coding.when``)
are not read; :func:`background_left_out` counts them. Nor are undated events (their article
prints no date and none could be inferred): they fall in no period; :func:`undated_left_out`
counts them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from dyadwatch.analysis.changepoints import Detector, Shift
from dyadwatch.analysis.series import check_freq
from dyadwatch.records import content_id

if TYPE_CHECKING:
    from dyadwatch.store import Store

AlertKind = Literal["escalation", "de-escalation", "volume surge", "first contact"]
_SURGE_Z = 4.0  # standard deviations above the expected number of stories
_SURGE_RATIO = 2.0  # and at least twice the expected number
_CITED = 20  # events an alert cites at most


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """A shift in one dyad's relations, with the events that drive it."""

    alert_id: str
    dyad: tuple[str, str]
    kind: AlertKind
    period: date  # the period whose news confirmed the shift
    start: date  # the period the new level began
    magnitude: float  # change in mean Goldstein per story (negative: worse)
    confidence: float  # probability the level moved, from the run's stories (0-1)
    stories: int
    message: str
    event_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Story:
    period: date
    score: float
    event_ids: tuple[str, ...]


def find_alerts(
    store: Store, *, freq: str = "week", detector: Detector | None = None
) -> list[Alert]:
    """Return every alert the stored events support, oldest first."""
    period_freq = check_freq(freq)
    detector = detector or Detector()
    by_dyad: dict[tuple[str, str], list[_Story]] = defaultdict(list)
    for a, b, period, _story, score, ids in store.story_scores(period_freq):
        by_dyad[(a, b)].append(_Story(period, score, tuple(ids)))
    if not by_dyad:
        return []
    first_period = min(s.period for stories in by_dyad.values() for s in stories)
    totals: dict[date, int] = defaultdict(int)
    for stories in by_dyad.values():
        for story in stories:
            totals[story.period] += 1
    alerts: list[Alert] = []
    for dyad, stories in sorted(by_dyad.items()):
        alerts.extend(_dyad_alerts(dyad, stories, period_freq, detector, first_period))
        alerts.extend(_surges(dyad, stories, totals, period_freq, detector))
    return sorted(alerts, key=lambda alert: (alert.period, alert.dyad, alert.kind))


def background_left_out(store: Store) -> int:
    """How many background events (acts of years past that articles recall, see
    ``dyadwatch.coding.when``) :func:`find_alerts` does not read."""
    return store.background_count()


def undated_left_out(store: Store) -> int:
    """How many undated events (their article prints no date and none could be inferred)
    :func:`find_alerts` does not read."""
    return store.undated_count()


def _dyad_alerts(
    dyad: tuple[str, str],
    stories: list[_Story],
    freq: str,
    detector: Detector,
    first_period: date,
) -> Iterator[Alert]:
    periods = sorted({s.period for s in stories})
    timeline = _timeline(periods[0], periods[-1], freq)
    index = {period: i for i, period in enumerate(timeline)}
    values: list[list[float]] = [[] for _ in timeline]
    for story in stories:
        values[index[story.period]].append(story.score)
    first = [s for s in stories if s.period == periods[0]]
    if periods[0] > first_period and len(first) >= detector.min_stories:
        ids = _cite(first, sign=0, mean=0.0)
        mean = math.fsum(s.score for s in first) / len(first)
        yield Alert(
            alert_id=content_id("alert", *dyad, "first contact", str(periods[0]), freq),
            dyad=dyad,
            kind="first contact",
            period=periods[0],
            start=periods[0],
            magnitude=round(mean, 3),
            confidence=1.0,
            stories=len(first),
            message=(
                f"{dyad[0]}–{dyad[1]}: first reported contact, {len(first)} stories in the "
                f"{freq} of {periods[0]}, mean Goldstein {mean:+.1f}."
            ),
            event_ids=ids,
        )
    for shift in detector.detect(values):
        yield _shift_alert(dyad, shift, timeline, stories, freq)


def _surges(
    dyad: tuple[str, str],
    stories: list[_Story],
    totals: dict[date, int],
    freq: str,
    detector: Detector,
) -> Iterator[Alert]:
    """Periods where the dyad takes a far larger part of all stories than it used to.

    The expected count is the dyad's share of all stories over the trailing baseline times
    the period's total, so growth in the number of sources is not a surge.
    """
    timeline = _timeline(min(totals), max(totals), freq)
    counts: dict[date, list[_Story]] = defaultdict(list)
    for story in stories:
        counts[story.period].append(story)
    first = timeline.index(min(counts))
    for t, period in enumerate(timeline):
        past = timeline[max(first, t - detector.baseline) : t]
        if len(past) < detector.warmup:
            continue  # the pair's own record is too short to know its usual share
        mine = sum(len(counts.get(p, [])) for p in past)
        everyone = sum(totals.get(p, 0) for p in past)
        if not mine or not everyone:
            continue  # a pair's first stories are a first contact, not a surge
        expected = mine / everyone * totals.get(period, 0)
        now = counts.get(period, [])
        if len(now) < detector.min_stories or expected <= 0:
            continue
        z = (len(now) - expected) / math.sqrt(expected)
        if z < _SURGE_Z or len(now) < _SURGE_RATIO * expected:
            continue
        mean = math.fsum(s.score for s in now) / len(now)
        yield Alert(
            alert_id=content_id("alert", *dyad, "volume surge", str(period), freq),
            dyad=dyad,
            kind="volume surge",
            period=period,
            start=period,
            magnitude=round(len(now) / expected, 2),
            confidence=round(0.5 * (1 + math.erf(z / math.sqrt(2))), 3),
            stories=len(now),
            message=(
                f"{dyad[0]}–{dyad[1]}: {len(now)} stories in the {freq} of {period}, "
                f"{len(now) / expected:.1f} times the expected {expected:.1f}; "
                f"mean Goldstein {mean:+.1f}."
            ),
            event_ids=_cite(now, sign=0, mean=0.0),
        )


def _shift_alert(
    dyad: tuple[str, str], shift: Shift, timeline: list[date], stories: list[_Story], freq: str
) -> Alert:
    start, confirmed = timeline[shift.start], timeline[shift.confirmed]
    kind: AlertKind = "escalation" if shift.direction == "down" else "de-escalation"
    run = [s for s in stories if start <= s.period <= confirmed]
    sign = -1 if shift.direction == "down" else 1
    error = shift.baseline_sd / math.sqrt(max(shift.stories, 1))
    confidence = 0.5 * (1 + math.erf(abs(shift.magnitude) / error / math.sqrt(2)))
    before, after = shift.baseline_mean, shift.baseline_mean + shift.magnitude
    verb = "worsened" if kind == "escalation" else "improved"
    return Alert(
        alert_id=content_id("alert", *dyad, kind, str(start), freq),
        dyad=dyad,
        kind=kind,
        period=confirmed,
        start=start,
        magnitude=round(shift.magnitude, 3),
        confidence=round(confidence, 3),
        stories=shift.stories,
        message=(
            f"{dyad[0]}–{dyad[1]}: relations {verb} from the {freq} of {start}: mean Goldstein "
            f"per story {before:+.1f} → {after:+.1f} over {shift.stories} stories."
        ),
        event_ids=_cite(run, sign=sign, mean=before),
    )


def _cite(stories: Iterable[_Story], *, sign: int, mean: float) -> tuple[str, ...]:
    """The events of the stories that pull the level most in the shift's direction."""
    ranked = sorted(stories, key=lambda s: -(s.score - mean) * sign if sign else -abs(s.score))
    if sign:
        ranked = [s for s in ranked if (s.score - mean) * sign > 0] or ranked
    ids: list[str] = []
    for story in ranked:
        ids.extend(i for i in story.event_ids if i not in ids)
        if len(ids) >= _CITED:
            break
    return tuple(ids[:_CITED])


def _timeline(first: date, last: date, freq: str) -> list[date]:
    """Every period start from ``first`` to ``last`` (periods as DuckDB's date_trunc gives)."""
    from datetime import timedelta

    periods = [first]
    while periods[-1] < last:
        current = periods[-1]
        if freq == "day":
            periods.append(current + timedelta(days=1))
        elif freq == "week":
            periods.append(current + timedelta(days=7))
        else:
            year, month = divmod(current.month, 12)
            periods.append(date(current.year + year, month + 1, 1))
    return periods
