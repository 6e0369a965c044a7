"""Near-duplicate story clustering: reposts join one story, different stories do not."""

from __future__ import annotations

import numpy as np
import pytest

from dyadwatch.dedupe import (
    DEFAULT_THRESHOLD,
    MIN_TOKENS,
    Deduplicator,
    cluster_stories,
    shingles,
    tokens,
)
from dyadwatch.errors import ConfigError
from dyadwatch.records import Article

TALKS = [
    "MOSCOW, March 3 (Sputnik) - Russian Foreign Minister Sergei Lavrov and his Chinese "
    "counterpart Wang Yi met in Moscow on Tuesday and agreed to expand cooperation on energy, "
    "transport corridors and payments in national currencies, the Russian Foreign Ministry said.",
    "Lavrov told reporters after the three-hour meeting that the two sides had reached a common "
    "understanding on the situation in Central Asia and would coordinate their positions at the "
    "United Nations Security Council ahead of the vote on the new sanctions resolution.",
    "Wang said Beijing valued the comprehensive strategic partnership with Moscow and was ready "
    "to work with Russia to oppose unilateral sanctions and interference in the internal affairs "
    "of sovereign states. He invited Lavrov to visit Beijing later this year.",
    "The ministers also signed a protocol on consultations between the two foreign ministries "
    "for the next three years, and discussed preparations for the summit of the Shanghai "
    "Cooperation Organisation that Kazakhstan will host in July.",
    "Trade between Russia and China rose by about a quarter last year to a record level, "
    "according to Chinese customs data, with Russian oil and gas deliveries accounting for "
    "most of the growth.",
]

EXERCISE = [
    "BEIJING, June 12 (Xinhua) - China and Russia began a joint naval exercise in the Sea of "
    "Japan on Monday, the Chinese Defence Ministry said, days after Russian Foreign Minister "
    "Sergei Lavrov and his Chinese counterpart Wang Yi spoke by telephone.",
    "Ten warships and two submarines from the two navies will practise anti-submarine warfare, "
    "air defence and search-and-rescue operations over five days, the ministry said in a "
    "statement posted on its website.",
    "Japan's chief cabinet secretary said Tokyo was monitoring the drills closely and had "
    "conveyed its concern through diplomatic channels. South Korea's military said it had "
    "scrambled aircraft after two Russian bombers entered its air defence zone.",
    "The exercise is the eleventh of its kind since 2012 and the first to include submarines "
    "from both countries, according to a researcher at the Chinese Academy of Military Science.",
]

PROTEST = [
    "MOSCOW, March 9 (Reuters) - Russia's Foreign Ministry summoned the Chinese ambassador on "
    "Thursday to protest against new export restrictions on machine tools, a week after Russian "
    "Foreign Minister Sergei Lavrov and his Chinese counterpart Wang Yi met in Moscow.",
    "A ministry spokeswoman said the restrictions contradicted the spirit of the partnership "
    "between the two countries and would hurt Russian manufacturers who depend on Chinese "
    "equipment since Western suppliers left the market.",
    "China's commerce ministry said the export rules applied equally to all countries and were "
    "meant to protect national security. Analysts said the dispute was unlikely to derail the "
    "broader relationship between Beijing and Moscow.",
]


def _body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _article(body: str, key: str) -> Article:
    return Article(
        article_id=f"a-{key}",
        doc_id=f"d-{key}",
        origin=f"{key}.txt",
        index=0,
        body=body,
    )


