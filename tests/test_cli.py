"""The command line as a user runs it: a subprocess, stdout for data, stderr for messages."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from _cli import dyadwatch

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "golden" / "examples.jsonl"


def test_extract_examples_matches_golden(examples_dir: Path, update_golden: bool) -> None:
    done = dyadwatch("extract", "pages", "--format", "jsonl", cwd=examples_dir)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    if update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
        )
    expected = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines()]
    assert rows == expected


def test_extract_examples_bodies_are_clean(examples_dir: Path) -> None:
    done = dyadwatch("extract", examples_dir / "pages", "--format", "jsonl")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 12
    for row in rows:
        assert set(row) >= {"source", "title", "byline", "outlet", "published", "url", "body"}
        for banned in (".jpg", "@kautilya88", "Latest posts", "What's new", "Source:", "Note:"):
            assert banned not in row["body"], (row["title"], banned)
    by_title = {row["title"]: row for row in rows}
    xinhua = by_title["China, India hold new round of consultations on border affairs"]
    assert xinhua["published"] == "2024-03-15T08:15:00+08:00"
    assert xinhua["outlet"] == "Xinhua"
    assert xinhua["body"].startswith("NEW DELHI, March 15 --")


def test_run_articles_export_round_trip(examples_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    done = dyadwatch("run", examples_dir / "pages", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["articles_found"] == 12 and summary["story_clusters"] == 11

    listed = dyadwatch("articles", "--db", db, "--format", "jsonl")
    stories = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(stories) == 11
    assert all({"id", "title", "published", "url", "body", "sources"} <= set(s) for s in stories)
    assert sorted(len(story["sources"]) for story in stories)[-1] == 2

    as_csv = dyadwatch("articles", "--db", db, "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == 11

    out = tmp_path / "export"
    exported = dyadwatch("export", "--db", db, "--to", out, "--format", "parquet")
    assert exported.returncode == 0, exported.stderr
    assert pq.read_table(out / "articles.parquet").num_rows == 12
    assert pq.read_table(out / "sentences.parquet").num_rows == summary["tables"]["sentences"]


def test_run_on_nothing_readable_fails_with_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    done = dyadwatch("run", junk, "--db", tmp_path / "x.duckdb")
    assert done.returncode == 1
    assert "junk.txt" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error:")


def test_bad_database_fails_with_one_line(tmp_path: Path, examples_dir: Path) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("this is not a database", encoding="utf-8")
    done = dyadwatch("run", examples_dir / "pages", "--db", bogus)
    assert done.returncode == 1
    assert "bogus.duckdb" in done.stderr and "Traceback" not in done.stderr
    debug = dyadwatch("--debug", "run", examples_dir / "pages", "--db", bogus)
    assert "Traceback" in debug.stderr


def test_articles_without_database_says_how_to_make_one(tmp_path: Path) -> None:
    done = dyadwatch("articles", "--db", tmp_path / "missing.duckdb")
    assert done.returncode == 1 and "dyadwatch run" in done.stderr


def test_config_shows_origin_of_each_setting(tmp_path: Path) -> None:
    (tmp_path / "dyadwatch.toml").write_text("[dedupe]\nthreshold = 0.7\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dyadwatch", "config", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**__import__("os").environ, "DYADWATCH_STORE__BATCH_SIZE": "7"},
        check=False,
    )
    values = json.loads(done.stdout)
    assert values["dedupe.threshold"] == {"value": 0.7, "origin": "dyadwatch.toml"}
    assert values["store.batch_size"] == {"value": 7, "origin": "environment"}
    assert values["store.path"]["origin"] == "default"
    (tmp_path / "dyadwatch.toml").write_text("[dedupe]\nthreshhold = 0.7\n", encoding="utf-8")
    bad = dyadwatch("config", cwd=tmp_path)
    assert bad.returncode == 1 and "threshhold" in bad.stderr and "threshold" in bad.stderr


def test_code_prints_the_json_contract(tmp_path: Path) -> None:
    requests = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "text": "Russia and China held joint naval drills.", "date": "2024-05-01"},
        {"id": "b", "text": "The weather was fine on Monday.", "date": "2024-05-01"},
        {"id": "c", "text": "China refused to condemn Russia.", "date": "2024-05-01"},
    ]
    requests.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    done = dyadwatch("code", "--input", requests)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["a", "b", "c"]
    drills = rows[0]["events"]
    assert {(e["source"], e["target"]) for e in drills} == {("RUS", "CHN"), ("CHN", "RUS")}
    for event in drills:
        assert event["code"].startswith("06") and isinstance(event["code"], str)
        assert event["quad_class"] == 2 and event["modality"] == "asserted"
        assert {"goldstein", "plover", "source_sector", "target_sector", "evidence"} <= set(event)
        assert event["evidence"]["text"] == lines[0]["text"]
    assert rows[1]["events"] == []
    assert all(event["code"].startswith("12") for event in rows[2]["events"])  # a rejection
    flagged = dyadwatch("code", "--input", requests, "--all-modalities")
    negated = [
        event
        for event in json.loads(flagged.stdout.splitlines()[2])["events"]
        if event["modality"] == "negated"
    ]
    assert negated and all(event["code"].startswith("11") for event in negated)


def test_code_bad_input_line_fails_with_its_number(tmp_path: Path) -> None:
    requests = tmp_path / "bad.jsonl"
    requests.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    done = dyadwatch("code", "--input", requests)
    assert done.returncode == 1 and "bad.jsonl:2" in done.stderr


def test_events_lists_stored_events_with_evidence(examples_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "events.duckdb"
    assert dyadwatch("run", examples_dir / "pages", "--db", db).returncode == 0
    listed = dyadwatch("events", "--db", db, "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    events = [json.loads(line) for line in listed.stdout.splitlines()]
    assert events
    for event in events:
        assert event["mentions"] >= 1 and event["evidence"]
        assert event["modality"] in ("asserted", "intent")
    dyads = {(e["source"], e["target"]) for e in events}
    source, target = sorted(dyads)[0]
    narrowed = dyadwatch("events", "--db", db, "--format", "jsonl", "--dyad", f"{source}-{target}")
    assert all(
        (json.loads(line)["source"], json.loads(line)["target"]) == (source, target)
        for line in narrowed.stdout.splitlines()
    )


def test_field_options_read_jsonl_of_another_shape(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    body = " ".join(["Russia and China signed an agreement on energy cooperation."] * 6)
    dump.write_text(json.dumps({"doc": {"h": "Energy deal", "b": body}}) + "\n", encoding="utf-8")
    found = dyadwatch(
        "extract", dump, "--field", "text=doc.b", "--field", "title=doc.h", "--format", "jsonl"
    )
    assert found.returncode == 0, found.stderr
    (row,) = [json.loads(line) for line in found.stdout.splitlines()]
    assert row["title"] == "Energy deal" and row["body"].startswith("Russia and China")
    wrong = dyadwatch("extract", dump, "--field", "body=doc.b")
    assert wrong.returncode == 1
    assert "--field: expected PART=FIELD with PART one of text, html" in wrong.stderr


def test_run_json_gives_stage_times_and_quiet_prints_nothing(
    examples_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "stages.duckdb"
    done = dyadwatch("run", examples_dir / "pages", "--db", db, "--json")
    stages = json.loads(done.stdout)["stages"]
    assert list(stages) == ["ingest", "extract", "dedupe", "sentences", "coding", "store"]
    assert stages["extract"]["items"] == 12 and stages["coding"]["seconds"] > 0
    assert done.stderr == ""  # no progress bar in a pipe, nothing to warn about
    again = dyadwatch("run", examples_dir / "pages", "--db", db, "--quiet")
    assert again.returncode == 0 and again.stdout == "" and again.stderr == ""
    table = dyadwatch("run", examples_dir / "pages", "--db", tmp_path / "t.duckdb")
    assert "articles/s" in table.stdout and "sentences coded" in table.stdout


def test_progress_shows_a_bar_per_stage_with_rates_on_a_terminal(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from dyadwatch import _cli_output as cli_output
    from dyadwatch.config import Settings, StoreSettings
    from dyadwatch.pipeline import STAGES, run

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr(cli_output, "stderr", console)
    settings = Settings(store=StoreSettings(path=tmp_path / "bar.duckdb"))
    with cli_output.progress([examples_dir / "pages"], STAGES) as hook:
        run([examples_dir / "pages"], settings=settings, on_progress=hook)
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())  # colours, cursor moves
    for stage in STAGES:
        assert stage in drawn
    assert "6/6" in drawn  # the inputs were counted up front: a real bar with an ETA
    assert "/s" in drawn
