"""End-to-end speed and cold start of dyadwatch's rule coder, on one CPU core.

Codes a realistic news mix (most sentences hold no event) with
``dyadwatch.coding.RuleCoder.code_texts``: raw sentence text in, events out, the
pre-filter and the spaCy parse included. The sentences are those of the human-made article
bodies of the article-extraction benchmark (181 pages, the first ``--sentences`` of them,
split by ``dyadwatch.nlp.split_sentences``) plus those of the seed pages in ../shared/seeds
(read with ``dyadwatch.pipeline.extract_documents``). Also times the cold start of
``python -m dyadwatch code --text ...`` and of ``RuleCoder()`` in a fresh interpreter, and
compares with PETRARCH-2's published and measured speeds.

    python bench/coder_speed.py                    # tables on stdout
    python bench/coder_speed.py --repeats 5 --sentences 2000
    python bench/coder_speed.py --markdown docs/coder-speed.md

The process pins itself (and so its subprocesses) to one core and sets the BLAS thread
variables to 1 before anything imports numpy. The data live in ../shared (next to the
repository); the script exits with a message when they are absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared"
BENCHMARK_FILE = Path("anchors") / "article-extraction-benchmark" / "ground-truth.json"
BASELINE_FILE = Path("anchors") / "petrarch2" / "petrarch2_measured_baseline.json"
BASELINE_SUITE = "PETR2_GSR_real_news"
SEEDS_DIR = Path("seeds")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

SENTENCES = 5_000
REPEATS = 3
TARGET_PER_S = 300.0
TARGET_COLD_S = 3.0
# PETRARCH-2 with Stanford CoreNLP parsing, end to end, as the issue quotes it.
PETRARCH_PUBLISHED = (2.0, 5.0)
COUNTED = frozenset({"asserted", "intent"})  # the modalities the CLI lists by default

WARM_UP = ("warm-up", "Russian troops attacked Ukrainian positions on Monday.", None)
CLI_TEXT = "Russia and China held joint naval drills in the East China Sea."
CLI_DATE = "2024-05-01"
# Run in a fresh interpreter: import, construction and first call of the coder, in seconds.
COLD_PROBE = f"""
import json, time
start = time.perf_counter()
from dyadwatch.coding import RuleCoder
imported = time.perf_counter()
coder = RuleCoder()
built = time.perf_counter()
events = [e for _, found in coder.code_texts([("1", {CLI_TEXT!r}, None)]) for e in found]
coded = time.perf_counter()
print(json.dumps({{"import": imported - start, "construct": built - imported,
                   "first_call": coded - built, "events": len(events)}}))
"""

Item = tuple[str, str, date | None]


# --- one core -------------------------------------------------------------------------------


def pin_one_core() -> str:
    """Set the BLAS thread variables to 1 and pin this process to one core; say what was done."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform); BLAS threads 1"
    allowed = os.sched_getaffinity(0)
    core = 0 if 0 in allowed else min(allowed)
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core} of {len(allowed)} allowed (sched_setaffinity); BLAS threads 1"


# --- corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Corpus:
    """The sentences to code, and how many came from each source."""

    items: list[Item]
    sources: list[tuple[str, int, int]]  # (source, articles, sentences)


def benchmark_articles(path: Path) -> list[Any]:
    """The article-extraction benchmark's human-made bodies as Articles, in sorted key order."""
    from dyadwatch.records import Article

    truth = json.loads(path.read_text(encoding="utf-8"))
    articles = []
    for key in sorted(truth):
        body = (truth[key] or {}).get("articleBody") or ""
        if body.strip():
            articles.append(
                Article(article_id=f"aeb-{key}", doc_id=key, origin=f"aeb:{key}", index=0, body=body)
            )
    return articles


def seed_articles(folder: Path) -> list[Any]:
    """The articles dyadwatch extracts from the seed pages."""
    from dyadwatch.pipeline import extract_documents
    from dyadwatch.records import Article

    return [item for item in extract_documents([folder]) if isinstance(item, Article)]


def sentences_of(articles: Sequence[Any], limit: int | None = None) -> list[Item]:
    """``(sentence_id, text, date)`` of the articles' sentences (the first ``limit``)."""
    from dyadwatch.nlp import split_sentences

    dates = {a.article_id: a.published.date() if a.published else None for a in articles}
    return [
        (sentence.sentence_id, sentence.text, dates[sentence.article_id])
        for sentence in islice(split_sentences(articles), limit)
    ]


def build_corpus(shared: Path, limit: int) -> Corpus:
    """The first ``limit`` benchmark sentences, then every sentence of the seed pages."""
    bench = benchmark_articles(shared / BENCHMARK_FILE)
    seeds = seed_articles(shared / SEEDS_DIR)
    bench_items = sentences_of(bench, limit)
    seed_items = sentences_of(seeds)
    used = len({item[0].split(":")[0] for item in bench_items})  # ids are article-prefixed?
    used = len({_article_of(item[0], bench) for item in bench_items}) or used
    return Corpus(
        bench_items + seed_items,
        [
            (f"article-extraction-benchmark bodies (first {limit:,} sentences)", used, len(bench_items)),
            ("seed pages (../shared/seeds)", len(seeds), len(seed_items)),
        ],
    )
