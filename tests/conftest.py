"""Shared fixtures: hand-built records, paths to ../shared and the bundled examples."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dyadwatch.records import MediaType, RawDocument, content_id

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
