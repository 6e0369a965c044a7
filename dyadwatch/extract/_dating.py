"""Dating the stories of a page: each from its own header, else from what the page gives grounds
for (the post that carries it, the page's own date, the nearest dated story), said as such."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from dyadwatch.extract._lines import _Line
from dyadwatch.extract.dates import NumericOrder, ParsedDate, outlet_timezone, parse_date


class DraftDates(Protocol):
    """What dating reads of a story as the segmenter drafted it."""

    @property
    def date_line(self) -> str | None: ...
    @property
    def post_date_line(self) -> str | None: ...
    @property
    def stamp_line(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def body(self) -> Sequence[_Line]: ...


def resolve_date(
    draft: DraftDates, year_hint: int | None, order: NumericOrder | None = None
) -> tuple[ParsedDate | None, bool]:
    """Parse the dateline, else a wire dateline opening the body (``HARBIN, April 12 --``);
    say whether the year was not printed but taken from the page's other stories."""
    zone = outlet_timezone(draft.outlet)
    candidates = [draft.date_line] if draft.date_line else []
    if draft.body:
        opening = re.split(r"\s+(?:--|—|–)\s+", draft.body[0].text, maxsplit=1)
        if len(opening) == 2 and len(opening[0]) <= 60:
            candidates.append(opening[0])
    for text in candidates:
        found = parse_date(text, default_tz=zone, order=order)
        if found is not None:
            return found, False
        found = parse_date(text, year_hint=year_hint, default_tz=zone, order=order)
        if found is not None:
            return found, True
    return None, False


def year_hints(drafts: Sequence[DraftDates], order: NumericOrder | None = None) -> list[int | None]:
    """For each story, the year of the nearest story whose dateline prints a full date."""
    years = [
        found.value.year
        if draft.date_line and (found := parse_date(draft.date_line, order=order))
        else None
        for draft in drafts
    ]
    hints: list[int | None] = []
    for index in range(len(drafts)):
        dated = [(abs(other - index), year) for other, year in enumerate(years) if year]
        hints.append(min(dated)[1] if dated else None)
    return hints


def infer_dates(
    drafts: Sequence[DraftDates],
    kept: list[bool],
    printed: list[ParsedDate | None],
    order: NumericOrder | None = None,
) -> list[tuple[ParsedDate, str] | None]:
    """For each kept story that prints no date, the date the page gives grounds for, and why.

    In order: the post that carries it (``post``: the story's own post header, else a dated
    piece with no story of its own right before it — a post's or a mail's header block, which
    the template lines around it may have cut off); a date in the page's own header, before
    its first story (an issue's or a blog page's date: ``page``); the nearest story of the page
    that prints a date, the earlier of two at the same distance (``thread``)."""
    stories = [index for index, keep in enumerate(kept) if keep]
    post_dates: list[ParsedDate | None] = []
    for index in stories:
        own = drafts[index].post_date_line or drafts[index].stamp_line
        found = parse_date(own, order=order) if own else None
        for before in range(index - 1, -1, -1):
            if found is not None:
                break
            other = drafts[before]
            if kept[before]:
                break
            if other.date_line and (found := parse_date(other.date_line, order=order)) is not None:
                break
        post_dates.append(found)
    first_story = stories[0] if stories else len(drafts)
    page_date = next(
        (
            found
            for draft in drafts[:first_story]
            if draft.date_line and (found := parse_date(draft.date_line, order=order)) is not None
        ),
        None,
    )
    dated = [(position, found) for position, found in enumerate(printed) if found is not None]
    guesses: list[tuple[ParsedDate, str] | None] = []
    for position, found in enumerate(printed):
        post_date = post_dates[position]
        if found is not None:
            guesses.append(None)
        elif post_date is not None:
            guesses.append((post_date, "post"))
        elif page_date is not None:
            guesses.append((page_date, "page"))
        elif dated:
            _, nearest = min(dated, key=lambda item: (abs(item[0] - position), item[1].value))
            guesses.append((nearest, "thread"))
        else:
            guesses.append(None)
    return guesses
