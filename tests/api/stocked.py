"""A database stocked for the list views and downloads: stories (some carried by two sources,
some with text a spreadsheet would run as a formula), events with alerts, and skipped items."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from analysis.conftest import START, make_event, weekly_stories

from dyadwatch.analysis.alerts import find_alerts
from dyadwatch.records import Article, Skipped, Stage
from dyadwatch.store import Store

STORIES = 120
FORMULA_TITLE = '=HYPERLINK("https://evil.example","click")'
FORMULA_ITEM = "@SUM(1+1)*cmd|' /C calc'!A0"
TOPICS = ("Pipeline deal signed by Russia and China", "Harvest weather in the plains")


@dataclass(frozen=True)
class Stock:
    """What was written: the articles, each article's story id, and the skipped items."""

    articles: list[Article]
    story_of: dict[str, str]
    skipped: list[Skipped]

    def stories_matching(self, *words: str) -> set[str]:
        """The story ids one of whose copies holds every word in its title or body (an oracle
        independent of the store's SQL)."""
        found = set()
        for article in self.articles:
            text = f"{article.title or ''}\n{article.body}".lower()
            if all(word.lower() in text for word in words):
                found.add(self.story_of[article.article_id])
        return found

    def reasons(self, stage: Stage | None = None) -> Counter[tuple[str, str]]:
        """Skipped items per (stage, reason), of one stage or all."""
        return Counter(
            (item.stage, item.reason)
            for item in self.skipped
            if stage is None or item.stage == stage
        )


def _article(n: int, *, copy: bool = False) -> Article:
    key = f"{n:03d}" + ("-copy" if copy else "")
    title = FORMULA_TITLE if n == 7 else f"Story {n}: {TOPICS[n % 2]}"
    if copy:
        title = f"Reposted by Gazprom news: {title}"
    body = f"Body of story {n}. " + ("Pipeline talks went on." if n % 3 == 0 else "Rain fell.")
    if n == 8:
        body = "-2 degrees overnight; " + body
    return Article(
        article_id=Article.make_id(f"d-{key}", 0, title, body),
        doc_id=f"d-{key}",
        origin=f"pages/{key}.txt",
        index=0,
        title=title,
        outlet="Copy Wire" if copy else "Xinhua",
        published=datetime(2024, 1, 1, 8, tzinfo=UTC) + timedelta(hours=6 * n + (1 if copy else 0)),
        published_zone="stated",
        published_precision="minute",
        url=f"https://example.org/{key}",
        body=body,
        language="en",
    )


def _skipped(extra: int) -> list[Skipped]:
    items: list[Skipped] = []
    for n in range(40):
        stage: Stage = "ingest" if n % 4 else "extract"
        reason = ("not UTF-8", "empty page", "no article found")[n % 3]
        items.append(Skipped(stage=stage, item=f"pages/skipped-{n:02d}.txt", reason=reason))
    items.append(Skipped(stage="ingest", item=FORMULA_ITEM, reason="=not a page"))
    items += [
        Skipped(stage="import", item=f"bulk.jsonl:{n}", reason="no text") for n in range(extra)
    ]
    return items


def stock(db: Path, *, extra_skipped: int = 0) -> Stock:
    """Write the stocked database to ``db``: every 10th story has a second copy (whose title
    alone says "Gazprom"); ``extra_skipped`` more skipped items of the import stage."""
    articles = [_article(n) for n in range(STORIES)]
    copies = [_article(n, copy=True) for n in range(0, STORIES, 10)]
    story_of = {a.article_id: a.article_id for a in articles}
    story_of |= {c.article_id: articles[n * 10].article_id for n, c in enumerate(copies)}
    skipped = _skipped(extra_skipped)
    with Store(db) as store:
        store.write_batch(articles=[*articles, *copies], story_ids=story_of, skipped=skipped)
        store.write_batch(
            events=[
                *weekly_stories(range(0, 30), 4, 3.0, seed=1),
                *weekly_stories(range(30, 36), 4, -4.0, seed=2),
                make_event(START, "USA", "IRN", "163", -8.0, "x1"),
            ]
        )
        store.save_alerts(find_alerts(store))
    return Stock(articles=[*articles, *copies], story_of=story_of, skipped=skipped)
