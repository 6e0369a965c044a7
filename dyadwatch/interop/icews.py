"""ICEWS event files (the Dataverse ``events.YYYY.tab`` layout): read them into events.

ICEWS names countries rather than coding them ("Bangladesh"), lists sectors as words
("Executive,Foreign Ministry,Government"), gives Goldstein as ``Intensity``, and reuses
``Event ID`` across files: an imported event's id hashes the whole row, and its story is
ICEWS's ``Story ID``, so one story's events merge as dyadwatch's own do.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from dyadwatch.ingest._isolate import unexpected
from dyadwatch.interop._tables import (
    ImportedRow,
    cameo,
    country_code,
    each_row,
    imported_event,
    normal_code,
)
from dyadwatch.records import Actor, Event, Sector, Skipped, content_id

CODER = "icews"
_REQUIRED = ("Event Date", "Source Country", "CAMEO Code", "Target Country", "Story ID")
# Words in ICEWS sector lists -> dyadwatch sectors, first match wins.
_SECTOR_WORDS: tuple[tuple[str, Sector], ...] = (
    ("military", "MIL"), ("police", "GOV"), ("government", "GOV"), ("executive", "GOV"),
    ("legislative", "GOV"), ("judicial", "GOV"), ("ministry", "GOV"), ("rebel", "REB"),
    ("insurgent", "REB"), ("separatist", "REB"), ("terror", "REB"), ("opposition", "OPP"),
    ("dissident", "OPP"), ("protest", "OPP"), ("business", "BUS"), ("media", "MED"),
    ("news", "MED"), ("civilian", "CVL"), ("social", "CVL"), ("ngo", "CVL"),
)  # fmt: skip


def read_icews(path: Path) -> Iterator[Event | Skipped]:
    """Yield an event per row of an ICEWS events file, or a ``Skipped`` naming the problem
    (whatever reading one row raises skips that row only)."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [name for name in _REQUIRED if name not in (reader.fieldnames or [])]
        if missing:
            yield Skipped(
                stage="import", item=path.name, reason=f"not an ICEWS file: no {missing[0]!r}"
            )
            return
        for number, row in enumerate(each_row(reader), start=2):
            where = f"{path.name}:{number}"
            if isinstance(row, str):
                yield Skipped(stage="import", item=where, reason=row)
                continue
            try:
                event = _event(row)
            except Exception as error:  # one row's failure is that row's alone
                event = unexpected(error)
            yield (
                event
                if isinstance(event, Event)
                else Skipped(stage="import", item=where, reason=event)
            )


def _event(row: dict[str, str]) -> Event | str:
    code = normal_code(row.get("CAMEO Code") or "")
    if code is None:
        return f"no CAMEO code ({row.get('CAMEO Code')!r})"
    try:
        day = date.fromisoformat((row.get("Event Date") or "").strip())
    except ValueError:
        return f"bad Event Date {row.get('Event Date')!r}"
    source = _actor(row.get("Source Country"), row.get("Source Sectors"), row.get("Source Name"))
    target = _actor(row.get("Target Country"), row.get("Target Sectors"), row.get("Target Name"))
    if not source.code and not target.code:
        return "neither actor's country is known"
    goldstein = cameo()[code][0]
    with contextlib.suppress(ValueError):  # an empty or odd score: the code's own
        goldstein = float(row.get("Intensity") or goldstein)
    key = content_id(CODER, *(row.get(name) or "" for name in sorted(row)))
    story = (row.get("Story ID") or "").strip() or key
    text = (
        f"{row.get('Source Name') or '---'} — {row.get('Event Text') or code} — "
        f"{row.get('Target Name') or '---'} ({row.get('Publisher') or 'ICEWS'}, story {story})"
    )
    return imported_event(
        ImportedRow(
            coder=CODER,
            event_id=key,
            sentence_id=content_id(CODER, "sentence", story, row.get("Sentence Number") or ""),
            article_id=content_id(CODER, "story", story),
            day=day,
            source=source,
            target=target,
            code=code,
            goldstein=goldstein,
            text=text,
            entry=f"icews:{row.get('Event ID') or ''}",
        )
    )


def _actor(country: str | None, sectors: str | None, name: str | None) -> Actor:
    code = country_code(country or "")
    words = f"{sectors or ''} {name or ''}".lower()
    sector: Sector = next((s for word, s in _SECTOR_WORDS if word in words), "")
    return Actor(code, sector)
