"""Where the stories of one post start, and which line heads each.

A new story starts after a trailer (``Source: …``, a link, a read-more, a tags line), at a
headline over a header (byline, dateline) or a wire dateline paragraph, at a blog's date header
over a headline, at each item of a numbered digest, and at a headline the page's contents list.
"""

from __future__ import annotations

import re

from dyadwatch.extract import boilerplate as bp
from dyadwatch.extract import metadata as md
from dyadwatch.extract._lines import (
    _REPLY_OR_ADDRESS,
    _SUBJECT,
    _TERMINAL,
    _WORD,
    PROSE_WORDS,
    _dated_byline,
    _is_dateline,
    _is_header,
    _is_remark,
    _is_title_like,
    _Line,
    _opens_story,
    _title_case_share,
    _words,
    is_credit,
)

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


_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[•▪►▼▶·*-])\s")


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


def _headline_key(text: str) -> str:
    """A headline as words, without a mail's subject label or a list marker."""
    return " ".join(_WORD.findall(_ENUMERATION.sub("", _SUBJECT.sub("", text)).lower()))
