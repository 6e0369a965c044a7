"""The DuckDB store on a real file: round trips, idempotence, rollback, migrations, export."""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from operator import attrgetter
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dyadwatch.store
from dyadwatch.errors import StoreError
from dyadwatch.records import Article, RawDocument, Sentence, Skipped, Stage
from dyadwatch.store import BatchCounts, Store, StoredArticle
from dyadwatch.store import schema as store_schema

MSK = timezone(timedelta(hours=3))
CST = timezone(timedelta(hours=8))


def _doc(key: str, text: str = "page text") -> RawDocument:
    return RawDocument(
        doc_id=f"d-{key}",
        origin=f"pages/{key}.txt",
        media_type="text/plain",
        text=text,
        encoding="utf-8",
        size=len(text.encode()),
        fetched_at=datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
        url=f"https://example.org/{key}",
        title=f"Title {key}",
        published="2024-03-04",
    )


def _article(key: str, *, published: datetime | None = None, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "article_id": f"a-{key}",
        "doc_id": f"d-{key}",
        "origin": f"pages/{key}.txt",
        "index": 0,
        "title": f"Story {key}",
        "byline": "By A. Writer",
        "outlet": "Xinhua",
        "published": published,
        "published_zone": None if published is None else "stated",
        "published_precision": None if published is None else "minute",
        "url": f"https://example.org/{key}",
        "body": f"Body of {key}. Second sentence.",
        "language": "en",
    }
    values.update(fields)
    return Article(**values)


def _sentence(article: Article, start: int, end: int, index: int = 0) -> Sentence:
    return Sentence(
        sentence_id=Sentence.make_id(article.article_id, start, end),
        article_id=article.article_id,
        index=index,
        start=start,
        end=end,
        text=article.body[start:end],
    )


def _batch(key: str = "one") -> dict[str, Any]:
    article = _article(key, published=datetime(2024, 3, 4, 10, 0, tzinfo=MSK))
    return {
        "documents": [_doc(key)],
        "articles": [article],
        "sentences": [_sentence(article, 0, 12)],
        "minhashes": [(article.article_id, np.arange(128, dtype=np.uint32))],
        "skipped": [Skipped(stage="extract", item=f"pages/{key}.bin", reason="binary file")],
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "dyadwatch.duckdb"


@pytest.fixture
def store(db: Path) -> Any:
    with Store(db) as opened:
        yield opened


# -- round trips ----------------------------------------------------------------------------

offsets = st.integers(min_value=-86_399, max_value=86_399).map(
    lambda seconds: timezone(timedelta(seconds=seconds))
)
texts = st.text(max_size=60)
optional_texts = st.none() | texts
bodies = st.text(min_size=1, max_size=200).filter(lambda body: bool(body.strip()))
ids = st.text(alphabet="0123456789abcdef", min_size=8, max_size=8)


@st.composite
def batches(draw: st.DrawFn) -> dict[str, Any]:
    """A batch of unique pages, articles, sentences, signatures and skipped items."""
    documents = [
        RawDocument(
            doc_id=doc_id,
            origin=draw(texts),
            media_type=draw(st.sampled_from(["text/plain", "text/html"])),
            text=draw(texts),
            encoding=draw(st.sampled_from(["utf-8", "cp1251", "gb18030"])),
            size=draw(st.integers(0, 2**40)),
            fetched_at=draw(
                st.datetimes(datetime(1970, 1, 1), datetime(2100, 1, 1), timezones=offsets)
            ),
            url=draw(optional_texts),
            title=draw(optional_texts),
            published=draw(optional_texts),
        )
        for doc_id in draw(st.sets(ids, max_size=3))
    ]
    articles = []
    for index, article_id in enumerate(sorted(draw(st.sets(ids, max_size=4)))):
        published = draw(st.none() | st.datetimes(timezones=offsets))
        articles.append(
            Article(
                article_id=article_id,
                doc_id=draw(ids),
                origin=draw(texts),
                index=index,
                title=draw(optional_texts),
                byline=draw(optional_texts),
                outlet=draw(optional_texts),
                published=published,
                published_zone=None
                if published is None
                else draw(st.sampled_from(["stated", "outlet", "unknown"])),
                published_precision=draw(st.none() | st.sampled_from(["minute", "day"])),
                url=draw(optional_texts),
                body=draw(bodies),
                language=draw(st.none() | st.sampled_from(["en", "ru", "zh"])),
            )
        )
    sentences = []
    for article in articles:
        start = draw(st.integers(0, len(article.body) - 1))
        end = draw(st.integers(start + 1, len(article.body)))
        sentences.append(_sentence(article, start, end, draw(st.integers(0, 50))))
    article_ids = [article.article_id for article in articles]
    story_ids = (
        {
            article_id: draw(st.sampled_from(article_ids))
            for article_id in draw(st.lists(st.sampled_from(article_ids), unique=True))
        }
        if article_ids
        else {}
    )
    minhashes = [
        (
            article_id,
            np.array(
                draw(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=8)), dtype=np.uint32
            ),
        )
        for article_id in article_ids
    ]
    skipped = draw(
        st.lists(
            st.builds(Skipped, stage=st.sampled_from(get_args(Stage)), item=texts, reason=texts),
            max_size=3,
            unique_by=lambda item: (item.stage, item.item, item.reason),
        )
    )
    return {
        "documents": documents,
        "articles": articles,
        "sentences": sentences,
        "story_ids": story_ids,
        "minhashes": minhashes,
        "skipped": skipped,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=batches())
