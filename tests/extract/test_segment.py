"""Segmenter: plain-text reposting pages -> one article per story, boilerplate dropped."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.extract import boilerplate
from dyadwatch.extract.segment import segment_text
from dyadwatch.records import Article, RawDocument, Skipped

MakeDocument = Callable[..., RawDocument]

PARAGRAPH = (
    "The foreign ministers of both countries met in the capital on Tuesday and agreed to "
    "expand cooperation on energy, trade and border security, officials said after the talks. "
    "They also signed a memorandum on scientific exchanges and pledged to meet again in autumn."
)


def articles_of(document: RawDocument) -> list[Article]:
    return [item for item in segment_text(document) if isinstance(item, Article)]


def skipped_of(document: RawDocument) -> list[Skipped]:
    return [item for item in segment_text(document) if isinstance(item, Skipped)]


def test_segment_text_splits_forum_posts_at_separator_lines(make_document: MakeDocument) -> None:
    page = "\n".join(
        [
            "What's new",
            "",
            "Ministers Meet in Capital to Expand Energy Ties",
            "By Anna Kowalski On 5/2/23 at 10:15 AM",
            "",
            "48213.jpg",
            "",
            PARAGRAPH,
            "",
            PARAGRAPH,
            "",
            "https://www.newsweek.com/ministers-meet-1234",
            "\u00a0",
            "Navies Begin Week-Long Joint Exercise Off Coast",
            "(Xinhua) 19:42, May 3, 2023",
            "",
            "QINGDAO, May 3 -- " + PARAGRAPH,
            "",
            "@alpha , @beta , @gamma",
            "\u00a0",
            "Great news, thanks for posting!",
            "\u00a0",
            "Latest posts",
            "Back",
            "Top",
            "Bottom",
        ]
    )
    found = articles_of(make_document(page))
    assert [a.title for a in found] == [
        "Ministers Meet in Capital to Expand Energy Ties",
        "Navies Begin Week-Long Joint Exercise Off Coast",
    ]
    first, second = found
    assert first.byline == "Anna Kowalski"
    assert first.url == "https://www.newsweek.com/ministers-meet-1234"
    assert first.outlet == "Newsweek"
    assert first.published is not None and first.published.date() == date(2023, 5, 2)
    assert first.published_precision == "minute"
    assert second.outlet == "Xinhua"
    assert second.published is not None and second.published.isoformat() == (
        "2023-05-03T19:42:00+08:00"
    )
    assert second.published_zone == "outlet"
    for article in found:
        assert "48213.jpg" not in article.body
        assert "@alpha" not in article.body
        assert "Latest posts" not in article.body
        assert "newsweek.com" not in article.body


def test_segment_text_drops_short_comments_with_reason(make_document: MakeDocument) -> None:
    page = "Great news, thanks for posting! Does anyone know more?\n\u00a0\nI agree.\n"
    assert articles_of(make_document(page)) == []
    reasons = [item.reason for item in skipped_of(make_document(page))]
    assert reasons and all("comment" in reason for reason in reasons)


def test_segment_text_cuts_after_source_and_note_trailers(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "Kremlin welcomes new pipeline deal with Beijing",
            "Ivan Petrov",
            "October 4, 2019 / 5:29 PM / Updated 13 hours ago",
            "MOSCOW (Reuters) – " + PARAGRAPH,
            PARAGRAPH,
            "Reporting by Ivan Petrov; Editing by Jane Roe",
            "Source: Reuters “Kremlin welcomes new pipeline deal with Beijing”",
            "Note: This is Reuters’ report I post here for readers’ information. "
            "It does not mean that I agree or disagree with the report’ views.",
            "Why the Pipeline Matters",
            PARAGRAPH + " " + PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert first.title == "Kremlin welcomes new pipeline deal with Beijing"
    assert first.byline == "Ivan Petrov"
    assert first.outlet == "Reuters"
    assert first.published is not None and first.published.date() == date(2019, 10, 4)
    assert "Source:" not in first.body and "Note:" not in first.body
    assert "Reporting by" not in first.body
    assert second.title == "Why the Pipeline Matters"
    assert second.byline is None
    assert second.published_precision == "inferred" and second.published_from == "thread"


def test_segment_text_splits_at_headline_with_byline_and_date(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "First Story About Trade Talks",
            PARAGRAPH,
            PARAGRAPH,
            "Comment by the blogger on the article above, full text at",
            "China, Russia Kick Off Bilateral Naval Exercise",
            "The two navies began a six-day naval drill in the port city on April 29.",
            "By Franz Novak",
            "April 29, 2019",
            PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert first.title == "First Story About Trade Talks"
    assert first.body.endswith(PARAGRAPH)  # the blogger's comment below it names nothing
    assert second.title == "China, Russia Kick Off Bilateral Naval Exercise"
    assert second.byline == "Franz Novak"
    assert second.body.startswith("The two navies began")
    assert second.published is not None and second.published.date() == date(2019, 4, 29)
    assert second.published_precision == "day"


def test_segment_text_keeps_subheadings_inside_one_article(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            *("Main Headline of the Analysis", "By Lee Chan", "May 16, 2019", PARAGRAPH),
            *("Follow the money", PARAGRAPH, "The Hollow Men", PARAGRAPH),
        ]
    )
    (article,) = articles_of(make_document(page))
    assert "Follow the money" in article.body and "The Hollow Men" in article.body


def test_segment_text_year_of_wire_dateline_comes_from_context(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(
        [
            "Earlier Story Headline Here",
            "March 2, 2021",
            PARAGRAPH,
            "\u00a0",
            "Cargo Route Opens Between Two Ports",
            "HARBIN, April 12 -- " + PARAGRAPH,
            PARAGRAPH,
            "Source: Xinhua",
        ]
    )
    first, second = articles_of(make_document(page))
    assert (first.published_precision, first.published_from) == ("day", None)
    assert second.published is not None
    assert second.published.date() == date(2021, 4, 12)
    # The day is printed, the year is the page's: the date says it was inferred, and how.
    assert (second.published_precision, second.published_from) == ("inferred", "dateline")


def test_segment_text_drops_captions_after_images(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "Envoy Praises Ties Between Neighbours",
            "By Dana Smith",
            "1051069840.jpg",
            "© AFP 2017/ SOME PHOTOGRAPHER",
            "Ambassador at the ceremony",
            PARAGRAPH,
            "photo_2.png",
            "The minister spoke to reporters after the meeting, saying the talks went well.",
        ]
    )
    (article,) = articles_of(make_document(page))
    assert article.byline == "Dana Smith"
    assert "Ambassador at the ceremony" not in article.body
    assert "©" not in article.body
    assert article.body.endswith("saying the talks went well.")


_HEADLINES = st.lists(
    st.sampled_from(
        [
            "Leaders Agree to Boost Trade Links",
            "Navy Ships Dock in Port for Joint Drill",
            "Minister Rejects Accusations Over Border Incident",
            "Talks on Energy Deal Resume After Pause",
            "Officials Sign Memorandum on Science Cooperation",
        ]
    ),
    min_size=1,
    max_size=5,
    unique=True,
)


@settings(max_examples=40, deadline=None)
@given(headlines=_HEADLINES, separated=st.booleans(), days=st.lists(st.integers(1, 28), min_size=5))
def test_segment_text_finds_every_generated_story(
    headlines: list[str], separated: bool, days: list[int]
) -> None:
    blocks: list[str] = []
    for headline, day in zip(headlines, days, strict=False):
        blocks += [headline, "By Sam Lee", f"June {day}, 2022", PARAGRAPH, PARAGRAPH]
        blocks += ["\u00a0"] if separated else ["Source: Example News"]
    text = "\n\n".join(blocks)
    document = RawDocument(
        doc_id="generated",
        origin="generated.txt",
        media_type="text/plain",
        text=text,
        encoding="utf-8",
        size=len(text),
        fetched_at=__import__("datetime").datetime(2024, 1, 1, tzinfo=__import__("datetime").UTC),
    )
    found = articles_of(document)
    assert [a.title for a in found] == headlines
    for article, day in zip(found, days, strict=False):
        assert article.published is not None and article.published.date() == date(2022, 6, day)
        assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


# The 16 reposted news stories of the two seed pages, read by hand: (title, printed date).
SEED_STORIES = {
    "000_e70b78b438113892.txt": [
        ("Russia Boasts of ‘Unprecedented’ Ties With China", date(2017, 4, 12)),
        ("Decoupling: China Overtakes Germany as Russia's Main Machine Imports Supplier", None),
        ("China-Russia-China cargo service opens in NE China", date(2017, 4, 12)),
        ("Russian, Chinese Ships Tail USS Carl Vinson in East China Sea", date(2017, 4, 17)),
        (
            "Russia, China Dispatch Listening Ships to Track US Carrier en Route to North Korea",
            None,
        ),
        (None, None),
        (
            "The Center of Economic Power Is Shifting Eastward — And the West Is in Total Denial",
            None,
        ),
        ("McMaster Is Deluded, Trump Hasn't Divided China and Russia", None),
        ("Why Washington is Terrified of Russia, China", date(2017, 4, 21)),
    ],
    "003_cd57c8fdcd3027e7.txt": [
        (
            "Kremlin hails special relationship with China amid missile system cooperation",
            date(2019, 10, 4),
        ),
        ("China, Russia Deepen Technological Ties", None),
        ("Russia helping China to build missile-attack warning system: Putin", date(2019, 10, 4)),
        ("The Polar Silk Road Comes to Life as a New Epoch in History Begins", date(2019, 5, 16)),
        ("China-Russia Alliance Defeats US Hegemony in Peace or in War", None),
        ("China, Russia Kick Off Bilateral Naval Exercise ‘Joint Sea’", date(2019, 4, 29)),
        (
            "PLA Navy’s 70th Anniversary: Russia-China naval cooperation has a great future",
            date(2019, 4, 18),
        ),
    ],
}


def _seed_articles(seeds_dir: Path, name: str, make_document: MakeDocument) -> list[Article]:
    text = (seeds_dir / name).read_text(encoding="utf-8")
    return articles_of(make_document(text, origin=name))


def test_segment_text_seed_pages_give_one_article_per_story(
    seeds_dir: Path, make_document: MakeDocument
) -> None:
    matched = 0
    for name, expected in SEED_STORIES.items():
        found = _seed_articles(seeds_dir, name, make_document)
        printed = [a.published if a.published_precision != "inferred" else None for a in found]
        got = [(a.title, p.date() if p else None) for a, p in zip(found, printed, strict=True)]
        matched += sum(story in got for story in expected)
        assert len(found) == len(expected), got
    assert matched == 16


def test_segment_text_seed_stories_without_a_date_take_their_neighbours(
    seeds_dir: Path, make_document: MakeDocument
) -> None:
    """Every seed story is dated: printed, or inferred from the thread with the reason said."""
    for name, expected in SEED_STORIES.items():
        found = _seed_articles(seeds_dir, name, make_document)
        for article, (_, printed) in zip(found, expected, strict=True):
            assert article.published is not None, article.title
            if printed is None:
                assert article.published_precision == "inferred"
                assert article.published_from == "thread"
                printed_dates = [d for _, d in expected if d is not None]
                assert article.published.date() in printed_dates
            else:
                assert article.published_precision in ("minute", "day")
                assert article.published_from is None


def test_segment_text_dates_a_story_by_the_post_that_carries_it(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(
        [
            "Forum Tigers",
            "Posted March 3, 2021",
            "Leaders Agree to Boost Trade Links",
            PARAGRAPH,
            PARAGRAPH,
            "Source: Example News",
            "\u00a0",
            "Gray Owl",
            "Posted March 9, 2021",
            "Talks on Energy Deal Resume After Pause",
            "By Sam Lee",
            "March 8, 2021",
            PARAGRAPH,
            PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert first.title == "Leaders Agree to Boost Trade Links"
    assert first.published is not None and first.published.date() == date(2021, 3, 3)
    assert (first.published_precision, first.published_from) == ("inferred", "post")
    assert second.published is not None and second.published.date() == date(2021, 3, 8)
    assert second.published_precision == "day" and second.published_from is None


def test_segment_text_seed_bodies_carry_no_boilerplate(
    seeds_dir: Path, make_document: MakeDocument
) -> None:
    for name in SEED_STORIES:
        for article in _seed_articles(seeds_dir, name, make_document):
            for line in article.body.split("\n"):
                assert not boilerplate.is_furniture(line.strip()), (article.title, line)
            assert not re.search(r"\b\w+\.(?:jpe?g|png|gif)\b", article.body)
            assert "@BRICSFTW" not in article.body
            assert not re.search(r"^(?:Source|Note):", article.body, re.MULTILINE)
            for chrome in ("What's new", "Latest posts", "\nBack\n", "\nTop\n", "Bottom"):
                assert chrome not in article.body


@pytest.mark.parametrize(
    ("line", "outlet", "title"),
    [
        # The credit names the story's headline: that is its title, not the credit line.
        ("Source: Reuters “Kremlin hails ties”", "Reuters", "Kremlin hails ties"),
        ("h/t Naked Capitalism", "Naked Capitalism", None),
        ("Via Zero Hedge", "Zero Hedge", None),
        ("Originally published at The Saker", "The Saker", None),
        ("This article first appeared in Asia Times", "Asia Times", None),
        ("Cross-posted from Moon of Alabama", "Moon of Alabama", None),
        ("Sources say Russia and China agree on gas price", None, None),
    ],
)
def test_attribution_lines_credit_an_outlet_and_never_head_a_story(
    line: str, outlet: str | None, title: str | None, make_document: MakeDocument
) -> None:
    from dyadwatch.extract.metadata import parse_source_line

    found = parse_source_line(line)
    assert (found.outlet if found else None) == outlet
    page = "\n\n".join([line, "By Sam Lee", "June 3, 2022", PARAGRAPH, PARAGRAPH])
    (article,) = articles_of(make_document(page))
    if outlet is None:
        assert article.title == line  # a headline that starts with "Sources"
    else:
        assert article.title == title and article.outlet == outlet
        assert line not in article.body


def test_lines_whose_shape_repeats_are_the_template_and_part_posts(
    make_document: MakeDocument,
) -> None:
    """Member fields, counters and bars recur once per post with other values: they are
    neither titles nor body, and they stand between posts."""
    posts = []
    for user, joined, thanked, title in [
        ("Kestrel", "Mar 2008", "1,204", "Leaders Agree to Boost Trade Links"),
        ("OldSalt", "Dec 2011", "35", "Talks on Energy Deal Resume After Pause"),
    ]:
        posts += [
            user,
            f"Join Date: {joined}",
            f"Thanked {thanked} Times in 12 Posts",
            title,
            PARAGRAPH,
            PARAGRAPH,
            "Reply With Quote",
        ]
    first, second = articles_of(make_document("\n\n".join(posts)))
    assert first.title == "Leaders Agree to Boost Trade Links"
    assert second.title == "Talks on Energy Deal Resume After Pause"
    for article in (first, second):
        assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


@pytest.mark.parametrize(
    "headline",
    ["Could Plasma Jet Thrusters Kickstart Interplanetary Travel?", "We Got Her!"],
)
def test_a_headline_may_ask_or_exclaim(headline: str, make_document: MakeDocument) -> None:
    page = "\n\n".join([headline, "By Sam Lee", "June 3, 2022", PARAGRAPH, PARAGRAPH])
    (article,) = articles_of(make_document(page))
    assert article.title == headline


def test_a_headline_a_sidebar_lists_again_is_still_a_headline(make_document: MakeDocument) -> None:
    titles = ["Leaders Agree to Boost Trade Links", "Talks on Energy Deal Resume After Pause"]
    stories = [titles[0], "By Sam Lee", PARAGRAPH, PARAGRAPH, titles[1], "By Ana Ruiz"]
    page = "\n\n".join([*stories, PARAGRAPH, PARAGRAPH, "Recent Posts\n" + "\n".join(titles)])
    assert [article.title for article in articles_of(make_document(page))] == titles


@pytest.mark.parametrize(
    "line",
    [
        "Re: Russia-China Relations: News and Commentary",
        "From: Asia Desk <newsletters@example.org>",
        "(Reporting by Claire Dubois; Editing by Nadia Ivanova)",
        "Email ThisBlogThis!Share to TwitterShare to FacebookShare to Pinterest",
    ],
)
def test_replies_addresses_credits_and_share_bars_never_head_a_story(
    line: str, make_document: MakeDocument
) -> None:
    headline = "Leaders Agree to Boost Trade Links"
    page = "\n\n".join([line, headline, "By Sam Lee", "June 3, 2022", PARAGRAPH, PARAGRAPH])
    (article,) = articles_of(make_document(page))
    assert article.title == headline


def test_a_byline_may_name_the_writers_outlet_or_role() -> None:
    from dyadwatch.extract.metadata import parse_byline

    assert parse_byline("Tariq Jensen | Associated Press") == "Tariq Jensen"
    assert parse_byline("Ryan Mensah (Al Jazeera)") == "Ryan Mensah"
    assert parse_byline("By Ahmed Jensen, Staff Writer") == "Ahmed Jensen"
    assert parse_byline("Russia, China Sign Energy Deal") is None
    assert boilerplate.is_chrome("Meta, owner of Facebook and WhatsApp, fined") is False


@pytest.mark.parametrize(
    "insert",
    [
        "Read more: http://online.wsj.com/article/SB1000142405297020.html",
        "SEE ALSO: Weather agency responds to demands",
        "Sign up for our daily newsletter",
        "(Photo by Hans Kuznetsova/AFP via Getty Images)",
        "Posted by admin at 10:12 AM",
        "Story continues below advertisement",
        "(Reporting by Claire Dubois; Editing by Nadia Ivanova)",
        "Reuters contributed to this report.",
        "Al Jazeera · 2 min read",
        "— Watch the video above —",
        "Forwarded this email? Sign up here.",
        "You are receiving this email because you opted in at our website.",
    ],
)
def test_publisher_inserts_in_a_body_are_dropped(insert: str, make_document: MakeDocument) -> None:
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH, insert])
    page += "\n\n" + PARAGRAPH
    (article,) = articles_of(make_document(page))
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_sentences_that_open_like_inserts_stay_in_the_body() -> None:
    for sentence in (
        "Recommended talks resumed in Geneva on Monday after a pause.",
        "Subscribers to the service rose 10 percent in the quarter.",
    ):
        assert not boilerplate.is_furniture(sentence)


def test_hard_wrapped_paragraphs_are_read_as_paragraphs(make_document: MakeDocument) -> None:
    """A mailing list breaks lines at ~72 columns: a wrapped line is no headline."""
    import textwrap

    headline = "Leaders Agree to Boost Trade Links"
    body = "\n\n".join(textwrap.fill(PARAGRAPH + " " + PARAGRAPH, 72) for _ in range(3))
    page = "\n\n".join([headline, "By Sam Lee", "June 3, 2022", body])
    (article,) = articles_of(make_document(page))
    assert article.title == headline
    assert article.body == "\n\n".join([f"{PARAGRAPH} {PARAGRAPH}"] * 3)


def test_a_digests_list_marker_is_not_part_of_the_headline(make_document: MakeDocument) -> None:
    page = "\n\n".join(["2. Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH])
    (article,) = articles_of(make_document(page + "\n\n" + PARAGRAPH))
    assert article.title == "Leaders Agree to Boost Trade Links"
    page = "\n\n".join(["1.2 Billion Phones to Sell in 2013", "By Sam Lee", PARAGRAPH])
    (article,) = articles_of(make_document(page + "\n\n" + PARAGRAPH))
    assert article.title == "1.2 Billion Phones to Sell in 2013"


def test_an_undated_story_takes_the_pages_own_date_before_its_neighbours(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(
        [
            "World Digest",
            "Saturday, December 17, 2011 | Issue #360",
            "\u00a0",
            "Leaders Agree to Boost Trade Links",
            "By Sam Lee",
            "December 12, 2011",
            PARAGRAPH,
            "Source: Example News",
            "Talks on Energy Deal Resume After Pause",
            PARAGRAPH,
            PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert first.published is not None and first.published.date() == date(2011, 12, 12)
    assert second.published is not None and second.published.date() == date(2011, 12, 17)
    assert (second.published_precision, second.published_from) == ("inferred", "page")


def test_a_posters_remarks_around_a_repost_are_not_the_story(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "Saw this on my feed this morning.",
            "Leaders Agree to Boost Trade Links",
            "By Sam Lee",
            PARAGRAPH,
            PARAGRAPH,
            "Read the last paragraph twice, I think it matters.",
        ]
    )
    (article,) = articles_of(make_document(page))
    assert article.title == "Leaders Agree to Boost Trade Links"
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_wire_stories_start_at_a_headline_over_a_wire_dateline(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "Leaders Agree to Boost Trade Links",
            "KABUL (Reuters) -- " + PARAGRAPH,
            PARAGRAPH,
            "19 Dec 2014 18:57 UTC",
            "Talks on Energy Deal Resume After Pause",
            "JAKARTA, Dec. 15 (Xinhua) -- " + PARAGRAPH,
            PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert (first.title, first.outlet) == ("Leaders Agree to Boost Trade Links", "Reuters")
    assert second.title == "Talks on Energy Deal Resume After Pause"
    # A bare timestamp above a headline, no one named, is the story's own date.
    assert second.published is not None and second.published.date() == date(2014, 12, 19)
    assert second.published_precision == "minute"
    assert "19 Dec 2014" not in first.body


def test_a_mails_subject_is_its_headline(make_document: MakeDocument) -> None:
    page = "\n\n".join(["Subject: Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH])
    (article,) = articles_of(make_document(page + "\n\n" + PARAGRAPH))
    assert article.title == "Leaders Agree to Boost Trade Links"


def test_an_outlet_and_date_above_a_headline_do_not_head_the_story(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(
        [
            "South China Morning Post",
            "August 3, 2007",
            "The Weight of the Storm on the Coast",
            "By Claire Rossi in Hong Kong",
            PARAGRAPH,
            PARAGRAPH,
        ]
    )
    (article,) = articles_of(make_document(page))
    assert (article.title, article.byline) == (
        "The Weight of the Storm on the Coast",
        "Claire Rossi",
    )
    assert article.published is not None and article.published.date() == date(2007, 8, 3)


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("Aurelian · 2d", True),
        ("4588 points · Yesterday", True),
        ("39 posts • Page 1 of 3", True),
        ("Russia · China · Talks", False),
        ("Trade | Energy", False),
    ],
)
def test_rows_of_post_metadata_are_chrome(line: str, chrome: bool) -> None:
    assert boilerplate.is_chrome(line) is chrome


def test_a_lone_word_line_in_a_body_is_a_handle_or_label(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        ["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH, "MARKETS", PARAGRAPH]
    )
    (article,) = articles_of(make_document(page + "\n\nPanzerfaust_44"))
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_a_mails_header_block_dates_the_story_it_carries(make_document: MakeDocument) -> None:
    messages = []
    for number, (day, title) in enumerate(
        [("18", "Leaders Agree to Boost Trade Links"), ("20", "Talks on Energy Deal Resume")]
    ):
        messages += [
            f"Message: {number + 1}",
            f"Date: Sun, {day} Oct 2020 08:10:48 -0500",
            f"From: Reader {number} <reader{number}@example.org>",
            f"Message-ID: <{number}@mail.example.org>",
            "Content-Type: text/plain; charset=utf-8",
            PARAGRAPH,
            PARAGRAPH,
            f"Source: Xinhua “{title}”",
        ]
    found = articles_of(make_document("\n\n".join(messages)))
    assert [a.title for a in found] == [
        "Leaders Agree to Boost Trade Links",
        "Talks on Energy Deal Resume",
    ]
    assert [a.published.date() if a.published else None for a in found] == [
        date(2020, 10, 18),
        date(2020, 10, 20),
    ]
    assert {a.published_from for a in found} == {"post"}


@pytest.mark.parametrize(
    "edges",
    [
        ("Note the date on this one.", "Another one for the archive."),
        (
            "Hello, readers. A busy day, so let's get to it.",
            "That's all for today. See you tomorrow.",
        ),
        ("Found this today:", "Hawkeye, May 15, 2019"),
        ("From today's news:", "quietriot, Monday at 10:27 AM"),
    ],
)
def test_what_stands_at_a_storys_edges_naming_nothing_is_the_posters(
    edges: tuple[str, str], make_document: MakeDocument
) -> None:
    """A short line before or after a story that names no one, a hand-over line ending in a
    colon, and a post's stamp (a handle and a date) are the post's, not the story's."""
    opening, closing = edges
    page = "\n\n".join(
        ["Leaders Agree to Boost Trade Links", "By Sam Lee", opening, PARAGRAPH, PARAGRAPH]
    )
    (article,) = articles_of(make_document(f"{page}\n\n{closing}"))
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_a_short_last_line_that_names_someone_stays_in_the_story(
    make_document: MakeDocument,
) -> None:
    last = "Putin is due in Beijing on Friday."
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH, last])
    (article,) = articles_of(make_document(page))
    assert article.body == f"{PARAGRAPH}\n\n{last}"


