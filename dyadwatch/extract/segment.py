"""Split plain-text pages that repost many stories (forum threads, blogs) into articles.

A page is read as a list of lines.  Posts are cut at separator lines; inside a post a
new story starts after a trailer (``Source: …``, a reposter's note, a closing URL) and
at a *header*: a headline-shaped line followed, within a few lines, by a byline or a
dateline.  Each piece then yields one article (title, byline, outlet, date, URL, body)
or, when it is a short forum comment or a page heading, a ``Skipped`` saying so. What a single
line is (dateline, byline, headline, template) is :mod:`._lines`'s to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from dyadwatch.extract import boilerplate as bp
from dyadwatch.extract import metadata as md
from dyadwatch.extract._lines import (
    _REPLY_OR_ADDRESS,
    _SUBJECT,
    _TERMINAL,
    _WORD,
    BARE_REMARK_WORDS,
    LONE_WORD,
    PROSE_WORDS,
    _dated_byline,
    _is_dateline,
    _is_header,
    _is_remark,
    _is_title_like,
    _Line,
    _opens_story,
    _read_lines,
    _split_at,
    _title_case_share,
    _words,
    is_credit,
    is_stamp,
    repeated_chrome,
)
from dyadwatch.extract.dates import (
    NumericOrder,
    ParsedDate,
    numeric_order,
    outlet_timezone,
    parse_date,
    publication,
)
from dyadwatch.records import Article, RawDocument, Skipped

# A signature's motto runs to this many words at most.
MOTTO_WORDS = 16
_WHOLLY_QUOTED = re.compile(r"[“\"«„][^“”\"«»„]+[”\"»]")
_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?]['\"’”]?\s+[A-Z]")
# A post's age as engines print it: "2d", "5h", "3 hours ago".
_RELATIVE_AGE = re.compile(r"^\d{1,3}\s?(?:[smhdwy]|mo|min|hrs?)$|^\d+ \w+ ago$", re.IGNORECASE)
# A story tells at least this share of its words in sentence lines (not a list of headlines).
MIN_PROSE_SHARE = 0.5
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[•▪►▼▶·*-])\s")
# A forum comment rarely runs past ~40 words; every reposted story in our samples has 90+.
MIN_ARTICLE_WORDS = 40
# How many lines after a headline may hold its standfirst, byline, dateline and photo.
HEADER_WINDOW = 6
# A line of at most this many words above a longer headline labels it (outlet, section).
LABEL_WORDS = 4
# A line this much in Title Case is a headline, even one that ends as a statement.
TITLE_CASE_SHARE = 0.75
# A headline that ends as a statement runs to this many words at most.
SENTENCE_HEADLINE_WORDS = 20
# "2. KDE 4.9.3 Released", "#3 Navies Drill": a digest's list marker, not the headline's.
_ENUMERATION = re.compile(r"^(?:\d{1,2}[.)]|#\d{1,3}|[•▪►]\s*\d{0,2}[.)]?)\s+(?=\S)")
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


def _header_follows(lines: list[_Line], start: int, *, strong: bool) -> bool:
    """Whether a byline or dateline follows line ``start`` within the header window."""
    standfirsts = 0
    window = lines[start + 1 : start + 1 + HEADER_WINDOW]
    for position, line in enumerate(window):
        text = line.text
        if bp.is_image_name(text) or bp.is_photo_credit(text) or is_credit(text):
            continue
        if _is_dateline(text) or _dated_byline(text) is not None:
            return True
        if md.parse_byline(text) is not None:
            # "By X" is a byline for sure; a bare name is one when a date comes under it.
            dated = position + 1 < len(window) and _is_dateline(window[position + 1].text)
            return not strong or bool(re.match(r"(?i)by\s", text)) or dated
        if md.is_affiliation(text):
            continue
        standfirsts += 1
        if standfirsts > 1 or _words(text) > 60:
            return False
    return False


def _wire_story_follows(lines: list[_Line], start: int) -> bool:
    """Whether the line after a headline opens a wire story (``KABUL (Reuters) -- …``)."""
    if start + 1 >= len(lines):
        return False
    following = lines[start + 1].text
    return md.outlet_in_dateline(following) is not None and _words(following) >= PROSE_WORDS


def _is_trailer(text: str) -> bool:
    """Whether a line closes a story: its source, a reposter's note, a link, a read-more."""
    return bool(
        md.parse_source_line(text)
        or bp.is_reposter_note(text)
        or bp.is_url_line(text)
        or (bp.is_promo(text) and (bp.urls_in(text) or _words(text) <= LABEL_WORDS))
        or bp.is_tag_line(text)
    )