def test_store_round_trip_of_every_record(batch: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "db.duckdb") as store:
        counts = store.write_batch(**batch)
        assert counts == BatchCounts(
            pages=len(batch["documents"]),
            articles=len(batch["articles"]),
            sentences=len(batch["sentences"]),
            article_minhash=len(batch["minhashes"]),
            skipped=len(batch["skipped"]),
        )
        assert list(store.iter_documents()) == sorted(batch["documents"], key=lambda d: d.doc_id)
        stored = list(store.iter_articles())
        assert [article for article, _ in stored] == batch["articles"]
        for (article, story_id), written in zip(stored, batch["articles"], strict=True):
            assert story_id == batch["story_ids"].get(written.article_id, written.article_id)
            if written.published is not None:
                assert article.published is not None
                assert article.published.utcoffset() == written.published.utcoffset()
                assert article.published.replace(tzinfo=None) == written.published.replace(
                    tzinfo=None
                )
        key = attrgetter("article_id", "index", "start")
        assert list(store.iter_sentences()) == sorted(batch["sentences"], key=key)
        signatures = {
            article_id: (story, sig.tolist())
            for article_id, story, sig in store.minhash_signatures()
        }
        assert signatures == {
            article_id: (batch["story_ids"].get(article_id, article_id), sig.tolist())
            for article_id, sig in batch["minhashes"]
        }
        assert sorted(store.skipped_rows(), key=repr) == sorted(batch["skipped"], key=repr)
        assert store.write_batch(**batch) == BatchCounts()


