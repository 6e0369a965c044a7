"""The whole pipeline into a real DuckDB file: counts, idempotence, bad input, provenance."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dyadwatch.config import Settings, StoreSettings
from dyadwatch.pipeline import run
from dyadwatch.records import Article, RawDocument, Sentence, Skipped
from dyadwatch.store import Store

pytestmark = pytest.mark.slow


def settings_for(db: Path) -> Settings:
    return Settings(store=StoreSettings(path=db, batch_size=2))


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, to compare databases before and after a run."""
    with duckdb.connect(str(db), read_only=True) as connection:
        names = [row[0] for row in connection.execute("SHOW TABLES").fetchall()]
        return {
            name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
        }


@pytest.fixture
def pages(tmp_path: Path, examples_dir: Path) -> Path:
    folder = tmp_path / "pages"
    shutil.copytree(examples_dir / "pages", folder)
    return folder


def test_run_stores_articles_clusters_and_sentences(pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "run.duckdb"
    summary = run([pages], settings=settings_for(db))
    assert summary.pages_read == 6 and summary.pages_new == 6
    assert summary.articles_found == summary.articles_added == 12
    assert summary.duplicates == 1 and summary.story_clusters == 11
    assert summary.table_counts["sentences"] == summary.sentences_added > 80
    with Store(db, read_only=True) as store:
        stories = store.articles()
    reposted = [story for story in stories if len(story.sources) == 2]
    assert len(reposted) == 1
    assert reposted[0].title == (
        "India Lodges Protest Over New Chinese Settlements Near Disputed Frontier"
    )
    assert {source.origin.split("/")[-1] for source in reposted[0].sources} == {
        "forum-thread.txt",
        "reposting-blog.txt",
    }


def test_run_twice_adds_no_row(pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "twice.duckdb"
    run([pages], settings=settings_for(db))
    before = table_rows(db)
    again = run([pages], settings=settings_for(db))
    assert again.pages_new == 0 and again.articles_added == 0 and again.sentences_added == 0
    assert table_rows(db) == before


def test_run_names_junk_and_truncated_gzip_and_changes_no_row(pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "junk.duckdb"
    run([pages], settings=settings_for(db))
    before = table_rows(db)
    (pages / "junk.html").write_bytes(bytes(range(256)) * 8)
    packed = gzip.compress((pages / "forum-thread.txt").read_bytes())
    (pages / "cut.txt.gz").write_bytes(packed[: len(packed) // 2])
    summary = run([pages], settings=settings_for(db))
    reasons = {item.item.split("/")[-1]: item.reason for item in summary.skipped}
    assert "binary" in reasons["junk.html"]
    assert "truncated gzip" in reasons["cut.txt.gz"]
    after = table_rows(db)
    assert {name: rows for name, rows in after.items() if name != "skipped"} == {
        name: rows for name, rows in before.items() if name != "skipped"
    }
    assert set(before["skipped"]) <= set(after["skipped"])
    assert len(after["skipped"]) == len(before["skipped"]) + 2


def test_run_on_nothing_readable_reads_no_page(tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_bytes(b"\x00\x01\x02" * 100)
    summary = run([tmp_path / "junk.txt"], settings=settings_for(tmp_path / "none.duckdb"))
    assert summary.pages_read == 0
    assert summary.skipped and "binary" in summary.skipped[0].reason


def test_run_on_seed_pages_finds_every_story(seeds_dir: Path, tmp_path: Path) -> None:
    summary = run([seeds_dir], settings=settings_for(tmp_path / "seeds.duckdb"))
    assert summary.pages_read == 2
    assert summary.articles_found == 16
    assert summary.story_clusters == 16


def test_run_codes_events_once_per_story_with_every_mention(pages: Path, tmp_path: Path) -> None:
    db = tmp_path / "events.duckdb"
    summary = run([pages], settings=settings_for(db))
    assert summary.events_added > 0
    assert summary.mentions_added >= summary.events_added
    with Store(db, read_only=True) as store:
        events = store.events()
    reposted = [event for event in events if event["mentions"] > 1]
    assert reposted, "the story reposted by the blog should merge its events"
    for event in reposted:
        assert len(event["evidence"]) == event["mentions"]
    again = run([pages], settings=settings_for(db))
    assert again.events_added == 0 and again.mentions_added == 0


def test_run_on_seed_pages_finds_main_events_and_invents_no_attack(
    seeds_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "seed-events.duckdb"
    run([seeds_dir], settings=settings_for(db))
    with Store(db, read_only=True) as store:
        events = store.events()
    found = {(e["source"], e["target"], e["code"][:2]) for e in events}
    assert {("RUS", "CHN", "06"), ("CHN", "RUS", "06")} <= found  # joint naval drills
    assert ("RUS", "CHN", "07") in found  # helping China build a missile warning system
    assert ("RUS", "CHN", "05") in found or ("CHN", "RUS", "05") in found  # agreements
    us_and_rivals = {"USA"}, {"CHN", "RUS"}
    for event in events:
        pair = {event["source"], event["target"]}
        if pair & us_and_rivals[0] and pair & us_and_rivals[1]:
            assert int(event["code"][:2]) < 18, event  # no invented assault or fight


def test_run_times_every_stage_and_reports_progress_per_stage(pages: Path, tmp_path: Path) -> None:
    progress: dict[str, int] = {}

    def hook(stage: str, done: int) -> None:
        assert done > 0
        progress[stage] = progress.get(stage, 0) + done

    summary = run([pages], settings=settings_for(tmp_path / "timed.duckdb"), on_progress=hook)
    stages = summary.stages
    assert list(stages) == ["ingest", "extract", "dedupe", "sentences", "coding", "store"]
    assert progress == {name: stage.items for name, stage in stages.items()}
    assert stages["ingest"].items == summary.pages_read  # no input skipped here
    assert stages["extract"].items == stages["dedupe"].items == summary.articles_found
    assert stages["sentences"].items == stages["coding"].items == summary.sentences_added
    assert stages["store"].items == sum(summary.table_counts.values())
    assert all(stage.seconds > 0 for stage in stages.values())
    assert sum(stage.seconds for stage in stages.values()) <= summary.seconds
    assert summary.articles_per_second() == pytest.approx(12 / summary.seconds)


def test_summary_keeps_a_bounded_sample_of_skipped_items_but_counts_all() -> None:
    from dyadwatch.pipeline import MAX_SKIPPED_KEPT, RunSummary
    from dyadwatch.records import Skipped

    summary = RunSummary()
    for number in range(MAX_SKIPPED_KEPT + 5):
        summary.skip(Skipped(stage="ingest", item=f"f{number}", reason="binary file"))
    assert len(summary.skipped) == MAX_SKIPPED_KEPT
    assert summary.skipped_count == MAX_SKIPPED_KEPT + 5
    assert summary.skipped_by_reason == {"ingest: binary file": MAX_SKIPPED_KEPT + 5}


def test_spacy_pipelines_are_loaded_afresh_when_their_strings_pile_up(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dyadwatch import pipeline
    from dyadwatch.nlp import load_pipeline

    settings = settings_for(tmp_path / "fresh.duckdb")
    run([pages], settings=settings)
    coder, splitter = pipeline._coder("rule.v1"), load_pipeline()
    assert pipeline._coder("rule.v1") is coder  # kept while small
    monkeypatch.setattr(pipeline, "VOCAB_LIMIT", 10)
    run([pages], settings=settings_for(tmp_path / "again.duckdb"))
    assert pipeline._coder("rule.v1") is not coder and load_pipeline() is not splitter
    monkeypatch.undo()
    fresh, again = (table_rows(tmp_path / name) for name in ("fresh.duckdb", "again.duckdb"))
    for table in ("articles", "sentences", "events", "event_mentions"):
        assert fresh[table] == again[table], table  # a reload changes no result


SURROGATE_FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    "<item><title>Talks in Beijing</title><link>https://wire.example.org/1</link><description>"
    "Russia and China held talks in Beijing on Tuesday about trade and energy, officials said."
    "</description></item><item><title>Odd &#xD800; title</title>"
    "<link>https://wire.example.org/2</link><description>Iran and Iraq signed a border deal in "
    "Baghdad on Monday &#xD800; after talks, the ministers said.</description></item>"
    "</channel></rss>"
)


def test_a_lone_surrogate_in_a_feed_sinks_nothing_and_reruns_add_nothing(
    pages: Path, tmp_path: Path
) -> None:
    (pages / "wire.rss").write_text(SURROGATE_FEED, encoding="utf-8")
    db = tmp_path / "feed.duckdb"
    summary = run([pages], settings=settings_for(db))
    stored = table_rows(db)
    origins = {row[1] for row in stored["pages"]}
    assert {f"{pages}/wire.rss#1", f"{pages}/wire.rss#2"} <= origins
    assert any(origin.endswith("news-article.html") for origin in origins)
    assert summary.pages_read == len(origins)
    run([pages], settings=settings_for(db))
    assert table_rows(db) == stored


def test_what_one_page_or_article_raises_skips_it_and_the_others_are_stored(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dyadwatch import pipeline

    extract, split = pipeline.extract_articles, pipeline.split_sentences

    def fragile_extract(documents: list[RawDocument]) -> Iterator[Article | Skipped]:
        if any(document.origin.endswith("forum-thread.txt") for document in documents):
            raise MemoryError("extractor ran out of room")  # an Exception, not a crash
        return extract(documents)

    def fragile_split(articles: list[Article], mode: str) -> Iterator[Sentence]:
        if any(article.origin.endswith("news-article.html") for article in articles):
            raise RuntimeError("splitter broke")
        return split(articles, mode=mode)

    monkeypatch.setattr(pipeline, "extract_articles", fragile_extract)
    monkeypatch.setattr(pipeline, "split_sentences", fragile_split)
    db = tmp_path / "fragile.duckdb"
    summary = run([pages], settings=Settings(store=StoreSettings(path=db)))
    by_stage = {(item.stage, item.item.rsplit("/", 1)[-1]): item.reason for item in summary.skipped}
    assert by_stage[("extract", "forum-thread.txt")] == (
        "unexpected error: MemoryError: extractor ran out of room"
    )
    assert by_stage[("nlp", "news-article.html#article-1")] == (
        "unexpected error: RuntimeError: splitter broke"
    )
    stored = table_rows(db)
    origins = {row[0]: row[2].rsplit("/", 1)[-1] for row in stored["articles"]}
    split_pages = {origins[row[1]] for row in stored["sentences"]}
    assert "news-article.html" in origins.values()  # the article is kept, unsplit
    assert "news-article.html" not in split_pages and "reposting-blog.txt" in split_pages
    assert not any(name == "forum-thread.txt" for name in origins.values())
    assert stored["events"], "the pages that did not raise were coded"


def test_a_flood_of_junk_lines_is_counted_whole_and_stored_capped(
    pages: Path, tmp_path: Path
) -> None:
    (pages / "flood.jsonl.gz").write_bytes(gzip.compress(b"{}\n" * 5000))
    db = tmp_path / "flood.duckdb"
    summary = run([pages], settings=settings_for(db))
    assert (
        summary.skipped_by_reason["ingest: no 'text' or 'html' field (each line needs one of them)"]
        == 5000
    )
    assert summary.stages["ingest"].items >= 5000
    stored = table_rows(db)
    flood = [row for row in stored["skipped"] if "flood.jsonl.gz" in row[2]]
    assert len(flood) == 101
    assert any("… and 4,900 more items skipped" in row[3] for row in flood)
    run([pages], settings=settings_for(db))
    assert len(table_rows(db)["skipped"]) == len(stored["skipped"])
