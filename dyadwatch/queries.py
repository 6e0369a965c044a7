"""The event filters every interface offers, defined once.

The CLI's options, the Python API's keywords and the REST API's query parameters are the same
filters with the same meaning and the same checks: :class:`EventFilters` holds what a user
asked, :data:`FILTER_HELP` says what each filter does, and :func:`event_query` checks the
values (naming the filter the way the caller's interface spells it) and builds the store's
:class:`~dyadwatch.store.EventQuery`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from dyadwatch import codes
from dyadwatch.errors import InputError
from dyadwatch.store import EventQuery, Store

ALL_MODALITIES = ("asserted", "intent", "negated", "hypothetical")

FILTER_HELP: dict[str, str] = {
    "dyad": "SOURCE-TARGET, e.g. RUS-CHN: events from the first actor to the second.",
    "actor": "An actor code on either side, e.g. RUS or NATO.",
    "since": "Only events on or after this day (YYYY-MM-DD).",
    "until": "Only events on or before this day (YYYY-MM-DD).",
    "root": "Only this CAMEO root, 01-20, e.g. 19 (fight).",
    "quad": "Only this quad class: 1-4 or its name (verbal-cooperation, material-cooperation, "
    "verbal-conflict, material-conflict).",
    "text": "Only events whose evidence contains these words (case-insensitive).",
    "undated": "Only events with no date (series, alerts, dyads and GDELT exports leave them out).",
}
"""What each filter does, for every interface's help."""

Label = Callable[[str], str]
"""How an interface names a filter in an error: ``--since`` on the command line, ``since`` in
a REST query."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFilters:
    """What a user asked of the stored events (unchecked values, as typed)."""

    dyad: str | None = None
    actor: str | None = None
    since: str | date | None = None
    until: str | date | None = None
    root: str | None = None
    quad: str | int | None = None
    text: str | None = None
    undated: bool = False

    def given(self) -> dict[str, object]:
        """The filters the user set, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


def stored_actors(store: Store) -> codes.StoredTest:
    """Whether ``store`` holds events of an actor code (an imported dataset's own codes)."""
    return lambda code: store.count_events(EventQuery(actor=code, modalities=ALL_MODALITIES)) > 0


def _day(value: str | date | None, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(where, f"expected a day like 2024-05-01, got {value!r}") from None


def event_query(
    filters: EventFilters,
    *,
    modalities: tuple[str, ...] = ("asserted", "intent"),
    limit: int | None = None,
    offset: int = 0,
    label: Label = str,
    stored: codes.StoredTest | None = None,
) -> EventQuery:
    """Check every filter and build the store's query; a bad value raises ``InputError``
    naming the filter as ``label`` spells it. ``stored`` accepts actor codes the lexicons lack
    but the store holds (an imported GDELT region)."""
    since = _day(filters.since, label("since"))
    until = _day(filters.until, label("until"))
    if since and until and since > until:
        raise InputError(label("since"), f"{since} is after the end day {until}")
    if filters.undated and (since or until):
        raise InputError(
            label("undated"), "undated events have no date: ask for them without a day range"
        )
    text = filters.text.strip() if filters.text else None
    return EventQuery(
        dyad=codes.parse_dyad(filters.dyad, label("dyad"), stored=stored) if filters.dyad else None,
        actor=codes.check_actor(filters.actor, label("actor"), stored=stored)
        if filters.actor
        else None,
        since=since,
        until=until,
        root=codes.check_root(filters.root, label("root")) if filters.root else None,
        quad_class=codes.check_quad(filters.quad, label("quad"))
        if filters.quad not in (None, "")
        else None,
        text=text or None,
        undated=filters.undated,
        modalities=modalities,
        limit=limit,
        offset=offset,
    )