ORIGINAL = _body(TALKS)
NEW_HEADER = _body(
    [TALKS[0].replace("MOSCOW, March 3 (Sputnik) - ", "BEIJING, March 4 (Xinhua) -- "), *TALKS[1:]]
)
TRIMMED = _body(TALKS[:-1])
REPOSTER_NOTE = _body(
    [
        *TALKS,
        "This article was originally published by Sputnik and is republished here under a "
        "content-sharing agreement. Follow us on Telegram for more news from the region.",
    ]
)
ALL_EDITS = _body(
    [
        "Editor's note: republished from Sputnik.",
        TALKS[0].replace("MOSCOW, March 3 (Sputnik) - ", "BEIJING, March 4 (Xinhua) -- "),
        *TALKS[1:-1],
    ]
)
REPOSTS = {"new_header": NEW_HEADER, "trimmed": TRIMMED, "note": REPOSTER_NOTE, "all": ALL_EDITS}
OTHERS = {"exercise": _body(EXERCISE), "protest": _body(PROTEST)}


def _jaccard(first: str, second: str) -> float:
    a, b = set(shingles(first)), set(shingles(second))
    return len(a & b) / len(a | b)


def test_tokens_lowercase_words() -> None:
    assert tokens("Wang Yi: 3-hour TALKS!") == ["wang", "yi", "3", "hour", "talks"]


@pytest.mark.parametrize("name", sorted(REPOSTS))
def test_dedupe_true_jaccard_of_reposts_above_threshold(name: str) -> None:
    assert _jaccard(ORIGINAL, REPOSTS[name]) >= DEFAULT_THRESHOLD + 0.1


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_dedupe_true_jaccard_of_other_stories_far_below_threshold(name: str) -> None:
    assert _jaccard(ORIGINAL, OTHERS[name]) <= 0.1


@pytest.mark.parametrize("name", sorted(REPOSTS))
def test_dedupe_repost_joins_original_story(name: str) -> None:
    dedup = Deduplicator()
    original = _article(ORIGINAL, "original")
    assert dedup.assign(original)[0] == original.article_id
    story_id, signature = dedup.assign(_article(REPOSTS[name], name))
    assert story_id == original.article_id
    assert signature.dtype == np.uint32
    assert signature.shape == (128,)


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_dedupe_different_story_same_actors_is_new(name: str) -> None:
    dedup = Deduplicator()
    dedup.assign(_article(ORIGINAL, "original"))
    other = _article(OTHERS[name], name)
    assert dedup.assign(other)[0] == other.article_id


def _stream() -> list[Article]:
    items = [("original", ORIGINAL), *REPOSTS.items(), *OTHERS.items()]
    items.append(("exercise_copy", OTHERS["exercise"] + "\n\nRead more at xinhua.net."))
    return [_article(body, key) for key, body in items]


def test_cluster_stories_groups_stream() -> None:
    results = list(cluster_stories(_stream(), Deduplicator()))
    stories = {article.article_id: story for article, story, _ in results}
    assert [article.article_id for article, _, _ in results] == [a.article_id for a in _stream()]
    assert stories == {
        "a-original": "a-original",
        "a-new_header": "a-original",
        "a-trimmed": "a-original",
        "a-note": "a-original",
        "a-all": "a-original",
        "a-exercise": "a-exercise",
        "a-protest": "a-protest",
        "a-exercise_copy": "a-exercise",
    }


def test_cluster_stories_is_deterministic() -> None:
    def run() -> list[tuple[str, str, bytes]]:
        return [
            (a.article_id, s, sig.tobytes())
            for a, s, sig in cluster_stories(_stream(), Deduplicator())
        ]

    assert run() == run()


def test_load_continues_clusters_across_runs() -> None:
    stream = _stream()
    whole = {a.article_id: s for a, s, _ in cluster_stories(stream, Deduplicator())}
    first_run = list(cluster_stories(stream[:3], Deduplicator()))
    stored = [
        (a.article_id, story, signature.astype(np.uint64)) for a, story, signature in first_run
    ]
    second = Deduplicator()
    assert second.load(stored) == 3
    resumed = {a.article_id: s for a, s, _ in first_run}
    resumed |= {a.article_id: s for a, s, _ in cluster_stories(stream[3:], second)}
    assert resumed == whole