def test_a_hand_over_line_names_the_outlet(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        ["Leaders Agree to Boost Trade Links", "Al Jazeera reports:", PARAGRAPH, PARAGRAPH]
    )
    (article,) = articles_of(make_document(page))
    assert article.outlet == "Al Jazeera"
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_nothing_short_follows_a_storys_sign_off(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "Leaders Agree to Boost Trade Links",
            "By Sam Lee",
            PARAGRAPH,
            "(Reporting by Wei Gupta; Editing by Grace Schneider)",
            "Worth a look, Dmitri.",
            "Source: Example News",
        ]
    )
    (article,) = articles_of(make_document(page))
    assert article.body == PARAGRAPH
    assert article.outlet == "Example News"


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Reply Share Report Save Follow", True),
        ("Replies 10 Views 6,399", True),
        ("Contact us Terms and rules Privacy policy Help Home RSS", True),
        ("OldSalt, NorthernLight and 2 others like this.", True),
        ("You must log in or register to reply here.", True),
        ("A man walks past a billboard in Brussels, May 15, 2019. REUTERS/Rahul Hughes", True),
        ("[Image: leaders-agree-to-boost-trade.png]", True),
        ("Community platform by XenForo® © 2010-2019 XenForo Ltd.", True),
        ("Copyright 2023 Associated Press. All rights reserved.", True),
        ("Related: In Prince Andrew’s interview, the truth comes out", True),
        ("Re: Official US Politics Thread", True),
        ("Unsubscribe by replying with UNSUBSCRIBE in the subject line.", True),
        ("An HTML attachment was scrubbed...", True),
        ("1250 Example Avenue, Suite 400", True),
        ("Like Loading...", True),
        ("10 Downing Street said on Monday it would act.", False),
        ("The deal is on and off, officials say.", False),
        ("Trade between the EU/Russia fell.", False),
        ("Related talks resumed in Geneva on Monday after a pause.", False),
        ("Re-elected leaders met on Monday.", False),
    ],
)
def test_engine_and_publisher_lines_are_furniture(line: str, furniture: bool) -> None:
    assert boilerplate.is_furniture(line) is furniture


