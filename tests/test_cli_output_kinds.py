"""What the commands print where: a table on a terminal (a real pseudo-terminal), JSON Lines
when piped, ``--format`` always winning; evidence cut with "…", spans labelled, a readable
series table, and ``code`` as proper CSV columns."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from _cli import dyadwatch
from analysis.conftest import make_event

from dyadwatch._cli_output import trimmed
from dyadwatch.store import Store

LONG = (
    "Russia accused China of breaking the agreement on the shared border rivers, officials "
    "in Moscow said after a long meeting that went on into the night and settled nothing at all."
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kinds") / "kinds.duckdb"
    first = make_event(date(2020, 1, 6), "RUS", "CHN", "112", -2.0, "a1")
    first = replace(first, evidence=replace(first.evidence, text=LONG))
    with Store(path) as store:
        store.write_batch(
            events=[
                first,
                make_event(date(2020, 3, 2), "RUS", "CHN", "190", -10.0, "a2"),
            ]
        )
    return path


def on_a_terminal(*args: str | Path) -> str:
    """Run ``dyadwatch`` with its stdout on a pseudo-terminal, as a user at a shell sees it."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm"}
    done = subprocess.run(
        [sys.executable, "-m", "dyadwatch", *map(str, args)],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        timeout=120,
        check=False,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_table_on_a_terminal_json_lines_when_piped(db: Path) -> None:
    shown = on_a_terminal("events", "--db", db)
    assert ("112 Accuse" in shown and "┃" in shown) or "│" in shown
    piped = dyadwatch("events", "--db", db)
    rows = [json.loads(line) for line in piped.stdout.splitlines()]
    assert [row["code"] for row in rows] == ["112", "190"]
    forced = dyadwatch("events", "--db", db, "--format", "table")
    assert "112 Accuse" in forced.stdout
    forced_jsonl = on_a_terminal("events", "--db", db, "--format", "jsonl")
    assert json.loads(forced_jsonl.splitlines()[0])["code"] == "112"


def test_evidence_is_cut_at_a_word_with_an_ellipsis_and_spans_are_labelled(db: Path) -> None:
    table = dyadwatch("events", "--db", db, "--format", "table").stdout
    assert "…" in table
    assert trimmed(LONG, 120).endswith("…") and len(trimmed(LONG, 120)) <= 120
    assert LONG.startswith(trimmed(LONG, 120)[:-1])
    (row, _) = [json.loads(line) for line in dyadwatch("events", "--db", db).stdout.splitlines()]
    (spans,) = row["evidence_spans"]
    assert set(spans) == {"source", "verb", "target"}
    assert all(len(pair) == 2 for pair in spans.values())


def test_the_series_table_reads_at_a_glance(db: Path) -> None:
    table = on_a_terminal("series", "RUS", "CHN", "--db", db, "--freq", "month")
    assert "2020-02-01" in table  # the empty month between is a row of its own
    assert "19:1" in table and "11:1" in table
    assert "{" not in table  # no JSON dicts in cells
    piped = [
        json.loads(line)
        for line in dyadwatch(
            "series", "RUS", "CHN", "--db", db, "--freq", "month"
        ).stdout.splitlines()
    ]
    assert [row["events"] for row in piped] == [1, 0, 1]


def test_code_as_csv_has_a_column_per_field() -> None:
    done = dyadwatch(
        "code", "--text", "Russia accused China of espionage on Monday.", "--format", "csv"
    )
    (row,) = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["source"], row["target"], row["quad_name"]) == ("RUS", "CHN", "verbal conflict")
    assert row["code"].startswith("112") and row["name"]
    assert row["evidence"] == "Russia accused China of espionage on Monday."
