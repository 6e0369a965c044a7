"""Find the user posts of a forum thread (or any multi-post page) in its HTML tree.

Each known forum engine gets a recipe (post container, body, author, date); a schema.org
recipe covers microdata ``Comment`` / ``DiscussionForumPosting`` items and a generic one
repeated ``*post*`` containers that carry both an author and a date.  Whether the posts
*are* the page's content (a thread) or sit beside it (a news story's comments) is decided
by the caller, which compares them with the main text.
"""

from __future__ import annotations

import re
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# A thread needs at least this many posts; one "post" is just a page.
MIN_POSTS = 2

_BLOCK_TAGS = frozenset(
    ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
     "table", "tr", "section", "article", "header", "footer", "figure", "figcaption", "dl", "dt",
     "dd", "hr", "aside")
)  # fmt: skip
# Quoted replies, signatures and widgets inside a post body: never the poster's own text.
_DROP_IN_BODY = (
    ".//script | .//style | .//noscript | .//template | .//button | .//form"
    " | .//blockquote[not(contains(@class, 'postcontent'))]"
    " | .//*[contains(@class, 'quote') or contains(@class, 'signature')"
    " or contains(@class, 'bbCodeSpoiler-button') or contains(@class, 'lastEdit')"
    " or contains(@class, 'attachment') or contains(@class, 'editedby')]"
)


