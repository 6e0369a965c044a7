"""When an event happened: one test per time form its sentence can give, through the real
coder, then the seed pages through the real pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dyadwatch.coding import RuleCoder
from dyadwatch.coding.when import is_background
from dyadwatch.config import Settings, StoreSettings
from dyadwatch.pipeline import run
from dyadwatch.store import Store

pytestmark = pytest.mark.slow

DAY = date(2019, 4, 29)  # a Monday


@pytest.fixture(scope="module")
def coder() -> RuleCoder:
    return RuleCoder()


def when(
    coder: RuleCoder, text: str, published: date | None = DAY, code: str | None = None
) -> tuple[date | None, str, bool]:
    """The (date, precision, background) of the sentence's events (all alike, or ``code``'s)."""
    ((_, events),) = list(coder.code_texts([("s", text, published)]))
    events = [e for e in events if code is None or e.code.startswith(code)]
    assert events, f"no event coded in {text!r}"
    found = {(e.date, e.date_precision, e.background) for e in events}
    assert len(found) == 1, found
    return found.pop()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("China and Russia opened diplomatic relations in 1949.", (date(1949, 1, 1), "year", True)),
        (
            "In June 2016, China's Ministry of Science and Russia's Ministry of Economic "
            "Development signed a memorandum.",
            (date(2016, 6, 1), "month", True),
        ),
        ("Russia and China signed a treaty on April 29, 2018.", (date(2018, 4, 29), "day", True)),
        ("Russia and China signed a treaty on 3 March 2019.", (date(2019, 3, 3), "day", False)),
        ("Russia and China signed a deal on April 12.", (date(2019, 4, 12), "day", False)),
        # A month and day after publication is last year's.
        ("Russia and China signed a deal on May 3.", (date(2018, 5, 3), "day", True)),
        ("Russia criticized China in March.", (date(2019, 3, 1), "month", False)),
        (
            "Last year Russia and China launched a mass naval drill in the South China Sea.",
            (date(2018, 1, 1), "year", True),
        ),
        ("Russia criticized China last month.", (date(2019, 3, 1), "month", False)),
        ("Russia criticized China earlier this month.", (date(2019, 4, 1), "month", False)),
        ("Russia criticized China last week.", (date(2019, 4, 22), "week", False)),
        ("Russia and China held talks this year.", (date(2019, 1, 1), "year", False)),
        ("Russia and China held talks two years ago.", (date(2017, 1, 1), "year", True)),
        ("Russia and China held talks three days ago.", (date(2019, 4, 26), "day", False)),
        ("Russia criticized China in the 1990s.", (date(1990, 1, 1), "decade", True)),
        ("Russia criticized China on Thursday.", (date(2019, 4, 25), "day", False)),
        ("Russia criticized China Monday.", (date(2019, 4, 29), "day", False)),
        ("Russia criticized China yesterday.", (date(2019, 4, 28), "day", False)),
        ("Russia criticized China today.", (date(2019, 4, 29), "day", False)),
        # No time, or a time to come: the article's date, to the day.
        ("Russia criticized China.", (DAY, "day", False)),
        ("Russia will meet China in 2030.", (DAY, "day", False)),
    ],
)
def test_event_takes_the_time_its_sentence_gives(
    coder: RuleCoder, text: str, expected: tuple[date, str, bool]
) -> None:
    assert when(coder, text) == expected


def test_opening_adverbial_scopes_over_every_conjunct(coder: RuleCoder) -> None:
    text = (
        "Last year, Russia held its biggest military drills since the Soviet Union and "
        "invited China to take part."
    )
    assert when(coder, text, date(2019, 10, 4)) == (date(2018, 1, 1), "year", True)


def test_governing_clause_gives_the_time_of_its_complement(coder: RuleCoder) -> None:
    text = "Putin said on Thursday that Russia was helping China build an early warning system."
    assert when(coder, text, date(2019, 10, 4), code="07") == (date(2019, 10, 3), "day", False)


def test_another_clause_of_the_sentence_does_not_date_the_event(coder: RuleCoder) -> None:
    text = "China and Russia, which opened relations in 1949, criticized Washington on Monday."
    assert when(coder, text, code="11") == (DAY, "day", False)
    assert when(coder, text, code="05") == (date(1949, 1, 1), "year", True)


def test_undated_article_reads_only_times_naming_their_year(coder: RuleCoder) -> None:
    assert when(coder, "Russia and China held talks in 2016.", None) == (
        date(2016, 1, 1),
        "year",
        True,
    )
    assert when(coder, "Russia criticized China last week.", None) == (None, "day", False)


def test_background_is_an_earlier_year_and_over_six_months_back() -> None:
    assert is_background(date(2018, 1, 1), date(2019, 1, 20))  # "last year" in January
    assert not is_background(date(2018, 12, 1), date(2019, 1, 20))  # "in December 2018"
    assert not is_background(date(2019, 1, 1), date(2019, 12, 20))  # "in January", same year


def test_code_command_prints_precision_and_background() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dyadwatch", "code", "--text",
         "In June 2016, Russia and China signed an agreement.", "--date", "2019-04-29"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    ((events),) = [json.loads(line)["events"] for line in done.stdout.splitlines()]
    assert len(events) == 2  # Russia to China and China to Russia
    assert {(e["date"], e["date_precision"], e["background"]) for e in events} == {
        ("2016-06-01", "month", True)
    }


def _seed_events(seeds_dir: Path, tmp_path: Path) -> list[dict[str, object]]:
    db = tmp_path / "seeds.duckdb"
    run([seeds_dir], settings=Settings(store=StoreSettings(path=db, batch_size=2)))
    with Store(db, read_only=True) as store:
        return store.events()


def test_seed_events_are_dated_by_their_sentences(seeds_dir: Path, tmp_path: Path) -> None:
    events = _seed_events(seeds_dir, tmp_path)

    def dated(start: str) -> set[tuple[object, ...]]:
        found = {
            (e["date"], e["date_precision"], e["background"])
            for e in events
            if any(str(text).startswith(start) for text in e["evidence"])  # type: ignore[attr-defined]
        }
        assert found, f"no seed event from {start!r}"
        return found

    # Newsweek, 12 April 2017: "Last year Russia and China launched a mass naval drill"
    assert dated("Last year Russia and China launched") == {(date(2016, 1, 1), "year", True)}
    # Reuters, 4 October 2019: "Last year, Russia held its biggest military drills"
    assert dated("Last year, Russia held") == {(date(2018, 1, 1), "year", True)}
    # Reuters, Friday 4 October 2019: "President Vladimir Putin said on Thursday that ..."
    assert dated("President Vladimir Putin said on Thursday") == {(date(2019, 10, 3), "day", False)}
    # An undated page: "In June 2016, China's Ministry ... signed the Memorandum"
    assert dated("In June 2016") == {(date(2016, 6, 1), "month", True)}
    # A sentence with no time of its own keeps its article's date, to the day.
    assert dated("At this Arctic conference") == {(date(2019, 5, 16), "day", False)}
