"""What one line of a plain-text page is, and how a page becomes lines.

The segmenter (:mod:`.segment`) reads a reposting page as lines; this module holds what it asks
of a single line (a dateline? a byline? headline-shaped? a poster's remark?) and of the page's
lines together (the column a hard-wrapped page breaks at, the template lines whose shape recurs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from dyadwatch.extract import boilerplate as bp
from dyadwatch.extract import metadata as md
from dyadwatch.extract.dates import date_coverage, parse_date

# Headlines run 2-30 words; past that a line is prose.
MAX_TITLE_WORDS = 30
# A hard-wrapped page: this many lines of 40+ characters at least, half of them ending within
# WRAP_SLACK columns of the wrap column.
WRAP_MIN_LINES = 8
WRAP_SLACK = 12
# An author's role line ("Adjunct Fellow, CNAS") runs to this many words at most.
AFFILIATION_WORDS = 8
# A line ending in a colon this short hands over to the story below it ("Al Jazeera reports:").
INTRO_WORDS = 8
# A poster's remark beside a repost runs to this many words at most.
REMARK_WORDS = 16
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|my|me|mods)\b|^(?:thoughts|worth)\b", re.I
)
# A line at a story's edge that names nothing is the poster's when it is this short.
BARE_REMARK_WORDS = 12
_SENTENCE_END_WORD = re.compile(r"[.!?]['\"’”)]*$")  # a capital after it opens a sentence
_NAMED_OR_QUOTED = re.compile(r"\d|[\"“”«»]")
_SHORT_MONTH_YEAR = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? ['’]\d{2}$", re.I
)
_LEADING_HANDLE = re.compile(r"^@?[\w.\-]{2,30}\s*[,|/·•»—–-]\s*")
# A post's stamp (a handle and a date) runs to this many words at most.
STAMP_WORDS = 8
# A line of this many words or more is prose (a standfirst or a body paragraph), not chrome.
PROSE_WORDS = 15


_HANDLE_BESIDE_DATE = re.compile(
    r"^[\s|/·•,—–-]*(?:(?:posted|written|published)\s+(?:on\s+)?)?(?:by\s+)?@?[\w.\-]{2,30}"
    r"[\s|/·•,—–-]*(?:(?:posted\s+)?(?:on|at)\s*)?$",
    re.IGNORECASE,
)
_RELATIVE_TIME = re.compile(
    r"\b\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b", re.IGNORECASE
)
# Headlines may ask or exclaim ("Could Plasma Jets Kickstart Travel?"); a line that ends as a
# statement or trails into a quote is prose.
_STATEMENT_END = re.compile(r"[.。:;…]['\"’”)\]]*$")
_REPLY_OR_ADDRESS = re.compile(r"^(?:re|fwd?|aw)\s*:|<[^>\s]+@[^>\s]+>|\S+@\S+\.\w", re.I)
# A mail's subject, with its list tag and forwarding marks: "Subject: [media-l] FW: …".
_SUBJECT = re.compile(
    r"^subject\s*:\s*(?:\[[^\]]{1,40}\]\s*)?(?:(?:fwd?|fw)\s*:\s*)*", re.IGNORECASE
)
_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?]['\"’”]?\s+[A-Z]")
_TERMINAL = re.compile(r"[.!?。！？:;…]['\"’”)\]]*$")
_WORD = re.compile(r"\w+")
_SMALL_WORDS = frozenset(
    "a an the and or but nor of in on at to for by with from as into over vs via is are be "
    "its it's than that up off out per amid after before".split()
)


@dataclass(slots=True)
class _Line:
    text: str
    number: int
    gap_before: int


def _words(text: str) -> int:
    return len(_WORD.findall(text))


@lru_cache(maxsize=8192)  # asked of the same line many times as a page is read
def _is_dateline(text: str) -> bool:
    if _words(text) > 16:
        return False
    if _RELATIVE_TIME.search(text):
        return True
    found = parse_date(text, year_hint=2000)
    if found is None:
        return False
    if date_coverage(text) >= 0.5:
        return True
    # A handle beside the date ("eurasiawatcher / 1 April 2018", "Posted on 27 April 2005 by
    # eurasiawatcher"): a post's stamp, however long the handle.
    return bool(_HANDLE_BESIDE_DATE.match(f"{text[: found.start]} {text[found.end :]}"))


def _dated_byline(text: str) -> str | None:
    """Return the names of a line that is a byline plus a date (``X 15:46, 18-Apr-2019``)."""
    if _words(text) > 16:
        return None
    found = parse_date(text, year_hint=2000)
    if found is None:
        return None
    rest = (text[: found.start] + " " + text[found.end :]).strip()
    rest = re.sub(r"\(?updated.*$", "", rest, flags=re.IGNORECASE).strip()
    return md.parse_byline(rest) if rest else None


def _is_header(text: str) -> bool:
    return (
        _is_dateline(text)
        or md.parse_byline(text) is not None
        or _dated_byline(text) is not None
        or md.is_affiliation(text)
    )


@lru_cache(maxsize=8192)  # asked of the same line many times as a page is read
def _is_title_like(text: str) -> bool:
    text = _SUBJECT.sub("", text)  # a mail's "Subject: …" is its headline
    words = _words(text)
    if not 2 <= words <= MAX_TITLE_WORDS or len(text) > 220:
        return False
    first = text.lstrip("“\"‘'«([")[:1]  # "[Exclusive] …" is a headline too
    if not (first.isupper() or first.isdigit()) or bp.urls_in(text) or bp.is_furniture(text):
        return False
    if _STATEMENT_END.search(text) or _is_dateline(text) or md.parse_source_line(text):
        return False  # an attribution ("Source: Reuters “…”", "Via", "h/t") credits, never heads
    if _TERMINAL.search(text) and _SENTENCE_BREAK.search(text):
        return False  # "Great news, thanks! Anyone know more?": a comment, not a headline
    if _REPLY_OR_ADDRESS.search(text) or md.byline_from_credits(text.strip("()")):
        return False  # "Re: …" heads a reply, an address a mail, "Reporting by …" credits
    return md.parse_byline(text) is None and _dated_byline(text) is None


def _title_case_share(text: str) -> float:
    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", text) if w.lower() not in _SMALL_WORDS]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def wrap_width(raw_lines: list[str]) -> int | None:
    """The column a hard-wrapped page (a mailing list, a plain-text newsletter) breaks its
    paragraphs at, or None: most long lines end within a few columns of it, none far past."""
    lengths = [len(line.rstrip()) for line in raw_lines if len(line.strip()) >= 40]
    if len(lengths) < WRAP_MIN_LINES:
        return None
    near, width = max(
        (sum(column - WRAP_SLACK <= length <= column for length in lengths), column)
        for column in range(50, 101)
    )
    over = sum(length > width + 2 for length in lengths)
    if near < max(WRAP_MIN_LINES, 0.5 * len(lengths)) or over > 0.15 * len(lengths):
        return None
    return width


def _stands_alone(text: str) -> bool:
    """Whether a line is never a wrapped paragraph's continuation: a header, a credit, a
    source line, a link, an insert (``© 2017 Associated Press. All rights reserved.``). A line
    that opens in lower case goes on a sentence; an affiliation is short."""
    if bp.is_url_line(text):
        return True
    if text[:1].islower():
        return False
    if md.is_affiliation(text) and _words(text) > AFFILIATION_WORDS:
        return False
    if _LABEL.match(text) and _words(text) <= REPEATED_SHAPE_WORDS:
        return True  # a field: "Message-ID: <…>", "Content-Type: text/plain"
    return (
        _is_header(text)
        or bp.is_furniture(text)
        or md.parse_source_line(text) is not None
        or bp.is_url_line(text)
        or md.byline_from_credits(text.strip("()[] ")) is not None
    )


def _unwrap(raw_lines: list[str]) -> list[tuple[int, str]]:
    """Join the lines of hard-wrapped paragraphs; keep each piece's first line number."""
    width = wrap_width(raw_lines)
    joined: list[tuple[int, str]] = []
    carry = False
    for number, raw in enumerate(raw_lines, start=1):
        stripped = raw.strip()
        if carry and stripped and not bp.is_separator(raw) and not _stands_alone(stripped):
            first, before = joined[-1]
            joined[-1] = (first, f"{before.rstrip()} {stripped}")
        else:
            joined.append((number, raw))
        carry = width is not None and len(raw.rstrip()) >= width - WRAP_SLACK and bool(stripped)
        carry = carry and not bp.is_separator(raw)  # a long rule ends what it follows
    return joined