def _numbered_items(lines: list[_Line]) -> set[int]:
    """The headlines of a numbered digest (``3. …``, ``4. …``): list-marked headline-shaped
    lines over prose, when the post numbers two or more of them."""
    items = {
        index
        for index, line in enumerate(lines[:-1])
        if _ENUMERATION.match(line.text)
        and _is_title_like(line.text)
        and (_words(lines[index + 1].text) >= PROSE_WORDS or _is_header(lines[index + 1].text))
    }
    return items if len(items) >= 2 else set()


def _contents(lines: list[_Line]) -> set[str]:
    """The headlines a page lists in its contents (``IN THIS ISSUE`` / ``• …`` / ``• …``): runs
    of two or more list-marked, headline-shaped lines."""
    listed: set[str] = set()
    run: list[str] = []
    for line in [*lines, None]:
        item = line is not None and _LIST_ITEM.match(line.text) is not None
        if item and line is not None and _is_title_like(_LIST_ITEM.sub("", line.text)):
            run.append(_headline_key(_LIST_ITEM.sub("", line.text)))
            continue
        if len(run) >= 2:
            listed.update(run)
        run = []
    return listed


def _story_starts(lines: list[_Line], listed: frozenset[str] = frozenset()) -> list[int]:
    """Return the indices at which a new story starts inside one post (``listed``: the
    headlines the page's contents list, each of which opens its story where it stands over
    prose)."""
    starts = {0} | _numbered_items(lines)
    starts |= {
        index
        for index, line in enumerate(lines)
        if index > 0
        and not _LIST_ITEM.match(line.text)
        and _headline_key(line.text) in listed
        and _opens_story(lines, index)
    }
    for index, line in enumerate(lines):
        text = line.text
        if _is_trailer(text):
            # The next headline opens a story, past a section label ("MIDDLE EAST") if any;
            # so does one under a hand-over ("From today's news:").
            following = index + 1
            while (
                following + 1 < len(lines)
                and _words(lines[following].text) <= LABEL_WORDS
                and _is_title_like(lines[following + 1].text)
            ):
                following += 1
            if following < len(lines) and (
                _is_title_like(lines[following].text) or bp.is_image_name(lines[following].text)
            ):
                starts.add(following)
        if index > 0 and _is_title_like(text) and _wire_story_follows(lines, index):
            starts.add(index - 1 if _is_dateline(lines[index - 1].text) else index)
            continue
        if index > 0 and _is_headline(lines, index) and _header_follows(lines, index, strong=True):
            # Of two stacked headlines the later is the story's; an earlier Title Case line
            # above a sentence-case one is the headline and the latter its standfirst, unless
            # both are numbered (a digest's contents, then its first item).
            previous = lines[index - 1].text
            if not (
                _is_title_like(previous)
                and _title_case_share(previous) >= 0.75 > _title_case_share(text)
                and not (_ENUMERATION.match(previous) and _ENUMERATION.match(text))
            ):
                starts.add(index)
        elif index > 0 and _is_dateline(lines[index - 1].text) and _opens_story(lines, index):
            # A blog's date header over a post's headline (the poster's name over it), unless
            # it is the header of a headline just above (its byline, its date).
            labelled = index > 1 and _words(lines[index - 2].text) <= LABEL_WORDS
            above = lines[index - 2].text if labelled else ""
            labelled = labelled and (_is_title_like(above) or md.parse_byline(above) is not None)
            first = index - 2 if labelled else index - 1
            owner = next(
                (
                    j
                    for j in range(first - 1, max(-1, first - 4), -1)
                    if _is_title_like(lines[j].text)
                ),
                None,
            )
            if owner is None or not _header_follows(lines, owner, strong=False):
                starts.add(first)
    return sorted(starts)


def _is_headline(lines: list[_Line], index: int) -> bool:
    """Whether a line heads a story: headline-shaped, or a short sentence right over a
    dateline and prose (``South Dakota doubles down on ‘Meth. We’re on it.’ They just might
    be.``) or in Title Case over prose (``Dead Phone Battery? Just Burn Something.``):
    headlines may end as statements when their form or a dated header says so."""
    text = lines[index].text
    if _is_title_like(text):
        return True
    text = _ENUMERATION.sub("", text)
    if not 4 <= _words(text) <= SENTENCE_HEADLINE_WORDS or not text[:1].isupper():
        return False
    if not _TERMINAL.search(text) or _REPLY_OR_ADDRESS.search(text):
        return False  # a mail's "From: … <address>" is no headline
    if index + 1 >= len(lines):
        return False
    if _title_case_share(text) >= TITLE_CASE_SHARE and not _is_remark(text):
        # "Dead Phone Battery? Just Burn Something.": Title Case over prose heads a story.
        following_text = lines[index + 1].text
        if _words(following_text) >= PROSE_WORDS or _is_dateline(following_text):
            return True
    if not _is_dateline(lines[index + 1].text):
        return False
    following = lines[index + 2 : index + 2 + HEADER_WINDOW]
    return not _is_header(text) and any(_words(line.text) >= PROSE_WORDS for line in following)


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
    body_lines = _trim_tail(draft, _trim_head(draft, body_lines))
    for line in body_lines:
        _absorb(draft, line)
    return draft


