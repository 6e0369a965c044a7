"""Crash safety: `dyadwatch run` killed with SIGKILL at random points and run again ends with
exactly the rows of an uninterrupted run; readers during a run neither fail nor see half a batch.
Real subprocesses, a real DuckDB file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from dyadwatch.config import Settings, StoreSettings
from dyadwatch.pipeline import run
from dyadwatch.store import Store

COUNTRIES = ["Russia", "China", "India", "Japan", "France", "Brazil", "Turkey", "Iran"]
ACTS = [
    "signed an agreement on energy cooperation with",
    "accused",
    "held talks with",
    "criticised",
    "promised economic aid to",
    "hosted a delegation from",
]
VOLATILE = {
    "skipped": ["first_seen"],  # when an item was first skipped: a wall-clock time
    "pages": ["text_archive"],  # which archive file holds a page's text: batches differ
}


def page_texts(db: Path) -> list[tuple[str, str]]:
    """Every page's raw text, wherever the store keeps it."""
    with Store(db, read_only=True) as store:
        return [(page.doc_id, page.text) for page in store.iter_documents()]


def write_corpus(folder: Path, pages: int = 120) -> Path:
    """Pages of wire-style news, some reposted with another header, a JSON Lines file and junk."""
    folder.mkdir()
    rng = random.Random(7)
    bodies = []
    for number in range(pages):
        a, b = rng.sample(COUNTRIES, 2)
        paragraphs = [
            f"{a} {rng.choice(ACTS)} {b} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}, "
            f"officials said in statement number {number}."
            for _ in range(4)
        ]
        title = f"Report {number}: {a} and {b}"
        html = "".join(f"<p>{p}</p>" for p in paragraphs)
        bodies.append((title, html))
        (folder / f"page{number:03}.html").write_text(_page(title, html), encoding="utf-8")
        if number % 6 == 5:  # a repost of an earlier story on another site
            old_title, old_html = bodies[number - 3]
            repost = _page(old_title, old_html, chrome="<nav>Home | World</nav>")
            (folder / f"repost{number:03}.html").write_text(repost, encoding="utf-8")
    lines = [
        json.dumps({"title": f"Wire {n}", "text": " ".join(bodies[n][1].split("<p>")[1:3])})
        for n in range(8)
    ]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n{broken\n", encoding="utf-8")
    (folder / "junk.html").write_bytes(bytes(range(256)) * 8)
    return folder


def _page(title: str, html: str, chrome: str = "") -> str:
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body>{chrome}<article>{html}</article></body></html>"


def rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, wall-clock columns left out."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [row[0] for row in con.execute("SHOW TABLES").fetchall()]
        found = {}
        for table in tables:
            columns = [
                row[0]
                for row in con.execute(f'DESCRIBE "{table}"').fetchall()
                if row[0] not in VOLATILE.get(table, [])
            ]
            listed = ", ".join(f'"{column}"' for column in columns)
            found[table] = sorted(
                con.execute(f'SELECT {listed} FROM "{table}"').fetchall(), key=repr
            )
        return found


def start_run(corpus: Path, db: Path, *, errors: bool = True) -> subprocess.Popen[str]:
    environment = {**os.environ, "DYADWATCH_STORE__BATCH_SIZE": "3"}
    return subprocess.Popen(
        [sys.executable, "-m", "dyadwatch", "run", str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if errors else subprocess.DEVNULL,
        text=True,
        env=environment,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("crash") / "corpus")


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    run([corpus], settings=Settings(store=StoreSettings(path=db, batch_size=3)))
    return db


def test_killed_runs_resume_to_exactly_the_uninterrupted_rows(
    corpus: Path, reference: Path, tmp_path: Path
) -> None:
    db = tmp_path / "killed.duckdb"
    rng = random.Random(2024)
    kills = tries = 0
    while kills < 4 and tries < 12:  # kill at random points until four runs died mid-way
        tries += 1
        process = start_run(corpus, db, errors=False)
        time.sleep(rng.uniform(1.0, 4.0))  # the interpreter and spaCy load, then batches
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
    assert kills == 4, "the runs ended before they could be killed: make the corpus bigger"
    final = start_run(corpus, db)
    _, errors = final.communicate(timeout=300)
    assert final.returncode == 0, errors
    assert rows(db) == rows(reference)
    assert page_texts(db) == page_texts(reference)


READER = textwrap.dedent(
    """
    import json, sys
    from dyadwatch.store import Store
    with Store(sys.argv[1], read_only=True, wait_s=120) as store:
        con = store._connection()
        orphans = con.execute('''
            SELECT (SELECT count(*) FROM articles a ANTI JOIN pages p USING (doc_id))
                 + (SELECT count(*) FROM events e ANTI JOIN articles a USING (article_id))
                 + (SELECT count(*) FROM event_mentions m ANTI JOIN events e USING (event_id))
                 + (SELECT count(*) FROM sentences s ANTI JOIN articles a USING (article_id))
        ''').fetchone()[0]
        print(json.dumps({"orphans": orphans, **store.counts()}))
    """
)


def test_readers_during_a_run_see_whole_batches_and_never_fail(
    corpus: Path, reference: Path, tmp_path: Path
) -> None:
    db = tmp_path / "busy.duckdb"
    writer = start_run(corpus, db)
    seen: list[dict[str, int]] = []
    cli_reads = 0
    while writer.poll() is None:
        read = subprocess.run(
            [sys.executable, "-c", READER, str(db)], capture_output=True, text=True, timeout=180
        )
        if read.returncode != 0 and "does not exist" in read.stderr:
            continue  # the writer has not created the file yet
        assert read.returncode == 0, read.stderr
        seen.append(json.loads(read.stdout))
        if cli_reads < 2 and seen[-1]["events"]:
            events = subprocess.run(
                [sys.executable, "-m", "dyadwatch", "events", "--db", str(db), "--format", "jsonl"],
                capture_output=True, text=True, timeout=180,
            )  # fmt: skip
            assert events.returncode == 0, events.stderr
            cli_reads += 1
    _, errors = writer.communicate(timeout=300)
    assert writer.returncode == 0, errors
    assert all(state["orphans"] == 0 for state in seen)
    totals = [state["pages"] for state in seen]
    assert totals == sorted(totals), "a reader saw rows disappear"
    assert len(set(totals)) >= 2, "no read happened between two batches"
    assert cli_reads >= 1
    assert rows(db) == rows(reference)
