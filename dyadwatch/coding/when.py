"""When an event happened: the time its own clause gives, read against the publication date.

The time expressions looked at are the event word's own time dependents ("signed ... on April
29", "opened relations in 1949", "held talks two years ago"), then those of the clauses that
govern it: the verb it is coordinated with (only expressions before the event word, so an
opening "Last year," or "In June 2016," scopes over every conjunct), and the verb whose
complement it is ("said on Thursday that ...", "agreed last year to ..."). A relative clause
or adverbial clause hanging off the event is another act and is not read.

Forms read, each against the publication date ``published``:

* ``today``, ``yesterday``, a weekday (``on Monday``: the latest such day on or before
  publication) and full dates (``April 29, 2018``, ``29 April 2018``): precision ``day``;
  a month and day without a year (``on April 29``) takes the publication year, or the year
  before when that would put it more than a day after publication;
* ``last week``, ``this week``: the week's Monday, precision ``week``;
* ``June 2016``, ``last month``, ``earlier this month``, a bare month of the publication year
  (``in March``; a month after the publication month is taken for a coming one and not read):
  the month's first day, precision ``month``;
* ``1949``, ``last year``, ``this year``, ``two years ago``: 1 January, precision ``year``;
* ``the 1990s``: the decade's first day, precision ``decade``.

A time after publication (plus a day's slack for time zones) speaks of plans, not of the act
("will meet in 2030"), and is not used. Without a usable time the event takes the article's
date; the article's precision is a day or finer, so the event's is ``day``. An article without
a date gives nothing to read relative times against: only times that name their year are read.

An event is ``background`` when its own date lies in a year before the publication year and
more than :data:`BACKGROUND_DAYS` days before publication: a 2019 article recalling 1949, or
"last year" said in 2019, is history, not news of 2019. An event dated by its sentence in an
article without a date is background too: nothing places it in the news (its article's other
events, undated, are in no series either). Series and alerts leave background events out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dyadwatch.extract.dates import parse_date
from dyadwatch.records import EventPrecision

Token = Any

BACKGROUND_DAYS = 183
"""An event dated more than this many days (about six months) before publication, and in an
earlier year, is background."""

_SLACK = timedelta(days=1)  # a date this far after publication is still the reported act
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
         ("thursday", "thu", "thurs"), ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]
    )
    for name in names
}  # fmt: skip
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": 1}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "thirty": 30,
}  # fmt: skip

# Dependents that may be a time: "last year" (npadvmod), "two years ago" (advmod), "on Monday".
_TIME_DEPS = frozenset({"npadvmod", "advmod", "tmod", "obl:tmod", "nmod:tmod"})
_TIME_PREPS = frozenset({"on", "in", "during"})
# Clauses whose governing verb's time applies to them.
_GOVERNED = frozenset({"conj", "xcomp", "ccomp"})

_HEDGE = r"(?:(?:earlier|later|early|late|mid-?)\s*)?"
_UNIT = re.compile(
    rf"{_HEDGE}(?P<which>last|past|previous|this|next)\s+(?P<unit>week|month|year|decade)\b", re.I
)
_AGO = re.compile(r"(?P<n>\d+|[a-z]+)\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b", re.I)
_DECADE = re.compile(rf"(?:the\s+)?{_HEDGE}(?P<decade>\d{{3}}0)'?s\b", re.I)
_MONTH_YEAR = re.compile(
    rf"{_HEDGE}(?P<month>[a-z]+)\.?\s*,?\s+(?:of\s+)?(?P<year>\d{{4}})\b", re.I
)
_MONTH = re.compile(rf"{_HEDGE}(?P<month>[a-z]+)\.?$", re.I)
_YEAR = re.compile(rf"{_HEDGE}(?P<year>\d{{4}})(?![\d,.]\d)", re.I)
_FOUR_DIGITS = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class When:
    """An event's date, how precise it is, and whether it is background to the news."""

    day: date | None
    precision: EventPrecision
    background: bool = False


def event_when(word: Token, published: date | None) -> When:
    """Return when the act of ``word`` (its verb or event noun) happened, by its clause's time
    or else by ``published``."""
    for token in _time_tokens(word):
        found = read_time(_phrase(token), token, published)
        if found is not None:
            day, precision = found
            past = published is None or is_background(day, published)
            return When(day, precision, past)
    return When(published, "day")


def event_date(word: Token, published: date | None) -> date | None:
    """Return the date the clause of ``word`` gives for its act, else ``published``."""
    return event_when(word, published).day


def is_background(day: date, published: date) -> bool:
    """Whether an act on ``day`` is history to an article of ``published`` (see module doc)."""
    return day.year < published.year and (published - day).days > BACKGROUND_DAYS


