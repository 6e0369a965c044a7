"""One bad item never sinks a run: each item a reader yields is made on its own, an error
anywhere in a file ends only that file, and a file's skipped items are listed up to a cap.

Readers turn what one page, line, entry, record or row raises (any ``Exception``) into a
``Skipped`` naming it, through :func:`one_item`; :func:`isolated` does the same for a whole
file's generator; :func:`capped` lists the first :data:`MAX_SKIPS_LISTED` skips of a file one
by one and folds the rest into one ``Skipped`` whose ``tally`` still counts every one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from dyadwatch.ingest._decode import Unreadable
from dyadwatch.records import Skipped, Stage

T = TypeVar("T")

MAX_SKIPS_LISTED = 100
"""Skipped items of one input file listed (stored, printed) one by one; the rest are counted."""

MAX_REASONS = 20
"""Distinct reasons a folded row counts apart; the others are counted as ``other reasons``."""


def unexpected(error: BaseException) -> str:
    """The reason for an error no reader expected: its type and message."""
    message = " ".join(str(error).split())[:300]
    return f"unexpected error: {type(error).__name__}" + (f": {message}" if message else "")


def one_item(item: str, make: Callable[..., T], *args: Any, stage: Stage = "ingest") -> T | Skipped:
    """``make(*args)``, or a Skipped naming ``item`` with why it failed: an Unreadable's
    reason, or the type and message of any other error."""
    try:
        return make(*args)
    except Unreadable as problem:
        return Skipped(stage=stage, item=item, reason=problem.reason)
    except Exception as error:
        return Skipped(stage=stage, item=item, reason=unexpected(error))


def isolated(label: str, items: Iterable[T], *, stage: Stage = "ingest") -> Iterator[T | Skipped]:
    """Yield ``items``; an error while making them ends them with a Skipped naming ``label``
    (and how many items came before it), so the inputs after it are still read."""
    done = 0
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            after = f" after {done} items" if done else ""
            yield Skipped(stage=stage, item=label, reason=f"{unexpected(error)}{after}")
            return
        done += 1
        yield item


def capped(
    label: str,
    items: Iterable[T | Skipped],
    *,
    stage: Stage = "ingest",
    limit: int = MAX_SKIPS_LISTED,
) -> Iterator[T | Skipped]:
    """Yield ``items`` with only their first ``limit`` skips of single items; the others are
    counted by reason and yielded at the end as one Skipped naming ``label`` (its ``tally``
    holds the counts). A skip naming ``label`` itself (why the file stopped) is always listed."""
    listed = 0
    tally: Counter[str] = Counter()
    for item in items:
        if isinstance(item, Skipped) and item.item != label:
            if listed >= limit:
                _count(tally, item)
                continue
            listed += 1
        yield item
    if tally:
        yield folded(label, tally, stage=stage)


def folded(label: str, tally: Counter[str], *, stage: Stage) -> Skipped:
    """One Skipped standing for the ``tally`` of skipped items of ``label`` not listed."""
    total = sum(tally.values())
    counts = "; ".join(f"{reason} × {count:,}" for reason, count in tally.most_common())
    return Skipped(
        stage=stage,
        item=label,
        reason=f"… and {total:,} more items skipped (not listed one by one): {counts}",
        tally=tuple(sorted(tally.items())),
    )


def _count(tally: Counter[str], item: Skipped) -> None:
    for reason, count in item.tally or ((item.reason, 1),):
        if reason not in tally and len(tally) >= MAX_REASONS:
            reason = "other reasons"
        tally[reason] += count
