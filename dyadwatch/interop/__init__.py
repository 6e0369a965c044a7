"""Event data users already have: GDELT and ICEWS files in; JSONL, GDELT and PLOVER out."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dyadwatch.errors import InputError
from dyadwatch.ingest._isolate import capped, isolated
from dyadwatch.interop.gdelt import UNDATED, read_gdelt, write_gdelt
from dyadwatch.interop.icews import read_icews
from dyadwatch.interop.plover import write_plover
from dyadwatch.records import Event, Skipped

if TYPE_CHECKING:
    from dyadwatch.store import Store

__all__ = [
    "EventExport",
    "ImportSummary",
    "export_events",
    "import_files",
    "read_gdelt",
    "read_icews",
    "write_events",
]

_READERS = {"gdelt": read_gdelt, "icews": read_icews}
_BATCH = 20_000


@dataclass(slots=True)
class ImportSummary:
    """What an import read, added and skipped: every skipped row is counted; ``listed`` holds
    those named one by one (at most a hundred per file, then one row counting the rest)."""

    read: int = 0
    added: int = 0
    skipped: int = 0
    skipped_by_reason: Counter[str] = field(default_factory=Counter)
    listed: list[Skipped] = field(default_factory=list)


def import_files(store: Store, kind: str, paths: Sequence[Path]) -> ImportSummary:
    """Read GDELT or ICEWS files into ``store`` in batches; rows already stored add nothing.
    A bad row is skipped, not its file: whatever one row raises is a Skipped naming it, and an
    error that stops a file keeps the rows before it."""
    reader = _READERS.get(kind)
    if reader is None:
        raise InputError("kind", f"expected gdelt or icews, got {kind!r}")
    summary = ImportSummary()
    for path in paths:
        if not path.is_file():
            raise InputError(str(path), "no such file")
        rows = capped(path.name, isolated(path.name, reader(path), stage="import"), stage="import")
        for batch in _batches(rows):
            events = [item for item in batch if isinstance(item, Event)]
            skipped = [item for item in batch if isinstance(item, Skipped)]
            summary.read += len(events)
            for item in skipped:
                summary.skipped += item.count
                for reason, count in item.tally or ((item.reason, 1),):
                    summary.skipped_by_reason[_reason(reason)] += count
            summary.listed += skipped
            summary.added += store.write_batch(events=events, skipped=skipped).events
    return summary


def _reason(reason: str) -> str:
    return reason.split(" (", 1)[0]


def _batches(items: Iterable[Event | Skipped]) -> Iterator[list[Event | Skipped]]:
    batch: list[Event | Skipped] = []
    for item in items:
        batch.append(item)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True, slots=True, kw_only=True)
class EventExport:
    """What an event export wrote: the file, its events, and those left out, by reason."""

    path: Path
    written: int
    left_out: Mapping[str, int] = field(default_factory=dict)


def export_events(store: Store, folder: Path, fmt: str) -> Path:
    """Write every stored event to ``folder/events.<ext>`` as JSONL, GDELT 2.0 or PLOVER;
    return the file (:func:`write_events` also says what it wrote and left out)."""
    return write_events(store, folder, fmt).path


def write_events(store: Store, folder: Path, fmt: str) -> EventExport:
    """Write every stored event to ``folder/events.<ext>`` as JSONL, GDELT 2.0 or PLOVER, and
    count what the format left out: GDELT rows need a date, so undated events are not written."""
    writers = {"jsonl": ("events.jsonl", _write_jsonl), "gdelt": ("events.gdelt.tsv", write_gdelt)}
    writers["plover"] = ("events.plover.jsonl", write_plover)
    if fmt not in writers:
        raise InputError("--format", f"expected jsonl, gdelt or plover, got {fmt!r}")
    name, write = writers[fmt]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    events = store.events()
    with path.open("w", encoding="utf-8", newline="") as out:
        written = write(events, out)
    undated = sum(1 for event in events if event["date"] is None) if fmt == "gdelt" else 0
    return EventExport(path=path, written=written, left_out={UNDATED: undated} if undated else {})


def _write_jsonl(events: Iterable[dict[str, object]], out: object) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")  # type: ignore[attr-defined]
        count += 1
    return count
