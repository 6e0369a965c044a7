"""Line-level boilerplate recognisers for plain-text pages (forum threads, reposting blogs).

Each predicate looks at one stripped line and says whether it is page furniture that
must never reach an article body: forum and blog chrome, image file names and photo
credits, @mention lists, reposters' notes, share/tag widgets.
"""

from __future__ import annotations

import re

_IMAGE_NAME = re.compile(
    r"^[\w\-.()%~+ ]{1,120}\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif|heic)(?:\?\S*)?$",
    re.IGNORECASE,
)
_PHOTO_CREDIT = re.compile(
    r"^(?:©|\(c\)|copyright\b|photo\s*(?:credit)?\s*:|image\s*(?:credit)?\s*:|picture\s*:|"
    r"(?:photo|image|picture)\s+by\b|getty images\b|file photo\b)",
    re.IGNORECASE,
)
# A caption ends in its agency's and photographer's credit: "… in Brussels. REUTERS/Jo Hughes".
_CAPTION_CREDIT = re.compile(
    r"\b[A-Z]{2,}(?: Photo)?\s?/\s?[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}\)?$"
)
# An image a page names in a wrapper: "[Image: cat.png]", "[img]cat.png[/img]", "(photo: x.jpg)".
_IMAGE_WRAPPER = re.compile(
    r"^[\[(]\s*(?:image|img|photo|picture|attachment)\s*[:\]]\s*|\s*(?:\[/img\])?[\])]$",
    re.IGNORECASE,
)
# A copyright notice, the site's or the agency's: "© 2010-2019 XenForo Ltd.", "Copyright 2023
# Associated Press. All rights reserved. This material may not be published …".
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)\s*(?:19|20)\d\d|\bcopyright\s+(?:©\s*)?(?:19|20)\d\d)|all rights reserved",
    re.IGNORECASE,
)
# A labelled link to another story: "Related: …", "Read more: …", "See also: …".
_LABELLED_WIDGET = re.compile(
    r"^(?:related(?: stories| posts| articles| coverage)?|read (?:more|also)|see also|also read|"
    r"more from [\w ]{1,30}|recommended|filter by [\w ]{1,30})\s*[:：]\s*\S",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]['\"’”)]*$")
# A postal address line in a footer: "1250 Example Avenue, Suite 400".
_POSTAL_ADDRESS = re.compile(
    r"^\d{1,5}\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|"
    r"drive|dr|square|place|plaza|way)\b\.?(?:,?\s*(?:suite|ste|floor|fl|room|unit)\.?\s*\w+)?"
    r"(?:,\s*[\w .'’-]+){0,3}$",
    re.IGNORECASE,
)
# A rule with a label in it: "-------------- next part --------------", "--- Original Message ---".
_LABELLED_RULE = re.compile(r"([-=_*~])\1{2,}\s*[\w ]{1,30}?\s*\1{3,}")
# A reply's subject repeated in its body: "Re: Official US Politics Thread".
_REPLY_SUBJECT = re.compile(r"^(?:re|aw|sv)\s*:\s*\S", re.IGNORECASE)
# A reaction summary: "OldSalt, NorthernLight and 2 others like this.", "Hawkeye likes this".
_REACTIONS = re.compile(r"^[^.!?]{1,80}\b(?:likes?|liked|loves?|thanked) this\.?$", re.IGNORECASE)
# Engine prompts that ask a reader to log in: "You must log in or register to reply here."
_LOGIN_PROMPT = re.compile(
    r"^you (?:must|need to) (?:be )?(?:log(?:ged)? in|sign(?:ed)? in|register)", re.IGNORECASE
)
_MENTION = re.compile(r"@[\w\-.]+")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_URL_ANYWHERE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SAID = re.compile(r"^\S.{0,60}\bsaid:$")
_REPOSTER_NOTE = re.compile(
    r"^(?:note|disclaimer|n\.b\.|nb|editor'?s? note)\s*[:：]", re.IGNORECASE
)
_REPOSTER_WORDS = re.compile(
    r"\b(?:i|we)\s+(?:re)?post(?:ed)?\b|\bpost(?:ed)? (?:it )?here\b|\breaders'? information\b|"
    r"\b(?:agree|disagree)\b|\bdoes not (?:necessarily )?(?:mean|reflect|represent)\b|"
    r"\bviews? (?:expressed|of the)\b|\bfor (?:your|readers'?) (?:information|reference)\b",
    re.IGNORECASE,
)
_WIDGET = re.compile(
    r"^(?:tags?|categories|category|filed under|filter by [\w ]+|posted in|share this|like this|"
    r"related(?: posts| articles)?|read more|see also|advertisements?|sponsored|loading)"
    r"(?:\s*[:：]\s*.*|\s*[.…]*)$",
    re.IGNORECASE,
)
_FORUM_META = re.compile(
    r"^(?:#\d+|joined:?.*|messages:?\s*[\d,.]+k?|reaction score:?.*|likes?:?\s*[\d,.]+|"
    r"posts?:\s*[\d,.]+|points:?\s*[\d,.]+|location:.*|\d+\s+(?:comments?|replies|views)|"
    r"page \d+ of \d+|click to (?:expand|shrink)\.*|thread starter.*|start date.*|"
    r"quote:?(?:\s*[/|·-]*\s*originally posted by\s+\S+)?|originally posted by\s+\S+)$",
    re.IGNORECASE,
)

# A search box's placeholder: "Search this topic…", "Search for:", "Type and hit enter…".
_PROMPT = re.compile(r"^(?:search|type|enter)\b[^.!?]*(?:…|\.\.\.|:)$", re.IGNORECASE)
# A breadcrumb trail's parts, parted by arrows; a part runs to this many words at most.
_CRUMB = re.compile(r"\s+[‹›»«>]\s+")
BREADCRUMB_WORDS = 4
_TAG_LINE = re.compile(
    r"^(?:tags?|labels?|categories|category|filed under|posted in)\s*[:：]?\s+\S.{0,200}$",
    re.IGNORECASE,
)
_AD_LABEL = re.compile(
    r"^(?:sponsored(?: content| by [\w .&'’-]{1,40})?|advertisement|ad|promoted|paid content|"
    r"partner content|presented by [\w .&'’-]{1,40}|related(?: posts| stories| articles)?|"
    r"you (?:may|might) also like|more stories|recommended(?: for you)?|trending)\s*:?$",
    re.IGNORECASE,
)
# A navigation bar runs to this many words ("Contact us Terms and rules Privacy policy Help").
NAVIGATION_WORDS = 12
# An insert may end in a full stop ("Forwarded this email? Sign up here.") when this short.
PROMO_SENTENCE_WORDS = 8
_PROMO = re.compile(
    r"^[(\[—–-]*\s*(?:read more|read the (?:full|rest|whole|original)|continue reading|"
    r"story continues|see also|also read|more on this|recommended|sign up|subscribe|"
    r"unsubscribe|image caption|photo(?:graph)? (?:by|credit)|watch\s*:|posted (?:by|in)|"
    r"filed under|(?:leave|post) a (?:comment|reply)|sent from my|share this (?:story|article)|"
    r"no comments|similar threads|watch the video|(?:proudly )?powered by)\b",
    re.IGNORECASE,
)
_BULLETS = re.compile(r"\s[·•|]\s")
_META_PART = re.compile(
    r"^(?:\d[\d,.]*\s*[kmhdwy]|\d[\d,.]*\s+(?:points?|posts?|replies|comments?|views|votes?|"
    r"likes?|minutes?|hours?|days?|weeks?|months?|years?)(?:\s+ago)?|yesterday|today|just now|"
    r"page \d+ of \d+|edited|\d+\s*(?:min|mins|hrs?)\s+ago)$",
    re.IGNORECASE,
)
# A mailing platform's footer and header sentences: boilerplate at any length.
_MAILING = re.compile(
    r"^(?:unsubscribe\b|an html attachment was scrubbed|you are receiving this|"
    r"enter your e-?mail address|join [\d,.]+ other (?:followers|subscribers)|"
    r"follow (?:[\w ]{1,30} )?(?:via|by) e-?mail|"
    r"you received this (?:message|e-?mail)|"
    r"forwarded this (?:e-?mail|message)|want to change how you receive|add us to your address|"
    r"our mailing address|view (?:it|this e-?mail) (?:online|in (?:your|a) browser)|"
    r"having trouble viewing)\b",
    re.IGNORECASE,
)
# "Reuters contributed to this report.", "Al Jazeera · 2 min read": credits and reading times.
_CONTRIBUTED = re.compile(
    r"^[\w .,&'’-]{2,80}\bcontributed(?: reporting)? to this (?:report|story|article)\.?$"
    r"|^(?:[\w .&'’-]{2,60}\s*[·|•-]\s*)?\d{1,3} min(?:ute)?s? read$",
    re.IGNORECASE,
)
_NETWORKS = re.compile(
    r"facebook|twitter|pinterest|linkedin|reddit|whatsapp|telegram|tumblr|email this|vk\b"
)
_SHARE_WORDS = frozenset(
    "share shares shared sharing to on this via email mail blogthis blog print pocket copy "
    "link tweet pin it and or with".split()
)
# Navigation words that forum and blog templates print as lines of their own.  A line made
# only of these (at most four of them) is chrome; real sentences always carry other words.
_CHROME_WORDS = frozenset(
    """
    back top bottom next previous prev home menu search forums forum members member
    reply replies quote quotes report share like likes unlike log in login logout
    register sign up signin signup what's whats new latest posts post activity
    threads thread watch unwatch bookmark bookmarks print email e-mail facebook twitter
    reddit whatsapp telegram linkedin pinterest tumblr copy link permalink edit delete
    go to first last page more less show hide comments comment subscribe unsubscribe
    contact about us help terms rules privacy policy cookies navigation skip content
    main toggle sidebar notifications alerts inbox conversations profile settings
    upvote downvote vote votes follow following followers loading … ... x » « › ‹
    archives archive categories rss and or views view reactions reaction save saved award
    awards give points point embed parent context continue thread topic topics index board
    """.split()
)


def is_image_name(line: str) -> bool:
    """Whether the line is only an image file name (``485319232.jpg``)."""
    inner = _IMAGE_WRAPPER.sub("", line).strip()
    return bool(_IMAGE_NAME.match(inner)) and len(inner.split()) <= 3


def is_photo_credit(line: str) -> bool:
    """Whether the line credits a photo (``© AFP 2017/ HOW HWEE YOUNG``) or is a caption that
    ends in its credit (``A man walks past a billboard in Brussels. REUTERS/Jo Hughes``)."""
    if len(line) > 300:
        return False
    return (len(line) <= 120 and bool(_PHOTO_CREDIT.match(line))) or bool(
        _CAPTION_CREDIT.search(line)
    )


def is_mention_list(line: str) -> bool:
    """Whether the line is a list of @mentions (a forum poster tagging friends)."""
    mentions = _MENTION.findall(line)
    if len(mentions) < 2:
        return False
    rest = _MENTION.sub("", line)
    return len(re.findall(r"\w+", rest)) <= max(2, len(mentions) // 2)


def is_url_line(line: str) -> bool:
    """Whether the line is a bare URL."""
    return bool(_URL.match(line))


def urls_in(line: str) -> list[str]:
    """Return the URLs that appear in the line, trailing punctuation removed."""
    return [url.rstrip(".,;)”\"'") for url in _URL_ANYWHERE.findall(line)]


def is_reposter_note(line: str) -> bool:
    """Whether the line is a reposter's disclaimer (``Note: This is … I post here …``)."""
    return bool(_REPOSTER_NOTE.match(line)) and bool(_REPOSTER_WORDS.search(line))


def is_promo(line: str) -> bool:
    """Whether the line is a publisher's insert in a body: a read-more or sign-up prompt, a
    caption or photo credit label, a "Posted by" stamp, a mail client's signature."""
    match = _PROMO.match(line.strip())
    if not match or len(line) > 250:
        return False
    labelled = line[match.end() :].lstrip().startswith((":", "：")) or match.group(0).endswith(":")
    words = len(line.split())
    return labelled or words <= PROMO_SENTENCE_WORDS or (words <= 14 and not line.endswith("."))


def is_meta_row(line: str) -> bool:
    """Whether a line is a row of post metadata joined by bullets: a poster and an age
    (``Aurelian · 2d``), points and a day (``4588 points · Yesterday``), ``39 posts • Page 1
    of 3``: every part is a count, an age, a page number or a single handle."""
    parts = [part.strip() for part in _BULLETS.split(line) if part.strip()]
    if len(parts) < 2 or len(line) > 80:
        return False
    meta = [bool(_META_PART.match(part)) for part in parts]
    handles = [
        not is_meta and len(part.split()) == 1 for part, is_meta in zip(parts, meta, strict=True)
    ]
    return any(meta) and all(m or h for m, h in zip(meta, handles, strict=True))


def is_chrome(line: str) -> bool:
    """Whether the line is forum/blog navigation, a widget or a poster's meta line."""
    if is_meta_row(line):
        return True
    if _FORUM_META.match(line) or _SAID.match(line) or is_promo(line):
        return True
    if _CONTRIBUTED.match(line.strip()) or (len(line) <= 300 and _MAILING.match(line.strip())):
        return True
    if len(line) <= 160 and len(set(_NETWORKS.findall(line.lower()))) >= 2:
        # A share bar ("Email ThisBlogThis!Share to TwitterShare to Facebook") is networks and
        # share words; a sentence about Facebook and WhatsApp has words of its own.
        rest = _NETWORKS.sub(" ", line.lower())
        if len([w for w in re.findall(r"[a-z]+", rest) if w not in _SHARE_WORDS]) <= 1:
            return True
    if len(line) <= 60 and _WIDGET.match(line) and not line.rstrip().endswith("."):
        return True
    if len(line) <= 200 and _LABELLED_WIDGET.match(line):
        return True  # "Related: LiveU Picks Up Another $27M …": a link to another story
    if len(line) <= 300 and _COPYRIGHT.search(line):
        return True
    if _REPLY_SUBJECT.match(line) and len(line) <= 200 and not _SENTENCE_END.search(line):
        return True
    if len(line) <= 120 and (
        _REACTIONS.match(line) or _LOGIN_PROMPT.match(line) or _POSTAL_ADDRESS.match(line)
    ):
        return True
    if _is_breadcrumb(line) or (len(line) <= 40 and _PROMPT.match(line)):
        return True
    return _is_navigation(line)


def _is_breadcrumb(line: str) -> bool:
    """Whether a line is a trail of short links (``Board index ‹ World Affairs ‹ Geopolitics``,
    ``Home > News > World``): three or more parts of a few words, parted by arrows."""
    parts = [part.strip() for part in _CRUMB.split(line)]
    if len(parts) < 3 or any(not part for part in parts):
        return False
    return all(len(part.split()) <= BREADCRUMB_WORDS for part in parts)


def _is_navigation(line: str) -> bool:
    """Whether a line is made of navigation words and counts only: ``Reply Share Report Save
    Follow``, ``Replies 10 Views 6,399``, ``Contact us Terms and rules Privacy policy Help``.
    Up to four such words may end as a sentence ("Log in."); a longer run never does."""
    words = [
        word if word.strip(".") == "" else word.rstrip(".")
        for word in re.findall(r"[\w'’…»«›‹.]+", line.lower().replace("’", "'"))
    ]
    named = [word for word in words if not word.replace(".", "").isdigit()]
    if not named or not all(word in _CHROME_WORDS for word in named):
        return False
    if len(words) <= 4:
        return True
    return len(words) <= NAVIGATION_WORDS and not re.search(r"[.!?]$", line.strip())


def is_tag_line(line: str) -> bool:
    """Whether a line files a post (``Tags: …``, ``Posted in …``, ``Labels: …``): it closes
    the post."""
    return bool(_TAG_LINE.match(line.strip()))


def is_ad_label(line: str) -> bool:
    """Whether a line labels an advertisement or links to other stories (``SPONSORED``,
    ``Advertisement``, ``Related``, ``You may also like``): the short lines under it are the
    advertiser's or links, not the story's."""
    return bool(_AD_LABEL.match(line.strip()))


def is_separator(raw_line: str) -> bool:
    """Whether a raw (unstripped) line separates posts: blank-but-not-empty or a rule."""
    if raw_line and not raw_line.strip() and raw_line.strip("\n\r") != "":
        return True
    stripped = raw_line.strip()
    return len(stripped) >= 3 and bool(
        re.fullmatch(r"(?:[-_=*~#•·] ?){3,}", stripped) or _LABELLED_RULE.fullmatch(stripped)
    )


def is_furniture(line: str) -> bool:
    """Whether the line is boilerplate of any kind that no body may contain."""
    return (
        is_image_name(line)
        or is_photo_credit(line)
        or is_mention_list(line)
        or is_reposter_note(line)
        or is_chrome(line)
    )