def _is_motto(text: str) -> bool:
    """Whether a line is a signature's motto: one short sentence, wholly in quotation marks,
    said by no one (``“The only thing necessary for the triumph of evil is …”``)."""
    quoted = _WHOLLY_QUOTED.fullmatch(text)
    return bool(quoted) and _words(text) <= MOTTO_WORDS and not _SENTENCE_BREAK.search(text)


def _set_apart(body_lines: list[_Line]) -> bool:
    """Whether a body's short last line stands further from the story than any of its
    paragraphs from each other: a page's footer (``X is distributed for research purposes
    only.``), not the story's last word."""
    last = body_lines[-1]
    widest = max(line.gap_before for line in body_lines[1:-1]) if len(body_lines) > 2 else 1
    return _words(last.text) < PROSE_WORDS and last.gap_before > max(widest, 1)


def _is_label(text: str) -> bool:
    """Whether a short line labels what follows it: a section (``MIDDLE EAST``), a kicker."""
    if _words(text) > LABEL_WORDS:
        return False
    return _is_title_like(text) or (text.isupper() and not _TERMINAL.search(text))


def _stands_apart(before: str, after: _Line) -> bool:
    """Whether two lines are separate paragraphs, not the pieces of a wrapped one: a blank
    line between them, or the first ends its sentence (or is a source line or a link) and the
    second opens one."""
    if after.gap_before > 0:
        return True
    ended = bool(_TERMINAL.search(before)) or _is_trailer(before)
    return ended and after.text.lstrip("“\"‘'«(")[:1].isupper()


def _trim_head(draft: _Draft, body_lines: list[_Line]) -> list[_Line]:
    """Drop what introduces a story in its post: the poster's word before it ("Saw this on my
    feed this morning.") and a short line that hands over to it (``Al Jazeera reports:``,
    ``From CNN:``, ``Found this today:``), whose outlet, if it names one, is the story's."""
    while len(body_lines) > 1:
        text = body_lines[0].text
        if is_credit(text) and not md.parse_source_line(text):
            draft.outlet = draft.outlet or md.attribution_outlet(text)
        elif not (_is_remark(text) and _stands_apart(text, body_lines[1])):
            break
        elif draft.title and _words(text) > BARE_REMARK_WORDS:
            break  # under a headline a sentence-long first line is the lede, first person or not
        body_lines = body_lines[1:]
    return body_lines


def _trim_tail(draft: _Draft, body_lines: list[_Line]) -> list[_Line]:
    """Drop what follows a story in its post: the poster's word after it ("Read the last
    paragraph twice."), the post's stamp (``Hawkeye, May 15, 2019``), and after the story's
    sign-off (``(Reporting by …; Editing by …)``) every short line but a source or a link."""
    signed_off = max(
        (
            index
            for index, line in enumerate(body_lines)
            if md.byline_from_credits(line.text.strip("()[] "))
        ),
        default=None,
    )
    if signed_off is not None:
        body_lines = body_lines[: signed_off + 1] + [
            line
            for line in body_lines[signed_off + 1 :]
            if (_words(line.text) >= PROSE_WORDS and not _is_motto(line.text))
            or md.parse_source_line(line.text)
            or bp.is_url_line(line.text)
        ]
    while len(body_lines) > 1 and (
        (
            (_is_remark(body_lines[-1].text) or _is_motto(body_lines[-1].text))
            and _stands_apart(body_lines[-2].text, body_lines[-1])
        )
        or is_stamp(body_lines[-1].text)
        or _set_apart(body_lines)
        or _is_label(body_lines[-1].text)
    ):
        if is_stamp(body_lines[-1].text) and draft.stamp_line is None:
            draft.stamp_line = body_lines[-1].text
        body_lines = body_lines[:-1]
    return body_lines


def _is_post_top(text: str) -> bool:
    """Whether a line belongs to what a poster puts over a repost, not to the story."""
    return bool(
        LONE_WORD.match(text)
        or is_credit(text)
        or _is_remark(text)
        or _is_label(text)
        or is_stamp(text)
        or _RELATIVE_AGE.match(text)
    )


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


