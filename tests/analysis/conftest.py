"""Stores filled with hand-made events, for the series and alert tests."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from dyadwatch.records import Actor, Event, Evidence, quad_class
from dyadwatch.store import Store

START = date(2024, 1, 1)  # a Monday: weeks start here


def make_event(
    day: date,
    source: str,
    target: str,
    code: str,
    goldstein: float,
    article: str,
    plover: str = "",
) -> Event:
    """One asserted event said by one sentence of ``article``."""
    sentence = f"{article}-s"
    return Event(
        event_id=Event.make_id(sentence, Actor(source), Actor(target), code, 0),
        sentence_id=sentence,
        article_id=article,
        date=day,
        source=Actor(source),
        target=Actor(target),
        code=code,
        goldstein=goldstein,
        quad_class=quad_class(code),
        plover=plover,
        modality="asserted",
        evidence=Evidence(
            sentence_id=sentence,
            text=f"{source} did {code} to {target} ({article}).",
            source_span=(0, 3),
            verb_span=(4, 7),
            target_span=None,
            entries=("test",),
            coder="test",
        ),
    )


def weekly_stories(
    weeks: range, per_week: int, level: float, *, seed: int, pair: tuple[str, str] = ("CHN", "RUS")
) -> Iterator[Event]:
    """``per_week`` stories a week about ``pair``, Goldstein around ``level``."""
    rng = random.Random(seed)
    for week in weeks:
        for n in range(per_week):
            score = max(-10.0, min(10.0, rng.gauss(level, 1.5)))
            code = "042" if score >= 0 else "111"
            source, target = pair if n % 2 else pair[::-1]
            day = START + timedelta(weeks=week, days=n % 5)
            yield make_event(
                day, source, target, code, round(score, 2), f"{pair}-{week}-{n}-{seed}"
            )


@pytest.fixture
def filled_store(tmp_path: Path) -> Callable[..., Store]:
    """Open a store in ``tmp_path`` and write the given events (and story ids) to it."""
    opened: list[Store] = []

    def fill(events: list[Event], story_ids: dict[str, str] | None = None) -> Store:
        store = Store(tmp_path / "analysis.duckdb")
        opened.append(store)
        store.write_batch(events=events, story_ids=story_ids or {})
        return store

    yield fill  # type: ignore[misc]
    for store in opened:
        store.close()
