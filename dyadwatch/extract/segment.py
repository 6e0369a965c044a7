"""Split plain-text pages that repost many stories (forum threads, blogs) into articles.

A page is read as a list of lines. Posts are cut at separator lines and template lines; inside
a post, stories start where :mod:`._starts` says. Each piece is drafted here (title, byline,
outlet, dates, URL, body, the post's edges left out by :mod:`._edges`) and dated by
:mod:`._dating`; it yields one article or, when it is a short forum comment, a page heading or
a list of headlines, a ``Skipped`` saying so. What a single line is (dateline, byline,
headline, template) is :mod:`._lines`'s to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from dyadwatch.extract import boilerplate as bp
from dyadwatch.extract import metadata as md
from dyadwatch.extract._dating import infer_dates, resolve_date, year_hints
from dyadwatch.extract._edges import _is_post_top, _under_labels, trim_head, trim_tail
from dyadwatch.extract._lines import (
    _SUBJECT,
    _TERMINAL,
    _WORD,
    LONE_WORD,
    PROSE_WORDS,
    _dated_byline,
    _is_dateline,
    _is_header,
    _is_title_like,
    _Line,
    _opens_story,
    _read_lines,
    _split_at,
    _words,
    is_credit,
    is_stamp,
    repeated_chrome,
)
from dyadwatch.extract._starts import (
    _ENUMERATION,
    _LIST_ITEM,
    HEADER_WINDOW,
    LABEL_WORDS,
    _contents,
    _header_follows,
    _headline_key,
    _is_headline,
    _story_starts,
)
from dyadwatch.extract.dates import (
    ParsedDate,
    numeric_order,
    outlet_timezone,
    parse_date,
    publication,
)
from dyadwatch.records import Article, RawDocument, Skipped

# A story tells at least this share of its words in sentence lines (not a list of headlines).
MIN_PROSE_SHARE = 0.5
# A forum comment rarely runs past ~40 words; every reposted story in our samples has 90+.
MIN_ARTICLE_WORDS = 40
_UPDATED = re.compile(r"^\W*(?:last\s+)?(?:updated|modified|edited)\b", re.IGNORECASE)


@dataclass(slots=True)
class _Draft:
    """The fields of one story as the segmenter reads them, before dates are resolved."""

    first_line: int
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    url: str | None = None
    date_line: str | None = None
    body: list[_Line] = field(default_factory=list)
    has_header: bool = False
    post_date_line: str | None = None
    stamp_line: str | None = None  # a post's stamp printed after the story (a handle, a date)


def _draft(lines: list[_Line]) -> _Draft:
    """Read title, header fields, body and trailers from the lines of one story."""
    draft = _Draft(first_line=lines[0].number)
    captions = _captions(lines)
    advertised = _under_labels(lines)
    content = [
        line
        for line in lines
        if not bp.is_furniture(line.text)
        and line.number not in captions
        and line.number not in advertised
    ]
    if len(content) > 1 and _is_dateline(content[0].text) and _opens_story(content, 1):
        # A date header over the headline (a blog's day, a feed's timestamp): the story's
        # date unless its own header prints a later one.
        draft.date_line, draft.has_header = content[0].text, True
        content = content[1:]
    position = _labels_before_headline(content)
    for line in content[:position]:  # the post's stamp and hand-over, over the headline
        if is_stamp(line.text) and parse_date(line.text) is not None:
            draft.post_date_line = draft.post_date_line or line.text
        elif is_credit(line.text):
            draft.outlet = draft.outlet or md.attribution_outlet(line.text)
    if position < len(content) and _is_headline(content, position):
        draft.title = content[position].text
        position += 1
    header_end = _read_header(draft, content, position)
    label = draft.title is not None and _words(draft.title) <= LABEL_WORDS
    if (
        (draft.title is None or label)
        and draft.has_header
        and header_end + 1 < len(content)
        and _is_title_like(content[header_end].text)
        and (not label or _opens_story(content, header_end))
    ):
        # A byline or date above the headline is the post's (who reposted it, and when):
        # the headline opens the story, and the post's date only dates it if it prints none.
        # A bare timestamp above a headline, with no one named, is the story's own (a feed's).
        if draft.byline is not None:
            draft.post_date_line = draft.date_line
            draft.date_line = None
        draft.byline = draft.outlet = None
        draft.has_header = False
        draft.title = content[header_end].text
        position = header_end + 1
        header_end = _read_header(draft, content, position)
    if draft.title and position < len(content) and _same_words(draft.title, content[position].text):
        # A mail's subject over the story's own headline: the headline is the title.
        draft.title = content[position].text
        position += 1
        header_end = _read_header(draft, content, position)
    standfirst = content[position:header_end]
    body_lines = [line for line in standfirst if not _is_header(line.text)]
    body_lines += content[header_end:]
    # A lone word on a line of its own is a handle, a rank or a section label ("Panzerfaust_44",
    # "Banned", "MARKETS"), never a sentence of the story.
    body_lines = [line for line in body_lines if not LONE_WORD.match(line.text)]
    body_lines, handed_over = trim_head(body_lines, titled=draft.title is not None)
    draft.outlet = draft.outlet or handed_over
    body_lines, draft.stamp_line = trim_tail(body_lines)
    for line in body_lines:
        _absorb(draft, line)
    return draft


def _labels_before_headline(content: list[_Line]) -> int:
    """How many short label lines (an outlet, a section, a kicker, a poster's name) stand
    above a longer headline at the story's top: ``The Moscow Times`` / ``Sally Ride dies…``."""
    # A post's own top: the poster's handle and the post's age, a hand-over, a remark, a
    # label ("Aurelian" / "2d" / "From today's news:" / "BREAKING NEWS"), over a headline.
    top = 0
    while top < min(len(content), HEADER_WINDOW) and _is_post_top(content[top].text):
        top += 1
    if 0 < top < len(content) and _opens_story(content, top):
        return top
    labels = 0
    while labels + 1 < len(content):
        text, following = content[labels].text, content[labels + 1].text
        if not ((_is_title_like(text) or LONE_WORD.match(text)) and _words(text) <= LABEL_WORDS):
            break
        if not (_is_headline(content, labels + 1) and _words(following) > _words(text)):
            break
        labels += 1
    return labels


def _read_header(draft: _Draft, content: list[_Line], position: int) -> int:
    """Read the bylines, datelines and affiliations from ``position`` on (within the header
    window, a standfirst between them); return where the header ends."""
    header_end = position
    prose = 0
    for offset, line in enumerate(content[position : position + HEADER_WINDOW]):
        text = line.text
        prose += _words(text) >= PROSE_WORDS
        if prose > 1:
            break  # the body has begun: a date below it is no header's
        if (
            draft.has_header
            and _is_title_like(text)
            and _headline_below(content, position + offset)
        ):
            break  # a post's header block (Date:, From:) ends at the headline(s) under it
        names = md.parse_byline(text) or _dated_byline(text)
        if _is_dateline(text) or names or md.is_affiliation(text):
            header_end = position + offset + 1
            draft.has_header = True
            if names and not draft.byline:
                draft.byline = names
            elif names and draft.byline and names not in draft.byline:
                draft.byline = f"{draft.byline}, {names}"
            if (_is_dateline(text) or _dated_byline(text)) and not _UPDATED.match(text):
                if draft.date_line and draft.post_date_line is None:
                    # Two dates in one header: a blog's "Posted on … by admin" under the
                    # headline is the post's; the story's own comes with its byline, below.
                    draft.post_date_line = draft.date_line
                    draft.date_line = text
                draft.date_line = draft.date_line or text
            draft.outlet = draft.outlet or md.outlet_in_dateline(text)
    return header_end


def _same_words(subject: str, line: str) -> bool:
    """Whether a line repeats a headline (a mail's subject) word for word."""
    return _WORD.findall(_SUBJECT.sub("", subject).lower()) == _WORD.findall(line.lower())


def _headline_below(content: list[_Line], index: int) -> bool:
    """Whether the line after ``index`` is a headline over a header of its own, or the
    line itself is one (a mail's ``Subject:`` over the story's headline and byline)."""
    return any(
        position < len(content)
        and _is_title_like(content[position].text)
        and _header_follows(content, position, strong=False)
        for position in (index, index + 1)
    )


def _single_draft(document: RawDocument) -> _Draft:
    """Read a whole page as one story whose title the container gave."""
    lines = [line for post in _read_lines(document.text) for line in post]
    if lines and lines[0].text == " ".join((document.title or "").split()):
        lines = lines[1:]
    draft = _draft(lines) if lines else _Draft(first_line=1)
    if draft.title:
        draft.body.insert(0, _Line(draft.title, lines[0].number, 0))
    draft.title = document.title
    return draft


def _captions(lines: list[_Line]) -> set[int]:
    """Return the line numbers of captions: headline-shaped lines right after an image."""
    return {
        after.number
        for before, after in pairwise(lines)
        if (bp.is_image_name(before.text) or bp.is_photo_credit(before.text))
        and _words(after.text) <= 20
        and not _TERMINAL.search(after.text)
        and not _is_dateline(after.text)
        and _dated_byline(after.text) is None
    }


def _absorb(draft: _Draft, line: _Line) -> None:
    """Add one body-position line to the draft: as provenance, or as body text."""
    text = line.text
    source = md.parse_source_line(text)
    if source is not None:
        draft.outlet = source.outlet or draft.outlet
        draft.url = draft.url or source.url
        draft.title = draft.title or source.title
        return
    if bp.is_url_line(text):
        draft.url = draft.url or text
        return
    credited = md.byline_from_credits(text.strip("()[] "))
    if credited:
        draft.byline = draft.byline or credited
        return
    if len(draft.body) <= 1:
        attributed = md.attribution_outlet(text)
        if attributed:
            draft.outlet = draft.outlet or attributed
            return
        draft.outlet = draft.outlet or md.outlet_in_dateline(text)
    draft.body.append(line)


def _body_text(lines: list[_Line]) -> str:
    parts: list[str] = []
    for index, line in enumerate(lines):
        if index:
            parts.append("\n" if line.gap_before == 0 else "\n\n")
        parts.append(line.text)
    return "".join(parts)


def _is_list(lines: list[_Line]) -> bool:
    """Whether a body is a list of headlines (a contents list, an archive, a sidebar), not a
    story: few of its words stand in sentence lines, most in headline-shaped or listed ones."""
    total = sum(_words(line.text) for line in lines)
    if not total:
        return False
    prose = sum(
        _words(line.text)
        for line in lines
        if _words(line.text) >= PROSE_WORDS and _TERMINAL.search(line.text)
    )
    listed = sum(
        _words(line.text)
        for line in lines
        if _is_title_like(line.text) or _LIST_ITEM.match(line.text) or _words(line.text) <= 6
    )
    return prose / total < MIN_PROSE_SHARE and listed / total >= MIN_PROSE_SHARE


def _looks_english(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text[:2000])]
    common = sum(
        w in {"the", "and", "of", "to", "in", "is", "that", "a", "with", "for"} for w in words
    )
    return bool(words) and common / len(words) >= 0.08