def test_a_numbered_digest_splits_at_each_item_past_its_contents(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(
        [
            "In today's edition",
            "1. Leaders Agree to Boost Trade Links\n2. Talks on energy deal resume after pause",
            "1. Leaders Agree to Boost Trade Links",
            "Published: 28 November 2012",
            PARAGRAPH,
            "Read more →",
            "MIDDLE EAST",
            "2. Talks on energy deal resume after pause",
            PARAGRAPH,
            PARAGRAPH,
        ]
    )
    found = articles_of(make_document(page))
    assert [a.title for a in found] == [
        "Leaders Agree to Boost Trade Links",
        "Talks on energy deal resume after pause",
    ]
    assert [a.body for a in found] == [PARAGRAPH, f"{PARAGRAPH}\n\n{PARAGRAPH}"]


def test_a_date_header_over_a_headline_opens_a_post(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "Leaders Agree to Boost Trade Links",
            "By Sam Lee",
            PARAGRAPH,
            "Post a Comment",
            "Thursday, January 21, 2016",
            "Talks on Energy Deal Resume After Pause",
            "Hans Novak and Carlos Costa",
            PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert first.body == PARAGRAPH
    assert second.title == "Talks on Energy Deal Resume After Pause"
    assert second.published is not None and second.published.date() == date(2016, 1, 21)


def test_a_headline_may_end_as_a_statement_over_a_dated_header(
    make_document: MakeDocument,
) -> None:
    headline = "South Dakota doubles down on ‘Meth. We’re on it.’ They just might be."
    page = "\n\n".join(
        [
            "Leaders Agree to Boost Trade Links",
            "By Sam Lee",
            PARAGRAPH,
            "Posted in Health | Leave a comment",
            headline,
            "Posted on 27 April 2005 by eurasiawatcher",
            PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert first.body == PARAGRAPH
    assert second.title == headline
    assert second.published is not None and second.published.date() == date(2005, 4, 27)


def test_a_labelled_rule_parts_messages() -> None:
    assert boilerplate.is_separator("-------------- next part --------------")
    assert boilerplate.is_separator("----- Original Message -----")
    assert not boilerplate.is_separator("--- Moscow, May 4")


def test_a_hat_tip_to_a_handle_is_a_credit_not_body(make_document: MakeDocument) -> None:
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH])
    (article,) = articles_of(make_document(page + "\n\nh/t gr8dane\n\n" + PARAGRAPH))
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    assert article.outlet is None


def test_a_posts_stamp_after_the_story_dates_it_when_it_prints_none(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(
        ["Leaders Agree to Boost Trade Links", PARAGRAPH, PARAGRAPH, "Hawkeye, May 15, 2019"]
    )
    (article,) = articles_of(make_document(page))
    assert "Hawkeye" not in article.body
    assert article.published is not None and article.published.date() == date(2019, 5, 15)
    assert (article.published_precision, article.published_from) == ("inferred", "post")


def _wrapped(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 72)


def test_a_digests_message_takes_its_subject_as_headline(make_document: MakeDocument) -> None:
    """A mail digest (hard-wrapped, header fields per message): the subject heads a message
    whose body prints no headline; a field is never a wrapped paragraph's continuation; a
    continuation line that reads like a role ("…Professor of … at") stays in its paragraph."""
    role = (
        "Simon Johnson is the Ronald A. Kurtz Professor of Entrepreneurship at the M.I.T. "
        "Sloan School of Management and co-author of a book on the national debt."
    )
    messages = ["Today's Topics:", "   1. Leaders Agree to Boost Trade Links (Reader One)"]
    for number, day, subject, body in [
        (1, "20", "Fwd: Leaders Agree to Boost Trade Links", [PARAGRAPH, PARAGRAPH]),
        (2, "21", "Talks on Energy Deal Resume After Pause", [role, PARAGRAPH]),
    ]:
        messages += [
            "-" * 70,
            "\n".join(
                [
                    f"Message: {number}",
                    f"Date: Sun, {day} Jan 2008 06:04:35 +0300",
                    f"From: Reader {number} <reader{number}@example.org>",
                    f"Subject: [intl-affairs] {subject} and what the ministers said after it",
                    f"Message-ID: <{number}@mail.example.org>",
                    'Content-Type: text/plain; charset="utf-8"',
                ]
            ),
            *(_wrapped(paragraph) for paragraph in body),
        ]
    found = articles_of(make_document("\n\n".join(messages)))
    assert [a.title for a in found] == [
        "Leaders Agree to Boost Trade Links and what the ministers said after it",
        "Talks on Energy Deal Resume After Pause and what the ministers said after it",
    ]
    assert found[1].body.startswith(role)
    assert [a.published.date() if a.published else None for a in found] == [
        date(2008, 1, 20),
        date(2008, 1, 21),
    ]


def test_a_forwarded_mails_subject_gives_way_to_the_headline_it_repeats(
    make_document: MakeDocument,
) -> None:
    headline = "Leaders Agree to Boost Trade Links"
    page = "\n\n".join(
        [
            "---------- Forwarded message ---------\nFrom: Example News <news@example.org>\n"
            f"Date: Thu, 16 May 2013 23:50:22 +0300\nSubject: {headline}",
            f"{headline}\nSam Lee\nMay 16, 2013 / 6:36 PM",
            PARAGRAPH,
            PARAGRAPH,
        ]
    )
    (article,) = articles_of(make_document(page))
    assert article.title == headline
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_a_list_of_headlines_is_no_story(make_document: MakeDocument) -> None:
    archive = "\n".join(
        ["Blog Archive", "▼ 2019 (105)", "▼ December (12)"]
        + [f"Leaders Agree to Boost Trade Links in Round {n} of the Talks" for n in range(9)]
    )
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH, PARAGRAPH])
    found = list(segment_text(make_document(f"{page}\n\n\u00a0\n\nNewer Posts Home\n{archive}")))
    assert len([item for item in found if isinstance(item, Article)]) == 1
    assert any(isinstance(item, Skipped) and "list of headlines" in item.reason for item in found)


def test_a_short_hard_wrapped_story_is_still_a_story(make_document: MakeDocument) -> None:
    """Too few lines to find the wrap column: its lines stay short, and it is still prose."""
    import textwrap

    page = "Leaders Agree to Boost Trade Links\n\n" + textwrap.fill(PARAGRAPH, 60)
    (article,) = articles_of(make_document(page, title=None))
    assert article.title == "Leaders Agree to Boost Trade Links"


def test_a_quote_header_is_chrome() -> None:
    assert boilerplate.is_chrome("Quote: // Originally Posted by PaxAmericana")
    assert boilerplate.is_chrome("Originally Posted by lurker_since_09")
    assert not boilerplate.is_chrome("Quotes from the minister were posted online.")


def test_a_signatures_motto_after_the_story_is_the_posters(make_document: MakeDocument) -> None:
    motto = "“The only thing necessary for the triumph of evil is for good men to do nothing.”"
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH])
    page += f"\nSource: Example News\n{motto}\n\nNorthernLight"
    (article,) = articles_of(make_document(page))
    assert article.body == PARAGRAPH
    assert article.outlet == "Example News"


