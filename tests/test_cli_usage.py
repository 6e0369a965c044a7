"""Misuse of the command line as a user meets it (a real subprocess): one ``error:`` line and
exit status 2 for usage errors, unknown codes refused, names from the data printed as they
are (no Rich markup), and CSV cells that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date
from pathlib import Path

import click
import pytest
import typer
from _cli import dyadwatch

from dyadwatch import __version__
from dyadwatch import _cli_output as output
from dyadwatch._cli_errors import exit_status
from dyadwatch.records import Actor, Event, Evidence, quad_class
from dyadwatch.store import Store

FORMULA = "=cmd|' /C calc'!A0"


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line of stderr, checked to be an ``error:`` line without a traceback."""
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def event(day: date, source: str, target: str, text: str, goldstein: float = -3.5) -> Event:
    """One asserted event, said by a sentence reading ``text``."""
    sentence = f"{source}-{target}-{day}-s"
    code = "112"
    return Event(
        event_id=Event.make_id(sentence, Actor(source), Actor(target), code, 0),
        sentence_id=sentence,
        article_id=f"{sentence}-a",
        date=day,
        source=Actor(source, "GOV"),
        target=Actor(target, "GOV"),
        code=code,
        goldstein=goldstein,
        quad_class=quad_class(code),
        plover="ACCUSE",
        modality="asserted",
        evidence=Evidence(
            sentence_id=sentence,
            text=text,
            source_span=(0, 3),
            verb_span=(4, 7),
            target_span=None,
            entries=("test",),
            coder="test",
        ),
    )


@pytest.fixture
def event_db(tmp_path: Path) -> Path:
    """A store with RUS-CHN events (one whose evidence starts like a formula) and one event
    of AFR, a region code the lexicons lack but an imported GDELT file may hold."""
    db = tmp_path / "events.duckdb"
    with Store(db) as store:
        store.write_batch(
            events=[
                event(date(2024, 3, 1), "RUS", "CHN", FORMULA + " Russia accused China."),
                event(date(2024, 3, 8), "RUS", "CHN", "Russia accused China again.", -2.0),
                event(date(2024, 3, 8), "AFR", "RUS", "Africa accused Russia.", -2.0),
            ]
        )
    return db