def test_store_zoneinfo_published_comes_back_with_its_printed_offset(store: Store) -> None:
    # 01:30 in Moscow is 22:30 UTC the day before: the local date must survive.
    moscow = datetime(2024, 3, 5, 1, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    store.write_batch(articles=[_article("x", published=moscow)])
    [(article, _)] = store.iter_articles()
    assert article.published == moscow
    assert article.published is not None
    assert article.published.isoformat() == "2024-03-05T01:30:00+03:00"
    [story] = store.articles()
    assert story.published is not None
    assert story.published.date().isoformat() == "2024-03-05"


# -- idempotence and rollback ---------------------------------------------------------------


def test_write_batch_reports_rows_added_and_rewrite_adds_nothing(store: Store) -> None:
    first = store.write_batch(**_batch())
    assert first == BatchCounts(pages=1, articles=1, sentences=1, article_minhash=1, skipped=1)
    before = store.counts()
    assert store.write_batch(**_batch()) == BatchCounts()
    assert store.counts() == before


def test_write_batch_counts_repeats_within_a_batch_once(store: Store) -> None:
    batch = _batch()
    doubled: dict[str, Any] = {name: [*rows, *rows] for name, rows in batch.items()}
    assert store.write_batch(**doubled) == BatchCounts(
        pages=1, articles=1, sentences=1, article_minhash=1, skipped=1
    )


def test_write_batch_empty_is_a_no_op(store: Store) -> None:
    assert store.write_batch() == BatchCounts()
    assert set(store.counts().values()) == {0}


def test_write_batch_keeps_first_seen_time_of_skipped_items(store: Store) -> None:
    store.write_batch(skipped=_batch()["skipped"])
    first_seen = store._connection().execute("SELECT first_seen FROM skipped").fetchall()
    store.write_batch(skipped=_batch()["skipped"])
    assert store._connection().execute("SELECT first_seen FROM skipped").fetchall() == first_seen


def test_write_batch_constraint_failure_rolls_back_whole_batch(store: Store) -> None:
    store.write_batch(**_batch("old"))
    before = store.counts()
    broken = _article("broken")
    object.__setattr__(broken, "body", None)  # past the record's checks, into NOT NULL
    batch = _batch("new")
    batch["articles"] = [*batch["articles"], broken]
    with pytest.raises(StoreError, match="nothing stored from it"):
        store.write_batch(**batch)
    assert store.counts() == before
    assert store.known_doc_ids(["d-new"]) == set()
    assert store.write_batch(**_batch("new")).pages == 1  # the store is still usable


def test_write_batch_failure_after_some_inserts_leaves_data_intact(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write_batch(**_batch("old"))
    before = store.counts()
    real_insert = Store._insert
    inserted: list[str] = []

    def insert_then_fail(con: duckdb.DuckDBPyConnection, name: str, table: Any) -> int:
        if name == "article_minhash":
            raise duckdb.IOException("disk full (simulated)")
        inserted.append(name)
        return real_insert(con, name, table)

    monkeypatch.setattr(Store, "_insert", staticmethod(insert_then_fail))
    with pytest.raises(StoreError, match="disk full"):
        store.write_batch(**_batch("new"))
    assert inserted == ["pages", "articles", "sentences"]
    assert store.counts() == before
    assert [a.article_id for a, _ in store.iter_articles()] == ["a-old"]


def test_write_batch_bad_signature_is_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="a-x"):
        store.write_batch(minhashes=[("a-x", np.array([0.5, 1.5]))])


def test_read_only_store_refuses_writes(db: Path) -> None:
    Store(db).close()
    with Store(db, read_only=True) as store, pytest.raises(StoreError, match="read-only"):
        store.write_batch(**_batch())


def test_closed_store_raises_store_error(db: Path) -> None:
    store = Store(db)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()


# -- opening and migrations -----------------------------------------------------------------


def test_open_creates_schema_at_latest_version(store: Store, db: Path) -> None:
    assert store.version == store_schema.latest_version() == 8
    assert store.counts() == dict.fromkeys(store_schema.tables(), 0)
    assert list(store.counts()) == [
        *("pages", "articles", "sentences", "article_minhash", "skipped"),
        *("events", "event_mentions", "alerts", "alert_events"),
    ]


def test_open_refuses_newer_schema_version(db: Path) -> None:
    Store(db).close()
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    for read_only in (False, True):
        with pytest.raises(StoreError, match=r"schema version 99 is newer .* upgrade dyadwatch"):
            Store(db, read_only=read_only)


@pytest.mark.parametrize(
    "content", [b"", b"doc_id,title\n1,not a database\n", bytes(range(256)) * 64]
)
def test_open_refuses_non_database_file_naming_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=re.escape(str(path))):
        Store(path)
    assert path.read_bytes() == content


def test_open_read_only_missing_file_is_store_error(db: Path) -> None:
    with pytest.raises(StoreError, match=re.escape(str(db))):
        Store(db, read_only=True)