def test_assign_same_article_twice_returns_stored_story() -> None:
    dedup = Deduplicator()
    original = _article(ORIGINAL, "original")
    story, signature = dedup.assign(original)
    again, same = dedup.assign(original)
    assert (again, same.tobytes()) == (story, signature.tobytes())
    assert len(dedup) == 1


def test_short_bodies_match_only_identical_words() -> None:
    short = "Lavrov and Wang met in Moscow on Tuesday."
    assert len(tokens(short)) < MIN_TOKENS
    dedup = Deduplicator()
    first = _article(short, "short")
    assert dedup.assign(first)[0] == first.article_id
    assert dedup.assign(_article("LAVROV and Wang met in Moscow, on Tuesday!", "same"))[0] == (
        first.article_id
    )
    near = _article("Lavrov and Wang met in Moscow on Wednesday.", "near")
    assert dedup.assign(near)[0] == near.article_id


def test_short_body_does_not_join_long_story_that_contains_it() -> None:
    dedup = Deduplicator()
    dedup.assign(_article(ORIGINAL, "original"))
    lead = _article(" ".join(tokens(TALKS[0])[:15]), "lead")
    assert dedup.assign(lead)[0] == lead.article_id


def test_signature_is_stable_across_instances() -> None:
    first, second = Deduplicator(), Deduplicator()
    assert first.signature(ORIGINAL).tobytes() == second.signature(ORIGINAL).tobytes()


@pytest.mark.parametrize("threshold", [0.0, -0.5, 1.5])
def test_bad_threshold_is_config_error(threshold: float) -> None:
    with pytest.raises(ConfigError, match="threshold"):
        Deduplicator(threshold=threshold)


def test_load_refuses_signature_of_other_length() -> None:
    with pytest.raises(ConfigError, match="num_perm=128"):
        Deduplicator().load([("a", "a", np.zeros(64, dtype=np.uint64))])


def test_load_refuses_signature_of_other_scheme() -> None:
    with pytest.raises(ConfigError, match="scheme"):
        Deduplicator().load([("a", "a", np.full(128, 2**40, dtype=np.uint64))])


def test_window_remembers_only_the_latest_articles_and_memory_stays_bounded() -> None:
    dedup = Deduplicator(window=3)
    original = _article(ORIGINAL, "original")
    dedup.assign(original)
    # Within the window a repost joins its story ...
    assert dedup.assign(_article(REPOSTS["note"], "note"))[0] == original.article_id
    others = [_article(body, name) for name, body in OTHERS.items()]
    third = (
        "The central bank of Brazil raised its benchmark interest rate by half a point on "
        "Wednesday, citing stubborn food prices, a weaker currency and strong wage growth."
    )
    others.append(_article(third, "third"))
    for other in others:  # three other stories push the original and the repost out
        assert dedup.assign(other)[0] == other.article_id
    assert len(dedup) == 3 and len(dedup._lsh.keys) == 3 and len(dedup._exact) <= 3
    # ... after them it starts a story of its own.
    late = _article(REPOSTS["trimmed"], "trimmed")
    assert dedup.assign(late)[0] == late.article_id


def test_window_keeps_exact_copies_of_short_bodies_while_one_is_remembered() -> None:
    dedup = Deduplicator(window=2)
    first, second = _article("Talks ended.", "one"), _article("Talks ended.", "two")
    assert dedup.assign(first)[0] == "a-one" and dedup.assign(second)[0] == "a-one"
    dedup.assign(_article("Something else entirely.", "three"))  # "one" leaves the window
    assert dedup.assign(_article("Talks ended.", "four"))[0] == "a-one"  # "two" still holds it


def test_window_zero_remembers_everything_and_negative_is_refused() -> None:
    dedup = Deduplicator(window=0)
    for number in range(5):
        dedup.assign(_article(f"{ORIGINAL} {number}", str(number)))
    assert len(dedup) == 5
    with pytest.raises(ConfigError, match="window"):
        Deduplicator(window=-1)
