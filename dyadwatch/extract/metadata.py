"""Article metadata from the lines around a story: bylines, outlets, source lines, URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Domains of outlets that reposting pages cite most, mapped to the names they print.
_OUTLET_NAMES = {
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "afp.com": "AFP",
    "bloomberg.com": "Bloomberg",
    "newsweek.com": "Newsweek",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
    "ft.com": "Financial Times",
    "theguardian.com": "The Guardian",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "aljazeera.com": "Al Jazeera",
    "dw.com": "Deutsche Welle",
    "france24.com": "France 24",
    "euronews.com": "Euronews",
    "xinhuanet.com": "Xinhua",
    "news.cn": "Xinhua",
    "chinadaily.com.cn": "China Daily",
    "globaltimes.cn": "Global Times",
    "cgtn.com": "CGTN",
    "people.cn": "People's Daily",
    "scmp.com": "South China Morning Post",
    "sputniknews.com": "Sputnik",
    "sputnikglobe.com": "Sputnik",
    "rt.com": "RT",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "ria.ru": "RIA Novosti",
    "themoscowtimes.com": "The Moscow Times",
    "thediplomat.com": "The Diplomat",
    "defenseone.com": "Defense One",
    "zerohedge.com": "Zero Hedge",
    "strategic-culture.org": "Strategic Culture Foundation",
    "russia-insider.com": "Russia Insider",
    "asiatimes.com": "Asia Times",
    "yna.co.kr": "Yonhap",
    "japantimes.co.jp": "The Japan Times",
    "kyodonews.net": "Kyodo News",
    "thehindu.com": "The Hindu",
    "timesofindia.indiatimes.com": "The Times of India",
    "dawn.com": "Dawn",
    "haaretz.com": "Haaretz",
    "timesofisrael.com": "The Times of Israel",
    "politico.com": "Politico",
    "politico.eu": "Politico Europe",
    "foreignpolicy.com": "Foreign Policy",
    "nationalinterest.org": "The National Interest",
    "freebeacon.com": "Washington Free Beacon",
}

_BYLINE_PREFIX = re.compile(
    r"^(?:by|posted by|written by|words by|author\s*:|authors\s*:|reporter\s*:|from)\s+",
    re.IGNORECASE,
)
_CONNECTOR = re.compile(
    r"(?:^|\s)(?:on|at|updated|published|posted|\||/|,|-|–|—|·)\s*$", re.IGNORECASE
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][a-zA-Z'’\-]+\.?|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{2,6}|"
    r"de|da|di|du|van|von|der|den|la|le|bin|ibn|al|el|y|del|dos)$"
)
_ROLE_WORDS = re.compile(
    r"\b(?:researcher|fellow|professor|lecturer|correspondent|editor|reporter|analyst|director|"
    r"senior|contributor|columnist|writer|journalist|chief|bureau|chair|president|founder|"
    r"member|associate|scholar|expert|author of|staff writer|ph\.?d)\b",
    re.IGNORECASE,
)
_NOT_NAME_START = frozenset(
    "the a an in on at this that these those why what how when where who will can is are was "
    "were it its our we they he she his her their china russia us u.s.".split()
)
_FUNCTION_WORDS = frozenset(
    "a an the of in on at to for from with by about as into over under after before amid "
    "against between and or but not no is are was were be has have had will would can may "
    "new news says said how why what who when where this that its it".split()
)
_SOURCE_LINE = re.compile(
    r"^(?:source|sources|via|h/t|ht|hat tip(?: to)?|originally published (?:by|at|in|on)|"
    r"first published (?:by|at|in|on)|(?:re|cross-?)posted (?:from|at|on)|republished from|"
    r"this (?:article|story|post) (?:was |first |originally )*(?:appeared|published) (?:in|on|at))"
    r"\s*[:：]?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_HAT_TIP = re.compile(r"^(?:h/t|ht|hat tip)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[“\"«](?P<title>[^”\"»]{3,300})[”\"»]")
# "MOSCOW (Reuters) –", "KIEV, Ukraine (AP) —", "PARIS, April 9. /TASS/.": the outlet a wire
# dateline names, in parentheses or between slashes.
_OUTLET_IN_PARENS = re.compile(
    r"^(?:[A-Z][A-Za-z.'’\-]*[ ,]+){0,4}(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\.?\s*)?"
    r"(?:\((?P<outlet>[A-Z][\w&.'’\- ]{1,40})\)\s*(?:[-–—:]|$|(?=\d))"
    r"|/(?P<slashed>[A-Z][\w&.'’\- ]{1,30})/)"
)
_REPORTING_BY = re.compile(
    r"^(?:reporting|reported|writing|written) by\s+(?P<names>[^;]+)", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class SourceLine:
    """What a ``Source: Outlet “Title” URL`` line says about the story it ends."""

    outlet: str | None
    title: str | None
    url: str | None


def outlet_from_url(url: str | None) -> str | None:
    """Return the outlet's printed name for a known domain, else the bare domain."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:  # a malformed address ("http://[broken"): no outlet from it
        return None
    host = host.lower().removeprefix("www.")
    if not host:
        return None
    parts = host.split(".")
    for start in range(len(parts) - 1):
        name = _OUTLET_NAMES.get(".".join(parts[start:]))
        if name:
            return name
    return host


