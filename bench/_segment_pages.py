"""Composed reposting pages for bench/segment.py: real stories laid out as forums, blogs, digests.

Each page holds 3-6 real article bodies (the gold bodies of the two extraction benchmarks in
../shared/anchors, headlines from their pages' HTML) in one of several layouts, with the chrome
that kind of page prints around them, and an answer key: per story its printed title, its
printed date (None when the page prints none for it), the post time where the layout shows one,
and the first and last words of its body; per page every chrome line that was inserted.

The layouts copy what real engines print in a text dump (XenForo, vBulletin, phpBB, Reddit,
Discourse, WordPress, Blogger, e-mail newsletters, wire feeds, Mailman digests, Google Groups,
press reviews); nothing here is tuned to what dyadwatch's segmenter recognises.
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from random import Random

DATASETS = ("article-extraction-benchmark", "dragnet-extraction")
# A reposted story in the seed pages runs 90+ words; under ~120 a gold body is a brief or a stub.
MIN_SOURCE_WORDS = 120
# Leading gold lines shorter than this (or unpunctuated) are the page's own headline/byline/date.
PROSE_WORDS = 15
# How many words of a body's start and end the key keeps (what the scorer matches on).
KEY_WORDS = 12
FIRST_DAY, LAST_DAY = date(2005, 1, 1), date(2024, 12, 31)

_WORD = re.compile(r"\w+")
_SUFFIX = re.compile(r"\s+(?:[|–—»:]{1,2}|-{1,2})\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
_TERMINAL = re.compile(r"[.!?…]['\"’”)\]]*$")
_MOJIBAKE = re.compile("[âÃ][\x80-\xbf€™œ]")
_OWN_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'()]{1,40}?(?:\(\w[\w ]*\))?\s*(?:--|[-–—:])\s")
_ENGLISH = frozenset("the and of to in a is that for with on was".split())


# --- sources --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One real story: its id in the anchors, its headline, its body's prose lines, its URL."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    url: str | None


def fold(text: str) -> str:
    """Text as lower-case ``\\w+`` words joined by spaces (quotes, case, spacing folded)."""
    return " ".join(_WORD.findall(text.translate(_QUOTES).casefold()))


def holds(lines: Sequence[str], chrome: str) -> bool:
    """Whether folded ``lines`` hold a chrome line: as a whole line, or inside one if 4+ words.

    Short chrome ("Like", "Share", "Top") is common inside prose, so only a line of its own
    counts; a longer one ("You must log in or register to reply here.") counts anywhere.
    """
    folded = fold(chrome)
    if not folded:
        return False
    if len(folded.split()) < 4:
        return folded in lines
    return any(f" {folded} " in f" {line} " for line in lines)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _title_candidates(text: str) -> list[str]:
    """A <title>-like string's headline candidates: its parts around ' | Site', longest first."""
    text = " ".join(text.split())
    parts = [part.strip() for part in _SUFFIX.split(text) if part.strip()]
    return sorted(parts, key=len, reverse=True) if len(parts) > 1 else [text]


def headline(page: bytes, body: str) -> str | None:
    """The page's headline: an og:title / h1 / <title> candidate that a second field confirms."""
    from lxml import html  # type: ignore[import-untyped]

    try:
        tree = html.fromstring(page, parser=html.HTMLParser(encoding="utf-8"))
    except (ValueError, TypeError):  # an empty or undecodable page
        return None
    og = [str(value) for value in tree.xpath('//meta[@property="og:title"]/@content')][:1]
    h1 = [" ".join(node.text_content().split()) for node in tree.xpath("//h1")][:3]
    title = [" ".join(" ".join(tree.xpath("//title//text()")).split())]
    fields = [fold(text) for text in (*og, *h1, *title, body[:400]) if text.strip()]
    for raw in (*og, *h1, *title):
        for candidate in _title_candidates(raw):
            if not 4 <= _words(candidate) <= 25 or _MOJIBAKE.search(candidate):
                continue
            folded = fold(candidate)
            # It confirms itself; a second field (h1, <title>, the gold's first line) must agree.
            if sum(folded in text for text in fields) >= 2:
                return candidate
    return None


def prose_lines(body: str) -> list[str]:
    """The gold body's lines without its leading headline/byline/date and trailing credits."""
    lines = [" ".join(line.split()) for line in body.splitlines()]
    lines = [line for line in lines if line]
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if _words(line) >= PROSE_WORDS and _TERMINAL.search(line)
        ),
        len(lines),
    )
    lines = lines[start:]
    while lines and (_words(lines[-1]) < 8 or not _TERMINAL.search(lines[-1])):
        lines.pop()
    return lines


def _usable(lines: list[str]) -> bool:
    counts = [_words(line) for line in lines]
    total = sum(counts)
    if total < MIN_SOURCE_WORDS or any(_MOJIBAKE.search(line) for line in lines):
        return False
    words = [w.lower() for w in _WORD.findall(" ".join(lines))]
    english = sum(w in _ENGLISH for w in words) / len(words)
    # News prose: most words sit in sentence-length lines (not a recipe or a spec list).
    return english >= 0.08 and sum(c for c in counts if c >= 12) / total >= 0.8


def load_sources(shared: Path, limit: int | None = None) -> list[Source]:
    """Every usable story of the two extraction benchmarks (the first ``limit`` ids of each)."""
    found: list[Source] = []
    for name in DATASETS:
        folder = shared / "anchors" / name
        gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
        for key in sorted(gold)[:limit]:
            body = gold[key].get("articleBody") or ""
            lines = prose_lines(body)
            page = folder / "html" / f"{key}.html.gz"
            if not _usable(lines) or not page.exists():
                continue
            title = headline(gzip.decompress(page.read_bytes()), body)
            if title is not None:
                url = gold[key].get("url")
                found.append(
                    Source(key=f"{name}/{key}", title=title, paragraphs=tuple(lines), url=url)
                )
    return found


# --- the answer key -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyStory:
    """What the segmenter should find for one story of a composed page."""

    source: str
    title: str
    date: datetime.date | None  # (the field's name hides the type here)
    post_date: datetime.date | None
    opening: str
    closing: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ComposedPage:
    """One composed plain-text page with its answer key."""

    page_id: str
    style: str
    engine: str
    text: str
    stories: tuple[KeyStory, ...]
    chrome: tuple[str, ...]

    def key_json(self) -> dict[str, object]:
        """The key as JSON-ready data (dates as ISO strings)."""
        return {
            "page_id": self.page_id,
            "style": self.style,
            "engine": self.engine,
            "stories": [
                {
                    "source": s.source,
                    "title": s.title,
                    "date": s.date.isoformat() if s.date else None,
                    "post_date": s.post_date.isoformat() if s.post_date else None,
                    "opening": s.opening,
                    "closing": s.closing,
                }
                for s in self.stories
            ],
            "chrome": list(self.chrome),
        }


# --- pools ----------------------------------------------------------------------------------


def _block(text: str) -> tuple[str, ...]:
    """The lines of a triple-quoted block; a line indented further continues the one above."""
    items: list[str] = []
    for line in textwrap.dedent(text).strip("\n").splitlines():
        if line[:1].isspace() and items:
            items[-1] += " " + line.strip()
        elif line.strip():
            items.append(line.strip())
    return tuple(items)


def _items(text: str) -> tuple[str, ...]:
    """The ``|``-separated items of a string."""
    return tuple(" ".join(item.split()) for item in text.split("|"))


MONTHS = "January February March April May June July August September October November December"
MONTHS_ = MONTHS.split()
AP_MONTHS = "Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
FIRST_NAMES = """Anna Tom Katya Ryan Maria David Li Wei Fatima Ahmed Olga Sergei Hiroshi Yuki Priya
    Rahul Carlos Lucia James Sarah Michael Elena Dmitry Chen Aisha Omar Jonathan Rebecca Pierre
    Claire Hans Ingrid Samuel Grace Daniel Nadia Tariq Mei Kevin Laura""".split()
