"""End-to-end pipeline speed, per stage, and memory on a large corpus.

Builds a corpus from the real HTML pages of the two article-extraction benchmarks in
../shared/anchors (181 + 294 news pages) and reposted variants of them, as reposting blogs
and aggregators make them (a note on top, an "updated" line, the last paragraph cut, another
URL), written as gzip-compressed JSON Lines shards of ``{"html", "url"}`` records; then runs
``dyadwatch.pipeline.run`` on it into a fresh DuckDB file, pinned to one CPU core, and prints
articles per second per core end to end and per stage (ingest, extract, dedupe, sentences,
coding, store).

    python bench/pipeline.py                                # 2,000 pages: the stage table
    python bench/pipeline.py --profile                      # and the functions the time goes to
    python bench/pipeline.py --pages 100000 --memory        # RSS as the run goes: flat memory
    python bench/pipeline.py --markdown docs/pipeline-speed.md

The corpus is cached in --corpus (default /tmp/dyadwatch-bench-corpus) by page count.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import platform
import pstats
import re
import resource
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"
DATASETS = ("article-extraction-benchmark", "dragnet-extraction")
SHARD_PAGES = 1_000
_LAST_PARAGRAPH = re.compile(r"<p[\s>](?:(?!<p[\s>]).)*?</p>(?!.*<p[\s>])", re.S | re.I)
_FIRST_PARAGRAPH = re.compile(r"<p([\s>])", re.I)


# --- corpus ---------------------------------------------------------------------------------


def base_pages(shared: Path) -> list[tuple[str, str, str]]:
    """``(key, url, html)`` of every benchmark page, in sorted key order per data set."""
    pages = []
    for name in DATASETS:
        directory = shared / "anchors" / name
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        for key in sorted(truth):
            raw = gzip.decompress((directory / "html" / f"{key}.html.gz").read_bytes())
            url = truth[key].get("url") or f"https://{name}.example/{key}"
            pages.append((key, url, raw.decode("utf-8", errors="replace")))
    return pages


def repost(html: str, copy: int) -> str:
    """The ``copy``-th reposted variant of a page (0: the page itself)."""
    if copy == 0:
        return html
    edit = copy % 4
    if edit in (1, 0):  # a reposter's note before the first paragraph
        note = f"<p>Reposted from the wire by reader{copy}. Comments are moderated.</p>"
        html = _FIRST_PARAGRAPH.sub(lambda m: note + "<p" + m.group(1), html, count=1)
    if edit in (2, 0):  # the last paragraph cut
        html = _LAST_PARAGRAPH.sub("", html, count=1)
    if edit in (3, 0):  # an update line
        line = f"<p>UPDATED {copy % 28 + 1} March, adds details.</p>"
        html = _FIRST_PARAGRAPH.sub(lambda m: line + "<p" + m.group(1), html, count=1)
    return html + f"\n<!-- mirror {copy} -->"


def base_texts(shared: Path) -> list[tuple[str, str, str]]:
    """``(key, url, text)`` of every benchmark page's human-made article body, as plain text
    with its headline on the first line (paragraphs as ``<p>`` so :func:`repost` applies)."""
    texts = []
    for name in DATASETS:
        truth = json.loads((shared / "anchors" / name / "ground-truth.json").read_text("utf-8"))
        for key in sorted(truth):
            body = (truth[key].get("articleBody") or "").strip()
            if len(body.split()) < 50:
                continue
            title = truth[key].get("headline")
            heading = f"<h1>{title}</h1>" if title else ""
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
            url = truth[key].get("url") or f"https://{name}.example/{key}"
            texts.append((key, url, heading + paragraphs))
    return texts


def _as_text(marked: str) -> str:
    """The plain text of a :func:`base_texts` item (after any repost edits)."""
    marked = re.sub(r"<!--.*?-->", "", marked)
    return re.sub(r"</(?:h1|p)>", "\n\n", re.sub(r"<(?:h1|p)>", "", marked)).strip() + "\n"


def build_corpus(shared: Path, pages: int, root: Path, *, text: bool = False) -> Path:
    """Write ``pages`` pages as JSON Lines shards under ``root``; reuse them if there. With
    ``text``, the pages are the benchmark's gold article bodies as plain text (no HTML)."""
    folder = root / f"{'texts' if text else 'pages'}-{pages}"
    done = folder / "COMPLETE"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    base = base_texts(shared) if text else base_pages(shared)
    for shard_start in range(0, pages, SHARD_PAGES):
        path = folder / f"shard-{shard_start // SHARD_PAGES:05d}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as shard:
            for number in range(shard_start, min(pages, shard_start + SHARD_PAGES)):
                key, url, html = base[number % len(base)]
                copy = number // len(base)
                where = url if copy == 0 else f"https://mirror{copy % 97}.example/{key}/{copy}"
                page = repost(html, copy)
                record = {"text": _as_text(page)} if text else {"html": page}
                shard.write(json.dumps({**record, "url": where}) + "\n")
    done.write_text(f"{pages} pages from {len(base)} benchmark pages\n", encoding="utf-8")
    return folder