def clean_names(text: str) -> str | None:
    """Return ``text`` as a byline if it is one or more person (or desk) names, else None."""
    text = _BYLINE_PREFIX.sub("", text.strip())
    while True:
        trimmed = _CONNECTOR.sub("", text).strip()
        if trimmed == text:
            break
        text = trimmed
    if not text or len(text) > 80 or any(ch.isdigit() for ch in text):
        return None
    names = [part.strip() for part in re.split(r",|\band\b|&", text) if part.strip()]
    for name in names:
        tokens = name.split()
        if not 1 <= len(tokens) <= 5 or tokens[0].lower() in _NOT_NAME_START:
            return None
        if not all(_NAME_TOKEN.match(token) for token in tokens):
            return None
        if _ROLE_WORDS.search(name):
            return None
    return ", ".join(names)


def parse_byline(line: str) -> str | None:
    """Return the names of a byline line (``By X``, ``X and Y``, ``X Staff``), else None.

    A byline may name the writer's outlet or role after a bar, a comma or in parentheses
    (``X | Associated Press``, ``X (Al Jazeera)``, ``By X, Staff Writer``): the names are X."""
    names = _parse_names(line)
    if names is not None:
        return names
    parts = _CREDIT_TAIL.split(line.strip(), maxsplit=1)
    if len(parts) == 2 and _is_credit_tail(parts[1]):
        return _parse_names(parts[0])
    placed = _IN_PLACE.match(line.strip())  # "By Nadia Kim in Moscow"
    if placed and _BYLINE_PREFIX.match(line):
        return _parse_names(placed.group("names"))
    return None


_IN_PLACE = re.compile(r"^(?P<names>.+?)\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}$")


_CREDIT_TAIL = re.compile(r"\s*(?:\||,|\(|–|—)\s*")


def _is_credit_tail(text: str) -> bool:
    """Whether the rest of a byline is an outlet or a role: a few capitalised words."""
    words = text.strip(" )").split()
    return 1 <= len(words) <= 5 and all(
        word[:1].isupper() or word.lower() in _FUNCTION_WORDS for word in words
    )


def _parse_names(line: str) -> str | None:
    """The names of a byline line as it stands (no outlet after it)."""
    has_prefix = bool(_BYLINE_PREFIX.match(line))
    if not has_prefix and parse_source_line(line) is not None:
        return None  # "Via Zero Hedge" credits an outlet, not a writer
    names = clean_names(line)
    if names is None:
        return None
    # Without "By", demand a real name shape: two or three words (four with an initial),
    # none of them a function word, which Title Case headlines are full of.
    if not has_prefix and not all(_looks_like_name(name) for name in names.split(", ")):
        return None
    return names


