"""Dask distributed vs Ray on this pipeline: 1 and 2 workers against the local run.

Runs ``dyadwatch.pipeline.run`` (local, one process) and ``dyadwatch.scaleout.run_distributed``
on local clusters of Dask and of Ray with 1 and 2 worker processes, on the same corpus as
bench/pipeline.py (the extraction benchmarks' real HTML pages and reposted variants), here cut
into files of 25 pages so that the input splits into partitions. Each run writes a fresh
DuckDB file; the table gives the wall time with and without the engine's start, articles per
second, the speed-up over the local run, and whether the stored ids equal the local run's.

    python bench/scaleout.py                               # 400 pages, both engines
    python bench/scaleout.py --pages 800 --markdown docs/scaleout-benchmark.md
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline import DATASETS, DEFAULT_SHARED, base_pages, repost

SHARD = 25


def build_corpus(shared: Path, pages: int, root: Path) -> Path:
    """``pages`` pages in gzip JSON Lines files of SHARD pages each; reused when there."""
    folder = root / f"scale-{pages}"
    if (folder / "COMPLETE").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    base = base_pages(shared)
    for start in range(0, pages, SHARD):
        with gzip.open(
            folder / f"part-{start // SHARD:05d}.jsonl.gz", "wt", encoding="utf-8"
        ) as out:
            for number in range(start, min(pages, start + SHARD)):
                key, url, html = base[number % len(base)]
                copy = number // len(base)
                where = url if copy == 0 else f"https://mirror{copy}.example/{key}"
                out.write(json.dumps({"html": repost(html, copy), "url": where}) + "\n")
    (folder / "COMPLETE").touch()
    return folder


def ids(db: Path) -> tuple[frozenset[str], ...]:
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(
            frozenset(row[0] for row in con.execute(query).fetchall())
            for query in (
                "SELECT doc_id FROM pages",
                "SELECT article_id || story_id FROM articles",
                "SELECT sentence_id FROM sentences",
                "SELECT event_id FROM events",
                "SELECT mention_id FROM event_mentions",
            )
        )


def one_run(corpus: Path, work: Path, engine: str, workers: int) -> dict[str, object]:
    from dyadwatch.config import ScaleSettings, Settings, StoreSettings
    from dyadwatch.pipeline import run
    from dyadwatch.scaleout import make_engine, run_distributed

    db = work / f"{engine}-{workers}.duckdb"
    settings = Settings(
        store=StoreSettings(path=db),
        scale=ScaleSettings(engine=engine, workers=workers, partition_files=1),  # type: ignore[arg-type]
    )
    started = time.perf_counter()
    if engine == "local":
        summary = run([corpus], settings=settings)
        start_s = 0.0
        total = time.perf_counter() - started
    else:
        cluster = make_engine(settings)
        start_s = time.perf_counter() - started
        try:
            summary = run_distributed([corpus], settings=settings, engine=cluster)
        finally:
            total = time.perf_counter() - started
            cluster.close()
    return {
        "engine": engine,
        "workers": workers,
        "start_s": start_s,
        "total_s": total,
        "articles": summary.articles_found,
        "db": db,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/dyadwatch-bench-corpus"))
    parser.add_argument("--engines", default="dask,ray")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    if not (args.shared / "anchors" / DATASETS[0]).is_dir():
        print(f"needs the extraction benchmarks under {args.shared}/anchors", file=sys.stderr)
        return 2
    corpus = build_corpus(args.shared, args.pages, args.corpus)
    plan = [("local", 1)] + [
        (engine, workers) for engine in args.engines.split(",") for workers in (1, 2)
    ]
    results = []
    with tempfile.TemporaryDirectory(prefix="dyadwatch-scale-") as tmp:
        # A first local run loads spaCy and the coder in this process: the local row then
        # measures a warm process, as the workers' own loading is part of their first task.
        one_run(build_corpus(args.shared, SHARD, args.corpus), Path(tmp), "local", 0)
        for engine, workers in plan:
            print(f"running {engine} × {workers} ...", file=sys.stderr)
            results.append(one_run(corpus, Path(tmp), engine, workers))
        reference = ids(results[0]["db"])  # type: ignore[arg-type]
        for result in results:
            result["same_ids"] = ids(result["db"]) == reference  # type: ignore[arg-type]
    local = float(results[0]["total_s"])  # type: ignore[arg-type]
    lines = [
        f"# Scale-out engines: `python bench/scaleout.py {' '.join(argv or sys.argv[1:])}`",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} with Python {platform.python_version()} on "
        f"{os.cpu_count()} cores; {args.pages} pages in {-(-args.pages // SHARD)} files "
        "(one partition each).",
        "",
        "| engine | workers | engine start s | total wall s | articles | articles/s "
        "| speed-up vs local | same ids as local |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        total = float(r["total_s"])  # type: ignore[arg-type]
        lines.append(
            f"| {r['engine']} | {r['workers']} | {float(r['start_s']):.1f} | {total:.1f} | "  # type: ignore[arg-type]
            f"{r['articles']} | {int(r['articles']) / total:.1f} | {local / total:.2f}× | "  # type: ignore[call-overload]
            f"{'yes' if r['same_ids'] else 'NO'} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
