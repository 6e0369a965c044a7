"""How well the plain-text segmenter splits composed reposting pages into their stories.

Composes pages of 3-6 real news stories each (the gold article bodies of the two extraction
benchmarks in ../shared/anchors, headlines from their pages' HTML) in ten layouts: forum threads
(XenForo, vBulletin, phpBB, Reddit/Discourse), reposting blogs (WordPress, Blogger), an e-mail
newsletter, a wire feed, mailing lists (Mailman digest, Google Groups) and a press digest, each
with the chrome such pages print. ``bench/_segment_pages.py`` writes them and their answer key.
Runs ``dyadwatch.extract.segment.segment_text`` on each page and scores what it returns.

    python bench/segment.py                                  # 60 pages, table on stdout
    python bench/segment.py --pages 200 --seed 7 --show-errors 5
    python bench/segment.py --style forum-phpbb --dump /tmp/pages
    python bench/segment.py --markdown docs/segment-benchmark.md

A predicted article finds the key story whose opening words its body contains (one-to-one, in
page order). The data are read from ../shared and never copied; the script exits with a message
when they are absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"
DEFAULT_PAGES = 60
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"', "`": "'"})


def _pages_module() -> ModuleType:
    """Import bench/_segment_pages.py (beside this script, not a package) once."""
    if "bench_segment_pages" in sys.modules:
        return sys.modules["bench_segment_pages"]
    spec = importlib.util.spec_from_file_location(
        "bench_segment_pages", Path(__file__).with_name("_segment_pages.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_segment_pages"] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    return module


pages_module = _pages_module()
if TYPE_CHECKING:  # mypy finds the module beside this file; at run time it is loaded above
    from _segment_pages import STYLES, ComposedPage, KeyStory, compose, fold, holds, load_sources
else:
    ComposedPage, KeyStory = pages_module.ComposedPage, pages_module.KeyStory
    STYLES, compose, load_sources = (
        pages_module.STYLES,
        pages_module.compose,
        pages_module.load_sources,
    )
    fold, holds = pages_module.fold, pages_module.holds


class Found(Protocol):
    """What the scorer reads of a predicted article (a dyadwatch ``Article`` has it)."""

    @property
    def title(self) -> str | None: ...

    @property
    def body(self) -> str: ...

    @property
    def published(self) -> datetime | None: ...

    @property
    def published_precision(self) -> str | None: ...


# --- scoring --------------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """Counts over pages; ``dated``/``undated`` split the found stories by their key date."""

    pages: int = 0
    crashed: int = 0
    stories: int = 0
    found: int = 0
    titles: int = 0
    dated: int = 0
    dated_right: int = 0
    undated: int = 0
    undated_right: int = 0
    post_dated: int = 0
    post_date_used: int = 0
    complete: int = 0
    predicted: int = 0
    merged: int = 0
    leaks: int = 0
    extra: int = 0

    def add(self, other: Tally) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def dates_right(self) -> int:
        return self.dated_right + self.undated_right

    @property
    def errors(self) -> int:
        """Misses, wrong titles and dates, merges, leaks and extras: what ranks the worst pages."""
        return (
            (self.stories - self.found)
            + (self.found - self.titles)
            + (self.found - self.dates_right)
            + self.merged
            + self.leaks
            + self.extra
        )


@dataclass(slots=True)
class PageScore:
    """One page's counts, and what was found for each key story (None: missed)."""

    page_id: str
    style: str
    engine: str
    tally: Tally
    matches: list[tuple[KeyStory, Found | None]] = field(default_factory=list)
    extras: list[Found] = field(default_factory=list)
    merges: list[Found] = field(default_factory=list)
    leaked: list[tuple[Found, list[str]]] = field(default_factory=list)
    error: str | None = None


def same_title(found: str | None, key: str) -> bool:
    """Titles equal once case, quote marks and whitespace are folded."""

    def norm(text: str) -> str:
        return " ".join(text.translate(_QUOTES).casefold().split())

    return found is not None and norm(found) == norm(key)


def found_date(article: Found) -> date | None:
    """The printed (local) date of a predicted article, or None."""
    return article.published.date() if article.published else None


def _claim(
    openings: Sequence[str], articles: Sequence[Found], result: PageScore
) -> list[Found | None]:
    """Give each predicted article the first unclaimed story whose opening its body holds."""
    claimed: list[Found | None] = [None] * len(openings)
    for article in articles:
        result.tally.predicted += 1
        body = f" {fold(article.body)} "
        hits = sorted(
            (body.find(opening), i) for i, opening in enumerate(openings) if opening in body
        )
        if len(hits) >= 2:
            result.tally.merged += 1
            result.merges.append(article)
        free = [i for _, i in hits if claimed[i] is None]
        if free:
            claimed[free[0]] = article
        else:
            result.tally.extra += 1
            result.extras.append(article)
    return claimed