def _looks_like_name(name: str) -> bool:
    tokens = name.split()
    initials = sum(bool(re.fullmatch(r"(?:[A-Z]\.)+", token)) for token in tokens)
    if not 2 <= len(tokens) <= 3 + min(initials, 1):
        return False
    return not any(token.lower() in _FUNCTION_WORDS for token in tokens)


def is_affiliation(line: str) -> bool:
    """Whether the line gives an author's role (``Adjunct Fellow, CNAS``)."""
    return len(line) <= 100 and bool(_ROLE_WORDS.search(line)) and not line.endswith(".")


def parse_source_line(line: str) -> SourceLine | None:
    """Parse a ``Source: Outlet “Title”`` provenance line, or return None."""
    match = _SOURCE_LINE.match(line.strip())
    if not match:
        return None
    rest = match.group("rest").strip()
    url_match = re.search(r"(?:https?://|www\.)\S+", rest)
    url = url_match.group(0).rstrip(".,;)") if url_match else None
    if url_match:
        rest = (rest[: url_match.start()] + rest[url_match.end() :]).strip()
    title_match = _QUOTED.search(rest)
    title = title_match.group("title").strip() if title_match else None
    if title_match:
        rest = (rest[: title_match.start()] + rest[title_match.end() :]).strip()
    outlet = rest.strip(" -–—:,.|") or outlet_from_url(url)
    if outlet and len(outlet.split()) > 8:
        return None
    if _HAT_TIP.match(line.strip()):
        # A hat tip credits whoever pointed to the story, a handle as often as an outlet.
        named = outlet if outlet and _names_an_outlet(outlet) else None
        return SourceLine(outlet=named, title=title, url=url)
    colon = bool(re.match(r"^\S+(?:\s+\S+){0,6}?\s*[:：]", line.strip()))
    if not colon and not url and not title and outlet and not _names_an_outlet(outlet):
        return None  # "Sources say Moscow will …" is a sentence, not a credit
    return SourceLine(outlet=outlet or None, title=title, url=url)


def _names_an_outlet(text: str) -> bool:
    """Whether a credit's rest is a name (``Zero Hedge``, ``the Saker``), not a clause."""
    words = text.split()
    return len(words) <= 5 and all(w[:1].isupper() or w.lower() in _FUNCTION_WORDS for w in words)


def outlet_in_dateline(line: str) -> str | None:
    """Return the outlet named at a wire dateline's start (``MOSCOW (Reuters) –``,
    ``PARIS, April 9. /TASS/.``)."""
    match = _OUTLET_IN_PARENS.match(line.strip())
    if not match:
        return None
    outlet = (match.group("outlet") or match.group("slashed")).strip()
    return outlet if len(outlet.split()) <= 4 else None


def byline_from_credits(line: str) -> str | None:
    """Return the reporters of a wire credit line (``Reporting by X and Y; Editing by Z``)."""
    match = _REPORTING_BY.match(line.strip())
    if not match:
        return None
    names = re.sub(r"\s+in\s+[A-Z][\w ]+$", "", match.group("names").strip())
    return clean_names(re.sub(r"\s+in\s+[A-Z]\w+(?=,|\band\b|$)", "", names))


# "From CNN:", "Al Jazeera reports:", "Via Kyodo News:": the words around the outlet's name.
_ATTRIBUTION_WORDS = re.compile(
    r"^(?:from|via|per|according to)\s+|\s+(?:reports?|writes|says|notes|adds|reported)$",
    re.IGNORECASE,
)


def attribution_outlet(line: str) -> str | None:
    """Return the outlet of an attribution line that opens a repost (``Deutsche Welle:``)."""
    stripped = line.strip()
    if not stripped.endswith(":") or len(stripped) > 50:
        return None
    name = _ATTRIBUTION_WORDS.sub("", stripped[:-1]).strip()
    tokens = name.split()
    if not 1 <= len(tokens) <= 5 or not all(token[:1].isupper() for token in tokens):
        return None
    return name
