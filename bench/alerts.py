"""Early-warning accuracy of dyadwatch's shift detector on synthetic dyad event streams.

Each stream is a dyad followed for three years of weekly periods. Stories arrive at a rate
that drifts (more sources over time, or fewer); each story has a Goldstein score drawn around
the dyad's level; some stories are reposted by dozens of outlets (a burst of mentions, one
story). Half the streams get a planted shift of the level at a random week, of a size given in
standard deviations of the story scores; the other half stay stationary.

Two detectors are compared:

- dyadwatch: `Detector` (CUSUM on per-story, volume-standardised period means, with the
  minimum-evidence rule), reading one score per story;
- the naive baseline: the z-score of the weekly mention-weighted Goldstein mean against the
  trailing 26 weeks, `|z| > 3`, as analysts do with GDELT counts.

A planted shift is detected when an alarm in its direction comes at most 8 periods after it;
delay (in periods, among detected shifts) is the alarm period minus the shift period: 0 means
the alarm came with the first week of the new level; the censored mean also counts each missed
shift as 9 periods, the wait a user has when detectors differ in how often they detect. Any
other alarm is a false alarm.

    python bench/alerts.py [--streams 400] [--seed 7] [--markdown docs/alerts-benchmark.md]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dyadwatch.analysis.changepoints import Detector, zscore_baseline  # noqa: E402

WEEKS = 156
HORIZON = 8  # periods after a shift within which an alarm counts as its detection
SIZES = (0.5, 1.0, 1.5, 2.0)
RATES = (3.0, 10.0, 30.0)  # stories per week about the dyad, before drift


@dataclass(slots=True)
class Stream:
    """One synthetic dyad: story scores and mention counts per week, and the planted shift."""

    stories: list[list[float]]
    mentions: list[list[int]]
    shift_at: int | None
    direction: int  # +1 up, -1 down, 0 none
    size: float
    rate: float


def make_stream(rng: random.Random, size: float, rate: float, planted: bool) -> Stream:
    """Draw one stream; ``size`` is the shift in standard deviations of story scores."""
    level = rng.uniform(-3.0, 3.0)
    spread = rng.uniform(2.0, 4.0)
    growth = rng.uniform(-0.5, 2.0)  # volume drift over the three years
    shift_at = rng.randrange(52, WEEKS - HORIZON - 10) if planted else None
    direction = rng.choice((-1, 1)) if planted else 0
    stories: list[list[float]] = []
    mentions: list[list[int]] = []
    for week in range(WEEKS):
        expected = rate * (1 + growth * week / WEEKS)
        count = _poisson(rng, max(expected, 0.2))
        mean = level
        if shift_at is not None and week >= shift_at:
            mean = level + direction * size * spread
        scores = [max(-10.0, min(10.0, rng.gauss(mean, spread))) for _ in range(count)]
        copies = [1 + _poisson(rng, 1.5) for _ in range(count)]
        if scores and rng.random() < 0.04:
            # A reposting burst: one story carried by dozens of outlets.
            copies[rng.randrange(len(copies))] += rng.randint(20, 200)
        stories.append(scores)
        mentions.append(copies)
    return Stream(stories, mentions, shift_at, direction, size, rate)


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method is fine for the small rates used here.
    threshold, count, product = pow(2.718281828459045, -lam), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def weighted_means(stream: Stream) -> list[float | None]:
    """The weekly mention-weighted Goldstein mean the naive detector reads."""
    means: list[float | None] = []
    for scores, copies in zip(stream.stories, stream.mentions, strict=True):
        total = sum(copies)
        means.append(
            sum(s * c for s, c in zip(scores, copies, strict=True)) / total if total else None
        )
    return means


def _episodes(alarms: list[int]) -> list[int]:
    """Collapse runs of consecutive alarm periods into their first period."""
    return [t for i, t in enumerate(alarms) if i == 0 or alarms[i - 1] != t - 1]


@dataclass(slots=True)
class Tally:
    """Detections, delays and false alarms of one detector over a group of streams."""

    planted: int = 0
    detected: int = 0
    delays: list[int] = field(default_factory=list)
    false_alarms: int = 0
    years: float = 0.0

    def add(self, stream: Stream, alarms: list[tuple[int, int]]) -> None:
        """Score one stream's alarms: ``(period, direction)`` pairs."""
        self.years += WEEKS / 52
        hit = None
        if stream.shift_at is not None:
            self.planted += 1
            for period, direction in alarms:
                lag = period - stream.shift_at
                if 0 <= lag <= HORIZON and direction == stream.direction:
                    hit = (period, direction)
                    self.detected += 1
                    self.delays.append(lag)
                    break
        self.false_alarms += sum(1 for alarm in alarms if alarm != hit)

    def row(self) -> tuple[str, str, str, str, str]:
        rate = f"{self.detected / self.planted:.0%}" if self.planted else "—"
        delay = f"{statistics.median(self.delays):.1f}" if self.delays else "—"
        mean = f"{statistics.fmean(self.delays):.2f}" if self.delays else "—"
        # A miss counts as HORIZON + 1 periods: the delay a user actually waits on average.
        censored = self.delays + [HORIZON + 1] * (self.planted - self.detected)
        waited = f"{statistics.fmean(censored):.2f}" if censored else "—"
        false = f"{self.false_alarms / self.years:.2f}" if self.years else "—"
        return rate, delay, mean, waited, false