LAST_NAMES = """Petrov Nakamura Okafor Haddad Lindqvist Moreau Schneider Gupta Castillo O'Brien
    Zhang Ivanova Mensah Rahman Fischer Rossi Novak Tanaka Alvarez Whitfield Sokolov Kim Nguyen
    Dubois Hughes Bakr Varga Costa Jensen Murphy McAllister Al-Masri Kuznetsova Park Singh
    Brennan Hoffmann Yilmaz Barros Osei""".split()
USERNAMES = """SilentObserver gr8dane Panzerfaust_44 kiwi_mike jlaw_88 OldSalt Nemo Hendrik
    mr_wiggles Aurelian Tanker1987 blue_heron RedStar Cossack2 Dragon_Lord bayou_bob Sputnik_fan
    quietriot Marco.Polo steppe_wolf NorthernLight cheburashka Yankee_Doodle Zhukov41
    lurker_since_09 TheRealDeal Hawkeye PaxAmericana oriental_express grumpy_old_man
    Vlad_the_Inhaler tea_drinker Mr.Nobody Kestrel sea_dog71""".split()
# name | web domain | how its wire dateline reads (empty: it prints none)
OUTLETS = tuple(
    tuple(part.strip() for part in line.split("|"))
    for line in _block("""
        Reuters | reuters.com | {CITY} (Reuters) -
        Reuters | reuters.com | {CITY}, {Month} {d} (Reuters) -
        Associated Press | apnews.com | {CITY} (AP) —
        AFP | afp.com | {City} (AFP) -
        Xinhua | xinhuanet.com | {CITY}, {Month} {d} (Xinhua) --
        TASS | tass.com | {CITY}, {Month} {d}. /TASS/.
        Yonhap | en.yna.co.kr | {CITY}, {Month} {d} (Yonhap) --
        Kyodo News | english.kyodonews.net | {CITY} (Kyodo) --
        Anadolu Agency | aa.com.tr | {CITY} (AA) –
        Bloomberg | bloomberg.com |
        The Guardian | theguardian.com |
        BBC News | bbc.com |
        Al Jazeera | aljazeera.com |
        South China Morning Post | scmp.com |
        The Moscow Times | themoscowtimes.com |
        Deutsche Welle | dw.com |
        Nikkei Asia | asia.nikkei.com |
        The Hindu | thehindu.com |
        Financial Times | ft.com |
        The Washington Post | washingtonpost.com |
        CNN | cnn.com |
        Global Times | globaltimes.cn |
        The Diplomat | thediplomat.com |
    """)
)
CITIES = _items("""
    Moscow | Beijing | Washington | London | Paris | Berlin | Tokyo | Seoul | Ankara | Cairo |
    Nairobi | Kyiv | Brussels | Geneva | Tehran | Islamabad | Singapore | Jakarta | Manila |
    Ottawa | New Delhi | Hong Kong | United Nations | Mexico City | Buenos Aires
""")
PLACES = _items("""
    Texas | Bavaria | Ontario | Down Under | Siberia | Behind you | Planet Earth | Kerala |
    Lisbon | Upstate NY | Yorkshire
""")
KICKERS = _items("""
    WORLD | ANALYSIS | EXCLUSIVE | BREAKING NEWS | ASIA PACIFIC | POLITICS | BUSINESS |
    TECHNOLOGY | OPINION | EUROPE | MIDDLE EAST | MARKETS
""")
TITLE_PREFIXES = ("EXCLUSIVE: ", "Analysis: ", "UPDATE 2-", "WATCH: ", "Opinion: ", "BREAKING: ",
                  "Explainer: ", "Factbox: ", "UPDATE 1-")  # fmt: skip
RELATIVE = _items("""
    3 days ago | 2 hours ago | Yesterday | 5 hrs ago | 1 week ago | an hour ago | Today | 2
    days ago | 45 minutes ago
""")
COMMENTS = _block("""
    Interesting.
    Thanks for sharing this.
    Not surprised in the slightest.
    This is huge if true.
    Source?
    Old news, posted last week.
    Can anyone confirm this?
    Wow.
    We'll see how long that lasts.
    They said the same thing five years ago.
    Good find, mate.
    I doubt the numbers add up.
    Paywalled for me, anyone got the full text?
    +1
    lol
    Bump for visibility.
    Well, that escalated quickly.
    Makes sense when you think about it.
    Exactly what I predicted in the other thread.
    Meanwhile nobody talks about the economy.
    I'd take this with a grain of salt.
    Another nail in the coffin.
    Let's wait for the official statement before jumping to conclusions.
    That's a bold move.
    Can a mod merge this with the main thread?
    Some context would help here.
    Hardly surprising given the last election.
    Finally some good news.
    Agreed, 100%.
    Called it.
    Not sure how this is relevant.
    The original article has a few more charts, worth a look.
    Typical.
    I live there and nobody here is talking about it.
    Fake news.
    This deserves its own thread tbh.
    Great post, thank you!
    Oh boy, here we go again.
""")
REMARKS = _block("""
    My take: this was always going to happen sooner or later.
    Worth reading in full.
    Note the date on this one.
    Posting this here for reference.
    Another one for the archive.
    Thoughts?
    Sorry if already posted.
    Read the last paragraph twice.
    Mods, feel free to move this if it's in the wrong place.
    The usual suspects will say it means nothing, of course.
""")
LEAD_INS = _block("""
    Here's the full text for those behind the paywall:
    Found this today:
    Interesting read:
    Posting the article since the link is paywalled.
    From today's news:
    Copy-paste below, link at the end.
    Saw this on my feed this morning.
    Relevant to the discussion above:
    Full article below (paywall):
""")
SIGNATURES = _block("""
    Si vis pacem, para bellum
    “The only thing necessary for the triumph of evil is for good men to do nothing.”
    Sent from my iPhone using Tapatalk
    Proud member since 2009
    All opinions are my own and probably wrong.
    Per aspera ad astra
    My blog: http://northernwatch.blogspot.com
    Slow is smooth, smooth is fast.
    Don't feed the trolls.
    Sent from my SM-G960F using Tapatalk
""")
TOPICS = _items("""
    World News Discussion | Russia-China Relations: News and Commentary | Official US Politics
    Thread | Tech News Megathread | Daily News Dump | Interesting Articles Thread | Economy &
    Markets Watch | European Politics Megathread | Asia-Pacific Security Thread | Middle East
    News Roundup | Science and Health News | The Sports News Thread | Media Watch | Breaking
    News (no discussion, links only)
""")
SECTIONS = _block("""
    World Affairs | Geopolitics
    Politics | International
    Current Events | News
    Off Topic | The Newsroom
    Defence & Security | Strategic Affairs
    Business | Economy
    Technology | Tech News
    General Discussion | In the News
""")
BLOGS = _block("""
    The Eurasia Observer | Notes on Russia, China and the wider world
    Peking Duck Soup | News you won't read at home
    Steppe by Steppe | A reader's digest of Central Asian affairs
    The Quiet American | Reposting what matters
    Red Line Review | Security, strategy and the daily news
    Global Clips | An archive of stories worth keeping
    Tech Tidbits Daily | Gadgets, apps and the people behind them
    Sideline Dispatch | Sports news from around the web
""")
CATEGORIES = """China Russia Economy Politics Technology Uncategorized World Security Sports Health
    Energy Media US Europe""".split()
ADMINS = ("admin", "eurasiawatcher", "Editor", "mark", "J. H.", "silkroad", "blogmaster")
CREDIT_ROLES = ("Editing by", "Additional reporting by", "Writing by")


# --- chrome templates -----------------------------------------------------------------------
# One template a line; " // " breaks a template into several page lines; {names} are filled
# by _Fill (a username, a count, another story's headline, ...).

