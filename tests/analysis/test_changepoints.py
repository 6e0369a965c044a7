"""The shift detector on hand-made story streams."""

from __future__ import annotations

import random

from dyadwatch.analysis.changepoints import Detector, zscore_baseline


def stream(
    weeks: int, per_week: int, level: float, *, seed: int, spread: float = 2.0
) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.gauss(level, spread) for _ in range(per_week)] for _ in range(weeks)]


def test_detects_a_drop_into_conflict_soon_after_it_happens() -> None:
    periods = stream(40, 8, 3.0, seed=1) + stream(20, 8, -1.0, seed=3)
    (shift,) = Detector().detect(periods)
    assert shift.direction == "down"
    assert 40 <= shift.confirmed <= 42
    assert 38 <= shift.start <= shift.confirmed
    assert shift.magnitude < -2.5 and shift.stories >= 8


def test_stationary_stream_with_growing_volume_raises_nothing() -> None:
    rng = random.Random(3)
    periods = [[rng.gauss(1.0, 3.0) for _ in range(2 + week // 4)] for week in range(150)]
    assert Detector().detect(periods) == []


def test_one_outlandish_story_is_not_a_shift() -> None:
    # A story is one value however many outlets repost it; one extreme story is not enough.
    periods = [
        *stream(40, 3, 2.0, seed=4, spread=0.4),
        [-10.0],
        *stream(10, 3, 2.0, seed=5, spread=0.4),
    ]
    assert Detector().detect(periods) == []


def test_the_new_level_becomes_the_baseline() -> None:
    periods = stream(30, 6, 2.0, seed=6) + stream(60, 6, -4.0, seed=7)
    shifts = Detector().detect(periods)
    assert [s.direction for s in shifts] == ["down"]


def test_zscore_baseline_flags_a_single_odd_week() -> None:
    means: list[float | None] = [1.0 + 0.1 * (i % 3) for i in range(30)]
    means[20] = -5.0
    assert zscore_baseline(means) == [20]
