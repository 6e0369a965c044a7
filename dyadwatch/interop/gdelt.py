"""GDELT 1.0 and 2.0 event files: read them into events, and write events in GDELT 2.0's
61-column layout.

GDELT files are tab-separated with no header (some copies add one, some are comma-separated);
the first 35 columns and the last two (DATEADDED, SOURCEURL) are the same in 1.0 (57 or 58
columns) and 2.0 (61). Codes are kept as strings ("042"); Actor country codes are CAMEO's,
which are ISO-3 for states; the geographic columns are FIPS and are not read.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from dyadwatch.ingest._isolate import unexpected
from dyadwatch.interop._tables import (
    ImportedRow,
    cameo,
    each_row,
    imported_event,
    normal_code,
)
from dyadwatch.records import Actor, Event, Sector, Skipped, content_id, quad_class

CODER = "gdelt"
_WIDTHS = (57, 58, 61)
# GDELT actor type codes -> dyadwatch sectors.
_SECTORS: dict[str, Sector] = {
    "GOV": "GOV", "MIL": "MIL", "COP": "GOV", "JUD": "GOV", "LEG": "GOV", "SPY": "GOV",
    "REB": "REB", "INS": "REB", "SEP": "REB", "UAF": "REB", "OPP": "OPP", "BUS": "BUS",
    "MNC": "BUS", "MED": "MED", "CVL": "CVL", "REF": "CVL", "LAB": "CVL", "EDU": "CVL",
    "HLH": "CVL", "AGR": "CVL", "ELI": "GOV", "IGO": "IGO",
}  # fmt: skip


def read_gdelt(path: Path) -> Iterator[Event | Skipped]:
    """Yield an event per row of a GDELT file, or a ``Skipped`` naming the row and problem
    (whatever reading one row raises skips that row only)."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for number, row in enumerate(_rows(handle), start=1):
            where = f"{path.name}:{number}"
            if isinstance(row, str):
                yield Skipped(stage="import", item=where, reason=row)
                continue
            if len(row) not in _WIDTHS:
                if number == 1 or not any(cell.strip() for cell in row):
                    continue  # a header line or a blank one
                yield Skipped(
                    stage="import", item=where, reason=f"{len(row)} columns, expected 57, 58 or 61"
                )
                continue
            if not row[0].strip().isdigit():
                continue  # a header some copies add
            row = ["" if cell.strip() in ("NA", "NULL") else cell for cell in row]  # R exports
            try:
                event = _event(row, where)
            except Exception as error:  # one row's failure is that row's alone
                event = unexpected(error)
            yield (
                event
                if isinstance(event, Event)
                else Skipped(stage="import", item=where, reason=event)
            )


def _rows(handle: TextIO) -> Iterator[list[str] | str]:
    first = handle.readline()
    delimiter = "\t" if first.count("\t") >= first.count(",") else ","
    yield from each_row(csv.reader([first], delimiter=delimiter))
    yield from each_row(csv.reader(handle, delimiter=delimiter))


def _event(row: list[str], where: str) -> Event | str:
    code = normal_code(row[26])
    if code is None:
        return f"no CAMEO code ({row[26]!r})"
    try:
        day = datetime.strptime(row[1].strip(), "%Y%m%d").date()
    except ValueError:
        return f"bad SQLDATE {row[1]!r}"
    try:
        source, target = _actor(row, 5), _actor(row, 15)
    except ValueError as error:
        return f"bad actor code ({error})"
    if not source.code and not target.code:
        return "neither actor has a country or organisation code"
    goldstein = cameo()[code][0]
    with contextlib.suppress(ValueError):  # an empty or odd score: the code's own
        goldstein = float(row[30])
    url = row[-1].strip()
    event_key = row[0].strip()
    return imported_event(
        ImportedRow(
            coder=CODER,
            event_id=content_id(CODER, event_key),
            sentence_id=content_id(CODER, "row", event_key),
            article_id=content_id(CODER, "url", url or event_key),
            day=day,
            source=source,
            target=target,
            code=code,
            goldstein=goldstein,
            text=f"{row[6] or '---'} {code} {row[16] or '---'} ({url or 'GDELT ' + event_key})",
            entry=f"gdelt:{event_key}",
        )
    )


def _actor(row: list[str], at: int) -> Actor:
    """Actor country (or IGO) and sector from the Actor1 or Actor2 columns starting at ``at``;
    codes in lower case ("usa", as some re-exports write them) are read as upper case."""
    code, country, group = (row[at + shift].strip().upper() for shift in (0, 2, 3))
    types = [row[at + shift].strip().upper() for shift in (7, 8, 9)]
    sector: Sector = next((_SECTORS[t] for t in types if t in _SECTORS), "")
    if country:
        return Actor(country, sector)
    if code.startswith("IGO") and group:
        return Actor(group, "IGO")
    return Actor("", sector)


_COLUMNS = 61
UNDATED = "undated (a GDELT row needs a date)"
"""Why an event export in GDELT's layout leaves an event out."""


def write_gdelt(events: Iterable[dict[str, object]], out: TextIO) -> int:
    """Write stored events (``Store.events`` rows) as GDELT 2.0 rows; return how many. An
    undated event has no SQLDATE to give and is left out (see :data:`UNDATED`)."""
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    count = 0
    for event in events:
        day = event["date"]
        if not isinstance(day, date):
            continue
        code = str(event["code"])
        row = [""] * _COLUMNS
        row[0] = str(int(str(event["id"])[:13], 16))
        row[1] = day.strftime("%Y%m%d")
        row[2] = day.strftime("%Y%m")
        row[3] = str(day.year)
        row[4] = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"
        for at, actor, sector in ((5, "source", "source_sector"), (15, "target", "target_sector")):
            country, kind = str(event[actor] or ""), str(event[sector] or "")
            if kind == "IGO":  # GDELT writes organisations as IGO + their group code
                row[at], row[at + 3] = "IGO" + country, country
            else:
                row[at], row[at + 2], row[at + 7] = country + kind, country, kind
        row[25] = "1"
        row[26], row[27], row[28] = code, code[:3], code[:2]
        row[29] = str(quad_class(code))
        row[30] = f"{float(str(event['goldstein'])):.1f}"
        mentions = int(str(event.get("mentions") or 1))
        row[31], row[32], row[33] = str(mentions), "1", "1"
        urls = event.get("urls") or []
        row[60] = str(urls[0]) if isinstance(urls, list) and urls else ""
        writer.writerow(row)
        count += 1
    return count
