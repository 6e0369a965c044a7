"""When an event happened: relative dates in its clause, read against the publication date.

"on Monday", "Monday", "yesterday", "on April 12": a weekday is the latest such day on or
before publication; a month and day take the publication year (the year before when that
would put the event after publication).  Anything else keeps the publication date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dyadwatch.extract.dates import parse_date

Token = Any

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
         ("thursday", "thu", "thurs"), ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]
    )
    for name in names
}  # fmt: skip
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": 1}


def event_date(verb: Token, published: date | None) -> date | None:
    """Return the date the clause of ``verb`` gives for its act, else ``published``."""
    if published is None:
        return None
    for token in _time_tokens(verb):
        word = token.lower_
        if word in _RELATIVE_DAYS:
            return published - timedelta(days=_RELATIVE_DAYS[word])
        if word in _WEEKDAYS:
            back = (published.weekday() - _WEEKDAYS[word]) % 7
            return published - timedelta(days=back)
        phrase = " ".join(t.text for t in token.subtree)
        found = parse_date(phrase, year_hint=published.year)
        if found is not None and found.start == 0:
            day = found.value.date()
            if day > published + timedelta(days=1) and not any(c.isdigit() for c in phrase[-4:]):
                day = day.replace(year=day.year - 1)
            return day
    return published


def _time_tokens(verb: Token) -> list[Token]:
    """Time expressions attached to the verb: "on Monday", "Monday", "yesterday"."""
    found = []
    for child in verb.children:
        if child.dep_ in ("npadvmod", "advmod", "tmod", "obl:tmod"):
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("on", "since"):
            found += [c for c in child.children if c.dep_ == "pobj"]
    return found