def test_a_story_may_end_with_a_long_quotation(make_document: MakeDocument) -> None:
    quote = (
        "“We will keep talking until the border is settled, and we will not stop before then. "
        "Both sides know what is at stake,” he said."
    )
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH, quote])
    (article,) = articles_of(make_document(page))
    assert article.body.endswith(quote)


def test_a_link_under_a_wrapped_paragraph_is_not_part_of_it(make_document: MakeDocument) -> None:
    import textwrap

    body = "\n\n".join(textwrap.fill(PARAGRAPH + " " + PARAGRAPH, 72) for _ in range(3))
    url = "http://news.example.org/2012/11/06/leaders-agree/"
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", body]) + f"\n{url}"
    (article,) = articles_of(make_document(page))
    assert article.url == url
    assert url not in article.body


def test_a_posts_top_over_a_repost_is_not_the_story(make_document: MakeDocument) -> None:
    """A poster's handle, the post's age, a hand-over and a section label stand over the
    headline of what they repost; a thread's title over the post is not the story's."""
    page = "\n\n".join(
        [
            "Official US Politics Thread",
            "\u00a0",
            "Aurelian\n2d\nFrom today's news:",
            "BREAKING NEWS\nLeaders Agree to Boost Trade Links",
            PARAGRAPH,
            PARAGRAPH,
        ]
    )
    (article,) = articles_of(make_document(page))
    assert article.title == "Leaders Agree to Boost Trade Links"
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_a_section_label_closing_a_body_belongs_to_the_next_story(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(
        [
            "1. Leaders Agree to Boost Trade Links",
            PARAGRAPH,
            "MIDDLE EAST\n2. Talks on Energy Deal Resume After Pause",
            PARAGRAPH,
        ]
    )
    first, second = articles_of(make_document(page))
    assert first.body == PARAGRAPH
    assert second.title == "Talks on Energy Deal Resume After Pause"


def test_a_footer_set_further_apart_than_any_paragraph_is_not_the_story(
    make_document: MakeDocument,
) -> None:
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", PARAGRAPH, PARAGRAPH])
    page += "\n\n\nEurasia Press Digest is distributed for research purposes only."
    (article,) = articles_of(make_document(page))
    assert article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"


def test_a_numbered_headline_may_end_as_a_statement_under_a_label(
    make_document: MakeDocument,
) -> None:
    headline = "South Dakota doubles down on ‘Meth. We’re on it.’ They just might be."
    page = "\n\n".join(
        ["OPINION", f"3. {headline}\n2015-11-24 21:39\nAuthor: Tom Yilmaz", PARAGRAPH]
    )
    (article,) = articles_of(make_document(page))
    assert article.title == headline
    assert article.body == PARAGRAPH


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("PARIS, April 9. /TASS/. After a three-year silence, news came.", "TASS"),
        ("KIEV, Ukraine (AP) — If a group of lawmakers has its way", "AP"),
        ("Singapore (AFP) - It may be only a matter of time", "AFP"),
        ("(Xinhua) 08:15, March 15, 2024", "Xinhua"),
        ("Wang Yi (China) said the talks went well.", None),
        ("The talks (which ran late) ended on Monday.", None),
    ],
)
def test_a_wire_dateline_names_its_outlet(line: str, outlet: str | None) -> None:
    from dyadwatch.extract import metadata

    assert metadata.outlet_in_dateline(line) == outlet


