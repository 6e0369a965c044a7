"""Stage 3: near-duplicate story clusters by MinHash LSH over word 5-gram shingles.

A story's id is the id of its first-seen copy; every later copy whose estimated Jaccard
similarity to a stored copy reaches the threshold joins that copy's story, and all copies
stay in the store as provenance.  Bodies under :data:`MIN_TOKENS` words are too short for
5-gram Jaccard to mean anything, so they only match a body with the very same words.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from collections.abc import Iterable, Iterator

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from dyadwatch.errors import ConfigError
from dyadwatch.records import Article

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW",
    "MIN_TOKENS",
    "SHINGLE_WORDS",
    "Deduplicator",
    "cluster_stories",
    "is_short",
    "shingles",
    "tokens",
]

DEFAULT_THRESHOLD = 0.5
"""Jaccard at or above which two bodies are one story.

Measured on the reposts in ``tests/test_dedupe.py`` (a 190-word, five-paragraph wire story):
a new dateline scores 0.96, a reposter note 0.88, a trimmed last paragraph 0.82, all three
edits together 0.76; two other stories about the same two ministers score 0.02 and 0.04.
At 0.5 a repost may drop up to about a third of the story (keeping 2 of 5 paragraphs
scores 0.42 and starts a new story).
"""

MIN_TOKENS = 20
"""Bodies with fewer words match only an identical body (after lowercasing)."""

SHINGLE_WORDS = 5
SEED = 1
SCHEME = "affine32"
"""datasketch's default permutation scheme since 2.0; stored signatures are uint32 values."""

_WORD = re.compile(r"\w+")
_EXACT = b"exact\x1f"  # prefix keeps a short body's one shingle apart from any 5-gram


def tokens(text: str) -> list[str]:
    """Return the lowercase ``\\w+`` words of ``text``."""
    return _WORD.findall(text.lower())


def _digest(signature: np.ndarray) -> bytes:
    """A 16-byte key for a whole signature (512 bytes), for exact-copy lookups."""
    return hashlib.blake2b(signature.tobytes(), digest_size=16).digest()


def is_short(text: str) -> bool:
    """Whether ``text`` has too few words for 5-gram Jaccard (it then matches only itself)."""
    return len(tokens(text)) < MIN_TOKENS


def shingles(text: str) -> list[bytes]:
    """Return the word 5-grams of ``text``, or one whole-text shingle for a short text."""
    words = tokens(text)
    if len(words) < MIN_TOKENS:
        return [_EXACT + " ".join(words).encode("utf-8")]
    grams = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return [gram.encode("utf-8") for gram in sorted(grams)]


DEFAULT_WINDOW = 50_000
"""Articles the index remembers, the latest first: a copy arriving after this many others
starts a new story. Each remembered article costs about 7 kB (its signature and 37 LSH band
keys), so the window is what keeps memory flat on an endless stream."""


