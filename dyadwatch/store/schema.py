"""The store's tables and the migrations that create them, one entry per schema version.

To add a table (issue 4's ``events``), append ``Migration(version=2, sql=..., tables=("events",))``
to :data:`MIGRATIONS`: opening an older file then applies it, and :func:`tables` (what
``counts`` reports and ``export`` writes) picks the table up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from dyadwatch.errors import StoreError


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """One schema step: the SQL that takes version ``version - 1`` to ``version``."""

    version: int
    sql: str
    tables: tuple[str, ...] = ()


_V1 = """
CREATE TABLE pages (
    doc_id VARCHAR PRIMARY KEY,
    origin VARCHAR NOT NULL,
    media_type VARCHAR NOT NULL,
    encoding VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    url VARCHAR,
    title VARCHAR,
    published_hint VARCHAR,
    text VARCHAR NOT NULL
);
CREATE TABLE articles (
    article_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    idx INTEGER NOT NULL CHECK (idx >= 0),
    title VARCHAR,
    byline VARCHAR,
    outlet VARCHAR,
    published TIMESTAMPTZ,
    published_offset_s INTEGER,
    published_zone VARCHAR,
    published_precision VARCHAR,
    url VARCHAR,
    body VARCHAR NOT NULL,
    language VARCHAR,
    story_id VARCHAR NOT NULL
);
CREATE TABLE sentences (
    sentence_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    CHECK (0 <= start_char AND start_char < end_char)
);
CREATE TABLE article_minhash (
    article_id VARCHAR PRIMARY KEY,
    num_perm INTEGER NOT NULL,
    hashvalues UBIGINT[] NOT NULL,
    CHECK (num_perm = len(hashvalues))
);
CREATE TABLE skipped (
    skip_id VARCHAR PRIMARY KEY,
    stage VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    first_seen TIMESTAMPTZ NOT NULL
);
"""

# v2 (#4): coded events.  One ``events`` row per (story, source, target, code, modality);
# each sentence that says it is an ``event_mentions`` row, kept as evidence.
_V2 = """
CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY,
    story_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    date DATE,
    source VARCHAR NOT NULL,
    source_sector VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    target_sector VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    root VARCHAR NOT NULL,
    goldstein DOUBLE NOT NULL CHECK (goldstein BETWEEN -10 AND 10),
    quad_class TINYINT NOT NULL CHECK (quad_class BETWEEN 1 AND 4),
    plover VARCHAR NOT NULL,
    modality VARCHAR NOT NULL,
    coder VARCHAR NOT NULL
);
CREATE TABLE event_mentions (
    mention_id VARCHAR PRIMARY KEY,
    event_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    sentence_id VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    source_start INTEGER,
    source_end INTEGER,
    verb_start INTEGER NOT NULL,
    verb_end INTEGER NOT NULL,
    target_start INTEGER,
    target_end INTEGER,
    entries VARCHAR[] NOT NULL,
    coder VARCHAR NOT NULL
);
"""

# v3 (#5): early-warning alerts, each citing the events behind it.
_V3 = """
CREATE TABLE alerts (
    alert_id VARCHAR PRIMARY KEY,
    a VARCHAR NOT NULL,
    b VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    period DATE NOT NULL,
    start DATE NOT NULL,
    magnitude DOUBLE NOT NULL,
    confidence DOUBLE NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    stories INTEGER NOT NULL,
    message VARCHAR NOT NULL
);
CREATE TABLE alert_events (
    alert_id VARCHAR NOT NULL,
    event_id VARCHAR NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (alert_id, event_id)
);
"""

# v4 (#6): each event's mention count kept on the event, and mentions indexed by event, so a
# series or a page of events over a million rows does not join every mention.
_V4 = """
ALTER TABLE events ADD COLUMN mentions INTEGER DEFAULT 0;
UPDATE events SET mentions = counted.n
FROM (SELECT event_id, count(*)::INTEGER AS n FROM event_mentions GROUP BY event_id) counted
WHERE events.event_id = counted.event_id;
CREATE INDEX event_mentions_by_event ON event_mentions (event_id);
"""

# v5 (#7): a page's raw text goes to Parquet files beside the database (``<file>.pages/``,
# zstd), named in ``text_archive``, no longer into the table: DuckDB rewrites a table's large
# strings at every checkpoint, so each batch's write took longer with every page stored
# (1.2 s per batch at 2,000 pages). Pages stored before keep their text in the table.
_V5 = """
ALTER TABLE pages ALTER COLUMN text DROP NOT NULL;
ALTER TABLE pages ADD COLUMN text_archive VARCHAR;
"""

# v6 (#7): sentences lose their primary-key index. DuckDB loads a table's key index whole each
# time the file is opened to write; at 3 M sentences (100,000 articles) that index alone took
# ~220 MB and a growing share of every batch's write. Sentences are only ever written with
# their article, so a batch adds the sentences of the articles it adds, checked by the
# (far smaller) articles key instead.
_V6 = """
CREATE TABLE sentences_v6 (
    sentence_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    CHECK (0 <= start_char AND start_char < end_char)
);
INSERT INTO sentences_v6 SELECT * FROM sentences;
DROP TABLE sentences;
ALTER TABLE sentences_v6 RENAME TO sentences;
"""

# v7 (#15): an event's date comes from its own sentence when the sentence gives a time ("in
# June 2016", "last year"), so each event says how precise its date is and whether it is an
# act of years past recalled by the article (``background``: series and alerts leave it out).
# Events stored before were dated by their article, to the day, and none is background.
_V7 = """
ALTER TABLE events ADD COLUMN date_precision VARCHAR;
ALTER TABLE events ADD COLUMN background BOOLEAN DEFAULT false;
UPDATE events SET date_precision = 'day', background = false;
"""

# v8 (#16): a story that prints no date may take one inferred from what carries it (the post,
# the thread's neighbouring dated posts, the page's own date); ``published_precision`` is then
# ``inferred`` and ``published_from`` says where it came from. Older rows printed their dates.
_V8 = """
ALTER TABLE articles ADD COLUMN published_from VARCHAR;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        sql=_V1,
        tables=("pages", "articles", "sentences", "article_minhash", "skipped"),
    ),
    Migration(version=2, sql=_V2, tables=("events", "event_mentions")),
    Migration(version=3, sql=_V3, tables=("alerts", "alert_events")),
    Migration(version=4, sql=_V4),
    Migration(version=5, sql=_V5),
    Migration(version=6, sql=_V6),
    Migration(version=7, sql=_V7),
    Migration(version=8, sql=_V8),
)
"""Every schema step in order; versions run 1, 2, 3... with no gaps."""