def test_open_read_only_refuses_foreign_duckdb_file(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE other (x INTEGER)")
    with pytest.raises(StoreError, match="not a dyadwatch store"):
        Store(db, read_only=True)


NEXT = store_schema.latest_version() + 1
EXTRA = store_schema.Migration(
    version=NEXT,
    sql="CREATE TABLE extra (extra_id VARCHAR PRIMARY KEY, sentence_id VARCHAR NOT NULL)",
    tables=("extra",),
)


def test_migration_added_as_one_entry_upgrades_old_file(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db) as store:
        store.write_batch(**_batch())
    monkeypatch.setattr(store_schema, "MIGRATIONS", (*store_schema.MIGRATIONS, EXTRA))
    with pytest.raises(StoreError, match=f"older than {NEXT}"):
        Store(db, read_only=True)
    with Store(db) as store:
        assert store.version == NEXT
        assert store.counts()["extra"] == 0
        assert store.counts()["articles"] == 1
        assert [path.name for path in store.export(tmp_path / "out", "csv")][-1] == "extra.csv"
    with Store(db, read_only=True) as store:
        assert store.version == NEXT


def test_v1_file_upgrades_to_latest_keeping_rows(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_schema, "MIGRATIONS", store_schema.MIGRATIONS[:1])
    with Store(db) as store:
        store.write_batch(**{**_batch(), "articles": [], "sentences": [], "minhashes": []})
        assert store.version == 1
    monkeypatch.undo()
    with duckdb.connect(str(db)) as con:  # an article in the v1 layout, as v1 wrote it
        con.execute(
            "INSERT INTO articles (article_id, doc_id, origin, idx, title, published, body,"
            " story_id) VALUES ('a', 'd', 'pages/one.html', 0, 'T', now(), 'Body.', 'a')"
        )
    with Store(db) as store:
        assert store.version == store_schema.latest_version()
        assert store.counts()["articles"] == 1 and store.counts()["events"] == 0


def test_mention_counts_follow_new_mentions_and_survive_the_v4_upgrade(db: Path) -> None:
    from analysis.conftest import START, make_event

    first, again = (make_event(START, "RUS", "CHN", "042", 1.9, name) for name in ("a1", "a2"))
    with Store(db) as store:
        store.write_batch(events=[first], story_ids={"a1": "s", "a2": "s"})
    with duckdb.connect(str(db)) as con:  # back to the v3 layout, as an older dyadwatch wrote it
        con.execute("DROP INDEX event_mentions_by_event")
        con.execute("ALTER TABLE events DROP COLUMN mentions")
        con.execute("ALTER TABLE pages DROP COLUMN text_archive")
        con.execute("ALTER TABLE events DROP COLUMN date_precision")
        con.execute("ALTER TABLE events DROP COLUMN background")
        con.execute("ALTER TABLE articles DROP COLUMN published_from")
        con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    with Store(db) as store:  # upgraded to v4: the count is filled from the stored mentions
        assert store.version == store_schema.latest_version()
        assert [e["mentions"] for e in store.events()] == [1]
        store.write_batch(events=[again], story_ids={"a1": "s", "a2": "s"})
        store.write_batch(events=[again], story_ids={"a1": "s", "a2": "s"})  # nothing new
        assert [e["mentions"] for e in store.events()] == [2]
        (stored,) = store.series_rows("RUS", "CHN")
        assert stored["events"] == 1 and stored["mentions"] == 2


def test_failed_migration_rolls_back_to_old_version(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db) as store:
        store.write_batch(**_batch())
    broken = store_schema.Migration(version=NEXT, sql="CREATE TABLE extra (x NOSUCHTYPE)")
    monkeypatch.setattr(store_schema, "MIGRATIONS", (*store_schema.MIGRATIONS, broken))
    with pytest.raises(StoreError, match=f"cannot migrate the schema to v{NEXT}"):
        Store(db)
    monkeypatch.undo()
    with Store(db, read_only=True) as store:
        assert store.version == NEXT - 1
        assert store.counts()["articles"] == 1


# -- reads ----------------------------------------------------------------------------------


def test_known_doc_ids_returns_stored_subset(store: Store) -> None:
    store.write_batch(**_batch("one"))
    assert store.known_doc_ids(["d-one", "d-two", "d-one"]) == {"d-one"}
    assert store.known_doc_ids([]) == set()


def _copies(store: Store) -> None:
    """Story s1: original (Sputnik, MSK) reposted by Xinhua (earlier, CST) and a blog; s2 alone."""
    original = _article("s1", outlet="Sputnik", published=datetime(2024, 3, 4, 10, 0, tzinfo=MSK))
    repost = _article(
        "s1-xinhua",
        outlet="Xinhua",
        title="Reposted",
        published=datetime(2024, 3, 4, 14, 0, tzinfo=CST),  # 06:00 UTC, before the original
    )
    blog = _article("s1-blog", outlet=None, published=None, published_zone=None)
    other = _article("s2", published=datetime(2024, 3, 1, 8, 0, tzinfo=UTC))
    store.write_batch(
        articles=[original, repost, blog, other],
        story_ids={"a-s1-xinhua": "a-s1", "a-s1-blog": "a-s1"},
    )


def test_articles_groups_copies_into_one_row_with_all_sources(store: Store) -> None:
    _copies(store)
    stories = store.articles()
    assert [story.id for story in stories] == ["a-s2", "a-s1"]
    story = stories[1]
    assert isinstance(story, StoredArticle)
    assert (story.title, story.outlet) == ("Story s1", "Sputnik")  # the first-seen copy
    assert story.published == datetime(2024, 3, 4, 10, 0, tzinfo=MSK)
    assert story.published is not None and story.published.utcoffset() == timedelta(hours=3)
    assert [source.article_id for source in story.sources] == ["a-s1-xinhua", "a-s1", "a-s1-blog"]
    assert story.sources[0].published is not None
    assert story.sources[0].published.isoformat() == "2024-03-04T14:00:00+08:00"
    assert story.sources[0].outlet == "Xinhua"
    assert store.cluster_count() == 2
    assert store.counts()["articles"] == 4


def test_articles_limit_and_to_dict(store: Store) -> None:
    _copies(store)
    [first] = store.articles(limit=1)
    row = first.to_dict()
    assert row["id"] == "a-s2"
    assert row["published"] == "2024-03-01T08:00:00+00:00"
    assert row["sources"] == [
        {
            "article_id": "a-s2",
            "doc_id": "d-s2",
            "origin": "pages/s2.txt",
            "outlet": "Xinhua",
            "url": "https://example.org/s2",
            "published": "2024-03-01T08:00:00+00:00",
        }
    ]
    assert store.articles(limit=0) == []


def test_articles_empty_store(store: Store) -> None:
    assert store.articles() == []
    assert store.cluster_count() == 0
    assert list(store.minhash_signatures()) == []


# -- export ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_table_with_row_counts(db: Path, tmp_path: Path, fmt: str) -> None:
    with Store(db) as store:
        store.write_batch(**_batch("one"))
        store.write_batch(**_batch("two"))
        _copies(store)
        expected = store.counts()
    with Store(db, read_only=True) as store:
        written = store.export(tmp_path / "out", fmt)
    assert [path.name for path in written] == [f"{table}.{fmt}" for table in expected]
    for path in written:
        table = path.stem
        if fmt == "parquet":
            rows = pq.read_table(path).num_rows
        else:
            with duckdb.connect() as con:
                result = con.execute("SELECT count(*) FROM read_csv(?)", [str(path)]).fetchone()
            assert result is not None
            rows = result[0]
        assert rows == expected[table], table
    articles = pq.read_table(written[1]) if fmt == "parquet" else None
    if articles is not None:
        assert "published_offset_s" in articles.column_names
        assert articles.num_rows == 6


def test_export_unknown_format_is_store_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="parquet, csv"):
        store.export(tmp_path, "xlsx")


