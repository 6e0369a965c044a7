"""Online detection of shifts in a dyad's cooperation-conflict level.

The input is, per period, the Goldstein scores of the distinct stories about the dyad (one
value per story cluster, however many outlets reposted it). Each period's mean is standardised
against a trailing baseline of story scores, by its own standard error, so a week with many
stories weighs more than a week with one, and growth in the number of sources does not look
like a trend. A two-sided CUSUM on those scores raises an alarm when the evidence for a shift
crosses a threshold, and only when enough distinct stories back it (a minimum-evidence rule:
one story repeated by many outlets is one story).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Direction = Literal["up", "down"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Shift:
    """A detected shift: where it was confirmed, where it began, its direction and size."""

    confirmed: int  # index of the period whose data crossed the threshold
    start: int  # first period of the run that crossed it (the change point estimate)
    direction: Direction
    magnitude: float  # mean story score since ``start`` minus the baseline mean
    baseline_mean: float
    baseline_sd: float
    score: float  # CUSUM value when confirmed, in units of the threshold
    stories: int  # distinct stories since ``start``


@dataclass(frozen=True, slots=True, kw_only=True)
class Detector:
    """A CUSUM detector on standardised period means (defaults measured by bench/alerts.py)."""

    threshold: float = 3.0  # CUSUM alarm level (h), in standard errors
    allowance: float = 1.0  # slack per period (k): shifts below about 2k are ignored
    baseline: int = 26  # periods of story scores that set the expected level
    warmup: int = 12  # periods of baseline needed before any alarm
    rewarm: int = 6  # periods of the new level needed after a confirmed shift
    min_stories: int = 3  # distinct stories since the run began
    min_sd: float = 0.5  # floor on the baseline spread of story scores
    clip: float = 6.0  # cap on one period's standardised score (one odd week)
    winsor: float = 3.0  # story scores are capped at this many spreads from the baseline

    def detect(self, periods: Sequence[Sequence[float]]) -> list[Shift]:
        """Return the shifts in ``periods`` (story scores per period), in order."""
        shifts: list[Shift] = []
        origin = 0  # the baseline starts here: after the last confirmed change
        high = low = 0.0
        high_start = low_start = 0
        for t, scores in enumerate(periods):
            history = [s for p in periods[max(origin, t - self.baseline) : t] for s in p]
            settle = self.rewarm if shifts else self.warmup
            if t - origin < settle or len(history) < 2 * self.min_stories:
                high = low = 0.0
                high_start = low_start = t + 1
                continue
            mean = math.fsum(history) / len(history)
            spread = math.sqrt(math.fsum((s - mean) ** 2 for s in history) / (len(history) - 1))
            spread = max(spread, self.min_sd)
            z = 0.0
            if scores:
                # One outlandish story moves a period by at most a few spreads.
                low_cap, high_cap = mean - self.winsor * spread, mean + self.winsor * spread
                capped = [max(low_cap, min(high_cap, s)) for s in scores]
                z = (math.fsum(capped) / len(capped) - mean) / (spread / math.sqrt(len(capped)))
                z = max(-self.clip, min(self.clip, z))
            if high == 0.0:
                high_start = t
            if low == 0.0:
                low_start = t
            high = max(0.0, high + z - self.allowance)
            low = max(0.0, low - z - self.allowance)
            for value, start, direction in ((high, high_start, "up"), (low, low_start, "down")):
                if value < self.threshold:
                    continue
                since = [s for p in periods[start : t + 1] for s in p]
                if len(since) < self.min_stories:
                    continue
                shifts.append(
                    Shift(
                        confirmed=t,
                        start=start,
                        direction=direction,  # type: ignore[arg-type]
                        magnitude=math.fsum(since) / len(since) - mean,
                        baseline_mean=mean,
                        baseline_sd=spread,
                        score=value / self.threshold,
                        stories=len(since),
                    )
                )
                origin = start  # the new level becomes the baseline
                high = low = 0.0
                break
        return shifts


def zscore_baseline(
    means: Sequence[float | None], window: int = 26, threshold: float = 3.0, warmup: int = 8
) -> list[int]:
    """The naive detector analysts use on GDELT: the z-score of each period's Goldstein mean
    against the trailing ``window`` means; returns the periods where ``|z| > threshold``.
    """
    alarms = []
    for t, value in enumerate(means):
        history = [m for m in means[max(0, t - window) : t] if m is not None]
        if value is None or len(history) < warmup:
            continue
        mean = math.fsum(history) / len(history)
        sd = math.sqrt(math.fsum((m - mean) ** 2 for m in history) / (len(history) - 1))
        if sd > 0 and abs(value - mean) / sd > threshold:
            alarms.append(t)
    return alarms