def test_a_pages_contents_tells_where_its_stories_start(make_document: MakeDocument) -> None:
    first, second = "Leaders Agree to Boost Trade Links", "Talks on Energy Deal Resume"
    page = "\n\n".join(
        [
            f"IN THIS ISSUE\n• {first}\n• {second}",
            first,
            PARAGRAPH,
            "SPONSORED\nTogether with Brightline: try it free for 30 days.",
            second,
            PARAGRAPH,
            "Tags: Trade, Energy",
            'Related\nSummit Ends Without a Deal\nIn "Economy"',
        ]
    )
    found = articles_of(make_document(page))
    assert [a.title for a in found] == [first, second]
    assert [a.body for a in found] == [PARAGRAPH, PARAGRAPH]


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Board index ‹ World Affairs ‹ Geopolitics", True),
        ("Home > News > World", True),
        ("Search this topic…", True),
        ("permalink embed save parent report reply", True),
        ("Join 16,602 other followers", True),
        ("Enter your email address to follow this blog and receive notifications.", True),
        ("Russia > China > India in trade this year, the report said.", False),
        ("Moscow / Beijing / Delhi", False),
    ],
)
def test_trails_prompts_and_follow_widgets_are_furniture(line: str, furniture: bool) -> None:
    assert boilerplate.is_furniture(line) is furniture


