"""Stored events in the PLOVER JSON layout (one JSON object a line)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from dyadwatch.records import quad_class

_MODES = {"asserted": "", "intent": "intent", "negated": "negated", "hypothetical": "hypothetical"}


def write_plover(events: Iterable[dict[str, object]], out: TextIO) -> int:
    """Write ``Store.events`` rows as PLOVER records; return how many were written."""
    count = 0
    for event in events:
        code = str(event["code"])
        record = {
            "id": event["id"],
            "date": str(event["date"]) if event["date"] else None,
            "event": event["plover"] or None,
            "mode": _MODES.get(str(event["modality"]), ""),
            "cameo": code,
            "quad_class": quad_class(code),
            "goldstein": event["goldstein"],
            "source": {"code": event["source"], "sector": event["source_sector"]},
            "target": {"code": event["target"], "sector": event["target_sector"]},
            "num_mentions": event.get("mentions"),
            "text": (event.get("evidence") or [None])[0],  # type: ignore[index]
            "urls": event.get("urls") or [],
            "coder": event["coder"],
        }
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count