def test_export_path_with_quote(store: Store, tmp_path: Path) -> None:
    store.write_batch(**_batch())
    written = store.export(tmp_path / "it's here", "parquet")
    assert pq.read_table(written[0]).num_rows == 1


def test_store_public_api() -> None:
    assert dyadwatch.store.__all__ == [
        *("BatchCounts", "EventQuery", "ExportFormat", "Store", "StoredArticle", "open_store"),
    ]


def test_a_page_of_events_counts_every_match_whatever_the_filter(tmp_path: Path) -> None:
    from analysis.conftest import weekly_stories

    from dyadwatch.store import EventQuery

    with Store(tmp_path / "page.duckdb") as store:
        store.write_batch(events=weekly_stories(range(0, 10), 3, 2.0, seed=4))
        for query in (
            EventQuery(text="DID", limit=7),
            EventQuery(text="did 111", limit=5, offset=2),
            EventQuery(text="did", limit=5, offset=10_000),
            EventQuery(dyad=("RUS", "CHN"), limit=4),
            EventQuery(text="50%_", limit=5),
        ):
            total, items = store.event_page(query)
            assert total == store.count_events(query)
            assert items == store.events(query)
            assert len(items) == max(0, min(query.limit or 0, total - query.offset))


def test_page_text_goes_to_the_archive_and_comes_back(db: Path, tmp_path: Path) -> None:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(store_schema, "MIGRATIONS", store_schema.MIGRATIONS[:4])
    old = [_doc("old", "old page")]
    with Store(db) as store:  # a v4 file keeps the text in the table
        store.write_batch(documents=old)
    monkeypatch.undo()
    new = [_doc("new1", "first <p>page</p>"), _doc("new2", "second")]
    with Store(db) as store:
        counts = store.write_batch(documents=[*new, *old])
        assert counts.pages == 2
        assert store.write_batch(documents=new).pages == 0  # nothing twice, no second file
        files = sorted(store.archive.iterdir())
        assert len(files) == 1 and files[0].suffix == ".parquet"
        assert list(store.iter_documents()) == sorted([*old, *new], key=lambda d: d.doc_id)
        exported = store.export(tmp_path / "out")
    in_table = (
        duckdb.connect(str(db), read_only=True)
        .execute("SELECT doc_id FROM pages WHERE text IS NOT NULL")
        .fetchall()
    )
    assert in_table == [(old[0].doc_id,)]
    pages = pq.read_table(next(p for p in exported if p.name == "pages.parquet"))
    assert sorted(pages.column("text").to_pylist()) == sorted(d.text for d in [*old, *new])
    files[0].unlink()
    with Store(db) as store, pytest.raises(StoreError, match="archive missing"):
        list(store.iter_documents())