# --- measurement ----------------------------------------------------------------------------


@dataclass
class MemoryTrace:
    """RSS samples taken while a run goes, with the inputs read at each sample."""

    samples: list[tuple[float, int, int]] = field(default_factory=list)  # (s, inputs, bytes)
    inputs: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def hook(self, stage: str, done: int) -> None:
        if stage == "ingest":
            self.inputs += done

    def start(self, every_s: float) -> threading.Thread:
        started = time.perf_counter()

        def sample() -> None:
            while not self._stop.wait(every_s):
                self.samples.append((time.perf_counter() - started, self.inputs, rss_bytes()))

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


def rss_bytes() -> int:
    """This process's resident set size now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def warm_up(work: Path) -> None:
    """Load spaCy, the coder and the language model once, as a long run does at its start."""
    from dyadwatch.config import Settings, StoreSettings
    from dyadwatch.pipeline import run

    story = "Russia and China signed an agreement on energy cooperation on Tuesday, officials said."
    (work / "warm.txt").write_text(f"Talks in Beijing\n\n{story}\n", encoding="utf-8")
    (work / "warm.html").write_text(
        "<html><head><title>Talks</title><meta name='date' content='5 March 2024'></head>"
        f"<body><article><h1>Talks</h1><p>{story}</p><p>{story}</p></article></body></html>",
        encoding="utf-8",
    )
    run([work], settings=Settings(store=StoreSettings(path=work / "warm.duckdb")))


def measure(corpus: Path, work: Path, *, profile: bool, memory: bool) -> dict[str, object]:
    from dyadwatch.config import Settings, StoreSettings
    from dyadwatch.pipeline import run

    warm_up(work)
    trace = MemoryTrace()
    if memory:
        trace.start(every_s=2.0)
    settings = Settings(store=StoreSettings(path=work / "bench.duckdb"))
    profiler = cProfile.Profile() if profile else None
    cpu0, wall0, rss0 = cpu_seconds(), time.perf_counter(), rss_bytes()
    if profiler:
        profiler.enable()
    summary = run([corpus], settings=settings, on_progress=trace.hook)
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    trace.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result: dict[str, object] = {
        "summary": summary,
        "wall": wall,
        "cpu": cpu,
        "rss_start": rss0,
        "rss_peak": peak,
        "trace": trace.samples,
        "db_bytes": (work / "bench.duckdb").stat().st_size,
    }
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
        result["profile"] = out.getvalue()
    return result


def body_words(corpus_db: Path) -> float:
    import duckdb

    with duckdb.connect(str(corpus_db), read_only=True) as con:
        row = con.execute(
            "SELECT avg(len(regexp_extract_all(body, '\\w+'))) FROM articles"
        ).fetchone()
    return float(row[0] or 0.0) if row else 0.0


# --- report ---------------------------------------------------------------------------------

UNITS = {
    "ingest": "pages read",
    "extract": "articles found",
    "dedupe": "articles clustered",
    "sentences": "sentences split",
    "coding": "sentences coded",
    "store": "rows written",
}


def report(result: dict[str, object], pages: int, words: float, target: float) -> str:
    from dyadwatch.pipeline import RunSummary

    summary = result["summary"]
    assert isinstance(summary, RunSummary)
    wall, cpu = float(result["wall"]), float(result["cpu"])  # type: ignore[arg-type]
    articles = summary.articles_found
    per_core = articles / cpu
    lines = [
        "## Corpus",
        "",
        f"{pages:,} pages (the benchmark pages and reposted variants of them), "
        f"{articles:,} articles found, {summary.duplicates:,} joined an earlier story "
        f"({summary.story_clusters:,} stories), {summary.sentences_added:,} sentences, "
        f"{summary.events_added:,} events; mean article body {words:,.0f} words.",
        "",
        "## End to end (one process pinned to one core)",
        "",
        "| articles | wall s | CPU s | articles/s (wall) | **articles/s/core (CPU)** "
        f"| target ≥ {target:.0f} |",
        "|---:|---:|---:|---:|---:|---|",
        f"| {articles:,} | {wall:,.1f} | {cpu:,.1f} | {articles / wall:,.1f} | "
        f"**{per_core:,.1f}** | {'**PASS**' if per_core >= target else 'FAIL'} |",
        "",
        "## Per stage",
        "",
        "| stage | items | seconds | share of time | items/s | articles/s through the stage |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    timed = sum(stage.seconds for stage in summary.stages.values()) or 1.0
    for name, stage in summary.stages.items():
        through = articles / stage.seconds if stage.seconds else 0.0
        lines.append(
            f"| {name} | {stage.items:,} {UNITS[name]} | {stage.seconds:,.1f} | "
            f"{stage.seconds / timed:.0%} | {stage.rate:,.0f} | {through:,.0f} |"
        )
    lines.append(f"| *outside the stages* (the run loop, batching) | | {wall - timed:,.1f} | | | |")
    trace = result["trace"]
    assert isinstance(trace, list)
    if trace:
        lines += [
            "",
            "## Memory (RSS while the run goes)",
            "",
            "| elapsed s | pages read | RSS MB |",
            "|---:|---:|---:|",
        ]
        step = max(1, len(trace) // 12)
        for elapsed, read, rss in [*trace[::step], trace[-1]]:
            lines.append(f"| {elapsed:,.0f} | {read:,} | {rss / 2**20:,.0f} |")
    start = int(result["rss_start"]) / 2**20  # type: ignore[call-overload]
    peak = int(result["rss_peak"]) / 2**20  # type: ignore[call-overload]
    lines += [
        "",
        f"RSS at the start (models loaded): {start:,.0f} MB; peak: {peak:,.0f} MB "
        f"(limit 1,536 MB: {'PASS' if peak <= 1536 else 'FAIL'}); "
        f"database file {int(result['db_bytes']) / 2**20:,.0f} MB.",  # type: ignore[call-overload]
    ]
    if "profile" in result:
        lines += ["", "## Where the time goes (cProfile, top functions by own time)", ""]
        lines += ["```", _trim_profile(str(result["profile"])), "```"]
    return "\n".join(lines)


def _trim_profile(text: str) -> str:
    keep = []
    started = False
    for line in text.splitlines():
        if line.strip().startswith("ncalls"):
            started = True
        if started and line.strip():
            keep.append(re.sub(r"/\S*/site-packages/", "", line.replace(str(REPO) + "/", "")))
    return "\n".join(keep)


def environment() -> str:
    import spacy

    cpu = platform.processor() or "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return (
        f"Measured {datetime.now(UTC):%Y-%m-%d} with Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, {cpu} ({os.cpu_count()} cores), one process pinned to "
        f"core {min(os.sched_getaffinity(0))} (sched_setaffinity), BLAS threads 1."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2_000, help="corpus size in pages")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/dyadwatch-bench-corpus"))
    parser.add_argument("--memory", action="store_true", help="sample RSS as the run goes")
    parser.add_argument(
        "--text", action="store_true", help="plain-text gold bodies instead of HTML pages"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the run")
    parser.add_argument("--target", type=float, default=30.0, help="articles/s/core to reach")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--core", type=int, help="CPU core to pin to (default: the first)")
    args = parser.parse_args(argv)
    if not (args.shared / "anchors" / DATASETS[0]).is_dir():
        print(f"needs the extraction benchmarks under {args.shared}/anchors", file=sys.stderr)
        return 2
    core = min(os.sched_getaffinity(0)) if args.core is None else args.core
    os.sched_setaffinity(0, {core})
    corpus = build_corpus(args.shared, args.pages, args.corpus, text=args.text)
    with tempfile.TemporaryDirectory(prefix="dyadwatch-bench-") as tmp:
        result = measure(corpus, Path(tmp), profile=args.profile, memory=args.memory)
        words = body_words(Path(tmp) / "bench.duckdb")
    command = " ".join(["python bench/pipeline.py", *(argv or sys.argv[1:])])
    text = "\n".join(
        [
            f"# Pipeline speed: `{command}`",
            "",
            environment(),
            "",
            report(result, args.pages, words, args.target),
        ]
    )
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.exit(main())