IN_BODY = _block("""
    Advertisement
    ADVERTISEMENT
    Story continues below advertisement
    READ MORE: {other}
    Related: {other}
    SEE ALSO: {other}
    {digits}.jpg
    [Image: {slug}.png]
    Photo: {outlet}
    (Photo by {person}/AFP via Getty Images)
    A man walks past a billboard in {city}, {story_date}. REUTERS/{person}
    Continue reading the main story
    Sign up for our daily newsletter
    Click to expand...
    Image caption
    — Watch the video above —
""")
TRAILERS = _block("""
    {url}
    Source: {outlet}
    Source: {outlet} “{title}”
    Read more: {url}
    Via {outlet}
    h/t {user}
    Originally published at {outlet}.
    This article originally appeared on {outlet}.
    (Reporting by {person}; {credit} {person2})
    © {year} {outlet}. All rights reserved.
    Source: {outlet} “{title}” // // Note: This is {outlet}’s report I post here for readers’
        information. It does not mean that I agree or disagree with the report’s views.
    {outlet} contributed to this report. // {url}
""")
ATTRIBUTIONS = _block("""
    Source: {outlet}
    Via {outlet}:
    From {outlet}:
    {outlet} reports:
    Originally published at {outlet}
    h/t {user}
""")
XENFORO_TOP = _items("""
    Forums | What's new | New posts | Search forums | Latest activity | Members | Current
    visitors | Log in | Register | Search | Install the app
""")
XENFORO_PROFILE = _block("""
    Joined // {month3} {day}, {oldyear} // Messages // {big} // Reaction score // {big2}
    Joined: {month3} {day}, {oldyear} // Messages: {big}
    Messages: {big} // Likes Received: {big2} // Trophy Points: {num}
""")
XENFORO_REACTIONS = _block("""
    Reactions: {user}, {user2} and {n} others
    {user}, {user2} and {n} others like this.
    {n} people like this
    Last edited: {later}
""")
XENFORO_BAR = _items("""
    Like Reply Quote | Like Quote Reply | Report | Reply | Upvote 0 Downvote | Like
""")
XENFORO_BOTTOM = _block("""
    You must log in or register to reply here.
    Similar threads // {other} // Replies {num} Views {big}
    Share: // Facebook Twitter Reddit Pinterest Tumblr WhatsApp Email Share Link
    Latest posts
    Forum statistics // Threads {big} // Messages {big2} // Members {big3} // Latest member {user}
    Contact us Terms and rules Privacy policy Help Home RSS
    Back Top Bottom
    Community platform by XenForo® © 2010-2019 XenForo Ltd.
""")
USER_TITLES = _items("""
    Senior Member | Full Member | Moderator | Banned | New Member | Well-known member | Member
    | Registered User | Junior Member
""")
VBULLETIN_TOP = _block("""
    Results 1 to {num} of {big}
    Page 1 of {n} 1 2 3 Last
    Thread Tools
    Show Printable Version
    Email this Page…
    Subscribe to this Thread…
    Display // Linear Mode // Switch to Hybrid Mode // Switch to Threaded Mode
""")
VBULLETIN_PROFILE = _block("""
    Join Date: {month3} {oldyear}
    Location: {place}
    Posts: {big}
    Rep Power: {num}
    Thanks: {num} // Thanked {big} Times in {num} Posts
""")
VBULLETIN_BOTTOM = _block("""
    « Previous Thread | Next Thread »
    Posting Permissions
    You may not post new threads // You may not post replies // You may not post attachments
    BB code is On // Smilies are On // [IMG] code is On // HTML code is Off
    Forum Rules
    All times are GMT -5. The time now is {clock}.
    Powered by vBulletin® Version 4.2.5 Copyright © 2019 vBulletin Solutions Inc.
        All rights reserved.
""")
PHPBB_TOP = _items("""
    Quick links | FAQ | Login | Register
""")
PHPBB_BOTTOM = _block("""
    Display posts from previous: All posts
    Sort by Post time Ascending
    Post Reply
    Return to “{sub}”
    Jump to
    Who is online // Users browsing this forum: No registered users and {n} guests
    Powered by phpBB® Forum Software © phpBB Limited
    Privacy | Terms
""")
REDDIT_TOP = _items("""
    {num} comments | share | save | hide | report | {n}{n}% Upvoted | Sort by: best
""")
REDDIT_BAR = _block("""
    Reply Share Report Save Follow
    Reply
    Share
    permalink embed save parent report reply
    Reply // Continue this thread →
""")
REDDIT_BOTTOM = _block("""
    View all comments
    More posts from the r/{sub} community
    About Community
    Created Jan 25, 2008
    Moderators
    Reddit Inc © 2019. All rights reserved
""")
DISCOURSE_BAR = _items("""
    {num} Likes | Reply | 1 Reply | Share | Bookmark | Flag
""")
DISCOURSE_BOTTOM = _block("""
    created {month3} '19 // last reply {relative}
    {num} replies
    {big} views
    Related Topics // Topic Replies Views Activity // {other} {n} {num} {month3} 2019
    Powered by Discourse, best viewed with JavaScript enabled
""")
WORDPRESS_META = _block("""
    Posted on {when} by {admin}
    {when} {admin} Leave a comment
    By {admin} | {when} | {num} Comments
    {admin} / {when}
""")
WORDPRESS_SHARE = _block("""
    Share this: // Twitter // Facebook // Email // Print
    Like this: // Like Loading...
    Posted in {category} | Tagged {category2}, {category3} | Leave a comment
    Related // {other} // In "{category}"
    Categories: {category}
""")
WORDPRESS_SIDEBAR = _block("""
    Search for: // Search
    Recent Posts // {recent}
    Archives // {archives}
    Categories // {category} // {category2} // {category3} // {category4}
    Meta // Log in // Entries feed // Comments feed // WordPress.org
    Recent Comments // {user} on {other}
    Follow Blog via Email // Enter your email address to follow this blog and receive
        notifications of new posts by email. // Join {big} other followers
""")
BLOGGER_FOOT = _block("""
    Email ThisBlogThis!Share to TwitterShare to FacebookShare to Pinterest
    Labels: {category}, {category2}
    Post a Comment
""")
NEWSLETTER_TOP = _block("""
    View this email in your browser
    View in browser
    Having trouble viewing this email? View it online.
""")
NEWSLETTER_HELLO = _block("""
    Good morning. Here's what you need to know today.
    Welcome back! Here are the stories we're following.
    Hello, readers. A busy day, so let's get to it.
""")
NEWSLETTER_MORE = _block("""
    Read more →
    Read the full story at {outlet}
    Continue reading: {url}
    Share this story
""")
NEWSLETTER_BOTTOM = _block("""
    That's all for today. See you tomorrow.
    Forwarded this email? Sign up here.
    Unsubscribe | Update your preferences | View in browser
    Copyright © {year} {name}, All rights reserved.
    You are receiving this email because you opted in via our website.
    Our mailing address is: // 1250 Example Avenue, Suite 400 // Washington, DC 20005
    Add us to your address book
    Want to change how you receive these emails?
""")
NEWSLETTERS = _items("""
    The Morning Brief | World Digest | The Daily Dispatch | Week in Review | Five Things to
    Know | The Download
""")
WIRE_TOP = _block("""
    World News | Latest Headlines
    Top News
    Wire: World
    Latest stories from the wires
""")
WIRE_CREDITS = _block("""
    (Reporting by {person}; {credit} {person2})
    Reporting by {person} in {city}; Editing by {person2}
    (c) Copyright {outlet} {year}. Click For Restrictions
    Copyright {year} {outlet}. All rights reserved. This material may not be published,
        broadcast, rewritten or redistributed.
    Tags: {category}, {category2}, {category3}
""")
LISTS = ("eurasia-news", "intl-affairs", "newsclips", "asia-watch", "media-l", "tech-digest")
DIGESTS = _items("""
    Eurasia Press Digest | Daily News Clippings | Russia & Eurasia List | Embassy Press Review
    | The Morning Clips
""")
DIGEST_ABOUT = _block("""
    A project of the Institute for European, Russian and Eurasian Studies
    Subscribe: digest@example.org
    Support the list: donations are welcome
""")