USAGE_ERRORS = {
    "unknown option": ["--bogus"],
    "unknown command option": ["run", "--bogus", "pages"],
    "bad --format choice": ["articles", "--format", "xml"],
    "missing argument": ["series", "RUS"],
    "missing paths": ["run"],
    "missing command": ["--debug"],
    "unknown command": ["frobnicate"],
    "not a number": ["events", "--limit", "many"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_error_is_one_line_and_status_2(args: list[str], tmp_path: Path) -> None:
    done = dyadwatch(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "--help" in one_error_line(done)
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no database made on the way


def test_version_and_no_command(tmp_path: Path) -> None:
    version = dyadwatch("--version", cwd=tmp_path)
    assert (version.returncode, version.stdout.strip()) == (0, __version__)
    bare = dyadwatch(cwd=tmp_path)
    assert bare.returncode == 2 and "Traceback" not in bare.stderr
    assert "Usage:" in bare.stderr and "run" in bare.stderr and "series" in bare.stderr


@pytest.mark.parametrize(
    "error",
    [click.UsageError("no such thing"), typer.BadParameter("no such thing")],
    ids=["click", "typer's bundled click"],
)
def test_main_reads_usage_errors_of_either_click(
    error: Exception, capsys: pytest.CaptureFixture[str]
) -> None:
    """Typer 0.29 bundles its own click; ``main`` must know the usage errors of both."""
    assert exit_status(error, debug=False) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("error: ") and "no such thing" in line and "--help" in line


CODE_REFUSALS = {
    "unknown dyad": (["events", "--dyad", "XXX-YYY"], "XXX is not a known actor code"),
    "sector-qualified dyad": (["events", "--dyad", "RUSGOV-CHNGOV"], "use RUS"),
    "colon sector": (["events", "--dyad", "RUS:GOV-CHN"], "use RUS"),
    "unknown root": (["events", "--root", "99"], "01 to 20"),
    "full code as root": (["events", "--root", "190"], "its root is 19"),
    "unknown series actor": (["series", "RUS", "ZZZ"], "ZZZ is not a known actor code"),
    "unknown alerts dyad": (["alerts", "--dyad", "RUS-XX"], "XX is not a known actor code"),
    "bad date": (["events", "--since", "2024-13-01"], "2024-13-01"),
}


@pytest.mark.parametrize("args, said", CODE_REFUSALS.values(), ids=CODE_REFUSALS.keys())
def test_unknown_codes_are_refused(args: list[str], said: str, event_db: Path) -> None:
    done = dyadwatch(*args, "--db", event_db)
    assert done.returncode == 2, done.stderr
    line = one_error_line(done)
    assert said in line
    if "actor code" in said:
        assert "ISO-3" in line and "NATO" in line


def test_known_codes_list_or_say_there_are_none(event_db: Path) -> None:
    found = dyadwatch(
        "events", "--dyad", "rus-chn", "--root", "11", "--format", "table", "--db", event_db
    )
    assert found.returncode == 0 and found.stdout.count("RUSGOV") == 2, found.stderr
    stored_only = dyadwatch("events", "--dyad", "AFR-RUS", "--format", "jsonl", "--db", event_db)
    assert stored_only.returncode == 0, stored_only.stderr
    assert [json.loads(row)["source"] for row in stored_only.stdout.splitlines()] == ["AFR"]
    empty = dyadwatch("events", "--dyad", "RUS-USA", "--format", "jsonl", "--db", event_db)
    assert (empty.returncode, empty.stdout) == (0, "")
    assert "no events for --dyad RUS-USA" in empty.stderr
    series = dyadwatch("series", "RUS", "NATO", "--db", event_db)
    assert series.returncode == 0 and "no events for --dyad RUS-NATO" in series.stderr


def test_run_on_missing_input_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    done = dyadwatch("run", tmp_path / "nonexistent", "--db", db)
    assert done.returncode == 1
    assert "nonexistent: no such file or folder" in one_error_line(done)
    assert list(tmp_path.iterdir()) == []
    imported = dyadwatch("import", "gdelt", tmp_path / "absent.csv", "--db", db)
    assert imported.returncode == 1 and "absent.csv" in one_error_line(imported)
    assert not db.exists()


def test_names_from_the_data_print_as_they_are(tmp_path: Path, examples_dir: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "[").mkdir(parents=True)
    (pages / "[" / "]x.bin").write_bytes(b"\x00\x01")  # printed as pages/[/]x.bin
    (pages / "[red]evil name.bin").write_bytes(b"\x00\x01")
    (pages / "bad.warc").write_text("[/]\nnot a record\n", encoding="utf-8")
    (pages / "news.html").write_bytes((examples_dir / "pages" / "news-article.html").read_bytes())
    db = tmp_path / "markup.duckdb"
    done = dyadwatch("run", pages, "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["skipped"]
    assert "[/]x.bin: unsupported" in done.stderr
    assert "[red]evil name.bin: unsupported" in done.stderr
    assert "first line: ['[/]']" in done.stderr
    again = dyadwatch("run", pages, "--db", tmp_path / "table.duckdb")
    assert again.returncode == 0 and "Traceback" not in again.stderr
    assert "table.duckdb" in again.stdout and "[red]evil name.bin" in again.stderr
    missing = dyadwatch("articles", "--db", tmp_path / "[red]gone.duckdb")
    assert "[red]gone.duckdb: no such database" in one_error_line(missing)
    config = dyadwatch("config", cwd=tmp_path)
    assert "'dyadwatch[dask]'" in config.stdout


@pytest.fixture
def formula_pages(tmp_path: Path) -> Path:
    """A JSON Lines page whose title and byline start like spreadsheet formulas."""
    body = (
        "Russia accused China of violating the border agreement on Tuesday, officials said. "
        "The foreign ministry in Moscow summoned the Chinese ambassador to explain the move. "
        "Beijing rejected the accusation and said its troops had stayed on their own side. "
        "Analysts in both capitals expect the talks planned for next month to go ahead anyway. "
        "A spokesman for the Russian government said the matter would be raised at the summit. "
        "Chinese state media called the complaint a misunderstanding that would soon be settled."
    )
    record = {
        "url": "https://example.org/a",
        "title": '=HYPERLINK("http://evil")',
        "published": "2024-03-01",
        "text": f"{FORMULA} {body}",
    }
    path = tmp_path / "page.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_printed_csv_neutralises_formulas(formula_pages: Path, tmp_path: Path) -> None:
    (extracted,) = csv_rows(dyadwatch("extract", formula_pages, "--format", "csv").stdout)
    assert extracted["title"] == '\'=HYPERLINK("http://evil")'
    assert extracted["body"].startswith("'" + FORMULA)
    (raw,) = csv_rows(dyadwatch("extract", formula_pages, "--format", "csv", "--csv-raw").stdout)
    assert raw["title"] == '=HYPERLINK("http://evil")'

    db = tmp_path / "formula.duckdb"
    assert dyadwatch("run", formula_pages, "--db", db, "-q").returncode == 0
    (story,) = csv_rows(dyadwatch("articles", "--db", db, "--format", "csv").stdout)
    assert story["title"].startswith("'=") and story["body"].startswith("'=")
    (plain,) = csv_rows(dyadwatch("articles", "--db", db, "--format", "csv", "--csv-raw").stdout)
    assert plain["title"].startswith("=HYPERLINK")


def test_events_csv_keeps_numbers(event_db: Path) -> None:
    rows = csv_rows(dyadwatch("events", "--db", event_db, "--format", "csv").stdout)
    assert sorted(row["goldstein"] for row in rows) == ["-2.0", "-2.0", "-3.5"]


def test_exported_csv_neutralises_formulas(event_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    done = dyadwatch("export", "--db", event_db, "--to", out, "--format", "csv")
    assert done.returncode == 0, done.stderr
    mentions = csv_rows((out / "event_mentions.csv").read_text(encoding="utf-8"))
    texts = sorted(row["text"] for row in mentions)
    assert texts[0] == "'" + FORMULA + " Russia accused China."
    assert not any(text.startswith("=") for text in texts)
    events = csv_rows((out / "events.csv").read_text(encoding="utf-8"))
    assert sorted(row["goldstein"] for row in events) == ["-2.0", "-2.0", "-3.5"]
    raw_out = tmp_path / "raw"
    dyadwatch("export", "--db", event_db, "--to", raw_out, "--format", "csv", "--csv-raw")
    raw = csv_rows((raw_out / "event_mentions.csv").read_text(encoding="utf-8"))
    assert sorted(row["text"] for row in raw)[0] == FORMULA + " Russia accused China."


def test_messages_show_control_characters_as_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    output.error_line("pages/\x1b[2Jclear.txt: cannot read")
    assert capsys.readouterr().err.strip() == "error: pages/\\x1b[2Jclear.txt: cannot read"