def segment_text(document: RawDocument) -> Iterator[Article | Skipped]:
    """Yield one article per reposted story of a plain-text page, and what was dropped."""
    drafts: list[_Draft] = []
    if document.title:
        # A container record (a JSONL line with a title) holds exactly one article.
        drafts.append(_single_draft(document))
    posts = [] if document.title else list(_read_lines(document.text))
    chrome = repeated_chrome([line for post in posts for line in post])
    listed = frozenset(_contents([line for post in posts for line in post]))
    posts = [piece for post in posts for piece in _split_at(post, chrome) if piece]
    for post in posts:
        starts = _story_starts(post, listed)
        for begin, end in zip(starts, [*starts[1:], len(post)], strict=True):
            drafts.append(_draft(post[begin:end]))
    _take_subjects(drafts)
    _drop_links_to_stories(drafts)
    stories: list[tuple[_Draft, str, ParsedDate | None]] = []
    years_inferred: list[bool] = []
    kept: list[bool] = []
    order = numeric_order(document.text)  # one page, one way of writing 01/06/2011
    for draft, year_hint in zip(drafts, year_hints(drafts, order), strict=True):
        item = f"{document.origin}#L{draft.first_line}"
        body = _body_text(draft.body)
        words = _words(body)
        kept.append(False)
        if not body:
            yield Skipped(stage="extract", item=item, reason="heading or furniture, no body text")
            continue
        provenance = draft.url or draft.outlet or draft.has_header or document.url
        if words < MIN_ARTICLE_WORDS or not (draft.title or provenance):
            kind = "forum comment" if not draft.title else "short item"
            yield Skipped(
                stage="extract",
                item=item,
                reason=f"{kind}: {words} words, no headline with byline/date/source",
            )
            continue
        if _is_list(draft.body):
            yield Skipped(
                stage="extract",
                item=item,
                reason="a list of headlines (contents, archive, sidebar), not a story",
            )
            continue
        kept[-1] = True
        draft.url = draft.url or document.url
        draft.outlet = draft.outlet or md.outlet_from_url(draft.url)
        if draft.byline and draft.outlet and draft.byline.lower() == draft.outlet.lower():
            draft.byline = None
        found, year_inferred = resolve_date(draft, year_hint, order)
        if document.published:
            found = parse_date(document.published, default_tz=outlet_timezone(draft.outlet))
            year_inferred = False
        stories.append((draft, body, found))
        years_inferred.append(year_inferred)
    inferred = infer_dates(drafts, kept, [found for _, _, found in stories], order)
    for index, ((draft, body, found), guess) in enumerate(zip(stories, inferred, strict=True)):
        published, zone, precision = publication(found)
        source = None
        if found is not None and years_inferred[index]:
            # "TEHRAN, July 8 (Yonhap) --": the day printed, the year the page's other stories'.
            precision, source = "inferred", "dateline"
        if found is None and guess is not None:
            published, zone, precision = guess[0].value, guess[0].zone, "inferred"
            source = guess[1]
        yield Article(
            article_id=Article.make_id(document.doc_id, index, draft.title, body),
            doc_id=document.doc_id,
            origin=document.origin,
            index=index,
            title=_ENUMERATION.sub("", _SUBJECT.sub("", draft.title)) if draft.title else None,
            byline=draft.byline,
            outlet=draft.outlet,
            published=published,
            published_zone=zone,
            published_precision=precision,
            url=draft.url,
            body=body,
            language="en" if _looks_english(body) else None,
            published_from=source,
        )


def _drop_links_to_stories(drafts: list[_Draft]) -> None:
    """Drop from each body the lines that are another story's headline on the same page: a
    contents list's entry, a sidebar's "Recent posts" link, never the story's own text."""
    titles = {_headline_key(draft.title) for draft in drafts if draft.title}
    for draft in drafts:
        own = _headline_key(draft.title) if draft.title else None
        draft.body = [
            line
            for line in draft.body
            if (key := _headline_key(line.text)) == own or key not in titles
        ]


def _take_subjects(drafts: list[_Draft]) -> None:
    """Give a story the headline the template parted it from: a mail's ``Subject:`` (which
    wins over a line of the body taken for a headline), or a headline with no body of its own
    right before a story that has none (``Global Times · 6 min read`` between them)."""
    for before, draft in pairwise(drafts):
        if before.body or before.title is None or not draft.body:
            continue
        if _SUBJECT.match(before.title) or draft.title is None:
            draft.title = before.title
            before.title = None
