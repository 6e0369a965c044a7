"""Shared fixtures: hand-built records, paths to ../shared and the bundled examples."""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dyadwatch.records import MediaType, RawDocument, content_id

pytest_plugins = ["pytester"]  # tests/test_parallel_run.py runs small suites of its own

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = REPO / "examples"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: these checks need ../shared beside the repository")
    return path


@pytest.fixture
def seeds_dir() -> Path:
    """The two real seed pages in ../shared/seeds (skips when absent)."""
    return _require(SEEDS)


@pytest.fixture
def anchors_dir() -> Path:
    """The public benchmarks in ../shared/anchors (skips when absent)."""
    return _require(SHARED / "anchors")


@pytest.fixture
def examples_dir() -> Path:
    """The bundled example pages."""
    return EXAMPLES


@pytest.fixture
def make_document() -> Callable[..., RawDocument]:
    """Build a RawDocument from text, as ingest would."""

    def build(
        text: str, *, origin: str = "page.txt", media_type: MediaType = "text/plain", **hints: str
    ) -> RawDocument:
        data = text.encode("utf-8")
        return RawDocument(
            doc_id=content_id(data),
            origin=origin,
            media_type=media_type,
            text=text,
            encoding="utf-8",
            size=len(data),
            fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
            **hints,
        )

    return build


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output (review the diff before committing).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the golden files instead of comparing with them."""
    return bool(request.config.getoption("--update-golden"))


# --- running in parallel (pytest-xdist) and the skip summary -----------------------------------

RUN_FIRST = ("tests/test_fuzz.py", "tests/test_crash_safety.py")
"""The files with the longest single tests: under xdist they start first (after the tests
marked ``alone``), so that none of them starts last and runs on alone. Only the order
changes, never what runs."""

TURNS = pytest.StashKey[Path]()
"""Where the lock files live that give tests marked ``alone`` the machine to themselves."""


def pytest_configure(config: pytest.Config) -> None:
    if _distributes(config):
        config.stash[TURNS] = Path(tempfile.mkdtemp(prefix="dyadwatch-turns-"))


def pytest_unconfigure(config: pytest.Config) -> None:
    if TURNS in config.stash:
        shutil.rmtree(config.stash[TURNS], ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each xdist worker where the controller keeps the turn locks."""
    node.workerinput["dyadwatch_turns"] = str(node.config.stash[TURNS])


def _distributes(config: pytest.Config) -> bool:
    """Whether this is the controller of an xdist run (``-n`` with one worker or more)."""
    workers = getattr(config.option, "numprocesses", None)
    return not hasattr(config, "workerinput") and bool(workers) and config.option.dist != "no"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):
        items.sort(key=start_rank)


def start_rank(item: pytest.Item) -> int:
    """Where ``item`` stands in an xdist worker's order: tests marked ``alone`` first, while no
    long test holds the others up, then the files of RUN_FIRST, then the rest as collected."""
    if item.get_closest_marker("alone") is not None:
        return 0
    path = item.nodeid.split("::")[0]
    return 1 + (RUN_FIRST.index(path) if path in RUN_FIRST else len(RUN_FIRST))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Under xdist, a test marked ``alone`` waits for the running tests to end and keeps the
    others waiting until it ends; every other test runs beside any but those."""
    turns = getattr(item.config, "workerinput", {}).get("dyadwatch_turns")
    if turns is None:
        return (yield)
    with taking_turns(Path(turns), alone=item.get_closest_marker("alone") is not None):
        return (yield)


@contextmanager
def taking_turns(folder: Path, *, alone: bool) -> Iterator[None]:
    """A fair readers-writer lock across processes: an exclusive hold of ``folder/running``
    for a test that runs alone, a shared hold for the others. A test waiting to run alone
    holds ``folder/queue``, which the others pass through first, so it is never starved."""
    with (folder / "queue").open("a") as queue, (folder / "running").open("a") as running:
        fcntl.flock(queue, fcntl.LOCK_EX)
        try:
            fcntl.flock(running, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        finally:
            if not alone:
                fcntl.flock(queue, fcntl.LOCK_UN)
        try:
            yield
        finally:
            fcntl.flock(running, fcntl.LOCK_UN)
            fcntl.flock(queue, fcntl.LOCK_UN)


def skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    """The reason a skipped test or module gave, as pytest's ``-rs`` lists it."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple | list) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def skip_summary(reasons: Counter[str]) -> str:
    """``skipped: N (n1 reason; n2 reason)``, the most frequent reason first."""
    total = sum(reasons.values())
    if not total:
        return "skipped: 0"
    groups = sorted(reasons.items(), key=lambda group: (-group[1], group[0]))
    return f"skipped: {total} (" + "; ".join(f"{n} {reason}" for reason, n in groups) + ")"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line at the end: how many tests were skipped, grouped by the reason they gave."""
    skipped = terminalreporter.stats.get("skipped", [])
    terminalreporter.write_line(skip_summary(Counter(skip_reason(report) for report in skipped)))
