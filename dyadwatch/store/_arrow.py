"""Records -> ``pyarrow.Table`` rows for bulk inserts, and the time helpers both ways."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]  # no stubs

from dyadwatch.records import (
    Actor,
    Article,
    Event,
    Evidence,
    RawDocument,
    Sentence,
    Skipped,
    content_id,
    quad_class,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)
_TIMESTAMPTZ = pa.timestamp("us", tz="UTC")

T = TypeVar("T")


def epoch_us(value: datetime) -> int:
    """Return the microseconds from the Unix epoch to the aware ``value``."""
    return (value - _EPOCH) // _MICROSECOND


def offset_seconds(value: datetime) -> int:
    """Return the UTC offset of the aware ``value`` in whole seconds."""
    offset = value.utcoffset()
    assert offset is not None  # records guarantee aware datetimes
    return offset // timedelta(seconds=1)


def from_epoch_us(micros: int, offset_s: int = 0) -> datetime:
    """Rebuild an aware datetime at ``micros`` with the fixed offset ``offset_s``."""
    # Adding the offset to a naive epoch first keeps year-1 and year-9999 local times in
    # range even when their UTC instant falls outside what ``datetime`` can hold.
    local = _NAIVE_EPOCH + timedelta(microseconds=micros, seconds=offset_s)
    return local.replace(tzinfo=timezone(timedelta(seconds=offset_s)))


def _table(columns: Mapping[str, tuple[list[Any], pa.DataType]]) -> pa.Table:
    return pa.table({name: pa.array(values, type=kind) for name, (values, kind) in columns.items()})


def pages_table(documents: list[RawDocument]) -> pa.Table:
    """Return the ``pages`` rows for ``documents``."""
    return _table(
        {
            "doc_id": ([d.doc_id for d in documents], pa.string()),
            "origin": ([d.origin for d in documents], pa.string()),
            "media_type": ([d.media_type for d in documents], pa.string()),
            "encoding": ([d.encoding for d in documents], pa.string()),
            "size": ([d.size for d in documents], pa.int64()),
            "fetched_at": ([epoch_us(d.fetched_at) for d in documents], _TIMESTAMPTZ),
            "url": ([d.url for d in documents], pa.string()),
            "title": ([d.title for d in documents], pa.string()),
            "published_hint": ([d.published for d in documents], pa.string()),
            "text": ([d.text for d in documents], pa.string()),
        }
    )


def articles_table(articles: list[Article], story_ids: Mapping[str, str]) -> pa.Table:
    """Return the ``articles`` rows; an article missing from ``story_ids`` is its own story."""
    published = [a.published for a in articles]
    return _table(
        {
            "article_id": ([a.article_id for a in articles], pa.string()),
            "doc_id": ([a.doc_id for a in articles], pa.string()),
            "origin": ([a.origin for a in articles], pa.string()),
            "idx": ([a.index for a in articles], pa.int32()),
            "title": ([a.title for a in articles], pa.string()),
            "byline": ([a.byline for a in articles], pa.string()),
            "outlet": ([a.outlet for a in articles], pa.string()),
            "published": ([None if p is None else epoch_us(p) for p in published], _TIMESTAMPTZ),
            "published_offset_s": (
                [None if p is None else offset_seconds(p) for p in published],
                pa.int32(),
            ),
            "published_zone": ([a.published_zone for a in articles], pa.string()),
            "published_precision": ([a.published_precision for a in articles], pa.string()),
            "url": ([a.url for a in articles], pa.string()),
            "body": ([a.body for a in articles], pa.string()),
            "language": ([a.language for a in articles], pa.string()),
            "published_from": ([a.published_from for a in articles], pa.string()),
            "story_id": (
                [story_ids.get(a.article_id, a.article_id) for a in articles],
                pa.string(),
            ),
        }
    )


def sentences_table(sentences: list[Sentence]) -> pa.Table:
    """Return the ``sentences`` rows."""
    return _table(
        {
            "sentence_id": ([s.sentence_id for s in sentences], pa.string()),
            "article_id": ([s.article_id for s in sentences], pa.string()),
            "idx": ([s.index for s in sentences], pa.int32()),
            "start_char": ([s.start for s in sentences], pa.int32()),
            "end_char": ([s.end for s in sentences], pa.int32()),
            "text": ([s.text for s in sentences], pa.string()),
        }
    )


def minhash_table(minhashes: list[tuple[str, np.ndarray]]) -> pa.Table:
    """Return the ``article_minhash`` rows; each signature must be a 1-D unsigned array."""
    signatures = []
    for article_id, signature in minhashes:
        values = np.asarray(signature)
        if values.ndim != 1 or values.size == 0 or values.dtype.kind != "u":
            raise ValueError(
                f"minhash of {article_id}: expected a non-empty 1-D unsigned integer array, "
                f"got shape {values.shape} dtype {values.dtype}"
            )
        signatures.append(values.astype(np.uint64))
    lengths = np.array([len(values) for values in signatures], dtype=np.int32)
    offsets = np.concatenate([np.zeros(1, dtype=np.int32), np.cumsum(lengths, dtype=np.int32)])
    flat = np.concatenate(signatures) if signatures else np.zeros(0, dtype=np.uint64)
    hashvalues = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, type=pa.uint64()))
    return pa.table(
        {
            "article_id": pa.array([article_id for article_id, _ in minhashes], type=pa.string()),
            "num_perm": pa.array(lengths, type=pa.int32()),
            "hashvalues": hashvalues,
        }
    )


def skip_id(item: Skipped) -> str:
    """Return the content id of a skipped item: its stage, item and reason."""
    return content_id("skipped", item.stage, item.item, item.reason)


def skipped_table(skipped: list[Skipped], now: datetime) -> pa.Table:
    """Return the ``skipped`` rows, first seen at ``now``."""
    return _table(
        {
            "skip_id": ([skip_id(s) for s in skipped], pa.string()),
            "stage": ([s.stage for s in skipped], pa.string()),
            "item": ([s.item for s in skipped], pa.string()),
            "reason": ([s.reason for s in skipped], pa.string()),
            "first_seen": ([epoch_us(now)] * len(skipped), _TIMESTAMPTZ),
        }
    )


def event_key(event: Event, story_id: str) -> str:
    """Return the id of the stored event a mention belongs to: one per story and act."""
    # An act of years past recalled in a story is another event than the story's news.
    past = ("background",) if event.background else ()
    return content_id(
        "story-event",
        story_id,
        str(event.source),
        str(event.target),
        event.code,
        event.modality,
        *past,
    )


def events_tables(events: list[Event], story_ids: Mapping[str, str]) -> tuple[pa.Table, pa.Table]:
    """Return the ``events`` rows (one per story and act) and the ``event_mentions`` rows."""
    stories = [story_ids.get(e.article_id, e.article_id) for e in events]
    keys = [event_key(e, story) for e, story in zip(events, stories, strict=True)]
    first: dict[str, tuple[Event, str]] = {}
    for event, story, key in zip(events, stories, keys, strict=True):
        kept = first.get(key)
        if kept is None or (event.date and (kept[0].date is None or event.date < kept[0].date)):
            first[key] = (event, story)
    rows = list(first.items())
    events_rows = _table(
        {
            "event_id": ([key for key, _ in rows], pa.string()),
            "story_id": ([story for _, (_, story) in rows], pa.string()),
            "article_id": ([e.article_id for _, (e, _) in rows], pa.string()),
            "date": ([e.date for _, (e, _) in rows], pa.date32()),
            "source": ([e.source.code for _, (e, _) in rows], pa.string()),
            "source_sector": ([e.source.sector for _, (e, _) in rows], pa.string()),
            "target": ([e.target.code for _, (e, _) in rows], pa.string()),
            "target_sector": ([e.target.sector for _, (e, _) in rows], pa.string()),
            "code": ([e.code for _, (e, _) in rows], pa.string()),
            "root": ([e.code[:2] for _, (e, _) in rows], pa.string()),
            "goldstein": ([e.goldstein for _, (e, _) in rows], pa.float64()),
            "quad_class": ([e.quad_class for _, (e, _) in rows], pa.int8()),
            "plover": ([e.plover for _, (e, _) in rows], pa.string()),
            "modality": ([e.modality for _, (e, _) in rows], pa.string()),
            "coder": ([e.evidence.coder for _, (e, _) in rows], pa.string()),
            "date_precision": ([e.date_precision for _, (e, _) in rows], pa.string()),
            "background": ([e.background for _, (e, _) in rows], pa.bool_()),
        }
    )

    def span(value: tuple[int, int] | None, side: int) -> int | None:
        return None if value is None else value[side]

    mentions = _table(
        {
            "mention_id": ([e.event_id for e in events], pa.string()),
            "event_id": (keys, pa.string()),
            "article_id": ([e.article_id for e in events], pa.string()),
            "sentence_id": ([e.sentence_id for e in events], pa.string()),
            "text": ([e.evidence.text for e in events], pa.string()),
            "source_start": ([span(e.evidence.source_span, 0) for e in events], pa.int32()),
            "source_end": ([span(e.evidence.source_span, 1) for e in events], pa.int32()),
            "verb_start": ([e.evidence.verb_span[0] for e in events], pa.int32()),
            "verb_end": ([e.evidence.verb_span[1] for e in events], pa.int32()),
            "target_start": ([span(e.evidence.target_span, 0) for e in events], pa.int32()),
            "target_end": ([span(e.evidence.target_span, 1) for e in events], pa.int32()),
            "entries": ([list(e.evidence.entries) for e in events], pa.list_(pa.string())),
            "coder": ([e.evidence.coder for e in events], pa.string()),
        }
    )
    return events_rows, mentions


def coded_mentions_table(events: list[Event]) -> pa.Table:
    """Events as coded, one row per mention and before story clustering: what a worker hands
    back, for :func:`events_from_table` to rebuild once story ids are known."""
    mentions = events_tables(events, {})[1]
    columns = {
        "date": ([e.date for e in events], pa.date32()),
        "date_precision": ([e.date_precision for e in events], pa.string()),
        "background": ([e.background for e in events], pa.bool_()),
        "source": ([e.source.code for e in events], pa.string()),
        "source_sector": ([e.source.sector for e in events], pa.string()),
        "target": ([e.target.code for e in events], pa.string()),
        "target_sector": ([e.target.sector for e in events], pa.string()),
        "code": ([e.code for e in events], pa.string()),
        "goldstein": ([e.goldstein for e in events], pa.float64()),
        "plover": ([e.plover for e in events], pa.string()),
        "modality": ([e.modality for e in events], pa.string()),
    }
    for name, (values, kind) in columns.items():
        mentions = mentions.append_column(name, pa.array(values, type=kind))
    return mentions.drop_columns(["event_id"])


def events_from_table(table: pa.Table) -> list[Event]:
    """Rebuild the events a :func:`coded_mentions_table` holds."""

    def span(start: int | None, end: int | None) -> tuple[int, int] | None:
        return None if start is None or end is None else (start, end)

    events = []
    for row in table.to_pylist():
        events.append(
            Event(
                event_id=row["mention_id"],
                sentence_id=row["sentence_id"],
                article_id=row["article_id"],
                date=row["date"],
                date_precision=row["date_precision"],
                background=row["background"],
                source=Actor(code=row["source"], sector=row["source_sector"]),
                target=Actor(code=row["target"], sector=row["target_sector"]),
                code=row["code"],
                goldstein=row["goldstein"],
                quad_class=quad_class(row["code"]),
                plover=row["plover"],
                modality=row["modality"],
                evidence=Evidence(
                    sentence_id=row["sentence_id"],
                    text=row["text"],
                    source_span=span(row["source_start"], row["source_end"]),
                    verb_span=(row["verb_start"], row["verb_end"]),
                    target_span=span(row["target_start"], row["target_end"]),
                    entries=tuple(row["entries"] or ()),
                    coder=row["coder"],
                ),
            )
        )
    return events


def first_of_each(table: pa.Table, key: str) -> pa.Table:
    """``table`` without later rows repeating an earlier row's ``key`` (order kept)."""
    values = table.column(key).to_pylist()
    if len(set(values)) == len(values):
        return table
    seen: dict[Any, int] = {}
    for index, value in enumerate(values):
        seen.setdefault(value, index)
    return table.take(pa.array(sorted(seen.values()), type=pa.int64()))
