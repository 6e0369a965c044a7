"""``dyadwatch code`` input and output: JSON lines of ``{"id", "text", "date"}`` to events."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from dyadwatch.errors import InputError
from dyadwatch.records import Event

CodeRequest = tuple[str, str, date | None]


def parse_date_field(value: Any, where: str) -> date | None:
    """Parse a request's ``date`` (``YYYY-MM-DD`` or an ISO timestamp), or raise ``InputError``."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(where, f"'date' must be a string like 2024-05-01, got {value!r}")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(where, f"'date' must look like 2024-05-01, got {value!r}") from None


def read_requests(lines: Iterable[str], origin: str) -> Iterator[CodeRequest]:
    """Yield ``(id, text, date)`` from JSON lines; a bad line raises ``InputError`` naming it."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(where, f"invalid JSON ({error.msg} at column {error.colno})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise InputError(where, "each line must be an object with a string 'text'")
        item_id = row.get("id", str(number))
        yield str(item_id), row["text"], parse_date_field(row.get("date"), where)


def event_record(event: Event, name: str) -> dict[str, Any]:
    """Return the JSON form of an event, as ``code`` and ``events`` print it."""
    evidence = event.evidence
    return {
        "source": event.source.code,
        "source_sector": event.source.sector,
        "target": event.target.code,
        "target_sector": event.target.sector,
        "code": event.code,
        "name": name,
        "goldstein": event.goldstein,
        "quad_class": event.quad_class,
        "plover": event.plover,
        "modality": event.modality,
        "negated": event.negated,
        "date": event.date.isoformat() if event.date else None,
        "date_precision": event.date_precision,
        "background": event.background,
        "evidence": {
            "sentence_id": evidence.sentence_id,
            "text": evidence.text,
            "source_span": evidence.source_span,
            "verb_span": evidence.verb_span,
            "target_span": evidence.target_span,
            "entries": list(evidence.entries),
            "coder": evidence.coder,
        },
    }
