"""The CAMEO table and country names the importers need, read from the coder's lexicon files
without loading the coder (no spaCy)."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from dyadwatch.records import Actor, Event, Evidence, quad_class

T = TypeVar("T")


def each_row(rows: Iterator[T]) -> Iterator[T | str]:
    """The rows of a CSV reader; one it cannot read (a field over the size limit) as the
    reason why, the reading going on after it."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            yield f"unreadable row ({error})"
            continue
        yield row


def _read(name: str) -> dict[str, Any]:
    text = resources.files("dyadwatch.coding.data").joinpath(name).read_text("utf-8")
    return tomllib.loads(text)


@cache
def cameo() -> dict[str, tuple[float, str]]:
    """``{code: (goldstein, plover type)}`` for every CAMEO code."""
    return {
        str(row["code"]): (float(row["goldstein"]), str(row.get("plover", "")))
        for row in _read("cameo.toml")["code"]
    }


@cache
def country_names() -> dict[str, str]:
    """Lower-cased country names (and adjectives) -> ISO-3 code, for ICEWS's name columns."""
    names: dict[str, str] = {}
    for row in _read("countries.toml")["country"]:
        for name in [*row.get("names", []), *row.get("adjectives", [])]:
            name = name.lower()
            names.setdefault(name.removeprefix("the "), row["code"])
    return names


def country_code(name: str) -> str:
    """ISO-3 code of a country as ICEWS names it ("United States", "Moldova, Republic of",
    "the Gambia"); "" when unknown or "NA"."""
    key = name.strip().lower().removeprefix("the ")
    if "," in key:  # "Moldova, Republic of" -> "moldova"
        key = key.split(",", 1)[0].strip()
    return country_names().get(key, "")


def normal_code(raw: str) -> str | None:
    """A CAMEO code as a string with its leading zero ("42" -> "042", "311" -> "0311"), or
    None when the value is not a CAMEO code."""
    code = raw.strip().strip('"')
    if not code.isdigit() or not 2 <= len(code) <= 4:
        return None
    if len(code) == 2 or (len(code) == 3 and int(code[:2]) > 20):
        code = "0" + code
    return code if code in cameo() else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportedRow:
    """What an importer read from one row, before it becomes an ``Event``."""

    coder: str  # "gdelt" or "icews"
    event_id: str
    sentence_id: str
    article_id: str
    day: date
    source: Actor
    target: Actor
    code: str
    goldstein: float
    text: str  # the evidence shown for it: actor names, event text, URL or story
    entry: str  # the dataset's own id for the row


def imported_event(row: ImportedRow) -> Event:
    """An asserted event from an imported row, its Goldstein clipped to [-10, 10]."""
    return Event(
        event_id=row.event_id,
        sentence_id=row.sentence_id,
        article_id=row.article_id,
        date=row.day,
        source=row.source,
        target=row.target,
        code=row.code,
        goldstein=max(-10.0, min(10.0, row.goldstein)),
        quad_class=quad_class(row.code),
        plover=cameo()[row.code][1],
        modality="asserted",
        evidence=Evidence(
            sentence_id=row.sentence_id,
            text=row.text,
            source_span=None,
            verb_span=(0, 0),
            target_span=None,
            entries=(row.entry,),
            coder=row.coder,
        ),
    )