def read_time(
    text: str, anchor: Token, published: date | None
) -> tuple[date, EventPrecision] | None:
    """Read the time expression ``text`` (headed by ``anchor``) against ``published``; without
    a publication date only times that name their year are read."""
    found = _read(text, anchor.lower_, published)
    if found is None or (published is not None and found[0] > published + _SLACK):
        return None
    return found


def _read(text: str, head: str, published: date | None) -> tuple[date, EventPrecision] | None:
    if (match := _DECADE.match(text)) and head.endswith("s"):
        return date(int(match["decade"]), 1, 1), "decade"
    if published is None:
        return _absolute(text, head, None)
    words = text.lower().split()
    if head in _RELATIVE_DAYS:
        return published - timedelta(days=_RELATIVE_DAYS[head]), "day"
    if head in _WEEKDAYS and (len(words) == 1 or words[0] in ("last", "past", "this")):
        return published - timedelta(days=(published.weekday() - _WEEKDAYS[head]) % 7), "day"
    if head == "ago":
        return _ago(text, published)
    if match := _UNIT.match(text):
        return _unit(match["which"].lower(), match["unit"].lower(), published)
    return _absolute(text, head, published)


def _absolute(text: str, head: str, published: date | None) -> tuple[date, EventPrecision] | None:
    year_hint = published.year if published else None
    if (found := parse_date(text, year_hint=year_hint)) is not None and found.start == 0:
        day = found.value.date()
        yearless = not _FOUR_DIGITS.search(text[: found.end])
        if published is not None and day > published + _SLACK and yearless:
            day = _year_before(day)
        return day, "day"
    match = _MONTH_YEAR.match(text)
    if match and match["month"].lower() in _MONTHS and head in _MONTHS:
        return date(int(match["year"]), _MONTHS[match["month"].lower()], 1), "month"
    match = _MONTH.match(text)
    # A bare month is of the publication year; one after the publication month is more often
    # the coming one ("will meet in June", said in April) than last year's, so it is not read.
    if match and published and head in _MONTHS:
        month = _MONTHS[match["month"].lower()]
        return (date(published.year, month, 1), "month") if month <= published.month else None
    match = _YEAR.match(text)
    if match and head == match["year"] and int(match["year"]) >= 1000:
        return date(int(match["year"]), 1, 1), "year"
    return None


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else day


def _ago(text: str, published: date) -> tuple[date, EventPrecision] | None:
    match = _AGO.search(text)
    if match is None:
        return None
    n = int(match["n"]) if match["n"].isdigit() else _NUMBERS.get(match["n"].lower())
    if n is None:
        return None  # "many years ago": too vague to date
    unit = match["unit"].lower()
    if unit in ("day", "week"):
        return published - timedelta(days=n * (7 if unit == "week" else 1)), "day"
    if unit == "month":
        months = published.year * 12 + published.month - 1 - n
        return date(months // 12, months % 12 + 1, 1), "month"
    years = n * (10 if unit == "decade" else 1)
    return date(published.year - years, 1, 1), "year"


def _unit(which: str, unit: str, published: date) -> tuple[date, EventPrecision] | None:
    if which == "next":
        return None  # a plan, not an act
    back = 0 if which == "this" else 1
    if unit == "week":
        monday = published - timedelta(days=published.weekday())
        return monday - timedelta(weeks=back), "week"
    if unit == "month":
        months = published.year * 12 + published.month - 1 - back
        return date(months // 12, months % 12 + 1, 1), "month"
    if unit == "year":
        return date(published.year - back, 1, 1), "year"
    return date(published.year // 10 * 10 - 10 * back, 1, 1), "decade"


def _phrase(token: Token) -> str:
    """The text of ``token``'s subtree as printed ("April 29, 2018", "two years ago")."""
    doc = token.doc
    return str(doc[token.left_edge.i : token.right_edge.i + 1].text)


def _time_tokens(word: Token) -> list[Token]:
    """Possible time expressions of ``word``'s clause, its own first, then its governors'."""
    found = _own_times(word)
    child = word
    while child.dep_ in _GOVERNED and child.head.i != child.i:
        head = child.head
        times = _own_times(head)
        if child.dep_ == "conj":
            times = [token for token in times if token.i < word.i]
        found += times
        child = head
    return found


def _own_times(word: Token) -> list[Token]:
    found = []
    for child in word.children:
        if child.dep_ in _TIME_DEPS:
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in _TIME_PREPS:
            found += [c for c in child.children if c.dep_ == "pobj"]
    return found