def date_right(story: KeyStory, article: Found) -> bool:
    """A printed date must be found; a story that prints none is right with the post's date
    where the page shows one (a blog's "Posted on" line under the headline is the post's and
    the story's alike), else undated or with a date marked inferred (from the page's other
    stories or its own date)."""
    predicted = found_date(article)
    if story.date is not None:
        return predicted == story.date
    if story.post_date is not None:
        return predicted == story.post_date
    return predicted is None or article.published_precision == "inferred"


def _judge(page: ComposedPage, story: KeyStory, article: Found, result: PageScore) -> None:
    """Count one found story's title, date, ending and chrome."""
    tally = result.tally
    tally.found += 1
    tally.titles += same_title(article.title, story.title)
    predicted = found_date(article)
    if story.date is not None:
        tally.dated += 1
        tally.dated_right += date_right(story, article)
    else:
        tally.undated += 1
        tally.undated_right += date_right(story, article)
        if story.post_date is not None:
            tally.post_dated += 1
            tally.post_date_used += predicted == story.post_date
    tally.complete += f" {fold(story.closing)} " in f" {fold(article.body)} "
    lines = [fold(line) for line in article.body.splitlines() if line.strip()]
    leaked = [line for line in page.chrome if holds(lines, line)]
    if leaked:
        tally.leaks += 1
        result.leaked.append((article, leaked))


def score(
    page: ComposedPage, articles: Sequence[Found] | None, error: str | None = None
) -> PageScore:
    """Score one page's predicted articles against its key (``None``: the segmenter crashed)."""
    tally = Tally(pages=1, stories=len(page.stories), crashed=int(articles is None))
    result = PageScore(
        page_id=page.page_id, style=page.style, engine=page.engine, tally=tally, error=error
    )
    openings = [f" {fold(story.opening)} " for story in page.stories]
    claimed = _claim(openings, articles or (), result)
    for story, match in zip(page.stories, claimed, strict=True):
        result.matches.append((story, match))
        if match is not None:
            _judge(page, story, match, result)
    return result


