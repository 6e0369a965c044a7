"""HTML pages -> articles: trafilatura for the main text and metadata, htmldate for the day.

A news page yields one article.  A forum thread (or any page whose main text is a run of
user posts) yields one article per post, with the poster as byline and the post's own
date; a news story with a comment section stays one article (see :func:`_is_thread`).
The hints a container gave (``RawDocument.url``, ``title``, ``published``) win over
what the page says.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import load_html

from dyadwatch.extract._forum import Post, find_posts
from dyadwatch.extract.dates import ParsedDate, outlet_timezone, parse_date, publication
from dyadwatch.extract.metadata import outlet_from_url
from dyadwatch.records import Article, RawDocument, Skipped

__all__ = ["extract_html"]

logger = logging.getLogger(__name__)

# Chosen by measurement on the 181-page article-extraction benchmark (bench/extraction.py,
# docs/extraction-benchmark.md): favor_precision lifts F1 from 0.960 (defaults) to 0.964 and
# beats the defaults on the 294 Dragnet pages too (0.926 -> 0.932; favor_recall gets 0.937
# there but 0.959 on the 181).  include_tables=False (0.957), fast=True (no fallbacks, 0.946)
# and deduplicate=True (0.961, and its cache is state kept between calls) all lose.
_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "deduplicate": False,
    "with_metadata": True,
}
# When the precise extraction keeps under this many words, rerun trafilatura in its balanced
# mode and keep the longer text: +0.005 F1 on both benchmarks (1 of 181 pages, 3 of 294 rerun;
# 80-300 words rerun more pages for less gain).
RETRY_WORDS = 50
# A body under this many words is a menu, a caption or a "thanks!" post, not a story; the
# shortest of the 475 gold bodies in the two benchmarks has 50 words.
MIN_BODY_WORDS = 10
# A page is a thread when at least this share of its main text's word trigrams lies in its
# posts; a news story's main text shares (almost) none with its comments.
THREAD_COVERAGE = 0.5

# Machine-readable publication times, most trusted first (compared lower-cased).
_PRIMARY_META = ("article:published_time", "og:article:published_time", "og:published_time")
_OTHER_META = (
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.created", "date", "article.published", "cxenseparse:recs:publishtime",
)  # fmt: skip
# Metadata and microdata outside reader comments (a comment's date is not the story's): no
# schema.org Comment and no element below <body> whose class or id starts with "comment".
_NOT_IN_COMMENT = (
    "[not(ancestor-or-self::*[not(self::body or self::html)][contains(@itemtype, 'Comment')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' comment')"
    " or starts-with(@id, 'comment')])]"
)
_METAS = f"//meta{_NOT_IN_COMMENT}"
_ITEMPROP_DATES = f"(//*[@itemprop='datePublished'] | //time[@pubdate]){_NOT_IN_COMMENT}"
_LD_DATE_KEYS = ("datePublished", "dateCreated", "uploadDate")
_WORD = re.compile(r"\w+")
_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]|$)")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Page:
    """What holds for every article of one page."""

    title: str | None
    byline: str | None
    outlet: str | None
    url: str | None
    language: str | None


def extract_html(document: RawDocument) -> Iterator[Article | Skipped]:
    """Yield the articles of one HTML page, or one ``Skipped`` saying why it has none."""
    tree = load_html(document.text) if document.text.strip() else None
    if tree is None:
        yield _skip(document, "empty or unparsable HTML: no element tree to extract from")
        return
    try:
        extracted, body = _main_text(tree, document.url)
    except Exception as exc:  # lxml and htmldate raise assorted errors on bad pages
        yield _skip(document, f"trafilatura failed on the page: {type(exc).__name__}: {exc}")
        return
    page = _page(document, tree, extracted)
    posts = find_posts(tree)
    if _is_thread(posts, body):
        yield from _thread_articles(document, page, posts)
        return
    if not body:
        yield _skip(document, "no article text found: trafilatura extracted no main text")
        return
    if len(_WORD.findall(body)) < MIN_BODY_WORDS:
        yield _skip(document, f"main text too short for an article (under {MIN_BODY_WORDS} words)")
        return
    day = extracted.date if extracted is not None else None
    published, zone, precision = publication(_published(document, tree, day, page.outlet))
    yield Article(
        article_id=Article.make_id(document.doc_id, 0, page.title, body),
        doc_id=document.doc_id,
        origin=document.origin,
        index=0,
        title=page.title,
        byline=page.byline,
        outlet=page.outlet,
        published=published,
        published_zone=zone,
        published_precision=precision,
        url=page.url,
        body=body,
        language=page.language,
    )


def _main_text(tree: Any, url: str | None) -> tuple[Document | None, str]:
    """Trafilatura's metadata and main text; a near-empty precise text is retried balanced."""
    extracted = _trafilatura(tree, url, _TRAFILATURA_OPTIONS)
    body = _paragraphs(extracted.text if extracted is not None else None)
    if len(_WORD.findall(body)) < RETRY_WORDS:
        options = {**_TRAFILATURA_OPTIONS, "favor_precision": False}
        options["with_metadata"] = extracted is None
        retried = _trafilatura(tree, url, options)
        retry_body = _paragraphs(retried.text if retried is not None else None)
        if len(_WORD.findall(retry_body)) > len(_WORD.findall(body)):
            return extracted or retried, retry_body
    return extracted, body


