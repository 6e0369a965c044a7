"""Typed records passed between the pipeline stages.

Every record is a frozen, slotted dataclass; cheap invariants are checked in
``__post_init__`` and raise ``ValueError`` naming the field.  Ids are content
hashes (see :func:`content_id`), so running the pipeline twice on the same input
yields the same ids and adds nothing to the store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

MediaType = Literal["text/plain", "text/html"]
"""What a raw document holds: plain text (the seeds' kind of page) or HTML."""

PublishedZone = Literal["stated", "outlet", "unknown"]
"""Where a publication time's zone came from.

``stated``: the text gave the zone or offset (``GMT``, ``+03:00``, ``MSK``);
``outlet``: the outlet's home zone (Xinhua: Asia/Shanghai, Sputnik: Europe/Moscow);
``unknown``: a local wall-clock time whose zone nobody gave; it is stored as if UTC.
"""

DatePrecision = Literal["minute", "day", "inferred"]
"""Whether the page printed a time of day (``minute``) or only a date (``day``), or printed no
date for the story and one was inferred, to the day, from what carries it (``inferred``: the
post or feed entry, the thread's neighbouring dated posts, the page's own date, or a wire
dateline that prints the day but not the year; an article's ``published_from`` says which:
``post``, ``thread``, ``page``, ``dateline``)."""

Stage = Literal["ingest", "extract", "nlp", "dedupe", "store", "code", "import"]


def content_id(*parts: str | bytes) -> str:
    """Return a stable 32-hex-digit id hashing ``parts`` (sha256, unit-separated)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


def format_published(value: datetime | None, precision: DatePrecision | None) -> str | None:
    """ISO 8601 for a publication time: the printed offset kept, a bare date for ``day``."""
    if value is None:
        return None
    return value.date().isoformat() if precision in ("day", "inferred") else value.isoformat()


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """One page as read from its origin, decoded to text.

    ``doc_id`` hashes the raw bytes (for a JSONL line: the line's bytes), so the
    same page read twice, from anywhere, has the same id.  ``url``, ``title`` and
    ``published`` are hints the container gave (a JSONL record's fields).
    """

    doc_id: str
    origin: str
    media_type: MediaType
    text: str
    encoding: str
    size: int
    fetched_at: datetime
    url: str | None = None
    title: str | None = None
    published: str | None = None

    def __post_init__(self) -> None:
        _require_aware("RawDocument.fetched_at", self.fetched_at)
        if not self.doc_id:
            raise ValueError("RawDocument.doc_id must not be empty")


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news story as printed on one page: the unit that is deduplicated and coded.

    ``published`` keeps the offset the page (or its outlet) implies, so its local
    date is the printed one; ``published_zone`` says how sure that offset is.
    """

    article_id: str
    doc_id: str
    origin: str
    index: int
    body: str
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    published_zone: PublishedZone | None = None
    published_precision: DatePrecision | None = None
    url: str | None = None
    language: str | None = None
    published_from: str | None = None
    """Where an inferred date came from (``post``, ``thread``, ``page``…); None when printed."""

    def __post_init__(self) -> None:
        _require_aware("Article.published", self.published)
        if not self.body.strip():
            raise ValueError("Article.body must not be empty")
        if (self.published is None) != (self.published_zone is None):
            raise ValueError("Article.published_zone must be set exactly when published is")
        if self.index < 0:
            raise ValueError(f"Article.index must be >= 0, got {self.index}")

    @staticmethod
    def make_id(doc_id: str, index: int, title: str | None, body: str) -> str:
        """Return the content id of the ``index``-th article of page ``doc_id``."""
        return content_id("article", doc_id, str(index), title or "", body)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence as character offsets into its article's body (like a spaCy ``Span``)."""

    sentence_id: str
    article_id: str
    index: int
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(
                f"Sentence offsets must satisfy 0 <= start < end, got {self.start}, {self.end}"
            )
        if len(self.text) != self.end - self.start:
            raise ValueError("Sentence.text must be body[start:end]")

    @staticmethod
    def make_id(article_id: str, start: int, end: int) -> str:
        """Return the content id of the sentence at ``start:end`` of ``article_id``."""
        return content_id("sentence", article_id, str(start), str(end))


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """One copy of a story: which page and outlet carried it, where and when."""

    article_id: str
    doc_id: str
    origin: str
    outlet: str | None
    url: str | None
    published: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryCluster:
    """Articles that tell the same story; ``story_id`` is its first-seen member's id."""

    story_id: str
    article_ids: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.story_id not in self.article_ids:
            raise ValueError("StoryCluster.story_id must be one of its article_ids")


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """An item a stage dropped, with the reason; stored and counted, never silent.

    A row with a ``tally`` stands for many items of one file that were not listed one by one:
    ``(reason, count)`` pairs, which :attr:`count` adds up."""

    stage: Stage
    item: str
    reason: str
    tally: tuple[tuple[str, int], ...] = ()

    @property
    def count(self) -> int:
        """How many skipped items this row stands for."""
        return sum(count for _, count in self.tally) if self.tally else 1


Sector = Literal["GOV", "MIL", "BUS", "REB", "OPP", "MED", "CVL", "IGO", ""]
"""An actor's sector; empty when the text does not say."""

SECTORS: tuple[Sector, ...] = ("GOV", "MIL", "BUS", "REB", "OPP", "MED", "CVL", "IGO", "")

Modality = Literal["asserted", "negated", "hypothetical", "intent"]
"""Whether the sentence says the act happened, did not, might, or is meant to."""

EventPrecision = Literal["day", "week", "month", "year", "decade"]
"""How precisely an event's date is known: its sentence's "on April 29" (day), "last week"
(week, dated by its Monday), "in June 2016" (month, by its first day), "in 1949" (year, by 1
January), "in the 1990s" (decade); an event dated by its article has the precision ``day``."""

EVENT_PRECISIONS: tuple[EventPrecision, ...] = ("day", "week", "month", "year", "decade")

QuadClass = Literal[1, 2, 3, 4]
"""GDELT's quad class: verbal / material cooperation, verbal / material conflict."""


def quad_class(code: str) -> QuadClass:
    """Return GDELT's quad class of a CAMEO code (roots 01-05: 1, 06-09: 2, 10-14: 3, 15-20: 4)."""
    root = int(code[:2])
    if not 1 <= root <= 20:
        raise ValueError(f"CAMEO code must start with a root 01-20, got {code!r}")
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts or is acted on: a country (ISO3) or IGO code, plus a sector.

    ``code`` is empty when the text names only a kind of actor ("insurgents") and no
    country; such an actor still has a sector.
    """

    code: str
    sector: Sector = ""

    def __post_init__(self) -> None:
        if self.sector not in SECTORS:
            raise ValueError(f"Actor.sector must be one of {SECTORS}, got {self.sector!r}")
        if self.code and not (self.code.isupper() and self.code.isalnum()):
            raise ValueError(
                f"Actor.code must be an upper-case code like RUS or NATO: {self.code!r}"
            )

    def __str__(self) -> str:
        return f"{self.code or '---'}{self.sector}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Why an event was coded: the sentence, the spans that fired, the lexicon entries used."""

    sentence_id: str
    text: str
    source_span: tuple[int, int] | None
    verb_span: tuple[int, int]
    target_span: tuple[int, int] | None
    entries: tuple[str, ...]
    coder: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One coded event: source did CAMEO ``code`` to target, with evidence.

    ``date`` is the time the event's own sentence gives, else its article's publication date;
    ``date_precision`` says how precise it is, and ``background`` marks an act of years past
    recalled by the article (series and alerts leave it out; see ``dyadwatch.coding.when``).
    """

    event_id: str
    sentence_id: str
    article_id: str
    date: date | None
    source: Actor
    target: Actor
    code: str
    goldstein: float
    quad_class: QuadClass
    plover: str
    modality: Modality
    evidence: Evidence
    date_precision: EventPrecision = "day"
    background: bool = False

    def __post_init__(self) -> None:
        if self.date_precision not in EVENT_PRECISIONS:
            raise ValueError(
                f"Event.date_precision must be one of {EVENT_PRECISIONS}, "
                f"got {self.date_precision!r}"
            )
        if not (2 <= len(self.code) <= 4 and self.code.isdigit()):
            raise ValueError(
                f"Event.code must be a CAMEO code string like '042', got {self.code!r}"
            )
        if not -10.0 <= self.goldstein <= 10.0:
            raise ValueError(f"Event.goldstein must lie in [-10, 10], got {self.goldstein}")
        if self.quad_class != quad_class(self.code):
            raise ValueError(f"Event.quad_class {self.quad_class} does not fit code {self.code}")

    @property
    def negated(self) -> bool:
        """Whether the sentence says the act did not happen."""
        return self.modality == "negated"

    @staticmethod
    def make_id(sentence_id: str, source: Actor, target: Actor, code: str, verb_start: int) -> str:
        """Return the content id of an event coded from one verb of one sentence."""
        return content_id("event", sentence_id, str(source), str(target), code, str(verb_start))