def segment_page(page: ComposedPage) -> tuple[list[Found] | None, str | None]:
    """Run the segmenter on one page: its articles, or None and the error if it crashed."""
    from dyadwatch.extract.segment import segment_text
    from dyadwatch.records import Article, RawDocument, content_id

    data = page.text.encode("utf-8")
    document = RawDocument(
        doc_id=content_id(data),
        origin=f"{page.page_id}.txt",
        media_type="text/plain",
        text=page.text,
        encoding="utf-8",
        size=len(data),
        fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    try:
        return [item for item in segment_text(document) if isinstance(item, Article)], None
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"


def evaluate(
    pages: Iterable[ComposedPage],
    segment: Callable[[ComposedPage], tuple[list[Found] | None, str | None]] = segment_page,
) -> list[PageScore]:
    """Score every page; a page the segmenter crashes on counts as crashed and all missed."""
    return [score(page, *segment(page)) for page in pages]


# --- reporting ------------------------------------------------------------------------------

COLUMNS = (
    ("style", ""),
    ("pages", ""),
    ("stories found", "found of key stories"),
    ("titles right", "of found"),
    ("dates right", "of found: printed dates, else the post's date"),
    ("printed dates", "found stories with a printed date: same date"),
    ("unprinted right", "no printed date: the post's, else none or one marked inferred"),
    ("undated → post date", "of those whose post shows a date: given that date"),
    ("bodies complete", "found bodies holding the story's last words"),
    ("merged", "predicted bodies holding two stories' openings"),
    ("chrome leaks", "found bodies holding an inserted chrome line"),
    ("extra", "predicted articles that match no story"),
    ("crashed", "pages the segmenter raised on"),
)


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "–"


def _row(name: str, t: Tally) -> str:
    cells = [
        name,
        str(t.pages),
        _share(t.found, t.stories),
        _share(t.titles, t.found),
        _share(t.dates_right, t.found),
        _share(t.dated_right, t.dated),
        _share(t.undated_right, t.undated),
        _share(t.post_date_used, t.post_dated),
        _share(t.complete, t.found),
        str(t.merged),
        str(t.leaks),
        str(t.extra),
        str(t.crashed),
    ]
    return "| " + " | ".join(cells) + " |"


def totals(scores: Iterable[PageScore], key: Callable[[PageScore], str]) -> dict[str, Tally]:
    """Tallies grouped by ``key`` (style or engine), in first-seen order."""
    grouped: dict[str, Tally] = {}
    for page in scores:
        grouped.setdefault(key(page), Tally()).add(page.tally)
    return grouped


def table(scores: Sequence[PageScore], by: Callable[[PageScore], str] = lambda s: s.style) -> str:
    """The Markdown table, a row per style (or what ``by`` says) and a total row."""
    lines = [
        "| " + " | ".join(name for name, _ in COLUMNS) + " |",
        "|---|" + "---:|" * (len(COLUMNS) - 1),
    ]
    lines += [_row(name, tally) for name, tally in totals(scores, by).items()]
    whole = Tally()
    for page in scores:
        whole.add(page.tally)
    lines.append(_row("**all**", whole))
    return "\n".join(lines)


LAYOUTS = {
    "forum-xenforo": "XenForo 1 and 2 thread dumps: nav, breadcrumbs, thread starter line; per "
    "post a username, member title, join date and message counts, post date and `#n`, like bars, "
    "reactions, signatures, `X said: … Click to expand...` quotes",
    "forum-vbulletin": "vBulletin (US `03-04-2019, 10:12 AM` and UK `4th March 2019` dates): "
    "`#n`, `Old` stamps, join date, posts, rep power, thanks lines, `Reply With Quote`, "
    "`Quote: Originally Posted by`, `Last edited by`, posting-permissions footer",
    "forum-phpbb": "phpBB: `Re: thread` subjects, `Post by X » Mon Mar 04, 2019 10:12 am`, "
    "profile block before or after the post, `Top`, who-is-online footer",
    "forum-threaded": "Reddit (`level 1`, points, relative times) and Discourse (`Mar '19`, "
    "likes, related topics): no post shows a full date",
    "blog-wordpress": "WordPress: blog name and tagline, post title and `Posted on … by admin`, "
    "attribution lines, share/like/related bars, tags, sidebar (recent posts listing this "
    "page's titles, archives, categories, meta) before or after the posts",
    "blog-blogger": "Blogger: a date header per day, post title, `Posted by X at 10:12 AM`, "
    "comment counts, share links, labels, blog archive listing post titles",
    "newsletter": "e-mail newsletter: view-in-browser line, issue date, greeting, a table of "
    "contents (bulleted or numbered), numbered items, sponsor block, read-more links, footer",
    "wire-feed": "wire feed: agency datelines opening the bodies (`MOSCOW (Reuters) -`, "
    "`BEIJING, March 4 (Xinhua) --`), a timestamp line above or below some headlines, credits",
    "mailing-list": "Mailman digest (topics list, `Message: n`, `Date:`/`From:`/`Subject:` "
    "headers, scrubbed attachments) and Google Groups (sender, date, forwarded headers, "
    "signatures, unsubscribe footers); bodies hard-wrapped at 72 columns on half the pages",
    "press-digest": "press review: issue number and date, contents (`1. Outlet: Title`), "
    "items `#n` / outlet / date / title / byline, `[return to Contents]`",
}


def layouts() -> str:
    """What each style's pages hold, as a Markdown list."""
    return "\n".join(f"- `{style}`: {text}." for style, text in LAYOUTS.items())


def legend() -> str:
    """What each column counts."""
    return "\n".join(f"- **{name}**: {meaning}." for name, meaning in COLUMNS[2:])


def _describe(article: Found | None) -> str:
    if article is None:
        return "MISSED"
    body = " ".join(article.body.split()[:8])
    return f"{article.title!r} [{found_date(article)}] «{body} …»"


def worst(scores: Sequence[PageScore], count: int) -> str:
    """The ``count`` pages with most errors: key vs predicted titles and dates."""
    out: list[str] = []
    for page in sorted(scores, key=lambda s: -s.tally.errors)[:count]:
        out.append(f"\n## {page.page_id} ({page.tally.errors} errors)")
        if page.error:
            out.append(f"  CRASHED: {page.error}")
        for story, article in page.matches:
            flag = "" if article and same_title(article.title, story.title) else "  <-- title"
            if article and not date_right(story, article):
                flag += "  <-- date"
            out.append(f"  key  {story.title!r} [{story.date}; post {story.post_date}]")
            out.append(f"  got  {_describe(article)}{flag if article else ''}")
        out += [f"  MERGED  {_describe(a)}" for a in page.merges]
        out += [f"  EXTRA  {_describe(a)}" for a in page.extras]
        for article, lines in page.leaked:
            out.append(f"  LEAK in {article.title!r}: {lines[:4]}")
    return "\n".join(out)


def document(body: str, command: str, seconds: float, sources: int) -> str:
    """The Markdown file: what is measured, how to regenerate it, the table."""
    return (
        "# Segmenter benchmark: composed reposting pages\n\n"
        "How well `dyadwatch.extract.segment.segment_text` splits plain-text pages that repost "
        "several news stories (forum threads, reposting blogs, newsletters, wire feeds, mailing "
        "lists, press digests) into one article per story. The pages are composed by "
        "`bench/_segment_pages.py`: 3-6 real stories each (gold article bodies of the "
        "article-extraction and Dragnet benchmarks in `../shared/anchors`, "
        f"{sources} usable stories, headlines from their pages' HTML), dated at random between "
        "2005 and 2024, laid out with the chrome of the engine each style imitates (member "
        "profiles, like bars, signatures, quotes, sidebars, share bars, attribution lines, "
        "tables of contents, e-mail headers, in-body adverts and photo captions). The layouts "
        "copy real engines' text dumps; they were not fitted to the segmenter, so this is a "
        "development benchmark of unseen layouts, not an accuracy claim.\n\n"
        "A predicted article *finds* the key story whose first 12 words its body contains "
        "(one-to-one, in page order). A story's key date is the date printed in its own header "
        "(or a wire timestamp line); relative dates (`3 days ago`) and month-day wire "
        "datelines count as no date. Where the page shows when a story was posted (a forum post "
        "time, a blog or issue date) the key keeps that as the post date. **A printed date is "
        "right when the prediction equals it; a story that prints none is right with the post's "
        "date where the page shows one, else undated or with a date marked `inferred`** "
        "(issue #16: a story's date comes from its own header, never from the story before it, "
        "and an inferred date says so). "
        "Chrome lines are every line the generator inserted that is not a story's title, "
        "byline, date or body (a quoted paragraph excepted); a line of under 4 words leaks "
        "only as a whole line of the body.\n\n"
        f"Regenerate this file (needs `../shared/anchors`):\n\n    {command}\n\n"
        f"Segmenting took {seconds:.2f} s for all pages.\n\n"
        f"{body}\n\n## The styles\n\n"
        "Every style also varies headlines (as printed, Title Case, ALL CAPS, `EXCLUSIVE:` / "
        "`UPDATE 2-` prefixes, a kicker line above), bylines (`By X`, `X, Reuters`, `X and Y`, "
        "`By X | Mar 4, 2019`, `By X On 3/4/19 at 10:12 AM`), 16 date formats with or without a "
        "`Published:` / `Updated` label, dates above or below the headline, and inserts "
        "adverts, photo captions and `READ MORE:` links between paragraphs.\n\n"
        f"{layouts()}\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder")
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help="pages to compose")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
    parser.add_argument(
        "--style", action="append", choices=sorted(STYLES), help="only this style (repeatable)"
    )
    parser.add_argument("--show-errors", type=int, default=0, metavar="N", help="worst N pages")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write pages and keys here")
    args = parser.parse_args(argv)

    if not (args.shared / "anchors" / pages_module.DATASETS[0] / "ground-truth.json").exists():
        print(
            f"error: {args.shared / 'anchors'} has no extraction benchmarks: this benchmark "
            "needs the shared data folder; pass --shared PATH if it lives elsewhere.",
            file=sys.stderr,
        )
        return 2
    sources = load_sources(args.shared)
    pages = compose(sources, pages=args.pages, seed=args.seed, styles=args.style)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        for page in pages:
            (args.dump / f"{page.page_id}.txt").write_text(page.text, encoding="utf-8")
            key = json.dumps(page.key_json(), indent=2, ensure_ascii=False)
            (args.dump / f"{page.page_id}.json").write_text(key + "\n", encoding="utf-8")
        print(f"wrote {len(pages)} pages and keys to {args.dump}", file=sys.stderr)
    started = time.perf_counter()
    scores = evaluate(pages)
    seconds = time.perf_counter() - started
    engines = sorted(scores, key=lambda s: (s.style, s.engine))
    body = (
        f"## {len(pages)} pages, seed {args.seed}\n\n{table(scores)}\n\n{legend()}\n\n"
        f"### By engine\n\n{table(engines, by=lambda s: f'{s.style} / {s.engine}')}"
    )
    print(body)
    if args.show_errors:
        print(worst(scores, args.show_errors))
    if args.markdown:
        words = ["python", "bench/segment.py", *(argv if argv is not None else sys.argv[1:])]
        args.markdown.write_text(
            document(body, " ".join(words), seconds, len(sources)), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