def _trafilatura(tree: Any, url: str | None, options: dict[str, Any]) -> Document | None:
    result = trafilatura.bare_extraction(tree, url=url, **options)
    return result if isinstance(result, Document) else None


def _skip(document: RawDocument, reason: str) -> Skipped:
    logger.debug("skipping %s: %s", document.origin, reason)
    return Skipped(stage="extract", item=document.origin, reason=reason)


def _page(document: RawDocument, tree: Any, extracted: Document | None) -> _Page:
    """Title, byline, outlet, URL and language: hints first, then trafilatura, then the URL."""
    title = document.title or (extracted.title if extracted else None) or _first_h1(tree)
    url = document.url or (extracted.url if extracted else None)
    sitename = extracted.sitename if extracted else None
    if sitename and "." in sitename and " " not in sitename:
        sitename = outlet_from_url(sitename)  # trafilatura's fallback is the bare host name
    language = (extracted.language if extracted else None) or _html_language(tree)
    return _Page(
        title=_clean(title),
        byline=_clean(extracted.author if extracted else None),
        outlet=_clean(sitename) or outlet_from_url(url),
        url=url or None,
        language=language,
    )


def _clean(text: str | None) -> str | None:
    text = " ".join(text.split()) if text else ""
    return text or None


def _first_h1(tree: Any) -> str | None:
    for heading in tree.iter("h1"):
        text = " ".join(heading.text_content().split())
        if text:
            return str(text)
    return None


def _html_language(tree: Any) -> str | None:
    """The primary subtag of ``<html lang>`` or the content-language meta (``en-GB`` -> ``en``)."""
    candidates = [tree.get("lang"), tree.get("xml:lang")]
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.append(meta.get("content"))
    for value in candidates:
        match = _LANGUAGE.match((value or "").strip())
        if match:
            return match.group(1).lower()
    return None


def _paragraphs(text: str | None) -> str:
    """Trafilatura's text output (one paragraph a line) with paragraphs split by blank lines."""
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _is_thread(posts: list[Post], body: str) -> bool:
    """Whether the posts are the page's main text rather than comments beside it."""
    if len(posts) < 2:
        return False
    body_grams = _trigrams(body)
    if not body_grams:
        return True
    post_grams: set[tuple[str, ...]] = set()
    for post in posts:
        post_grams |= _trigrams(post.body)
    return len(body_grams & post_grams) >= THREAD_COVERAGE * len(body_grams)


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _thread_articles(
    document: RawDocument, page: _Page, posts: list[Post]
) -> Iterator[Article | Skipped]:
    """One article per post: the thread's title, the poster's name and the post's date.

    A post that reposts stories (each with its own headline and byline, dateline or source)
    yields those stories instead, read by the plain-text segmenter: a story's own title and
    date, never the thread's; the post's date dates a story that prints none (inferred)."""
    default_tz = outlet_timezone(page.outlet)
    index = 0
    for number, post in enumerate(posts):
        if len(_WORD.findall(post.body)) < MIN_BODY_WORDS:
            yield Skipped(
                stage="extract",
                item=f"{document.origin}#post-{number + 1}",
                reason=f"forum post too short for an article (under {MIN_BODY_WORDS} words)",
            )
            continue
        when = None
        if post.date:
            found = parse_date(post.date, default_tz=default_tz, reference=document.fetched_at)
            when = _when(found) if found else None
        published, zone, precision = publication(when)
        reposted = _reposted_stories(document, post, number)
        if reposted:
            for story in reposted:
                if story.published is None and published is not None:
                    story = replace(
                        story,
                        published=published,
                        published_zone=zone,
                        published_precision="inferred",
                        published_from="post",
                    )
                yield replace(
                    story,
                    article_id=Article.make_id(document.doc_id, index, story.title, story.body),
                    doc_id=document.doc_id,
                    origin=document.origin,
                    index=index,
                    url=story.url or page.url,
                    language=story.language or page.language,
                )
                index += 1
            continue
        yield Article(
            article_id=Article.make_id(document.doc_id, index, page.title, post.body),
            doc_id=document.doc_id,
            origin=document.origin,
            index=index,
            title=page.title,
            byline=post.author,
            outlet=page.outlet,
            published=published,
            published_zone=zone,
            published_precision=precision,
            url=page.url,
            body=post.body,
            language=page.language,
        )
        index += 1


