"""``dyadwatch.open(path)``: a stored database as pandas DataFrames, for notebooks.

The CLI and the REST API are shells over the same calls; nothing here is specific to them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.analysis.series import check_freq, dyad_series
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
            return _frame(store.events(query))

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
        return _frame(rows)

    def dyads(self, limit: int = 50) -> pd.DataFrame:
        """Dyads by number of events, both directions together."""
        with self._store() as store:
            return _frame(store.dyads(limit))

    def actors(self, limit: int = 500) -> pd.DataFrame:
        """Actors by number of events on either side, with mean Goldstein and conflict share."""
        with self._store() as store:
            return _frame(store.actors(limit))

    def volume(self, freq: str = "week") -> pd.DataFrame:
        """News volume per period: articles published, events coded, conflict events."""
        with self._store() as store:
            frame = _frame(store.volume(check_freq(freq)))
        return frame.set_index("period") if not frame.empty else frame

    def series(self, a: str, b: str, *, freq: str = "week", directed: bool = False) -> pd.DataFrame:
        """A dyad's series, indexed by period (see ``dyadwatch series``); ``frame.attrs`` says
        how many events it left out: ``background_left_out`` and ``undated_left_out``."""
        with self._store() as store:
            result = dyad_series(store, a, b, freq=freq, directed=directed)
        frame = _frame(result.rows())
        if not frame.empty:
            frame = frame.set_index("period")
        frame.attrs["background_left_out"] = result.background_left_out
        frame.attrs["undated_left_out"] = result.undated_left_out
        return frame

    def alerts(self, dyad: str | None = None, *, since: date | None = None) -> pd.DataFrame:
        """Stored alerts, each with the events it cites (detect new ones with ``detect``)."""
        pair = EventQuery.parse_dyad(dyad) if dyad else None
        with self._store() as store:
            return _frame(store.alerts(dyad=pair, since=since))

    def detect(self, *, freq: str = "week") -> int:
        """Run the shift detector over every dyad and store new alerts; return how many."""
        if self._writer is None:
            raise StoreError(f"{self._reader.path}: opened read-only; open it with writable=True")
        return self._writer.save_alerts(find_alerts(self._writer, freq=freq))


def open(path: str | Path, *, writable: bool = False) -> Dataset:
    """Open a dyadwatch database for analysis (read-only unless ``writable``)."""
    return Dataset(path, writable=writable)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows)