def _has_class(token: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


@dataclass(frozen=True, slots=True)
class _Recipe:
    """XPaths of one forum layout; each field's alternatives are tried in order."""

    container: str
    body: tuple[str, ...]
    author: tuple[str, ...]
    date: tuple[str, ...]


_RECIPES = (
    _Recipe(  # XenForo 2
        f"//article[{_has_class('message')}]",
        (
            f".//*[{_has_class('message-body')}]//*[{_has_class('bbWrapper')}]",
            f".//*[{_has_class('bbWrapper')}]",
        ),
        ("@data-author", f".//*[{_has_class('message-name')}]", f".//*[{_has_class('username')}]"),
        (f".//*[{_has_class('message-attribution')}]//time", ".//time"),
    ),
    _Recipe(  # vBulletin 3-5
        f"//li[{_has_class('postcontainer')} or {_has_class('postbit')}]"
        f" | //div[{_has_class('postbit_legacy')}]",
        (f".//blockquote[{_has_class('postcontent')}]", f".//*[{_has_class('postbody')}]"),
        (f".//*[{_has_class('username')}]", f".//*[{_has_class('bigusername')}]"),
        (f".//*[{_has_class('postdate')}]", f".//*[{_has_class('date')}]", ".//time"),
    ),
    _Recipe(  # phpBB 3
        f"//div[{_has_class('post')} and .//div[{_has_class('postbody')}]]",
        (f".//div[{_has_class('postbody')}]//div[{_has_class('content')}]",),
        (
            f".//*[{_has_class('author')}]//*[{_has_class('username')}"
            f" or {_has_class('username-coloured')}]",
            f".//*[{_has_class('author')}]//strong",
        ),
        (f".//*[{_has_class('author')}]//time", f".//*[{_has_class('author')}]"),
    ),
    _Recipe(  # Discourse (JavaScript view)
        f"//*[{_has_class('topic-post')}]",
        (f".//*[{_has_class('cooked')}]",),
        (f".//*[{_has_class('username')}]", f".//*[{_has_class('names')}]"),
        (f".//*[{_has_class('post-date')}]//*[@data-time]", ".//time", ".//*[@data-time]"),
    ),
    _Recipe(  # schema.org microdata: Discourse crawler view, many comment systems
        "//*[contains(@itemtype, 'schema.org/Comment')"
        " or contains(@itemtype, 'schema.org/DiscussionForumPosting')]",
        (".//*[@itemprop='text' or @itemprop='articleBody' or @itemprop='commentText']",),
        (".//*[@itemprop='author']//*[@itemprop='name']", ".//*[@itemprop='author']"),
        (".//*[@itemprop='datePublished' or @itemprop='dateCreated' or @itemprop='commentTime']",),
    ),
)
_GENERIC_CONTAINER = (
    "//*[contains(@class, 'post') and not(contains(@class, 'postcontent'))"
    " and not(self::a or self::span or self::p or self::body or self::html)]"
)
_GENERIC_BODY = (
    ".//*[contains(@class, 'content') or contains(@class, 'body') or contains(@class, 'message')"
    " or contains(@class, 'text') or contains(@class, 'entry')]",
)
_GENERIC_AUTHOR = (
    ".//*[@rel='author' or @itemprop='author' or contains(@class, 'author')"
    " or contains(@class, 'username') or contains(@class, 'user-name')"
    " or contains(@class, 'poster')]",
)
_GENERIC_DATE = (
    ".//time",
    ".//*[contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'posted')]",
)
_SPACE = re.compile(r"\s+")
_SAFE_TAG = re.compile(r"^[a-z][a-z0-9]*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    """One user post: who wrote it, the date string it carries, and its own text."""

    author: str | None
    date: str | None
    body: str


def find_posts(tree: Any) -> list[Post]:
    """Return the posts of a multi-post page in page order, or [] when it has fewer than two."""
    for recipe in _RECIPES:
        posts = _apply(tree, recipe)
        if len(posts) >= MIN_POSTS:
            return posts
    return _generic(tree)


def _apply(tree: Any, recipe: _Recipe) -> list[Post]:
    containers = tree.xpath(recipe.container)
    if len(containers) < MIN_POSTS:
        return []
    own = _OwnFinder(containers)
    posts = []
    for container in containers:
        bodies = own.find(container, recipe.body)
        body = paragraphs(bodies[0]) if bodies else ""
        if body:
            author = _first_text(own.find(container, recipe.author))
            date = _date_of(own.find(container, recipe.date))
            posts.append(Post(author=author, date=date, body=body))
    return posts


def _generic(tree: Any) -> list[Post]:
    """Posts from the largest group of same-tag, same-class containers with author and date."""
    groups: Counter[tuple[str, str]] = Counter()
    for element in tree.xpath(_GENERIC_CONTAINER):
        if element.xpath(_GENERIC_AUTHOR[0]) and any(element.xpath(path) for path in _GENERIC_DATE):
            groups[(element.tag, _SPACE.sub(" ", element.get("class", "")).strip())] += 1
    for (tag, classes), count in groups.most_common():
        if count < MIN_POSTS:
            break
        if not _SAFE_TAG.match(tag) or "'" in classes:
            continue
        recipe = _Recipe(
            f"//{tag}[normalize-space(@class)='{classes}']",
            _GENERIC_BODY,
            _GENERIC_AUTHOR,
            _GENERIC_DATE,
        )
        posts = _apply(tree, recipe)
        if len(posts) >= MIN_POSTS:
            return posts
    return []


class _OwnFinder:
    """XPath within a container, ignoring what belongs to a nested container (a reply)."""

    def __init__(self, containers: list[Any]) -> None:
        self._ids = {id(container) for container in containers}

    def find(self, container: Any, paths: tuple[str, ...]) -> list[Any]:
        """Return the matches of the first path that has any outside nested containers."""
        for path in paths:
            found = [item for item in container.xpath(path) if self._owner(item) is container]
            if found:
                return found
        return []

    def _owner(self, item: Any) -> Any:
        if isinstance(item, str):  # an attribute value: the container's own
            return item.getparent() if hasattr(item, "getparent") else None
        parent = item.getparent()
        while parent is not None and id(parent) not in self._ids:
            parent = parent.getparent()
        return parent


def _first_text(found: list[Any]) -> str | None:
    for item in found:
        text = item if isinstance(item, str) else item.text_content()
        text = _SPACE.sub(" ", str(text)).strip()
        if text and len(text) <= 80:
            return text
    return None


def _date_of(found: list[Any]) -> str | None:
    """The machine-readable date of the first dated element, else its printed text."""
    for element in found:
        if isinstance(element, str):
            continue
        for attribute in ("datetime", "content"):
            value = element.get(attribute)
            if value and any(ch.isdigit() for ch in value):
                return str(value).strip()
        epoch = element.get("data-time") or element.get("data-timestamp")
        if epoch and epoch.isdigit():
            # Discourse prints milliseconds, XenForo seconds; 1e11 s is the year 5138.
            seconds = int(epoch) / 1000 if int(epoch) > 10**11 else int(epoch)
            return datetime.fromtimestamp(seconds, UTC).isoformat()
        text = _SPACE.sub(" ", element.text_content()).strip()
        if text and any(ch.isdigit() for ch in text):
            return str(text)
    return None


def paragraphs(element: Any) -> str:
    """Return the visible text of ``element`` as paragraphs joined by blank lines."""
    element = deepcopy(element)
    element.tail = None
    for dropped in element.xpath(_DROP_IN_BODY):
        if dropped is not element and dropped.getparent() is not None:
            dropped.drop_tree()
    parts: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(buffer)).strip()
        if text:
            parts.append(text)
        buffer.clear()

    def walk(node: Any) -> None:
        is_element = isinstance(node.tag, str)
        block = is_element and node.tag in _BLOCK_TAGS
        if block:
            flush()
        if is_element and node.text:
            buffer.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if node.tail:
            buffer.append(node.tail)

    walk(element)
    flush()
    return "\n\n".join(parts)