def _person(rng: Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _chance(rng: Random, p: float) -> bool:
    return rng.random() < p


def _clock(rng: Random, style: str = "AM") -> str:
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    if style == "24":
        return f"{hour:02d}:{minute:02d}"
    suffix = {"AM": ("AM", "PM"), "am": ("am", "pm"), "a.m.": ("a.m.", "p.m.")}[style]
    return f"{hour % 12 or 12}:{minute:02d} {suffix[hour >= 12]}"


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _mdy(day: date) -> str:
    return f"{MONTHS_[day.month - 1][:3]} {day.day}, {day.year}"


def _long(day: date) -> str:
    return f"{MONTHS_[day.month - 1]} {day.day}, {day.year}"


def _slug(title: str) -> str:
    return "-".join(fold(title).split()[:9])


# Each prints a full date (day, month, year) the way some outlet or engine does.
DATE_FORMATS: tuple[Callable[[Random, date], str], ...] = (
    lambda r, d: d.isoformat(),
    lambda r, d: f"{d.isoformat()} {_clock(r, '24')}",
    lambda r, d: f"{AP_MONTHS[d.month - 1]} {d.day}, {d.year} {_clock(r, 'a.m.')} ET",
    lambda r, d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda r, d: f"{d.day} {MONTHS_[d.month - 1]} {d.year}",
    lambda r, d: f"{WEEKDAYS[d.weekday()]}, {_long(d)}",
    lambda r, d: _long(d),
    lambda r, d: _mdy(d),
    lambda r, d: f"{d.day:02d} {MONTHS_[d.month - 1][:3]} {d.year}, {_clock(r, '24')} GMT",
    lambda r, d: (
        f"{WEEKDAYS[d.weekday()][:3]} {d.day} {MONTHS_[d.month - 1][:3]} {d.year} "
        f"{_clock(r, '24').replace(':', '.')} GMT"
    ),
    lambda r, d: f"{MONTHS_[d.month - 1]} {d.day:02d}, {d.year} {_clock(r, '24')} IST",
    lambda r, d: f"{d.month}/{d.day}/{d.year}",
    lambda r, d: f"{_clock(r, '24')}, {MONTHS_[d.month - 1]} {d.day:02d}, {d.year}",
    lambda r, d: f"{_ordinal(d.day)} {MONTHS_[d.month - 1]} {d.year}",
    lambda r, d: f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS_[d.month - 1]} {d.year}",
    lambda r, d: f"{_long(d)} / {_clock(r, 'AM')}",
)
# Formats 4-7 are the plain ones a blog engine or press review prints.
PLAIN_DATES = DATE_FORMATS[4:8]
DATE_PREFIXES = ("", "", "", "", "Published: ", "Posted: ", "Date: ", "Published ", "Updated ",
                 "Last updated: ", "Posted on ")  # fmt: skip


def printed_date(rng: Random, day: date) -> str:
    """A full date as some outlet prints it, maybe after a label (``Published: ...``)."""
    return rng.choice(DATE_PREFIXES) + rng.choice(DATE_FORMATS)(rng, day)


# --- a page being written -------------------------------------------------------------------


@dataclass(slots=True)
class _Story:
    source: Source
    title: str
    names: list[str]
    outlet: tuple[str, ...]
    day: date
    paragraphs: list[str]
    printed: date | None = None
    post_day: date | None = None

    @property
    def url(self) -> str:
        if self.source.url:
            return self.source.url
        return f"https://www.{self.outlet[1]}/news/{_slug(self.title)}"

    def key(self) -> KeyStory:
        words = " ".join(self.paragraphs).split()
        return KeyStory(
            source=self.source.key,
            title=self.title,
            date=self.printed,
            post_date=self.post_day,
            opening=" ".join(words[:KEY_WORDS]),
            closing=" ".join(words[-KEY_WORDS:]),
        )


class _Fill(dict[str, str]):
    """Values for a template's {names}, drawn when first asked for (same name, same value)."""

    def __init__(self, page: _Page, given: dict[str, str]) -> None:
        super().__init__(given)
        self.page = page

    def __missing__(self, name: str) -> str:
        rng, page = self.page.rng, self.page
        value: dict[str, Callable[[], str]] = {
            "user": lambda: rng.choice(USERNAMES),
            "person": lambda: _person(rng),
            "n": lambda: str(rng.randint(2, 9)),
            "num": lambda: str(rng.randint(10, 99)),
            "big": lambda: f"{rng.randint(100, 40000):,}",
            "digits": lambda: str(rng.randint(10**8, 10**9)),
            "other": page.other_title,
            "city": lambda: rng.choice(CITIES),
            "place": lambda: rng.choice(PLACES),
            "category": lambda: rng.choice(CATEGORIES),
            "credit": lambda: rng.choice(CREDIT_ROLES),
            "clock": lambda: _clock(rng),
            "relative": lambda: rng.choice(RELATIVE),
            "month": lambda: MONTHS_[rng.randint(0, 11)],
            "month3": lambda: MONTHS_[rng.randint(0, 11)][:3],
            "day": lambda: str(rng.randint(1, 28)),
            "oldyear": lambda: str(rng.randint(2004, page.year)),
            "year": lambda: str(page.year),
            "later": lambda: _mdy(page.day + timedelta(rng.randint(1, 9))),
        }
        draw = value.get(name) or value[name.rstrip("0123456789")]  # {user2}: another user
        self[name] = drawn = draw()
        return drawn


@dataclass(slots=True)
class _Page:
    """The lines of a page being composed and the chrome lines among them."""

    rng: Random
    others: list[str]
    day: date
    lines: list[str] = field(default_factory=list)
    chrome_lines: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.day.year

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def chrome(self, *lines: str) -> None:
        for line in lines:
            self.lines.append(line)
            if _WORD.search(line):
                self.chrome_lines.append(line.strip())

    def blank(self, count: int = 1) -> None:
        self.lines.extend([""] * count)

    def other_title(self) -> str:
        return self.rng.choice(self.others)

    def fill(self, template: str, **given: str) -> list[str]:
        """A template's page lines with its {names} filled."""
        filled = template.format_map(_Fill(self, given))
        return [line.strip() for line in re.split(r"(?<=\s)//(?=\s|$)", filled)]

    def pick(self, templates: Sequence[str], **given: str) -> None:
        """Write one of the templates as chrome."""
        self.chrome(*self.fill(self.rng.choice(templates), **given))

    def some(self, templates: Sequence[str], low: int, high: int, **given: str) -> None:
        """Write ``low``-``high`` of the templates, in their order, as chrome."""
        count = self.rng.randint(low, min(high, len(templates)))
        for index in sorted(self.rng.sample(range(len(templates)), count)):
            self.chrome(*self.fill(templates[index], **given))


def _style_title(rng: Random, title: str) -> str:
    roll = rng.random()
    if roll < 0.2:  # Title Case
        small = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with"}
        return " ".join(
            w if (i and w.lower() in small) or not w[:1].islower() else w[:1].upper() + w[1:]
            for i, w in enumerate(title.split())
        )
    if roll < 0.28:
        return title.upper()
    if roll < 0.4:
        return rng.choice(TITLE_PREFIXES) + title
    return title


def _byline(rng: Random, story: _Story) -> str:
    a, b, outlet = story.names[0], story.names[-1], story.outlet[0]
    return rng.choice((
        f"By {a}", f"By {a}", a, f"By {a} and {b}", f"{a} and {b}", f"{a}, {outlet}",
        f"By {a}, {outlet}", f"BY {a.upper()}", f"{a} | {outlet}", f"{a} ({outlet})",
        f"By {a}, Staff Writer", f"By {a} in {rng.choice(CITIES)}", f"Author: {a}",
    ))  # fmt: skip


def _dated_header(rng: Random, story: _Story) -> tuple[list[str], list[str]]:
    """Lines above and below the headline of a story whose date is printed."""
    story.printed = day = story.day
    date_line = printed_date(rng, day)
    a, outlet = story.names[0], story.outlet[0]
    padded, ago = f"{MONTHS_[day.month - 1]} {day.day:02d}, {day.year}", rng.choice(RELATIVE[:2])
    # An update line, printed under the publication date (which the key keeps).
    updated = f"Updated {rng.choice(DATE_FORMATS)(rng, day + timedelta(rng.randint(0, 2)))}"
    layouts: tuple[Callable[[], tuple[list[str], list[str]]], ...] = (
        lambda: ([], [_byline(rng, story), date_line]),
        lambda: ([], [date_line, _byline(rng, story)]),
        lambda: ([], [f"By {a} | {_mdy(day)}"]),
        lambda: ([], [date_line]),
        lambda: ([date_line], []),
        lambda: ([date_line], [_byline(rng, story)]),
        lambda: ([], [f"Published: {_mdy(day)}", updated]),
        lambda: ([], [f"({outlet}) {_clock(rng, '24')}, {padded}"]),
        lambda: ([], [a, outlet, f"{_long(day)} / {_clock(rng)} / Updated {ago}"]),
        lambda: ([], [f"Posted on {_long(day)} by {a}"]),
        lambda: ([], [f"By {a} On {day.month}/{day.day}/{day.year % 100:02d} at {_clock(rng)}"]),
        lambda: ([], [f"{a} and {story.names[-1]}", "", date_line]),
    )  # fmt: skip
    return rng.choice(layouts)()


