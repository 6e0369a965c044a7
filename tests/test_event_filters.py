"""One set of event filters for every interface, and code names beside codes: the CLI (a real
subprocess), the REST API (uvicorn on loopback) and the library agree on what each filter
means, how it is checked and what it says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from _cli import dyadwatch
from analysis.conftest import make_event
from api.conftest import serving

from dyadwatch import codes
from dyadwatch.errors import InputError
from dyadwatch.queries import FILTER_HELP, EventFilters, event_query
from dyadwatch.store import Store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("filters") / "filters.duckdb"
    with Store(path) as store:
        store.write_batch(
            events=[
                make_event(date(2020, 1, 6), "RUS", "CHN", "036", 4.0, "a1"),
                make_event(date(2020, 2, 3), "CHN", "RUS", "112", -2.0, "a2"),
                make_event(date(2020, 3, 2), "RUS", "UKR", "190", -10.0, "a3"),
                make_event(date(2020, 4, 6), "USA", "IRN", "163", -8.0, "a4"),
            ]
        )
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with serving(db) as url:
        yield url


CASES = [
    ({"actor": "RUS"}, {"036", "112", "190"}),
    ({"actor": "rus", "until": "2020-02-28"}, {"036", "112"}),
    ({"since": "2020-02-01", "until": "2020-03-31"}, {"112", "190"}),
    ({"quad": "material-conflict"}, {"190", "163"}),
    ({"quad": "3"}, {"112"}),
    ({"root": "19"}, {"190"}),
    ({"text": "did 163"}, {"163"}),
    ({"dyad": "RUS-CHN"}, {"036"}),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_cli_and_rest_filter_alike(
    db: Path, server: str, given: dict[str, str], expected: set[str]
) -> None:
    flags = [part for name, value in given.items() for part in (f"--{name}", value)]
    done = dyadwatch("events", "--db", db, "--format", "jsonl", *flags)
    assert done.returncode == 0, done.stderr
    from_cli = {json.loads(line)["code"] for line in done.stdout.splitlines()}
    page = httpx.get(f"{server}/api/events", params=given, timeout=10).json()
    from_rest = {item["code"] for item in page["items"]}
    assert from_cli == from_rest == expected


def test_every_output_names_the_code_and_quad_class(db: Path, server: str) -> None:
    done = dyadwatch("events", "--db", db, "--format", "jsonl", "--root", "11")
    (row,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert (row["code"], row["event_name"], row["quad_name"]) == (
        "112",
        "Accuse",
        "verbal conflict",
    )
    table = dyadwatch("events", "--db", db, "--root", "11", "--format", "table")
    assert "112 Accuse" in table.stdout
    (item,) = httpx.get(f"{server}/api/events", params={"root": "11"}, timeout=10).json()["items"]
    assert (item["event_name"], item["quad_name"]) == ("Accuse", "verbal conflict")
    assert codes.cameo_name("062") == "Cooperate militarily" and codes.cameo_name("999") is None


def test_a_bad_filter_is_refused_alike_with_the_interfaces_own_name(db: Path, server: str) -> None:
    done = dyadwatch("events", "--db", db, "--quad", "warlike")
    assert done.returncode == 2 and "--quad" in done.stderr and "Traceback" not in done.stderr
    refused = httpx.get(f"{server}/api/events", params={"quad": "warlike"}, timeout=10)
    assert refused.status_code == 422
    message = refused.json()["error"]["message"]
    assert message.startswith("quad") and "material conflict" in message
    backwards = dyadwatch("events", "--db", db, "--since", "2020-05-01", "--until", "2020-01-01")
    assert backwards.returncode == 2 and "--since" in backwards.stderr


def test_one_help_text_per_filter_everywhere(server: str) -> None:
    schema = httpx.get(f"{server}/openapi.json", timeout=10).json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    help_text = " ".join(dyadwatch("events", "--help").stdout.split())
    for name, text in FILTER_HELP.items():
        assert parameters[name]["description"] == text
        assert " ".join(text.split())[:40] in help_text, name


def test_the_library_checks_values_and_names_them_as_told() -> None:
    query = event_query(EventFilters(actor="nato", quad="1", since="2020-01-01"))
    assert (query.actor, query.quad_class, query.since) == ("NATO", 1, date(2020, 1, 1))
    with pytest.raises(InputError, match=r"^filters\.root"):
        event_query(EventFilters(root="123"), label=lambda name: f"filters.{name}")
    with pytest.raises(InputError, match="undated events have no date"):
        event_query(EventFilters(undated=True, until="2020-01-01"))