def _read_lines(text: str) -> Iterator[list[_Line]]:
    """Yield the posts of a page: runs of non-furniture lines between separator lines."""
    post: list[_Line] = []
    gap = 0
    for number, raw in _unwrap(text.split("\n")):
        if bp.is_separator(raw):
            if post:
                yield post
            post, gap = [], 0
            continue
        stripped = " ".join(raw.split())
        if not stripped:
            gap += 1
            continue
        post.append(_Line(stripped, number, gap))
        gap = 0
    if post:
        yield post


# A lone word on a line of its own: a handle, a rank, a section or outlet label ("MARKETS").
LONE_WORD = re.compile(r"^[^\s.!?…:;,]{1,30}$")
_QUOTED_SPAN = re.compile(r"[“\"«][^”\"»]{1,80}[”\"»]")
_LABEL = re.compile(r"^(?P<label>[^\W\d][\w .'’/-]{0,30}?)\s*[:：]\s*\S")
# A line's shape repeats on a page when the engine prints it once per post or per story:
# a member field ("Join Date: Apr 2012"), a counter ("Thanked 3 Times in 2 Posts"), a bar
# ("Reply With Quote"), a related-posts entry (``In "Europe"``).  Real prose never repeats
# short lines this way; datelines, bylines and credits repeat and keep their roles.
REPEATED_SHAPE_WORDS = 8


