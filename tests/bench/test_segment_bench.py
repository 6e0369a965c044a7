"""bench/segment.py: the composed-page generator and the segmenter benchmark's scorer."""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dyadwatch.records import Article

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def _load(name: str, filename: str) -> ModuleType:
    """Import a bench/ script (not a package) by file path, once."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


bench = _load("bench_segment", "segment.py")

OPENING_A = "The foreign ministers of both countries met in the capital on Tuesday and"
CLOSING_A = "pledged to meet again in autumn, officials said after the talks ended."
OPENING_B = "Two navies began a week-long joint exercise off the coast on Wednesday, the"
CLOSING_B = "exercise will end on Sunday with a parade of ships in the harbour."
BODY_A = f"{OPENING_A} agreed to expand cooperation on energy.\n\nThey {CLOSING_A}"
BODY_B = f"{OPENING_B} defence ministry said.\n\nThe {CLOSING_B}"


def _page() -> Any:
    """A hand-made page key: one dated story, one undated story with a post date."""
    return bench.ComposedPage(
        page_id="p1",
        style="forum-test",
        engine="test",
        text="(not read by the scorer)",
        stories=(
            bench.KeyStory(
                source="a",
                title="Ministers ‘Meet’ in Capital",
                date=date(2019, 3, 4),
                post_date=date(2019, 3, 5),
                opening=OPENING_A,
                closing=CLOSING_A,
            ),
            bench.KeyStory(
                source="b",
                title="Navies begin exercise",
                date=None,
                post_date=date(2019, 3, 6),
                opening=OPENING_B,
                closing=CLOSING_B,
            ),
        ),
        chrome=("Like", "Messages: 1,234", "You must log in or register to reply here."),
    )


def _article(
    title: str | None, body: str, day: date | None = None, *, inferred: bool = False
) -> Article:
    published = datetime(day.year, day.month, day.day, 10, 12, tzinfo=UTC) if day else None
    return Article(
        published_precision=("inferred" if inferred else "minute") if published else None,
        article_id="a1",
        doc_id="d1",
        origin="p1.txt",
        index=0,
        body=body,
        title=title,
        published=published,
        published_zone="stated" if published else None,
    )


def _counts(articles: list[Article] | None) -> dict[str, int]:
    tally = bench.score(_page(), articles).tally
    return dict(asdict(tally))


RIGHT = [
    _article("ministers 'meet' in  capital", BODY_A, date(2019, 3, 4)),
    _article("Navies Begin Exercise", BODY_B, date(2019, 3, 6), inferred=True),
]


# --- the scorer -----------------------------------------------------------------------------


def test_score_counts_right_answers_as_right() -> None:
    counts = _counts(RIGHT)
    assert counts["found"] == counts["titles"] == counts["complete"] == 2
    assert (counts["dated_right"], counts["undated_right"]) == (1, 1)
    assert counts["merged"] == counts["leaks"] == counts["extra"] == counts["crashed"] == 0


def test_score_counts_a_wrong_title() -> None:
    counts = _counts([_article("Ministers Meet", BODY_A, date(2019, 3, 4)), RIGHT[1]])
    assert (counts["found"], counts["titles"]) == (2, 1)


def test_score_counts_wrong_dates_and_an_unprinted_date_must_be_the_posts_inferred() -> None:
    undated_a = _article(RIGHT[0].title, BODY_A)
    wrong_b = _article(RIGHT[1].title, BODY_B, date(2019, 3, 7), inferred=True)
    counts = _counts([undated_a, wrong_b])
    assert (counts["dated"], counts["dated_right"]) == (1, 0)
    assert (counts["undated"], counts["undated_right"]) == (1, 0)
    assert (counts["post_dated"], counts["post_date_used"]) == (1, 0)
    printed_b = _article(RIGHT[1].title, BODY_B, date(2019, 3, 6))  # the post's, as printed
    counts = _counts([undated_a, printed_b])
    assert counts["undated_right"] == 1
    assert (counts["post_dated"], counts["post_date_used"]) == (1, 1)
    left_undated_b = _article(RIGHT[1].title, BODY_B)  # the post shows a date: use it
    assert _counts([RIGHT[0], left_undated_b])["undated_right"] == 0
    wrong_day = _article(RIGHT[0].title, BODY_A, date(2019, 3, 5))
    assert _counts([wrong_day, RIGHT[1]])["dated_right"] == 0


def test_score_counts_a_merged_body_and_the_story_it_swallowed() -> None:
    counts = _counts([_article(RIGHT[0].title, BODY_A + "\n\n" + BODY_B, date(2019, 3, 4))])
    assert (counts["merged"], counts["found"], counts["extra"]) == (1, 1, 0)
    assert _counts(RIGHT)["merged"] == 0


def test_score_counts_chrome_lines_in_a_found_body() -> None:
    for leak in ("Like", "messages: 1,234", "Please. You must log in or register to reply here!"):
        body = BODY_A + "\n" + leak
        counts = _counts([_article(RIGHT[0].title, body, date(2019, 3, 4)), RIGHT[1]])
        assert counts["leaks"] == 1, leak
    # A short chrome word inside a sentence is prose, not a leak.
    body = BODY_A + "\nPeople like the plan."
    assert _counts([_article(RIGHT[0].title, body, date(2019, 3, 4)), RIGHT[1]])["leaks"] == 0


def test_score_counts_extra_articles_and_duplicates() -> None:
    comment = _article(None, "Thanks for posting, great find.")
    counts = _counts([*RIGHT, comment, RIGHT[1]])
    assert (counts["found"], counts["extra"], counts["predicted"]) == (2, 2, 4)
    assert _counts(RIGHT)["extra"] == 0


def test_a_crashing_segmenter_is_counted_and_the_run_goes_on(monkeypatch: Any) -> None:
    import dyadwatch.extract.segment as segment

    def boom(document: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(segment, "segment_text", boom)
    articles, error = bench.segment_page(_page())
    assert (articles, error) == (None, "RuntimeError: boom")
    scores = bench.evaluate([_page(), _page()])
    assert [s.tally.crashed for s in scores] == [1, 1]
    assert sum(s.tally.found for s in scores) == 0
    assert "CRASHED: RuntimeError: boom" in bench.worst(scores, 1)


def test_main_says_what_is_missing_without_the_shared_folder(tmp_path: Path) -> None:
    assert bench.main(["--shared", str(tmp_path)]) == 2


# --- the generator (needs ../shared) --------------------------------------------------------


@pytest.fixture(scope="module")
def shared() -> Path:
    """../shared, whose extraction benchmarks the generator reads (skips when absent)."""
    if not (SHARED / "anchors" / "dragnet-extraction").exists():
        pytest.skip(f"{SHARED / 'anchors'} is absent: these checks need ../shared")
    return SHARED


@pytest.fixture(scope="module")
def sources(shared: Path) -> list[Any]:
    """The usable stories among the first 25 pages of each benchmark."""
    return list(bench.load_sources(shared, limit=25))


@pytest.mark.shared
def test_compose_is_deterministic_for_a_seed(sources: list[Any]) -> None:
    first = bench.compose(sources, pages=4, seed=3)
    again = bench.compose(sources, pages=4, seed=3)
    other = bench.compose(sources, pages=4, seed=4)
    assert [p.text for p in first] == [p.text for p in again]
    assert [p.key_json() for p in first] == [p.key_json() for p in again]
    assert [p.text for p in first] != [p.text for p in other]


@pytest.mark.shared
@pytest.mark.parametrize("style", sorted(bench.STYLES))
def test_every_key_story_and_chrome_line_is_in_its_page(sources: list[Any], style: str) -> None:
    (page,) = bench.compose(sources, pages=1, seed=11, styles=[style])
    text = f" {bench.fold(page.text)} "
    lines = {line.strip() for line in page.text.splitlines()}
    assert 3 <= len(page.stories) <= 6
    for story in page.stories:
        assert f" {bench.fold(story.opening)} " in text, story.opening
        assert f" {bench.fold(story.closing)} " in text, story.closing
        assert f" {bench.fold(story.title)} " in text, story.title
        assert len(story.opening.split()) == 12
        if story.date is not None:
            assert date(2005, 1, 1) <= story.date <= date(2024, 12, 31)
    assert page.chrome and all(line in lines for line in page.chrome)


@pytest.mark.shared
def test_a_perfect_segmentation_of_composed_pages_scores_full_marks(sources: list[Any]) -> None:
    page = bench.compose(sources, pages=1, seed=5)[0]
    stories = page.stories
    perfect = [
        _article(s.title, f"{s.opening} …\n{s.closing}", s.date or s.post_date, inferred=not s.date)
        for s in stories
    ]
    tally = bench.score(page, perfect).tally
    assert tally.found == tally.titles == tally.complete == tally.dates_right == len(stories)
    assert tally.merged == tally.leaks == tally.extra == 0


@pytest.mark.shared
def test_main_writes_the_table_and_dumps_pages_with_their_keys(
    shared: Path, tmp_path: Path
) -> None:
    markdown, dump = tmp_path / "bench.md", tmp_path / "pages"
    argv = ["--pages", "2", "--markdown", str(markdown), "--dump", str(dump)]
    argv += ["--shared", str(shared)]
    assert bench.main(argv) == 0
    written = markdown.read_text(encoding="utf-8")
    assert "python bench/segment.py --pages 2" in written
    assert "| **all** | 2 |" in written
    keys = sorted(dump.glob("*.json"))
    assert len(keys) == 2 and len(list(dump.glob("*.txt"))) == 2
    key = json.loads(keys[0].read_text(encoding="utf-8"))
    assert {"title", "date", "post_date", "opening", "closing"} <= set(key["stories"][0])


def test_every_style_is_described_in_the_benchmark_document() -> None:
    assert list(bench.LAYOUTS) == list(bench.STYLES)