def _undated_header(rng: Random, story: _Story) -> list[str]:
    """Byline lines of a story that prints no date (``story.printed`` stays None)."""
    return rng.choice((
        [_byline(rng, story)], [], [], [rng.choice(RELATIVE)],
        [_byline(rng, story), rng.choice(RELATIVE)], [story.outlet[0]],
    ))  # fmt: skip


def _header(
    page: _Page, story: _Story, *, dated: float = 0.7, kicker: float = 0.1, title: bool = True
) -> None:
    """Write a story's kicker, headline (unless the layout printed it), byline and date lines."""
    rng = page.rng
    if title and _chance(rng, kicker):
        page.chrome(rng.choice(KICKERS))
    if _chance(rng, dated):
        above, below = _dated_header(rng, story)
    else:
        above, below = [], _undated_header(rng, story)
    page.add(*above, *([story.title] if title else []), *below)
    if _chance(rng, 0.5):
        page.blank()


def _given(story: _Story) -> dict[str, str]:
    """What a template may say of a story."""
    return {
        "outlet": story.outlet[0],
        "title": story.title,
        "url": story.url,
        "slug": _slug(story.title)[:30],
        "story_date": _long(story.day),
        "year": str(story.day.year),
    }


def _body(
    page: _Page,
    story: _Story,
    *,
    gap: float = 0.8,
    inserts: float = 0.25,
    wrap: int = 0,
    dateline: bool = False,
) -> None:
    """Write a story's paragraphs (blank lines between them with chance ``gap``)."""
    rng = page.rng
    spaced = _chance(rng, gap)
    paragraphs = list(story.paragraphs)
    template = story.outlet[2]
    if dateline and template and not _OWN_DATELINE.match(paragraphs[0]):
        city = rng.choice(CITIES)
        month = AP_MONTHS[story.day.month - 1]
        prefix = template.format(CITY=city.upper(), City=city, Month=month, d=story.day.day)
        paragraphs[0] = f"{prefix} {paragraphs[0]}"
    for index, paragraph in enumerate(paragraphs):
        if index and spaced:
            page.blank()
        page.add(*(textwrap.wrap(paragraph, wrap) if wrap else [paragraph]))
        if index + 1 < len(paragraphs) and _chance(rng, inserts * 2 / len(paragraphs)):
            if spaced:
                page.blank()
            page.pick(IN_BODY, **_given(story))


def _trailer(page: _Page, story: _Story, chance: float = 0.6) -> None:
    """Maybe a source line after a story: URL, ``Source: …``, credits, a reposter's note."""
    if _chance(page.rng, chance):
        if _chance(page.rng, 0.5):
            page.blank()
        page.pick(TRAILERS, **_given(story))


def _comment(rng: Random) -> str:
    return " ".join(rng.sample(COMMENTS, rng.randint(1, 3)))


def _topic_title(rng: Random, stories: Sequence[_Story]) -> str:
    return stories[0].title if _chance(rng, 0.3) else rng.choice(TOPICS)


def _post_days(rng: Random, stories: Sequence[_Story]) -> list[date]:
    """When each story was posted: a few days after it ran, never before the previous post."""
    days: list[date] = []
    for story in stories:
        day = story.day + timedelta(rng.randint(0, 3))
        days.append(max(day, days[-1]) if days else day)
    return days


def _story_post(page: _Page, story: _Story, *, dated: float = 0.6, gap: float = 0.7) -> None:
    """A forum post that reposts one story: lead-in, story, source line, remark, @mentions."""
    rng = page.rng
    if _chance(rng, 0.2):
        page.chrome(rng.choice(LEAD_INS))
        page.blank()
    _header(page, story, dated=dated)
    _body(page, story, gap=gap, inserts=0.3, dateline=_chance(rng, 0.2))
    _trailer(page, story)
    if _chance(rng, 0.2):
        page.blank()
        page.chrome(rng.choice(REMARKS))
    if _chance(rng, 0.1):
        page.blank()
        page.chrome(" , ".join("@" + name for name in rng.sample(USERNAMES, rng.randint(2, 7))))


def _reply(page: _Page, story: _Story, said: str | None) -> None:
    """A short comment, maybe quoting a middle paragraph of the story (never its first/last)."""
    rng = page.rng
    if said is not None and _chance(rng, 0.3):
        page.chrome(said.format(user=rng.choice(USERNAMES)))
        if len(story.paragraphs) >= 3:
            page.add(rng.choice(story.paragraphs[1:-1]))
        else:
            page.chrome(_comment(rng))
        if said.endswith("said:"):
            page.chrome("Click to expand...")
    page.chrome(_comment(rng))


# --- styles: forums -------------------------------------------------------------------------
# A style writes the page and returns the engine it imitated; it sets each story's post_day
# where the page prints a post date (a relative "Today at 10:12" leaves it None).


def _xenforo(page: _Page, stories: list[_Story]) -> str:
    rng = page.rng
    modern = _chance(rng, 0.6)
    section, sub = rng.choice(SECTIONS).split(" | ")
    thread = _topic_title(rng, stories)
    nav = rng.sample(XENFORO_TOP, rng.randint(2, 6))
    page.chrome(*(nav if _chance(rng, 0.5) else [" ".join(nav)]))
    page.blank()
    page.chrome(rng.choice((f"Home Forums {section} {sub}", f"Forums › {section} › {sub}")))
    page.blank()
    page.chrome(thread)
    starter, opened = rng.choice(USERNAMES), _mdy(stories[0].day)
    if modern:
        page.chrome(f"Thread starter {starter} Start date {opened}")
    else:
        page.chrome(f"Discussion in '{sub}' started by {starter}, {opened}.")
    if _chance(rng, 0.4):
        page.chrome(f"Page {rng.randint(2, 9)} of {rng.randint(10, 40)}")
    separator = rng.choice(("", "", "\u00a0", " "))
    number = rng.randint(1, 300)

    def post(day: date | None, content: Callable[[], None]) -> None:
        nonlocal number
        number += 1
        user = rng.choice(USERNAMES)
        when = (
            _mdy(day)
            if day
            else rng.choice(("Today", "Yesterday", "Monday")) + " at " + _clock(rng)
        )
        page.add(separator, "")
        page.chrome(user)
        if _chance(rng, 0.5):
            page.chrome(rng.choice(USER_TITLES))
        if modern:
            if _chance(rng, 0.5):
                page.pick(XENFORO_PROFILE[:2])
            page.chrome(
                *rng.choice(([when, f"#{number}"], [f"{when} #{number}"], [f"#{number}", when]))
            )
        else:
            page.pick(XENFORO_PROFILE[2:])
        page.blank()
        content()
        page.blank()
        if not modern:
            page.chrome(f"{user}, {when}", f"#{number}")
        page.pick(XENFORO_BAR)
        if _chance(rng, 0.4):
            page.pick(XENFORO_REACTIONS)
        if _chance(rng, 0.2):
            page.chrome(rng.choice(("_________________", "--")), rng.choice(SIGNATURES))

    if _chance(rng, 0.3):
        post(
            stories[0].day,
            partial(page.chrome, f"Post news on {thread.lower()} here. Keep it civil."),
        )
    for story, day in zip(stories, _post_days(rng, stories), strict=True):
        story.post_day = day if _chance(rng, 0.8) else None
        post(story.post_day, partial(_story_post, page, story))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            post(story.post_day, partial(_reply, page, story, "{user} said:"))
    page.add(separator, "")
    page.some(XENFORO_BOTTOM, 3, 7)
    return "xenforo-2" if modern else "xenforo-1"