def latest_version() -> int:
    """Return the schema version this code writes: the last migration's."""
    return MIGRATIONS[-1].version


def tables() -> tuple[str, ...]:
    """Return the data tables at the latest version, in creation order (``meta`` is not one)."""
    return tuple(table for step in MIGRATIONS for table in step.tables)


ROW_KEYS: dict[str, str] = {
    "pages": "doc_id",
    "articles": "article_id",
    "sentences": "sentence_id",
    "article_minhash": "article_id",
    "skipped": "skip_id",
    "events": "event_id",
    "event_mentions": "mention_id",
}
"""The column that names a row in each table a pipeline run writes (its content id)."""

_META = "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the file's schema version: 0 for a database dyadwatch never wrote."""
    has_meta = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'meta'"
    ).fetchone()
    if not has_meta or not has_meta[0]:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def check_version(version: int, path: Path) -> None:
    """Raise ``StoreError`` when ``path`` was written by a newer dyadwatch."""
    if version > latest_version():
        raise StoreError(
            f"{path}: schema version {version} is newer than this dyadwatch knows "
            f"(up to {latest_version()}); upgrade dyadwatch to open it"
        )


def migrate(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Apply every pending migration to ``con`` in one transaction; return the new version."""
    latest = latest_version()
    con.begin()
    try:
        version = schema_version(con)
        check_version(version, path)
        if version == latest:
            con.commit()
            return version
        con.execute(_META)
        for step in MIGRATIONS:
            if step.version > version:
                con.execute(step.sql)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(latest)])
        con.commit()
    except StoreError:
        con.rollback()
        raise
    except duckdb.Error as error:
        con.rollback()
        raise StoreError(f"{path}: cannot migrate the schema to v{latest}: {error}") from error
    return latest