def _reposted_stories(document: RawDocument, post: Post, number: int) -> list[Article]:
    """The stories a post reposts, each with its own headline; [] for a post of one's own."""
    from dyadwatch.extract.segment import segment_text

    text = replace(
        document,
        origin=f"{document.origin}#post-{number + 1}",
        media_type="text/plain",
        text=post.body,
        url=None,
        title=None,
        published=None,
    )
    stories = [item for item in segment_text(text) if isinstance(item, Article)]
    if not stories or not all(story.title for story in stories):
        return []
    # The segmenter dated undated stories by each other; here the post's date is the ground.
    return [
        replace(
            story,
            published=None,
            published_zone=None,
            published_precision=None,
            published_from=None,
        )
        if story.published_precision == "inferred"
        else story
        for story in stories
    ]


def _published(
    document: RawDocument, tree: Any, day: str | None, outlet: str | None
) -> ParsedDate | None:
    """The hint, else a metadata time of day, else htmldate's day, else a metadata date."""
    default_tz = outlet_timezone(outlet)
    if document.published:
        found = parse_date(document.published, default_tz=default_tz)
        if found is not None:
            return _when(found)
        logger.debug("%s: unparsable published hint %r", document.origin, document.published)
    dated: ParsedDate | None = None
    for text in _metadata_dates(tree):
        found = parse_date(text, default_tz=default_tz)
        if found is None:
            continue
        when = _when(found)
        if when.precision == "minute":
            return when
        dated = dated or when
    if day:
        found = parse_date(day)
        if found is not None:
            return _when(found)
    return dated


def _when(found: ParsedDate) -> ParsedDate:
    """Keep a time with its offset; a bare date is midnight UTC, zone unknown."""
    value = found.value
    # CMSs print a date-only field as "...T00:00:00+00:00": that is a day, not a time.
    if found.precision == "day" or (value.hour, value.minute, value.second) == (0, 0, 0):
        midnight = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return replace(found, value=midnight, zone="unknown", precision="day")
    return replace(found, precision="minute")


def _metadata_dates(tree: Any) -> Iterator[str]:
    """Publication-time strings of the page's metadata, most trusted first."""
    named: dict[str, list[str]] = {}
    for meta in tree.xpath(_METAS):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        content = meta.get("content")
        if content:
            named.setdefault(key.strip().lower(), []).append(content.strip())
    for key in _PRIMARY_META:
        yield from named.get(key, [])
    yield from _json_ld_dates(tree)
    for key in _OTHER_META:
        yield from named.get(key, [])
    for element in tree.xpath(_ITEMPROP_DATES):
        value = element.get("datetime") or element.get("content")
        if value:
            yield str(value)


def _json_ld_dates(tree: Any) -> Iterator[str]:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        yield from _find_ld_dates(data, depth=0)


def _find_ld_dates(data: object, depth: int) -> Iterator[str]:
    if depth > 6:  # JSON-LD graphs nest 2-3 levels; deeper is someone's data dump
        return
    if isinstance(data, list):
        for item in data:
            yield from _find_ld_dates(item, depth + 1)
    elif isinstance(data, dict):
        for key in _LD_DATE_KEYS:
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                yield value.strip()
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _find_ld_dates(data[key], depth + 1)