def _under_labels(lines: list[_Line]) -> set[int]:
    """The line numbers of what an ad or related-links label heads: the short lines under it
    (furniture between them skipped), up to the first prose line."""
    under: set[int] = set()
    labelled = False
    for line in lines:
        if bp.is_ad_label(line.text):
            labelled = True
        elif bp.is_furniture(line.text):
            continue
        elif labelled and _words(line.text) < PROSE_WORDS:
            under.add(line.number)
        else:
            labelled = False
    return under


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


def _resolve_date(
    draft: _Draft, year_hint: int | None, order: NumericOrder | None = None
) -> tuple[ParsedDate | None, bool]:
    """Parse the dateline, else a wire dateline opening the body (``HARBIN, April 12 --``);
    say whether the year was not printed but taken from the page's other stories."""
    zone = outlet_timezone(draft.outlet)
    candidates = [draft.date_line] if draft.date_line else []
    if draft.body:
        opening = re.split(r"\s+(?:--|—|–)\s+", draft.body[0].text, maxsplit=1)
        if len(opening) == 2 and len(opening[0]) <= 60:
            candidates.append(opening[0])
    for text in candidates:
        found = parse_date(text, default_tz=zone, order=order)
        if found is not None:
            return found, False
        found = parse_date(text, year_hint=year_hint, default_tz=zone, order=order)
        if found is not None:
            return found, True
    return None, False


def _year_hints(drafts: list[_Draft], order: NumericOrder | None = None) -> list[int | None]:
    """For each story, the year of the nearest story whose dateline prints a full date."""
    years = [
        found.value.year
        if draft.date_line and (found := parse_date(draft.date_line, order=order))
        else None
        for draft in drafts
    ]
    hints: list[int | None] = []
    for index in range(len(drafts)):
        dated = [(abs(other - index), year) for other, year in enumerate(years) if year]
        hints.append(min(dated)[1] if dated else None)
    return hints


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
    for draft, year_hint in zip(drafts, _year_hints(drafts, order), strict=True):
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
        found, year_inferred = _resolve_date(draft, year_hint, order)
        if document.published:
            found = parse_date(document.published, default_tz=outlet_timezone(draft.outlet))
            year_inferred = False
        stories.append((draft, body, found))
        years_inferred.append(year_inferred)
    inferred = _infer_dates(drafts, kept, [found for _, _, found in stories], order)
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


def _headline_key(text: str) -> str:
    """A headline as words, without a mail's subject label or a list marker."""
    return " ".join(_WORD.findall(_ENUMERATION.sub("", _SUBJECT.sub("", text)).lower()))


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


def _dated(line: str, order: NumericOrder | None) -> ParsedDate | None:
    return parse_date(line, order=order)


def _infer_dates(
    drafts: list[_Draft],
    kept: list[bool],
    printed: list[ParsedDate | None],
    order: NumericOrder | None = None,
) -> list[tuple[ParsedDate, str] | None]:
    """For each kept story that prints no date, the date the page gives grounds for, and why.

    In order: the post that carries it (``post``: the story's own post header, else a dated
    piece with no story of its own right before it — a post's or a mail's header block, which
    the template lines around it may have cut off); a date in the page's own header, before
    its first story (an issue's or a blog page's date: ``page``); the nearest story of the page
    that prints a date, the earlier of two at the same distance (``thread``)."""
    stories = [index for index, keep in enumerate(kept) if keep]
    post_dates: list[ParsedDate | None] = []
    for index in stories:
        own = drafts[index].post_date_line or drafts[index].stamp_line
        found = parse_date(own, order=order) if own else None
        for before in range(index - 1, -1, -1):
            if found is not None:
                break
            other = drafts[before]
            if kept[before]:
                break
            if other.date_line and (found := _dated(other.date_line, order)) is not None:
                break
        post_dates.append(found)
    first_story = stories[0] if stories else len(drafts)
    page_date = next(
        (
            found
            for draft in drafts[:first_story]
            if draft.date_line and (found := _dated(draft.date_line, order)) is not None
        ),
        None,
    )
    dated = [(position, found) for position, found in enumerate(printed) if found is not None]
    guesses: list[tuple[ParsedDate, str] | None] = []
    for position, found in enumerate(printed):
        post_date = post_dates[position]
        if found is not None:
            guesses.append(None)
        elif post_date is not None:
            guesses.append((post_date, "post"))
        elif page_date is not None:
            guesses.append((page_date, "page"))
        elif dated:
            _, nearest = min(dated, key=lambda item: (abs(item[0] - position), item[1].value))
            guesses.append((nearest, "thread"))
        else:
            guesses.append(None)
    return guesses