def test_sentences_have_no_key_index_yet_are_never_stored_twice(db: Path) -> None:
    batch = _batch()
    with Store(db) as store:
        first = store.write_batch(**batch)
        assert first.sentences > 0
        assert store.write_batch(**batch).sentences == 0  # the article is there: none again
        assert store.write_batch(sentences=batch["sentences"]).sentences == 0
        assert store.counts()["sentences"] == first.sentences
    with duckdb.connect(str(db), read_only=True) as con:
        keys = con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'sentences' "
            "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"
        ).fetchone()
        assert keys == (0,)


def test_checkpoints_under_a_memory_limit_keep_every_row(db: Path) -> None:
    """Batches adding up to twice the checkpoint's 64 MiB limit, each closed (and so
    checkpointed, row groups merged) as a run does, come back whole; and the limit does not
    bound reads."""
    letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz     ", dtype=np.uint8)
    batches, per_batch, size = 4, 8_000, 4_000  # 4 x 8,000 articles of 4 kB: 128 MB of text
    text = letters[np.random.default_rng(7).integers(0, len(letters), batches * per_batch * size)]
    for batch in range(batches):
        start = batch * per_batch * size
        articles = [
            _article(
                f"{batch}-{i}",
                body=text[start + i * size : start + (i + 1) * size].tobytes().decode(),
            )
            for i in range(per_batch)
        ]
        with Store(db, checkpoint_memory_mb=64) as store:
            store.write_batch(articles=articles)
            with store.session() as reader:
                assert reader.counts()["articles"] == (batch + 1) * per_batch
    assert not db.with_name(db.name + ".wal").exists()
    with Store(db, read_only=True, checkpoint_memory_mb=64) as store:
        bodies = [article.body for article, _ in store.iter_articles()]
    assert len(bodies) == batches * per_batch and {len(body) for body in bodies} == {size}


def test_inferred_date_keeps_where_it_came_from(store: Any) -> None:
    inferred = _article(
        "inferred",
        published=datetime(2019, 3, 4, tzinfo=UTC),
        published_precision="inferred",
        published_from="thread",
    )
    batch = _batch("inferred")
    store.write_batch(**{**batch, "articles": [inferred]})
    (stored,) = store.articles()
    shown = stored.to_dict()
    assert shown["published"] == "2019-03-04"  # a day, not a time nobody printed
    assert shown["published_precision"] == "inferred" and shown["published_from"] == "thread"