class Deduplicator:
    """Assigns each article a story id, remembering the signatures of the latest ``window``
    articles (all of them when ``window`` is 0)."""

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = 128,
        window: int = DEFAULT_WINDOW,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ConfigError(f"dedupe threshold must be in (0, 1], got {threshold}")
        if num_perm < 2:
            raise ConfigError(f"dedupe num_perm must be at least 2, got {num_perm}")
        if window < 0:
            raise ConfigError(f"dedupe window must be 0 (no limit) or more, got {window}")
        self.threshold = threshold
        self.num_perm = num_perm
        self.window = window
        self._order: deque[str] = deque()
        self._permutations = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations
        # The index casts a wider net than the threshold (LSH misses pairs near its own
        # threshold about half the time); candidates are then scored exactly below.
        self._lsh = MinHashLSH(threshold=max(0.1, threshold - 0.2), num_perm=num_perm)
        self._signatures: dict[str, np.ndarray] = {}
        self._stories: dict[str, str] = {}
        self._exact: dict[bytes, str] = {}  # signature digest -> story of its first copy
        self._exact_copies: Counter[bytes] = Counter()

    def __len__(self) -> int:
        return len(self._signatures)

    def signature(self, text: str) -> np.ndarray:
        """Return the MinHash signature (``num_perm`` uint32 values) of ``text``."""
        minhash = MinHash(
            num_perm=self.num_perm, seed=SEED, permutations=self._permutations, scheme=SCHEME
        )
        minhash.update_batch(shingles(text))
        return np.asarray(minhash.hashvalues, dtype=np.uint32).copy()

    def load(self, existing: Iterable[tuple[str, str, np.ndarray]]) -> int:
        """Seed the index with stored ``(article_id, story_id, signature)``; return how many."""
        loaded = 0
        for article_id, story_id, signature in existing:
            values = np.asarray(signature)
            if values.shape != (self.num_perm,):
                raise ConfigError(
                    f"stored signature of {article_id} has {values.size} values but the "
                    f"deduplicator uses num_perm={self.num_perm}; use the num_perm the store "
                    "was built with"
                )
            if values.size and int(values.max()) > np.iinfo(np.uint32).max:
                raise ConfigError(
                    f"stored signature of {article_id} has values above 2**32; it was not made "
                    f"with datasketch's {SCHEME} scheme and cannot be compared"
                )
            if article_id not in self._signatures:
                self._add(article_id, story_id, values.astype(np.uint32))
                loaded += 1
        return loaded

    def assign(self, article: Article) -> tuple[str, np.ndarray]:
        """Return ``(story_id, signature)`` for ``article`` and add it to the index."""
        known = self._stories.get(article.article_id)
        if known is not None:
            return known, self._signatures[article.article_id]
        signature = self.signature(article.body)
        short = is_short(article.body)
        return self.assign_signature(article.article_id, signature, short=short), signature

    def assign_signature(self, article_id: str, signature: np.ndarray, *, short: bool) -> str:
        """Return the story id of an article whose ``signature`` was computed elsewhere (a
        worker), ``short`` when its body has under MIN_TOKENS words; add it to the index."""
        known = self._stories.get(article_id)
        if known is not None:
            return known
        signature = np.asarray(signature, dtype=np.uint32)
        if short:
            story_id = self._exact.get(_digest(signature), article_id)
        else:
            story_id = self._best_match(signature) or article_id
        self._add(article_id, story_id, signature)
        return story_id

    def _best_match(self, signature: np.ndarray) -> str | None:
        best: tuple[float, str, str] | None = None
        for candidate in self._lsh.query(self._lean(signature)):
            score = float(np.count_nonzero(self._signatures[candidate] == signature))
            score /= self.num_perm
            if score < self.threshold:
                continue
            # Highest score wins; ties go to the smallest story then article id, so the
            # answer does not depend on the order of LSH's candidate set.
            key = (-score, self._stories[candidate], candidate)
            if best is None or key < best:
                best = key
        return None if best is None else best[1]

    def _add(self, article_id: str, story_id: str, signature: np.ndarray) -> None:
        self._signatures[article_id] = signature
        self._stories[article_id] = story_id
        digest = _digest(signature)
        self._exact.setdefault(digest, story_id)
        self._exact_copies[digest] += 1
        # Short bodies go in the index too, so a loaded store (which does not say which
        # bodies were short) behaves exactly like one run: a single-shingle signature
        # shares almost no values with a 16+-shingle one and never passes the threshold.
        self._lsh.insert(article_id, self._lean(signature))
        self._order.append(article_id)
        if self.window and len(self._order) > self.window:
            self._forget(self._order.popleft())

    def _forget(self, article_id: str) -> None:
        """Drop the oldest article from the index (its story stays stored)."""
        signature = self._signatures.pop(article_id)
        del self._stories[article_id]
        self._lsh.remove(article_id)
        digest = _digest(signature)
        self._exact_copies[digest] -= 1
        if self._exact_copies[digest] <= 0:
            del self._exact_copies[digest], self._exact[digest]

    def _lean(self, signature: np.ndarray) -> LeanMinHash:
        return LeanMinHash(seed=SEED, hashvalues=signature, scheme=SCHEME)


def cluster_stories(
    articles: Iterable[Article], dedup: Deduplicator
) -> Iterator[tuple[Article, str, np.ndarray]]:
    """Yield ``(article, story_id, signature)`` for each article, in input order."""
    for article in articles:
        story_id, signature = dedup.assign(article)
        yield article, story_id, signature