def _vbulletin(page: _Page, stories: list[_Story]) -> str:
    rng = page.rng
    british = _chance(rng, 0.35)
    section, sub = rng.choice(SECTIONS).split(" | ")
    thread = _topic_title(rng, stories)
    board = rng.choice(("Strategy Forum", "The Front Line", "Global Affairs Board", "Newsvine"))
    page.chrome(
        f"{board} > {section} > {sub}", f"Thread: {thread}" if _chance(rng, 0.6) else thread
    )
    page.blank()
    page.some(VBULLETIN_TOP, 2, 5)
    number = rng.randint(0, 60)
    rule = rng.choice(("", "__________________", "-" * 20))

    def stamp(day: date | None) -> str:
        if day is None:
            return rng.choice(("Today, ", "Yesterday, ")) + _clock(rng, "24" if british else "AM")
        if british:
            return f"{_ordinal(day.day)} {MONTHS_[day.month - 1]} {day.year}, {_clock(rng, '24')}"
        return f"{day.month:02d}-{day.day:02d}-{day.year}, {_clock(rng)}"

    def post(day: date | None, content: Callable[[], None], title: str = "") -> None:
        nonlocal number
        number += 1
        user = rng.choice(USERNAMES)
        when = stamp(day)
        page.blank()
        if rule:
            page.chrome(rule)
        page.chrome(*rng.choice(([f"#{number}", when], [f"Old {when}", f"#{number}"])))
        page.chrome(user, rng.choice(USER_TITLES))
        page.some(VBULLETIN_PROFILE, 1, 4)
        page.blank()
        if title:
            page.chrome(title)
        content()
        if _chance(rng, 0.25):
            page.chrome("__________________", rng.choice(SIGNATURES))
        page.chrome("Reply With Quote")
        if _chance(rng, 0.2):
            page.chrome(f"Last edited by {user}; {when}.")
        if _chance(rng, 0.2):
            page.chrome(
                f"The Following {rng.randint(2, 6)} Users Say Thank You to {user} For "
                "This Useful Post:",
                ", ".join(rng.sample(USERNAMES, 3)),
            )

    for story, day in zip(stories, _post_days(rng, stories), strict=True):
        story.post_day = day if _chance(rng, 0.8) else None
        title = rng.choice(("", "", f"Re: {thread}", "Default"))
        post(story.post_day, partial(_story_post, page, story, gap=rng.choice((0.3, 0.9))), title)
        for _ in range(rng.choice((0, 1, 1, 2))):
            post(
                story.post_day,
                partial(_reply, page, story, "Quote: // Originally Posted by {user}"),
            )
    page.blank()
    page.some(VBULLETIN_BOTTOM, 3, 7)
    return "vbulletin-uk" if british else "vbulletin-us"


def _phpbb(page: _Page, stories: list[_Story]) -> str:
    rng = page.rng
    section, sub = rng.choice(SECTIONS).split(" | ")
    thread = _topic_title(rng, stories)
    page.some(PHPBB_TOP, 2, 4)
    page.chrome(f"Board index ‹ {section} ‹ {sub}", "", thread)
    total = rng.randint(len(stories) * 2, 90)
    count = f"{total} posts • Page 1 of {total // 15 + 1}"
    page.chrome("Post Reply", "Search this topic…", count)
    profile_after = _chance(rng, 0.5)

    def stamp(day: date | None) -> str:
        if day is None:
            return rng.choice(("Today, ", "Yesterday, ")) + _clock(rng, "am")
        weekday, month = WEEKDAYS[day.weekday()][:3], MONTHS_[day.month - 1][:3]
        return f"{weekday} {month} {day.day:02d}, {day.year} {_clock(rng, 'am')}"

    def post(day: date | None, content: Callable[[], None]) -> None:
        user = rng.choice(USERNAMES)
        page.blank()
        page.chrome(f"Re: {thread}" if _chance(rng, 0.7) else thread)
        page.chrome(f"{rng.choice(('Post by', 'by'))} {user} » {stamp(day)}")
        joined = date(rng.randint(2004, max(2004, page.year - 1)), rng.randint(1, 12), 12)
        profile = [user, f"Posts: {rng.randint(5, 20000)}", f"Joined: {stamp(joined)}"]
        if _chance(rng, 0.5):
            profile.append(f"Location: {rng.choice(PLACES)}")
        if not profile_after:
            page.chrome(*profile)
        page.blank()
        content()
        if _chance(rng, 0.3):
            page.chrome(rng.choice(SIGNATURES))
        page.blank()
        if profile_after:
            page.chrome(*profile)
        page.chrome("Top")

    for story, day in zip(stories, _post_days(rng, stories), strict=True):
        story.post_day = day if _chance(rng, 0.85) else None
        post(story.post_day, partial(_story_post, page, story, gap=rng.choice((0.5, 0.9))))
        for _ in range(rng.choice((0, 1, 2))):
            post(story.post_day, partial(_reply, page, story, "{user} wrote:"))
    page.blank()
    page.some(PHPBB_BOTTOM, 3, 7, sub=sub)
    return "phpbb"


def _threaded(page: _Page, stories: list[_Story]) -> str:
    """Reddit or Discourse: relative post times, so no post has a date."""
    rng = page.rng
    reddit = _chance(rng, 0.5)
    sub = rng.choice(("worldnews", "geopolitics", "news", "technology", "China", "europe"))
    if reddit:
        first = stories[0]
        page.chrome(f"r/{sub}", f"Posted by u/{rng.choice(USERNAMES)} {rng.choice(RELATIVE)}")
        page.chrome(first.title, first.outlet[1])
        page.some(REDDIT_TOP, 3, 7)
    else:
        page.chrome(_topic_title(rng, stories), rng.choice(CATEGORIES))
        if _chance(rng, 0.5):
            page.chrome("Skip to main content", "Log In", "Sign Up")

    def post(content: Callable[[], None], level: int = 1) -> None:
        page.blank()
        if reddit:
            page.chrome(f"level {level}")
            page.chrome(*rng.choice((
                [f"{rng.choice(USERNAMES)} · {rng.choice(('3h', '5h', '1d', '2d'))}"],
                [rng.choice(USERNAMES), f"{rng.randint(1, 9000)} points · {rng.choice(RELATIVE)}"],
            )))  # fmt: skip
        else:
            page.chrome(
                rng.choice(USERNAMES), rng.choice(("Mar '19", "Jan 4", "2d", "Nov '21", "5h"))
            )
        content()
        page.pick(REDDIT_BAR) if reddit else page.some(DISCOURSE_BAR, 1, 3)

    for story in stories:
        post(partial(_story_post, page, story, dated=0.35, gap=0.9))
        for _ in range(rng.choice((0, 1, 2))):
            post(partial(_reply, page, story, None), level=rng.randint(2, 3))
    page.blank()
    page.some(REDDIT_BOTTOM if reddit else DISCOURSE_BOTTOM, 2, 4, sub=sub)
    return "reddit" if reddit else "discourse"


# --- styles: blogs --------------------------------------------------------------------------


def _sidebar(page: _Page, stories: Sequence[_Story], day: date, *, blogger: bool) -> None:
    """Recent posts (some of them this page's stories), archives, categories, meta links."""
    rng = page.rng
    titles = [s.title for s in rng.sample(list(stories), min(3, len(stories)))]
    titles += [page.other_title() for _ in range(rng.randint(1, 3))]
    rng.shuffle(titles)
    months = [MONTHS_[(day.month - k - 1) % 12] for k in range(4)]
    page.blank()
    if blogger:
        page.chrome(
            "Blog Archive",
            f"▼  {day.year} ({rng.randint(40, 400)})",
            f"▼  {months[0]} ({rng.randint(5, 40)})",
            *titles,
            f"►  {months[1]} ({rng.randint(5, 40)})",
            "About Me",
            rng.choice(ADMINS),
            "View my complete profile",
        )
        return
    page.some(WORDPRESS_SIDEBAR, 2, 7, recent=" // ".join(titles), archives=" // ".join(months))