def _shape(text: str) -> str:
    """A line with its numbers and quoted names blanked; a labelled field is its label."""
    label = _LABEL.match(text)
    if label and _words(text) <= REPEATED_SHAPE_WORDS:
        return label.group("label").lower() + ":"
    blanked = _QUOTED_SPAN.sub("“…”", text.lower())
    return re.sub(r"\d[\d,.]*", "0", blanked)


def _is_kicker(text: str) -> bool:
    """Whether a labelled line is a headline under a kicker (``BREAKING: Sondland …``), not
    a field (``Content-Type: text/plain``): what follows the label reads as a headline."""
    label = _LABEL.match(text)
    if label is None:
        return False
    rest = text[label.end() - 1 :].lstrip("“\"‘'«(")
    return rest[:1].isupper() or rest[:1].isdigit()


def repeated_chrome(lines: list[_Line]) -> set[int]:
    """The numbers of short lines whose shape recurs on the page: the template's, not a story's."""
    shapes: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if _words(line.text) <= REPEATED_SHAPE_WORDS:
            shapes.setdefault(_shape(line.text), []).append(index)
    chrome: set[int] = set()
    for repeats in shapes.values():
        verbatim = len({lines[index].text for index in repeats}) == 1
        verbatim = verbatim and not _LABEL.match(lines[repeats[0]].text)  # a field is chrome
        if len(repeats) < 2 or (verbatim and any(_opens_story(lines, i) for i in repeats)):
            continue  # a headline a sidebar lists again ("Recent Posts") is still a headline
        for index in repeats:
            line = lines[index]
            text = line.text
            kicker = not verbatim and _is_kicker(text) and _opens_story(lines, index)
            if (
                _SUBJECT.match(text)  # a mail's subject is its story's headline
                or kicker  # so is a headline with a kicker ("BREAKING: …", "Opinion: …")
                or _is_dateline(text)
                or md.parse_byline(text) is not None
                or _dated_byline(text) is not None
                or md.parse_source_line(text) is not None
                or bp.is_url_line(text)
                or bp.is_image_name(text)
                or bp.is_photo_credit(text)
            ):
                continue  # stories carry these: their repeating is no sign of the template
            chrome.add(line.number)
    return chrome


def _opens_story(lines: list[_Line], index: int) -> bool:
    """Whether a headline-shaped line is followed by a byline, a dateline or prose (past a
    one-word outlet or section label under it: ``CNN``)."""
    text = lines[index].text
    if _words(text) < 4 or not _is_title_like(text) or index + 1 >= len(lines):
        return False
    following = lines[index + 1].text
    if (LONE_WORD.match(following) or is_credit(following)) and index + 2 < len(lines):
        following = lines[index + 2].text
    return _is_header(following) or _words(following) >= PROSE_WORDS


def is_credit(text: str) -> bool:
    """Whether a line under a headline credits where the story came from: a hand-over
    (``From Nikkei Asia:``) or an attribution (``h/t Vlad``, ``Source: TASS``)."""
    hand_over = text.endswith((":", "：")) and _words(text) <= INTRO_WORDS
    return hand_over or md.parse_source_line(text) is not None


def _split_at(post: list[_Line], chrome: set[int]) -> list[list[_Line]]:
    """Cut a post at its template lines, which are dropped: they stand between posts."""
    pieces: list[list[_Line]] = [[]]
    for line in post:
        if line.number in chrome:
            pieces.append([])
        else:
            pieces[-1].append(line)
    return pieces


def _names_nothing(text: str) -> bool:
    """Whether a line names no one and nothing: no capitalised word past its first, no number,
    no quotation. Such a line cannot carry an event, whoever wrote it."""
    if _NAMED_OR_QUOTED.search(text):
        return False
    words = text.split()
    return not any(
        word[:1].isupper() and not _SENTENCE_END_WORD.search(before)
        for before, word in pairwise(words)
        if word != "I"
    )


def _is_remark(text: str) -> bool:
    """Whether a short line is a poster's own word on what they repost: it speaks in the first
    person, asks the readers, or names nothing (``Worth reading in full.``, ``Thoughts?``,
    ``Note the date on this one.``). Asked only of lines at a story's edge."""
    if _words(text) > REMARK_WORDS or text.startswith(("“", '"', "‘")):
        return False
    if _FIRST_PERSON.search(text) or (text.endswith("?") and _words(text) <= 3):
        return True
    return _words(text) <= BARE_REMARK_WORDS and _names_nothing(text)


def is_stamp(text: str) -> bool:
    """Whether a short line is a post's stamp: a date or a time, perhaps after the poster's
    handle (``Hawkeye, May 15, 2019``, ``quietriot, Monday at 10:27 AM``)."""
    if _words(text) > STAMP_WORDS or not any(char.isdigit() for char in text):
        return False
    if _SHORT_MONTH_YEAR.match(text):
        return True  # a forum's "Mar '19"
    if _is_dateline(text) or date_coverage(text) >= 0.5:
        return True
    handle = _LEADING_HANDLE.match(text)  # "lurker_since_09, Today at 7:17 AM"
    return handle is not None and date_coverage(text[handle.end() :]) >= 0.5
