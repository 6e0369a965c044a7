"""``dyadwatch.open(path)``: a stored database as pandas DataFrames, for notebooks.

The CLI and the REST API are shells over the same calls; nothing here is specific to them.
Days and periods come as ``datetime64`` columns (publication times as UTC ones), and every
frame has its columns even when it has no rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.analysis.series import SeriesPoint, check_freq, dyad_series
from dyadwatch.errors import StoreError
from dyadwatch.store import EventQuery, Store
from dyadwatch.store.shared import SharedReader

if TYPE_CHECKING:
    import pandas as pd


class Dataset:
    """A dyadwatch database opened for analysis; use as a context manager or call ``close``.

    >>> import dyadwatch
    >>> with dyadwatch.open("example.duckdb") as data:  # doctest: +SKIP
    ...     data.series("RUS", "CHN", freq="month")
    """

    def __init__(self, path: str | Path, *, writable: bool = False) -> None:
        """Open ``path``: read-write, held until ``close``; read-only, as a server does (open
        while in use, stepping aside whenever `dyadwatch run` wants to write a batch)."""
        self._writer = Store(path, read_only=False) if writable else None
        if self._writer is None:
            Store(path, read_only=True).close()  # a missing or damaged file fails here, at once
        self._reader = SharedReader(Path(path), keep_s=30.0)

    @contextmanager
    def _store(self) -> Iterator[Store]:
        if self._writer is not None:
            yield self._writer
            return
        with self._reader.session() as store:
            yield store

    def close(self) -> None:
        """Close the database file."""
        if self._writer is not None:
            self._writer.close()
        self._reader.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def events(
        self,
        dyad: str | None = None,
        *,
        since: date | None = None,
        until: date | None = None,
        root: str | None = None,
        undated: bool = False,
    ) -> pd.DataFrame:
        """Stored events (one per story and act) with mention counts, evidence and URLs;
        ``undated=True`` lists only those with no date, which series and alerts leave out."""
        query = EventQuery(
            dyad=EventQuery.parse_dyad(dyad) if dyad else None,
            since=since,
            until=until,
            root=root,
            undated=undated,
        )
        with self._store() as store:
            return _frame(store.events(query), _EVENTS)

    def articles(self) -> pd.DataFrame:
        """One row per story (its first-seen copy), with how many sources carried it."""
        with self._store() as store:
            stories = list(store.articles())
        rows = [
            {
                "story_id": story.id,
                "title": story.title,
                "published": story.published,
                "outlet": story.outlet,
                "url": story.url,
                "sources": len(story.sources),
            }
            for story in stories
        ]
        return _frame(rows, _ARTICLES)

    def dyads(self, limit: int = 50) -> pd.DataFrame:
        """Dyads by number of events, both directions together."""
        with self._store() as store:
            return _frame(store.dyads(limit), _DYADS)

    def actors(self, limit: int = 500) -> pd.DataFrame:
        """Actors by number of events on either side, with mean Goldstein and conflict share."""
        with self._store() as store:
            return _frame(store.actors(limit), _ACTORS)

    def volume(self, freq: str = "week") -> pd.DataFrame:
        """News volume per period: articles published, events coded, conflict events."""
        with self._store() as store:
            frame = _frame(store.volume(check_freq(freq)), _VOLUME)
        return frame.set_index("period")

    def series(self, a: str, b: str, *, freq: str = "week", directed: bool = False) -> pd.DataFrame:
        """A dyad's series, indexed by period (see ``dyadwatch series``); ``frame.attrs`` says
        how many events it left out: ``background_left_out`` and ``undated_left_out``."""
        with self._store() as store:
            result = dyad_series(store, a, b, freq=freq, directed=directed)
        frame = _frame(result.rows(), _SERIES).set_index("period")
        frame.attrs["background_left_out"] = result.background_left_out
        frame.attrs["undated_left_out"] = result.undated_left_out
        return frame

    def alerts(self, dyad: str | None = None, *, since: date | None = None) -> pd.DataFrame:
        """Stored alerts, each with the events it cites (detect new ones with ``detect``)."""
        pair = EventQuery.parse_dyad(dyad) if dyad else None
        with self._store() as store:
            return _frame(store.alerts(dyad=pair, since=since), _ALERTS)

    def detect(self, *, freq: str = "week") -> int:
        """Run the shift detector over every dyad and store new alerts; return how many."""
        if self._writer is None:
            raise StoreError(f"{self._reader.path}: opened read-only; open it with writable=True")
        return self._writer.save_alerts(find_alerts(self._writer, freq=freq))


def open(path: str | Path, *, writable: bool = False) -> Dataset:
    """Open a dyadwatch database for analysis (read-only unless ``writable``)."""
    return Dataset(path, writable=writable)


@dataclass(frozen=True, slots=True)
class _Columns:
    """A frame's columns (as the store names them), which of them hold calendar days, which
    publication times, and which numbers that may be missing."""

    names: tuple[str, ...]
    days: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    floats: tuple[str, ...] = ()


_EVENTS = _Columns(
    (
        *("id", "article_id", "story_id", "date", "date_precision", "background", "source"),
        *("source_sector", "target", "target_sector", "code", "event_name", "goldstein"),
        *("quad_class", "quad_name", "plover", "modality", "coder", "mentions", "evidence"),
        *("evidence_spans", "urls"),
    ),
    days=("date",),
)
_ARTICLES = _Columns(
    ("story_id", "title", "published", "outlet", "url", "sources"), times=("published",)
)
_DYADS = _Columns(
    (
        *("a", "b", "events", "stories", "goldstein_mean", "last_30_days", "before", "first"),
        *("last", "direction"),
    ),
    days=("first", "last"),
)
_ACTORS = _Columns(("actor", "events", "stories", "goldstein_mean", "conflict_share"))
_VOLUME = _Columns(("period", "articles", "events", "stories", "conflict_events"), days=("period",))
_SERIES = _Columns(
    tuple(field.name for field in fields(SeriesPoint)),
    days=("period",),
    floats=("goldstein_mean", "share", "goldstein_share", "plover_score"),
)
_ALERTS = _Columns(
    (
        *("alert_id", "a", "b", "kind", "period", "start", "magnitude", "confidence"),
        *("stories", "message", "events"),
    ),
    days=("period", "start"),
)


def _frame(rows: list[dict[str, Any]], columns: _Columns) -> pd.DataFrame:
    """``rows`` as a frame with ``columns``' names even when there are none, days and times
    as ``datetime64`` (to the second: a day recalled from 1500 fits), missing numbers NaN."""
    import pandas as pd

    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=list(columns.names))
    for name in columns.days:
        frame[name] = frame[name].astype("datetime64[s]")
    for name in columns.times:
        frame[name] = pd.Series(
            [_utc(value) for value in frame[name]], index=frame.index, dtype="datetime64[s]"
        ).dt.tz_localize("UTC")
    for name in columns.floats:
        frame[name] = frame[name].astype("float64")
    return frame


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