def test_a_posts_numeric_date_reads_in_the_pages_order(make_document: MakeDocument) -> None:
    page = "\n\n".join(
        [
            "Leaders Agree to Boost Trade Links",
            "By Sam Lee | 25/12/2019",
            PARAGRAPH,
            "\u00a0",
            "Talks on Energy Deal Resume After Pause",
            "By Sam Lee | 01/06/2011",
            PARAGRAPH,
        ]
    )
    _, second = articles_of(make_document(page))
    assert second.published is not None and second.published.date() == date(2011, 6, 1)


def test_a_title_case_headline_may_end_as_a_statement(make_document: MakeDocument) -> None:
    page = "\n\n".join(["* * *", "Dead Phone Battery? Just Burn Something.", PARAGRAPH, PARAGRAPH])
    (article,) = articles_of(make_document(page))
    assert article.title == "Dead Phone Battery? Just Burn Something."


def test_a_first_person_lede_under_a_headline_is_the_storys(make_document: MakeDocument) -> None:
    lede = "I was all set to buy my new phone, and then I read the fine print."
    page = "\n\n".join(["Leaders Agree to Boost Trade Links", "By Sam Lee", lede, PARAGRAPH])
    (article,) = articles_of(make_document(page))
    assert article.body.startswith(lede)


def test_engine_footers_bracketed_headlines_and_short_month_stamps() -> None:
    from dyadwatch.extract._lines import _is_title_like, is_stamp

    assert boilerplate.is_furniture("Proudly powered by WordPress | Theme: Twenty Seventeen.")
    assert not boilerplate.is_furniture(
        "Powered by solar panels, the plant opened on Monday in Kenya and fed the grid."
    )
    assert _is_title_like("[The Palace: Tale of Jang Noksu] More Reviews from Visitors!")
    assert is_stamp("Mar '19")