def _wordpress(page: _Page, stories: list[_Story]) -> str:
    rng = page.rng
    name, tagline = rng.choice(BLOGS).split(" | ")
    page.chrome(*rng.choice(([f"{name} – {tagline}"], [name, tagline], [name.upper(), tagline])))
    page.chrome(*rng.choice((["Skip to content"], ["Menu"], ["Home About Contact Archives"],
                             ["Home", "About", "Contact", "Donate"])))  # fmt: skip
    newest = max(s.day for s in stories)
    sidebar_first = _chance(rng, 0.3)
    if sidebar_first:
        _sidebar(page, stories, newest, blogger=False)
    meta = rng.choice(WORDPRESS_META)
    admin = rng.choice(ADMINS)
    for story, day in list(zip(stories, _post_days(rng, stories), strict=True))[::-1]:
        story.post_day = day
        page.blank(2)
        page.add(story.title)
        page.chrome(*page.fill(meta, when=rng.choice(PLAIN_DATES)(rng, day), admin=admin))
        page.blank()
        if _chance(rng, 0.35):
            page.pick(ATTRIBUTIONS, **_given(story))
            page.blank()
        if _chance(rng, 0.5):
            _header(page, story, title=False, dated=0.75)
        _body(page, story, gap=0.95, inserts=0.2)
        _trailer(page, story, chance=0.7)
        page.blank()
        page.some(WORDPRESS_SHARE, 1, 4)
    if not sidebar_first:
        _sidebar(page, stories, newest, blogger=False)
    page.chrome(
        rng.choice(
            (
                "Blog at WordPress.com.",
                f"© {newest.year} {name}",
                "Proudly powered by WordPress | Theme: Twenty Seventeen.",
            )
        )
    )
    return "wordpress"


def _blogger(page: _Page, stories: list[_Story]) -> str:
    rng = page.rng
    name, tagline = rng.choice(BLOGS).split(" | ")
    page.chrome(name, tagline)
    if _chance(rng, 0.5):
        page.chrome("Pages", "Home", "About this blog")
    posts = list(zip(stories, _post_days(rng, stories), strict=True))[::-1]
    shown: date | None = None
    for story, day in posts:
        story.post_day = day
        page.blank(2)
        if day != shown:  # Blogger prints a date header once per day
            page.chrome(f"{WEEKDAYS[day.weekday()]}, {_long(day)}", "")
            shown = day
        page.add(story.title, "")
        if _chance(rng, 0.3):
            page.pick(ATTRIBUTIONS, **_given(story))
            page.blank()
        if _chance(rng, 0.55):
            _header(page, story, title=False, dated=0.7)
        _body(page, story, gap=rng.choice((0.4, 0.95)), inserts=0.25)
        _trailer(page, story, chance=0.7)
        page.blank()
        page.chrome(
            f"Posted by {rng.choice(ADMINS)} at {_clock(rng)}",
            rng.choice(("No comments:", f"{rng.randint(1, 9)} comments:")),
        )
        page.some(BLOGGER_FOOT, 1, 3)
    page.blank(2)
    page.chrome("Newer Posts Older Posts Home", "Subscribe to: Posts (Atom)")
    _sidebar(page, stories, posts[0][1], blogger=True)
    page.chrome(
        rng.choice(
            (
                "Simple theme. Powered by Blogger.",
                "Powered by Blogger.",
                "Watermark theme. Theme images by Michael Elkan. Powered by Blogger.",
            )
        )
    )
    return "blogger"


# --- styles: digests, wires, lists ----------------------------------------------------------


def _newsletter(page: _Page, stories: list[_Story]) -> str:
    rng = page.rng
    name = rng.choice(NEWSLETTERS)
    issue = max(s.day for s in stories) + timedelta(rng.randint(0, 2))
    numbered = _chance(rng, 0.4)
    page.pick(NEWSLETTER_TOP)
    page.blank()
    page.chrome(
        name, f"{WEEKDAYS[issue.weekday()]}, {_long(issue)} | Issue #{rng.randint(10, 900)}"
    )
    page.blank()
    page.pick(NEWSLETTER_HELLO)
    if _chance(rng, 0.6):
        page.blank()
        page.chrome(rng.choice(("IN THIS ISSUE", "Today's top stories:", "In today's edition")))
        page.chrome(
            *(f"{i}. {s.title}" if numbered else f"• {s.title}" for i, s in enumerate(stories, 1))
        )
    rule = rng.choice(("———", "* * *", "", "------------------------------"))
    for number, story in enumerate(stories, 1):
        story.post_day = issue
        page.blank(2)
        if rule:
            page.chrome(rule, "")
        if number == 3 and _chance(rng, 0.5):
            page.chrome("SPONSORED", "Together with Brightline: try it free for 30 days.", "")
        if _chance(rng, 0.3):
            page.chrome(rng.choice(KICKERS))
        page.add(f"{number}. {story.title}" if numbered else story.title)
        header = rng.randrange(4)
        if header == 0:
            page.chrome(f"{story.outlet[0]} · {rng.randint(2, 9)} min read")
        elif header == 1:
            _header(page, story, title=False, dated=0.6)
        page.blank()
        _body(page, story, gap=0.95, inserts=0.1)
        page.blank()
        page.pick(NEWSLETTER_MORE, **_given(story))
    page.blank(2)
    page.some(NEWSLETTER_BOTTOM, 3, 7, name=name, year=str(issue.year))
    return "newsletter"


def _wire(page: _Page, stories: list[_Story]) -> str:
    """A wire feed page: datelines open the bodies; a date only where a timestamp line is."""
    rng = page.rng
    page.pick(WIRE_TOP)
    if _chance(rng, 0.5):
        page.chrome("Filter by region: All Africa Americas Asia Europe Middle East")
    rule = rng.choice(("---", "___", "* * *", ""))
    agencies = [outlet for outlet in OUTLETS if outlet[2]]
    for story in stories:
        story.outlet = rng.choice(agencies)
        page.blank(2)
        if rule:
            page.chrome(rule, "")
        stamp = ""
        if _chance(rng, 0.35):
            story.printed = day = story.day
            stamp = rng.choice((
                f"{day.isoformat()} {_clock(rng, '24')}:{rng.randint(10, 59)} GMT",
                f"{day.day:02d} {MONTHS_[day.month - 1][:3]} {day.year} {_clock(rng, '24')} UTC",
                f"{_mdy(day)} {_clock(rng)} GMT",
            ))  # fmt: skip
        above = _chance(rng, 0.5)
        page.add(
            *[
                line
                for line in (stamp if above else "", story.title, "" if above else stamp)
                if line
            ]
        )
        if _chance(rng, 0.4):
            page.add(f"By {story.names[0]}")
        page.blank()
        _body(page, story, gap=rng.choice((0.2, 0.95)), inserts=0.1, dateline=True)
        page.blank()
        page.pick(WIRE_CREDITS, **_given(story))
    return "wire"


def _mail_date(rng: Random, day: date) -> str:
    zone = rng.choice(("+0000", "-0500", "+0300"))
    return f"{WEEKDAYS[day.weekday()][:3]}, {day.day} {MONTHS_[day.month - 1][:3]} {day.year} " \
        f"{_clock(rng, '24')}:{rng.randint(10, 59)} {zone}"  # fmt: skip


def _mailman(page: _Page, stories: list[_Story], group: str, wrap: int) -> str:
    rng = page.rng
    senders = [_person(rng) for _ in stories]
    page.chrome(f"Send {group} mailing list submissions to", f"\t{group}@lists.example.org", "")
    page.chrome("Today's Topics:", "")
    page.chrome(*(f"   {i}. {s.title} ({senders[i - 1]})" for i, s in enumerate(stories, 1)))
    page.add("", "")
    for i, (story, day) in enumerate(zip(stories, _post_days(rng, stories), strict=True), 1):
        story.post_day = day
        sender = senders[i - 1]
        page.chrome(
            "-" * 70,
            "",
            f"Message: {i}",
            f"Date: {_mail_date(rng, day)}",
            f"From: {sender} <{sender.split()[0].lower()}@example.org>",
            f"Subject: [{group}] {rng.choice(('', 'Fwd: ', 'FW: '))}{story.title}",
            f"Message-ID: <{rng.randint(10**9, 10**10)}@mail.example.org>",
            'Content-Type: text/plain; charset="utf-8"',
            "",
        )
        if _chance(rng, 0.5):
            _header(page, story, dated=0.6)
        _body(page, story, gap=0.95, inserts=0.05, wrap=wrap)
        _trailer(page, story, chance=0.5)
        page.blank()
        if _chance(rng, 0.3):
            page.chrome(
                "-------------- next part --------------",
                "An HTML attachment was scrubbed...",
                f"URL: <http://lists.example.org/pipermail/{group}/attachment.html>",
            )
    page.chrome(
        "-" * 70,
        "",
        f"End of {group} Digest, Vol {rng.randint(1, 30)}, Issue {rng.randint(1, 300)}",
        "*" * 40,
    )
    return "mailman-digest"


