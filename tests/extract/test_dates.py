"""Publication dates in datelines and metadata: formats, rejections, zones, round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.extract.dates import ParsedDate, date_coverage, outlet_timezone, parse_date

SHANGHAI = ZoneInfo("Asia/Shanghai")
MOSCOW = ZoneInfo("Europe/Moscow")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


def _parsed(text: str, **kwargs: object) -> ParsedDate:
    found = parse_date(text, **kwargs)  # type: ignore[arg-type]
    assert found is not None, text
    return found


# text, expected wall time, expected offset (None: no zone stated), precision
FORMATS: list[tuple[str, datetime, timedelta | None, str]] = [
    ("By Damien Sharkov On 4/12/17 at 8:21 AM", datetime(2017, 4, 12, 8, 21), None, "minute"),
    ("On 4/12/17 at 8:21 AM", datetime(2017, 4, 12, 8, 21), None, "minute"),
    ("(Xinhua) 19:42, April 12, 2017", datetime(2017, 4, 12, 19, 42), None, "minute"),
    ("03:49 17.04.2017(updated 04:04 17.04.2017)", datetime(2017, 4, 17, 3, 49), None, "minute"),
    ("19:54 21.04.2017(updated 19:58 21.04.2017)", datetime(2017, 4, 21, 19, 54), None, "minute"),
    ("October 4, 2019 / 5:29 PM / Updated 13 hours ago", datetime(2019, 10, 4, 17, 29), None,
     "minute"),
    ("October 4, 2019 / 1:23 AM / Updated 9 hours ago", datetime(2019, 10, 4, 1, 23), None,
     "minute"),
    ("Aljosa Milenkovic 15:46, 18-Apr-2019", datetime(2019, 4, 18, 15, 46), None, "minute"),
    ("May 16, 2019", datetime(2019, 5, 16), None, "day"),
    ("April 29, 2019", datetime(2019, 4, 29), None, "day"),
    ("29 April 2019", datetime(2019, 4, 29), None, "day"),
    ("Apr. 29, 2019", datetime(2019, 4, 29), None, "day"),
    ("Sept 3 2020", datetime(2020, 9, 3), None, "day"),
    ("Monday, April 29, 2019", datetime(2019, 4, 29), None, "day"),
    ("29th of April, 2019", datetime(2019, 4, 29), None, "day"),
    ("2019-04-29", datetime(2019, 4, 29), None, "day"),
    ("2019/04/29", datetime(2019, 4, 29), None, "day"),
    ("2019-04-29T10:00:00+03:00", datetime(2019, 4, 29, 10), timedelta(hours=3), "minute"),
    ("2019-04-29T10:00:00.250-05:30", datetime(2019, 4, 29, 10), timedelta(hours=-5, minutes=-30),
     "minute"),
    ("2019-04-29T10:00:00Z", datetime(2019, 4, 29, 10), timedelta(0), "minute"),
    ("Mon, 29 Apr 2019 10:00:00 GMT", datetime(2019, 4, 29, 10), timedelta(0), "minute"),
    ("Mon, 29 Apr 2019 10:00:00 +0300", datetime(2019, 4, 29, 10), timedelta(hours=3), "minute"),
    ("April 29, 2019 10:00 GMT", datetime(2019, 4, 29, 10), timedelta(0), "minute"),
    ("April 29, 2019 10:00 GMT+8", datetime(2019, 4, 29, 10), timedelta(hours=8), "minute"),
    ("10:00 a.m. EDT, April 29, 2019", datetime(2019, 4, 29, 10), timedelta(hours=-4), "minute"),
    ("12:30 p.m. EST, Jan. 5, 2019", datetime(2019, 1, 5, 12, 30), timedelta(hours=-5), "minute"),
    ("19:42 MSK 12.04.2017", datetime(2017, 4, 12, 19, 42), timedelta(hours=3), "minute"),
    ("12 April 2017 09:15 IST", datetime(2017, 4, 12, 9, 15), timedelta(hours=5, minutes=30),
     "minute"),
    ("19:42 Beijing time, April 12, 2017", datetime(2017, 4, 12, 19, 42), timedelta(hours=8),
     "minute"),
    ("5 PM ET, July 4, 2019", datetime(2019, 7, 4, 17), timedelta(hours=-4), "minute"),
    ("12/25/2019", datetime(2019, 12, 25), None, "day"),
    ("25/12/2019", datetime(2019, 12, 25), None, "day"),
    ("05.06.2019", datetime(2019, 6, 5), None, "day"),
    ("05-06-2019", datetime(2019, 6, 5), None, "day"),
    ("12:00 AM, 3 March 2018", datetime(2018, 3, 3, 0, 0), None, "minute"),
    ("12:00 PM, 3 March 2018", datetime(2018, 3, 3, 12, 0), None, "minute"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "wall", "offset", "precision"), FORMATS)
def test_parse_date_reads_format(
    text: str, wall: datetime, offset: timedelta | None, precision: str
) -> None:
    found = _parsed(text)
    assert found.value.replace(tzinfo=None) == wall
    assert found.precision == precision
    if offset is None:
        assert found.zone == "unknown"
        assert found.value.utcoffset() == timedelta(0)
    else:
        assert found.zone == "stated"
        assert found.value.utcoffset() == offset


@pytest.mark.parametrize(
    "text",
    [
        "4,200-km",
        "2066 Comments",
        "290 standard containers",
        "Joint Sea 2019",
        "in 2014",
        "the 105th anniversary",
        "1:20 below",
        "Feb 30, 2019",
        "February 29, 2019",
        "13/13/2019",
        "31.04.2017",
        "1/2/1850",
        "April 3, 2150",
        "3/4 of the members",
        "version 1.2.3.4",
        "192.168.10.12",
        "10-12-14",
        "March 2019",
        "score 24/7/365",
        "",
        "no digits here at all",
    ],
)
def test_parse_date_rejects_non_date(text: str) -> None:
    assert parse_date(text, reference=datetime(2019, 5, 1, tzinfo=UTC)) is None


def test_parse_date_yearless_dateline_uses_year_hint() -> None:
    found = _parsed("HARBIN, April 12 --", year_hint=2017)
    assert found.value == datetime(2017, 4, 12, tzinfo=UTC)
    assert (found.precision, found.zone) == ("day", "unknown")
    assert "HARBIN, April 12 --"[found.start : found.end] == "April 12"


def test_parse_date_yearless_dateline_without_year_is_none() -> None:
    assert parse_date("HARBIN, April 12 --") is None


@pytest.mark.parametrize(
    ("text", "reference", "expected_year"),
    [
        ("HARBIN, April 12 --", datetime(2017, 4, 14, 9, 0), 2017),
        ("HARBIN, April 12 --", datetime(2017, 4, 11, 9, 0), 2017),  # a day after: still this year
        ("MOSCOW, December 30 (Sputnik) -", datetime(2018, 1, 2), 2017),
        ("BEIJING, Jan. 3 (Xinhua) --", datetime(2017, 12, 20), 2017),
        ("BEIJING, 3 January --", datetime(2018, 1, 5, tzinfo=UTC), 2018),
    ],
)
def test_parse_date_yearless_dateline_picks_year_near_reference(
    text: str, reference: datetime, expected_year: int
) -> None:
    assert _parsed(text, reference=reference).value.year == expected_year


def test_parse_date_yearless_lowercase_month_is_ignored() -> None:
    assert parse_date("they may 5 times", year_hint=2019) is None


def test_parse_date_relative_needs_reference() -> None:
    assert parse_date("12 hours ago") is None
    assert parse_date("10 hours ago | 2066 Comments") is None


def test_parse_date_relative_subtracts_from_reference() -> None:
    reference = datetime(2019, 4, 29, 20, 0, tzinfo=UTC)
    found = _parsed("10 hours ago | 2066 Comments", reference=reference)
    assert found.value == datetime(2019, 4, 29, 10, 0, tzinfo=UTC)
    assert (found.zone, found.precision, found.start, found.end) == ("stated", "minute", 0, 12)
    assert _parsed("an hour ago", reference=reference).value == reference - timedelta(hours=1)
    days = _parsed("3 days ago", reference=reference)
    assert (days.value, days.precision) == (datetime(2019, 4, 26, tzinfo=UTC), "day")


def test_parse_date_relative_naive_reference_takes_outlet_zone() -> None:
    found = _parsed("2 hours ago", reference=datetime(2019, 4, 29, 20), default_tz=SHANGHAI)
    assert found.value == datetime(2019, 4, 29, 18, tzinfo=SHANGHAI)
    assert found.zone == "outlet"


def test_parse_date_absolute_wins_over_relative() -> None:
    found = _parsed("Updated 13 hours ago | October 4, 2019", reference=datetime(2020, 1, 1))
    assert found.value.date() == datetime(2019, 10, 4).date()


def test_parse_date_default_tz_localizes_wall_time() -> None:
    found = _parsed("(Xinhua) 19:42, April 12, 2017", default_tz=SHANGHAI)
    assert found.value == datetime(2017, 4, 12, 19, 42, tzinfo=SHANGHAI)
    assert found.value.utcoffset() == timedelta(hours=8)
    assert found.zone == "outlet"


def test_parse_date_default_tz_day_precision_is_local_midnight() -> None:
    found = _parsed("April 12, 2017", default_tz=MOSCOW)
    assert found.value == datetime(2017, 4, 12, 0, 0, tzinfo=MOSCOW)
    assert (found.zone, found.precision) == ("outlet", "day")


def test_parse_date_stated_zone_beats_default_tz() -> None:
    found = _parsed("2019-04-29T10:00:00+03:00", default_tz=SHANGHAI)
    assert found.zone == "stated"
    assert found.value.utcoffset() == timedelta(hours=3)
    assert found.value.date() == datetime(2019, 4, 29).date()


def test_parse_date_ambiguous_abbreviation_defers_to_outlet() -> None:
    found = _parsed("April 29, 2019 10:00 CST", default_tz=SHANGHAI)
    assert (found.zone, found.value.utcoffset()) == ("outlet", timedelta(hours=8))


def test_parse_date_reports_embedded_span() -> None:
    text = "Posted by admin | Aljosa Milenkovic 15:46, 18-Apr-2019 | 12 comments"
    found = _parsed(text)
    assert text[found.start : found.end] == "15:46, 18-Apr-2019"
    text = "The ministry said on April 29, 2019 that drills would go ahead."
    found = _parsed(text)
    assert text[found.start : found.end] == "April 29, 2019"


def test_parse_date_prefers_published_over_updated() -> None:
    found = _parsed("Updated: April 30, 2019 | Published: April 29, 2019 10:00")
    assert found.value.replace(tzinfo=None) == datetime(2019, 4, 29, 10, 0)
    assert _parsed("Updated: April 30, 2019").value.day == 30


def test_parse_date_invalid_time_keeps_date() -> None:
    found = _parsed("April 29, 2019 25:61")
    assert (found.value.replace(tzinfo=None), found.precision) == (datetime(2019, 4, 29), "day")


@pytest.mark.parametrize(
    "line",
    [
        "On 4/12/17 at 8:21 AM",
        "(Xinhua) 19:42, April 12, 2017",
        "03:49 17.04.2017(updated 04:04 17.04.2017)",
        "October 4, 2019 / 5:29 PM / Updated 13 hours ago",
        "10 hours ago | 2066 Comments",
        "Mon, 29 Apr 2019 10:00:00 GMT",
        "Published: 2019-04-29",
    ],
)
def test_date_coverage_datelines_are_mostly_date(line: str) -> None:
    assert date_coverage(line) >= 0.6


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "Russia and China held joint naval drills in the East China Sea on Monday.",
        "Joint Sea 2019 involved 290 standard containers and a 4,200-km route.",
        "The ministry said on April 29, 2019 that the drills would go ahead as planned.",
        "| / | --- |",
    ],
)
def test_date_coverage_prose_is_mostly_not_date(line: str) -> None:
    assert date_coverage(line) < 0.6


@pytest.mark.parametrize(
    ("outlet", "zone"),
    [
        ("Xinhua", "Asia/Shanghai"),
        ("(Xinhua)", "Asia/Shanghai"),
        ("Xinhua News Agency", "Asia/Shanghai"),
        ("People's Daily", "Asia/Shanghai"),
        ("The Global Times", "Asia/Shanghai"),
        ("CGTN", "Asia/Shanghai"),
        ("China Daily", "Asia/Shanghai"),
        ("CCTV", "Asia/Shanghai"),
        ("Sputnik", "Europe/Moscow"),
        ("sputniknews.com", "Europe/Moscow"),
        ("https://www.rt.com/news/123-drills/", "Europe/Moscow"),
        ("RT", "Europe/Moscow"),
        ("TASS", "Europe/Moscow"),
        ("Itar-Tass", "Europe/Moscow"),
        ("RIA Novosti", "Europe/Moscow"),
        ("Interfax", "Europe/Moscow"),
        ("Yonhap", "Asia/Seoul"),
        ("en.yna.co.kr", "Asia/Seoul"),
        ("Kyodo", "Asia/Tokyo"),
        ("NHK World", "Asia/Tokyo"),
        ("The Yomiuri Shimbun", "Asia/Tokyo"),
        ("The Japan Times", "Asia/Tokyo"),
        ("Times of India", "Asia/Kolkata"),
        ("timesofindia.indiatimes.com", "Asia/Kolkata"),
        ("The Hindu", "Asia/Kolkata"),
        ("Dawn", "Asia/Karachi"),
        ("Al Jazeera", "Asia/Qatar"),
        ("aljazeera.com", "Asia/Qatar"),
    ],
)
def test_outlet_timezone_knows_home_zone(outlet: str, zone: str) -> None:
    assert outlet_timezone(outlet) == ZoneInfo(zone)


@pytest.mark.parametrize(
    "outlet",
    [
        None,
        "",
        "Reuters",
        "AP",
        "AFP",
        "Bloomberg",
        "reuters.com",
        "The Times",
        "Hindustan",
        "Blog",
    ],
)
def test_outlet_timezone_unknown_or_global_is_none(outlet: str | None) -> None:
    assert outlet_timezone(outlet) is None


# --- properties -----------------------------------------------------------------------------

MOMENTS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2069, 12, 31, 23, 59))
OFFSETS = st.integers(min_value=-14 * 4, max_value=14 * 4).map(lambda q: timedelta(minutes=15 * q))


def _clock12(moment: datetime) -> str:
    return f"{(moment.hour - 1) % 12 + 1}:{moment.minute:02d} {'PM' if moment.hour >= 12 else 'AM'}"


RENDERERS = {
    "us_slash": lambda m: f"On {m.month}/{m.day}/{m.year % 100:02d} at {_clock12(m)}",
    "us_slash_4": lambda m: f"{m.month}/{m.day}/{m.year} {_clock12(m)}",
    "euro_dots": lambda m: f"{m:%H:%M} {m:%d.%m.%Y}(updated {m:%H:%M} {m:%d.%m.%Y})",
    "month_day_year": lambda m: (
        f"{MONTHS[m.month - 1]} {m.day}, {m.year} / {_clock12(m)} / Updated"
    ),
    "dash_abbr": lambda m: f"Some Author {m:%H:%M}, {m.day:02d}-{m:%b}-{m.year}",
    "xinhua": lambda m: f"(Xinhua) {m:%H:%M}, {MONTHS[m.month - 1]} {m.day}, {m.year}",
}


@settings(database=None, max_examples=200)
@given(moment=MOMENTS, style=st.sampled_from(sorted(RENDERERS)))
def test_parse_date_round_trips_rendered_moment(moment: datetime, style: str) -> None:
    text = RENDERERS[style](moment)
    found = _parsed(text)
    assert found.value.tzinfo is not None and found.value.utcoffset() is not None
    assert found.value.replace(tzinfo=None) == moment.replace(second=0, microsecond=0)
    assert found.precision == "minute"
    assert 0 <= found.start < found.end <= len(text)


@settings(database=None, max_examples=200)
@given(moment=MOMENTS, offset=OFFSETS, seconds=st.booleans())
def test_parse_date_round_trips_iso_with_offset(
    moment: datetime, offset: timedelta, seconds: bool
) -> None:
    aware = moment.replace(microsecond=0, tzinfo=timezone(offset))
    if not seconds:
        aware = aware.replace(second=0)
    text = aware.isoformat(timespec="seconds" if seconds else "minutes")
    found = _parsed(text)
    assert found.value == aware
    assert found.value.utcoffset() == offset
    assert (found.zone, found.start, found.end) == ("stated", 0, len(text))


@settings(database=None, max_examples=100)
@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    zone=st.sampled_from([SHANGHAI, MOSCOW, ZoneInfo("America/New_York"), UTC]),
)
def test_parse_date_default_tz_keeps_printed_date(moment: datetime, zone: tzinfo) -> None:
    found = _parsed(f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}", default_tz=zone)
    assert found.value.date() == moment.date()
    assert found.value.tzinfo is zone and found.zone == "outlet"


@settings(database=None, max_examples=300)
@given(text=st.text(max_size=80), hint=st.none() | st.integers(1800, 2200))
def test_parse_date_never_raises_and_is_aware(text: str, hint: int | None) -> None:
    found = parse_date(text, year_hint=hint, reference=datetime(2019, 5, 1, tzinfo=UTC))
    if found is not None:
        assert found.value.utcoffset() is not None
        assert 0 <= found.start < found.end <= len(text)
    assert 0.0 <= date_coverage(text) <= 1.0


@settings(database=None, max_examples=200)
@given(
    text=st.text(alphabet="0123456789 /.-:,APMapm", max_size=30),
    reference=st.none() | st.just(datetime(2019, 5, 1)),
)
def test_parse_date_never_raises_on_numeric_junk(text: str, reference: datetime | None) -> None:
    found = parse_date(text, reference=reference, default_tz=SHANGHAI)
    if found is not None:
        assert found.value.utcoffset() is not None
        assert 1900 <= found.value.year <= 2100


def test_a_page_keeps_one_numeric_date_order() -> None:
    from dyadwatch.extract.dates import numeric_order, parse_date

    assert numeric_order("Posted 25/12/2019 ... later 01/06/2011") == {"/": True}
    assert numeric_order("Posted 04-15-2022 ... later 05-01-2022") == {"-": False}
    assert numeric_order("Posted 01/06/2011") == {}
    assert numeric_order("25/12/2019 and 12/25/2019") == {}
    found = parse_date("Posted 01/06/2011, 10:12", order={"/": True})
    assert found is not None and (found.value.month, found.value.day) == (6, 1)
    found = parse_date("Posted 05-01-2022", order={"-": False})
    assert found is not None and (found.value.month, found.value.day) == (5, 1)
    found = parse_date("Posted 01/06/2011, 10:12")
    assert found is not None and (found.value.month, found.value.day) == (1, 6)
