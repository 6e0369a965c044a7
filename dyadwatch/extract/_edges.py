"""What stands at a story's edges in its post, and is the poster's or the page's, not the story's.

Read, not listed: a hand-over (``Al Jazeera reports:``), a remark that names nothing, a post's
stamp, a signature's motto, a section label, what follows a sign-off, a footer set further
apart than any paragraph, what an ad or related-links label heads, a post's top over a repost.
"""

from __future__ import annotations

import re

from dyadwatch.extract import boilerplate as bp
from dyadwatch.extract import metadata as md
from dyadwatch.extract._lines import (
    _TERMINAL,
    BARE_REMARK_WORDS,
    LONE_WORD,
    PROSE_WORDS,
    _is_remark,
    _is_title_like,
    _Line,
    _words,
    is_credit,
    is_stamp,
)
from dyadwatch.extract._starts import LABEL_WORDS, _is_trailer

# A signature's motto runs to this many words at most.
MOTTO_WORDS = 16


_WHOLLY_QUOTED = re.compile(r"[“\"«„][^“”\"«»„]+[”\"»]")


_SENTENCE_BREAK = re.compile(r"[a-z]{2}[.!?]['\"’”]?\s+[A-Z]")


# A post's age as engines print it: "2d", "5h", "3 hours ago".
_RELATIVE_AGE = re.compile(r"^\d{1,3}\s?(?:[smhdwy]|mo|min|hrs?)$|^\d+ \w+ ago$", re.IGNORECASE)


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


def trim_head(body_lines: list[_Line], *, titled: bool) -> tuple[list[_Line], str | None]:
    """Drop what introduces a story in its post: the poster's word before it ("Saw this on my
    feed this morning.") and a short line that hands over to it (``Al Jazeera reports:``,
    ``From CNN:``, ``Found this today:``); return the rest and the outlet a hand-over names."""
    outlet: str | None = None
    while len(body_lines) > 1:
        text = body_lines[0].text
        if is_credit(text) and not md.parse_source_line(text):
            outlet = outlet or md.attribution_outlet(text)
        elif not (_is_remark(text) and _stands_apart(text, body_lines[1])):
            break
        elif titled and _words(text) > BARE_REMARK_WORDS:
            break  # under a headline a sentence-long first line is the lede, first person or not
        body_lines = body_lines[1:]
    return body_lines, outlet


def trim_tail(body_lines: list[_Line]) -> tuple[list[_Line], str | None]:
    """Drop what follows a story in its post: the poster's word after it ("Read the last
    paragraph twice."), the post's stamp (``Hawkeye, May 15, 2019``), and after the story's
    sign-off (``(Reporting by …; Editing by …)``) every short line but a source or a link;
    return the rest and the post's stamp, if one was dropped."""
    stamp: str | None = None
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
        if is_stamp(body_lines[-1].text) and stamp is None:
            stamp = body_lines[-1].text
        body_lines = body_lines[:-1]
    return body_lines, stamp


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
