"""Scale-out on real local clusters of two worker processes (Dask distributed and Ray): the
partitions keep the local run's order, and a distributed run stores exactly the rows of a
local run (same page, article, sentence and event ids, same story clusters)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dyadwatch.config import ScaleSettings, Settings, StoreSettings
from dyadwatch.ingest import list_inputs, read_paths
from dyadwatch.pipeline import run
from dyadwatch.records import RawDocument, Skipped
from dyadwatch.scaleout import (
    make_engine,
    plan_partitions,
    process_partition,
    run_distributed,
    staging_folder,
    stored_from,
)
from dyadwatch.store import Store

pytestmark = pytest.mark.slow

VOLATILE = {"skipped": ["first_seen"], "pages": ["text_archive"]}


def rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted; wall-clock times and archive file names left out."""
    with duckdb.connect(str(db), read_only=True) as con:
        found = {}
        for (table,) in con.execute("SHOW TABLES").fetchall():
            columns = [
                f'"{row[0]}"'
                for row in con.execute(f'DESCRIBE "{table}"').fetchall()
                if row[0] not in VOLATILE.get(table, [])
            ]
            query = f'SELECT {", ".join(columns)} FROM "{table}"'
            found[table] = sorted(con.execute(query).fetchall(), key=repr)
    with Store(db, read_only=True) as store:
        found["page texts"] = [(page.doc_id, page.text) for page in store.iter_documents()]
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example, the seed pages when ../shared is there, a repost and junk."""
    folder = tmp_path_factory.mktemp("scale") / "corpus"
    examples = Path(__file__).resolve().parent.parent / "examples" / "pages"
    shutil.copytree(examples, folder / "a-examples")
    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    if seeds.is_dir():
        shutil.copytree(seeds, folder / "b-seeds")
    shutil.copy(examples / "reposting-blog.txt", folder / "c-same-page-again.txt")
    (folder / "d-junk.html").write_bytes(bytes(range(256)) * 4)
    return folder


@pytest.fixture(scope="module")
def local_db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    summary = run([corpus], settings=Settings(store=StoreSettings(path=db, batch_size=2)))
    assert summary.events_added > 0 and summary.duplicates > 0
    return db


def scaled(db: Path, engine: str, **scale: object) -> Settings:
    return Settings(
        store=StoreSettings(path=db, batch_size=2),
        scale=ScaleSettings(engine=engine, workers=2, partition_files=2, **scale),  # type: ignore[arg-type]
    )


def test_partitions_keep_the_read_order_and_their_limits(corpus: Path) -> None:
    settings = scaled(Path("x.duckdb"), "dask")
    partitions = plan_partitions([corpus], settings)
    inputs = [item for partition in partitions for item in partition.inputs]
    assert inputs == list_inputs([corpus])
    origins = [
        item.item if isinstance(item, Skipped) else item.origin.split(":")[0]
        for item in read_paths([corpus])
    ]
    assert list(dict.fromkeys(origins)) == inputs  # files in the order a local run reads them
    assert all(1 <= len(p.inputs) <= 2 for p in partitions)
    assert [p.number for p in partitions] == list(range(len(partitions)))
    again = plan_partitions([corpus], settings)
    assert [p.key for p in again] == [p.key for p in partitions]
    by_size = plan_partitions([corpus], Settings(scale=ScaleSettings(partition_mb=0.001)))
    assert len(by_size) == len(inputs)  # every file over the size limit: one per partition


def test_dask_on_two_workers_stores_the_rows_of_a_local_run(
    corpus: Path, local_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "dask.duckdb"
    environment = {**os.environ, "DYADWATCH_SCALE__PARTITION_FILES": "2"}
    command = [sys.executable, "-m", "dyadwatch", "run", str(corpus), "--db", str(db)]
    done = subprocess.run(
        [*command, "--engine", "dask", "--workers", "2", "--json"],
        capture_output=True, text=True, env=environment, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert rows(db) == rows(local_db)
    with Store(local_db, read_only=True) as store:
        assert summary["tables"] == store.counts()
    # A page repeated in another partition is coded there too, and then stored once.
    assert summary["stages"]["coding"]["items"] >= summary["sentences_added"] > 0
    assert not any(staging_folder(scaled(db, "dask")).iterdir())  # partitions cleaned up


def test_ray_on_two_workers_stores_the_rows_of_a_local_run_and_reruns_add_nothing(
    corpus: Path, local_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ray.duckdb"
    settings = scaled(db, "ray")
    engine = make_engine(settings)
    try:
        assert engine.workers == 2
        first = run_distributed([corpus], settings=settings, engine=engine)
        assert rows(db) == rows(local_db)
        again = run_distributed([corpus], settings=settings, engine=engine)
    finally:
        engine.close()
    assert first.pages_new > 0 and first.articles_added > 0
    assert again.pages_new == again.articles_added == again.events_added == 0
    assert rows(db) == rows(local_db)
    with Store(local_db, read_only=True) as store:  # the summary says what the store holds
        assert first.undated_events == store.undated_count()
        assert first.story_clusters == store.cluster_count()


def test_a_partition_finished_before_a_crash_is_reused(
    corpus: Path, local_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "resumed.duckdb"
    settings = scaled(db, "dask")
    staging = staging_folder(settings)
    first = plan_partitions([corpus], settings)[0]
    report = process_partition(first, settings, str(staging), (frozenset(), frozenset()))
    assert not report["reused"] and (staging / first.key / "_SUCCESS").exists()
    again = process_partition(first, settings, str(staging), (frozenset(), frozenset()))
    assert again["reused"] and again["articles_found"] == report["articles_found"]
    engine = make_engine(settings)
    try:
        run_distributed([corpus], settings=settings, engine=engine)
    finally:
        engine.close()
    assert rows(db) == rows(local_db)


def test_workers_are_sent_only_the_pages_their_partition_stored(
    corpus: Path, local_db: Path, tmp_path: Path
) -> None:
    """What a worker is told is stored is what its own inputs stored, never the whole store;
    every stored page goes to the partition it was read from."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(local_db, db)
    settings = scaled(db, "dask")
    partitions = plan_partitions([corpus], settings)
    sent = [stored_from(partition, settings) for partition in partitions]
    with Store(db, read_only=True) as store:
        every = store.doc_ids()
    for partition, (pages, urls) in zip(partitions, sent, strict=True):
        read = {d.doc_id for d in read_paths(list(partition.inputs)) if isinstance(d, RawDocument)}
        assert pages <= read and not urls
    assert set().union(*(pages for pages, _ in sent)) == every
    # The page stored from the example folder and read again from another file is not sent
    # there: that partition reads it and the driver leaves it out.
    (page,) = read_paths([corpus / "c-same-page-again.txt"])
    assert isinstance(page, RawDocument) and page.doc_id in every
    again = next(p for p in partitions if str(corpus / "c-same-page-again.txt") in p.inputs)
    assert page.doc_id not in stored_from(again, settings)[0]