def _google_groups(page: _Page, stories: list[_Story], group: str, wrap: int) -> str:
    rng = page.rng
    page.chrome(group, "Conversations", "About", "")
    page.chrome(f"[{group}] {_topic_title(rng, stories)}", f"{len(stories) + 2} views")
    for story, day in zip(stories, _post_days(rng, stories), strict=True):
        story.post_day = day
        sender = _person(rng)
        page.blank()
        page.chrome(sender, "unread,", f"{_mdy(day)}, {_clock(rng)}", f"to {group}", "")
        forwarded = _chance(rng, 0.4)
        if forwarded:
            page.chrome(
                "---------- Forwarded message ---------",
                f"From: {story.outlet[0]} <newsletters@{story.outlet[1]}>",
                f"Date: {_mail_date(rng, story.day)}",
                f"Subject: {story.title}",
                "",
            )
        _header(page, story, dated=0.5 if forwarded else 0.7)
        _body(page, story, gap=0.95, inserts=0.05, wrap=wrap)
        _trailer(page, story, chance=0.6)
        page.blank()
        page.chrome(rng.choice(("--", "-- ")), sender.split()[0])
        if _chance(rng, 0.6):
            page.chrome(
                "--",
                "You received this message because you are subscribed to the "
                f'Google Groups "{group}" group.',
                "To unsubscribe from this group and "
                f"stop receiving emails from it, send an email to {group}+unsubscribe@"
                "googlegroups.com.",
            )
        page.chrome(rng.choice(("Reply all", "Reply to author", "Forward")))
    return "google-groups"


def _mailing_list(page: _Page, stories: list[_Story]) -> str:
    """A Mailman digest or a Google Groups thread: e-mail headers, maybe hard-wrapped text."""
    rng = page.rng
    group, wrap = rng.choice(LISTS), rng.choice((0, 72))
    write = _mailman if _chance(rng, 0.5) else _google_groups
    return write(page, stories, group, wrap)


def _press_digest(page: _Page, stories: list[_Story]) -> str:
    """A press review (in the manner of Johnson's Russia List): contents, then numbered items."""
    rng = page.rng
    name = rng.choice(DIGESTS)
    issue = max(s.day for s in stories) + timedelta(rng.randint(0, 1))
    page.chrome(
        name,
        f"{issue.year}-#{rng.randint(1, 230)}",
        f"{issue.day} {MONTHS_[issue.month - 1]} {issue.year}",
    )
    page.some(DIGEST_ABOUT, 1, 3)
    page.blank()
    toc = _chance(rng, 0.75)
    if toc:
        page.chrome("Contents" if _chance(rng, 0.5) else "In this issue")
        page.chrome(*(f"{i}. {s.outlet[0]}: {s.title}" for i, s in enumerate(stories, 1)))
    for number, story in enumerate(stories, 1):
        story.post_day = issue
        page.blank(2)
        page.chrome(f"#{number}", story.outlet[0])
        if _chance(rng, 0.75):
            story.printed = story.day
            page.add(rng.choice(PLAIN_DATES)(rng, story.day))
        page.add(story.title)
        if _chance(rng, 0.6):
            page.add(f"By {story.names[0]}")
        page.blank()
        _body(page, story, gap=rng.choice((0.3, 0.95)), inserts=0.05)
        if toc:
            page.chrome("", "[return to Contents]")
    page.blank(2)
    page.chrome(
        rng.choice(
            (
                f"{name} is distributed for research purposes only.",
                "Unsubscribe by replying with UNSUBSCRIBE in the subject line.",
            )
        )
    )
    return "press-review"


STYLES: dict[str, Callable[[_Page, list[_Story]], str]] = {
    "forum-xenforo": _xenforo,
    "forum-vbulletin": _vbulletin,
    "forum-phpbb": _phpbb,
    "forum-threaded": _threaded,
    "blog-wordpress": _wordpress,
    "blog-blogger": _blogger,
    "newsletter": _newsletter,
    "wire-feed": _wire,
    "mailing-list": _mailing_list,
    "press-digest": _press_digest,
}


# --- composing ------------------------------------------------------------------------------


def _truncate(rng: Random, paragraphs: Sequence[str]) -> list[str]:
    """The first paragraphs of a body, about 120-450 words, ending on a sentence."""
    cap = rng.randint(120, 450)
    kept: list[str] = []
    for paragraph in paragraphs:
        if kept and sum(_words(p) for p in kept) >= cap:
            break
        kept.append(paragraph)
    while _words(kept[-1]) < 8 and sum(_words(p) for p in kept[:-1]) >= 100:
        kept.pop()  # end on a sentence, not on a subhead or a caption
    return kept


def compose_page(
    sources: Sequence[Source], style: str, *, seed: int, page_id: str, titles: Sequence[str]
) -> ComposedPage:
    """Lay ``sources`` out in one style; the same seed and id give the same page."""
    rng = Random(f"{seed}:{page_id}")
    start = FIRST_DAY + timedelta(rng.randint(0, (LAST_DAY - FIRST_DAY).days - 30))
    days = sorted(start + timedelta(rng.randint(0, 20)) for _ in sources)
    stories = [
        _Story(
            source=source,
            title=_style_title(rng, source.title),
            names=[_person(rng), _person(rng)],
            outlet=rng.choice(OUTLETS),
            day=day,
            paragraphs=_truncate(rng, source.paragraphs),
        )
        for source, day in zip(sources, days, strict=True)
    ]
    mine = {source.title for source in sources}
    page = _Page(rng=rng, others=[t for t in titles if t not in mine], day=start)
    engine = STYLES[style](page, stories)
    text = re.sub(r"\n{4,}", "\n\n\n", "\n".join(page.lines).strip("\n")) + "\n"
    # A chrome line that a story also prints (a quoted paragraph, its title) cannot show a leak.
    prose = [fold(paragraph) for story in stories for paragraph in story.paragraphs]
    prose += [fold(story.title) for story in stories]  # a sidebar's "Recent Posts" titles
    chrome = [line for line in dict.fromkeys(page.chrome_lines) if not holds(prose, line)]
    return ComposedPage(
        page_id=page_id,
        style=style,
        engine=engine,
        text=text,
        stories=tuple(story.key() for story in stories),
        chrome=tuple(chrome),
    )


def compose(
    sources: Sequence[Source],
    *,
    pages: int = 60,
    seed: int = 0,
    styles: Sequence[str] | None = None,
) -> list[ComposedPage]:
    """``pages`` pages of 3-6 real stories each, styles taken in turn; deterministic for a seed."""
    names = list(styles or STYLES)
    unknown = [name for name in names if name not in STYLES]
    if unknown:
        raise ValueError(f"unknown style(s) {unknown}; choose from {sorted(STYLES)}")
    if len(sources) < 6:
        raise ValueError(f"need at least 6 source stories, got {len(sources)}")
    order = list(sources)
    Random(f"sources:{seed}").shuffle(order)
    titles = [source.title for source in order]
    composed: list[ComposedPage] = []
    cursor = 0
    for index in range(pages):
        style = names[index % len(names)]
        count = Random(f"{seed}:count:{index}").randint(3, 6)
        if cursor + count > len(order):  # every source used once: start the cycle again
            cursor = 0
        chosen = order[cursor : cursor + count]
        cursor += count
        page_id = f"s{seed}-{index:03d}-{style}"
        composed.append(compose_page(chosen, style, seed=seed, page_id=page_id, titles=titles))
    return composed
