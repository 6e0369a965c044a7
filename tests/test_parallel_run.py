"""The suite's own running, as tests/conftest.py arranges it: the closing line that counts the
skipped tests by reason (run alone and under pytest-xdist), and tests marked ``alone`` running
with no other test beside them. Each case is a small suite run by a real pytest subprocess."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import skip_summary

CONFTEST = Path(__file__).with_name("conftest.py")
MARKERS = "[pytest]\nmarkers =\n    alone: measures its own timing\n"

SKIPPING = """
import pytest

@pytest.fixture
def data():
    pytest.skip("data is absent")

def test_reads_data(data): pass
def test_reads_more_data(data): pass

@pytest.mark.skipif(True, reason="data is absent")
def test_marked(): pass

@pytest.mark.skip(reason="no browser")
def test_browser(): pass

def test_runs(): pass
"""
NO_BROWSER = """
import pytest
pytest.skip("no browser", allow_module_level=True)
"""
TIMED = """
import time
from pathlib import Path

import pytest

def record(name, seconds):
    started = time.monotonic()
    time.sleep(seconds)
    with Path(__file__).with_name("log").open("a") as log:
        log.write(f"{name} {started} {time.monotonic()}\\n")

@pytest.mark.parametrize("number", range(12))
def test_quick(number): record(f"quick{number}", 0.1)

@pytest.mark.alone
def test_timed(): record("alone", 1.0)

@pytest.mark.parametrize("number", range(12))
def test_quick_after(number): record(f"after{number}", 0.1)
"""


QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:schemathesis")
"""Plugins these small suites do not need: each pytest process starts a second sooner."""


def suite(pytester: pytest.Pytester, **files: str) -> None:
    """A project with the repository's conftest.py and ``files`` as test modules."""
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makeini(MARKERS)
    pytester.makepyfile(**files)


def test_the_skip_line_puts_the_commonest_reason_first() -> None:
    assert skip_summary(Counter()) == "skipped: 0"
    reasons = Counter({"no browser": 2, "data is absent": 3, "another": 2})
    assert skip_summary(reasons) == "skipped: 7 (3 data is absent; 2 another; 2 no browser)"


def test_the_last_lines_count_skipped_tests_by_reason(pytester: pytest.Pytester) -> None:
    suite(pytester, test_data=SKIPPING, test_browser=NO_BROWSER)
    result = pytester.runpytest_subprocess(*QUIET)
    result.assert_outcomes(passed=1, skipped=5)
    assert "skipped: 5 (3 data is absent; 2 no browser)" in result.outlines


def test_under_xdist_skips_are_counted_and_a_test_marked_alone_runs_alone(
    pytester: pytest.Pytester,
) -> None:
    suite(pytester, test_data=SKIPPING, test_browser=NO_BROWSER, test_timed=TIMED)
    result = pytester.runpytest_subprocess(*QUIET, "-n", "2")
    result.assert_outcomes(passed=26, skipped=5)
    assert "skipped: 5 (3 data is absent; 2 no browser)" in result.outlines
    spans = {
        name: (float(start), float(end))
        for name, start, end in (
            line.split() for line in (pytester.path / "log").read_text().splitlines()
        )
    }
    alone_start, alone_end = spans.pop("alone")
    beside = [
        name for name, (start, end) in spans.items() if start < alone_end and alone_start < end
    ]
    assert beside == [], f"ran beside the test marked alone: {beside}"
    quick = sorted(spans.values())
    overlapping = sum(1 for a, b in pairwise(quick) if b[0] < a[1])
    assert overlapping, "the quick tests never ran side by side: the lock was not tested"