def ours(stream: Stream, detector: Detector) -> list[tuple[int, int]]:
    return [
        (shift.confirmed, 1 if shift.direction == "up" else -1)
        for shift in detector.detect(stream.stories)
    ]


def naive(stream: Stream) -> list[tuple[int, int]]:
    means = weighted_means(stream)
    alarms = []
    for t in _episodes(zscore_baseline(means)):
        history = [m for m in means[max(0, t - 26) : t] if m is not None]
        value = means[t]
        direction = 1 if value is not None and value > statistics.fmean(history) else -1
        alarms.append((t, direction))
    return alarms


def run(streams: int, seed: int) -> dict[str, dict[str, Tally]]:
    """Score both detectors by shift size (and on stationary streams) and by volume."""
    rng = random.Random(seed)
    detector = Detector()
    groups: dict[str, dict[str, Tally]] = {}
    for index in range(streams):
        planted = index % 2 == 0
        size = SIZES[(index // 2) % len(SIZES)] if planted else 0.0
        rate = RATES[(index // (2 * len(SIZES))) % len(RATES)]
        stream = make_stream(rng, size, rate, planted)
        keys = [f"shift {size:g} SD" if planted else "stationary", f"{rate:g} stories/week"]
        keys.append("all shifts ≥ 1 SD" if planted and size >= 1 else "")
        for key in filter(None, keys):
            tallies = groups.setdefault(key, {"dyadwatch": Tally(), "z-score": Tally()})
            tallies["dyadwatch"].add(stream, ours(stream, detector))
            tallies["z-score"].add(stream, naive(stream))
    return groups


def table(groups: dict[str, dict[str, Tally]]) -> str:
    lines = [
        "| streams | detector | detected | median delay | mean delay "
        "| mean delay, a miss = 9 | false alarms per dyad-year |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for key in sorted(groups, key=_order):
        for name, tally in groups[key].items():
            lines.append(f"| {key} | {name} | " + " | ".join(tally.row()) + " |")
    return "\n".join(lines)


def _order(key: str) -> tuple[int, str]:
    rank = 0 if key.startswith("all") else 1 if key.startswith("shift") else 2
    rank = 3 if key.endswith("week") else rank
    return rank, key


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    groups = run(args.streams, args.seed)
    seconds = time.perf_counter() - start
    text = table(groups)
    print(text)
    print(f"\n{args.streams} streams of {WEEKS} weeks in {seconds:.1f} s")
    if args.markdown:
        command = "python bench/alerts.py " + " ".join(argv if argv is not None else sys.argv[1:])
        args.markdown.write_text(
            "# Early-warning benchmark\n\n"
            + __doc__.split("\n\n", 1)[1].split("    python")[0]
            + f"Regenerate:\n\n    {command.strip()}\n\n"
            + f"Measured with Python {platform.python_version()}; {args.streams} streams of "
            + f"{WEEKS} weekly periods, seed {args.seed}, {seconds:.1f} s.\n\n"
            + text
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
