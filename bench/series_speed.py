"""Speed of a dyad's series query over a database of one million stored events.

Builds a DuckDB file with dyadwatch's schema holding N synthetic events (default 1,000,000)
over 200 country pairs and five years, each with one mention, then times
`dyadwatch.analysis.series.dyad_series` for a busy dyad, weekly and monthly, both ways and
directed. Reports p50 and p95 over repeated runs (the first, cold run reported apart).

    python bench/series_speed.py [--events 1000000] [--runs 30] [--markdown docs/series-speed.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dyadwatch.analysis.series import dyad_series  # noqa: E402
from dyadwatch.store import Store  # noqa: E402

COUNTRIES = [
    "RUS", "CHN", "USA", "UKR", "IRN", "ISR", "PSE", "SYR", "TUR", "IND",
    "PAK", "DEU", "FRA", "GBR", "JPN", "KOR", "PRK", "SAU", "EGY", "BRA",
]  # fmt: skip

_FILL = """
INSERT INTO events
SELECT 'e' || i, 's' || (i // 3), 'a' || (i // 3),
       DATE '2020-01-01' + CAST(i % 1826 AS INTEGER),
       $countries[1 + (i * 7) % 20], 'GOV', $countries[1 + (i * 13 + 1) % 20], '',
       CASE WHEN i % 4 = 0 THEN '190' WHEN i % 4 = 1 THEN '042' WHEN i % 4 = 2 THEN '111'
            ELSE '057' END,
       CASE WHEN i % 4 = 0 THEN '19' WHEN i % 4 = 1 THEN '04' WHEN i % 4 = 2 THEN '11'
            ELSE '05' END,
       CASE WHEN i % 4 = 0 THEN -10.0 WHEN i % 4 = 1 THEN 1.9 WHEN i % 4 = 2 THEN -2.0
            ELSE 8.0 END,
       CASE WHEN i % 4 = 0 THEN 4 WHEN i % 4 = 1 THEN 1 WHEN i % 4 = 2 THEN 3 ELSE 1 END,
       '', 'asserted', 'bench', 1
FROM range($n) t(i);
INSERT INTO event_mentions
SELECT 'm' || event_id, event_id, article_id, 'x', 'a sentence', NULL, NULL, 0, 1, NULL, NULL,
       ['bench'], 'bench'
FROM events;
"""


def build(path: Path, events: int) -> float:
    """Create the database with ``events`` events; return the seconds it took."""
    start = time.perf_counter()
    with Store(path) as store:
        store.series_rows("RUS", "CHN")  # opens and migrates the schema
    import duckdb

    with duckdb.connect(str(path)) as con:
        for statement in _FILL.split(";"):
            if statement.strip():
                con.execute(
                    statement, {"n": events, "countries": COUNTRIES} if "$" in statement else {}
                )
    return time.perf_counter() - start


def measure(path: Path, runs: int) -> list[tuple[str, float, float, float, int]]:
    """Time each query shape; return (label, cold ms, p50 ms, p95 ms, periods)."""
    shapes = [
        ("RUS–CHN weekly, both ways", {"freq": "week"}),
        ("RUS–CHN monthly, both ways", {"freq": "month"}),
        ("RUS→CHN weekly, directed", {"freq": "week", "directed": True}),
    ]
    results = []
    with Store(path, read_only=True) as store:
        for label, options in shapes:
            times = []
            periods = 0
            for _ in range(runs + 1):
                start = time.perf_counter()
                series = dyad_series(store, "RUS", "CHN", **options)  # type: ignore[arg-type]
                times.append((time.perf_counter() - start) * 1000)
                periods = len(series.points)
            cold, warm = times[0], sorted(times[1:])
            p95 = warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]
            results.append((label, cold, statistics.median(warm), p95, periods))
    return results


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "series.duckdb"
        built = build(path, args.events)
        rows = measure(path, args.runs)
    lines = [
        "| query | cold (ms) | p50 (ms) | p95 (ms) | periods |",
        "|---|---:|---:|---:|---:|",
        *(f"| {r[0]} | {r[1]:.1f} | {r[2]:.1f} | {r[3]:.1f} | {r[4]} |" for r in rows),
    ]
    table = "\n".join(lines)
    print(table)
    verdict = "PASS" if all(r[3] < 100 for r in rows) else "FAIL"
    note = f"{args.events:,} events built in {built:.1f} s; target p95 < 100 ms: {verdict}"
    print(f"\n{note}")
    if args.markdown:
        command = "python bench/series_speed.py " + " ".join(
            argv if argv is not None else sys.argv[1:]
        )
        args.markdown.write_text(
            "# Series query speed\n\n"
            + __doc__.split("\n\n", 1)[1].split("    python")[0]
            + f"Regenerate:\n\n    {command.strip()}\n\n"
            + f"Measured with Python {platform.python_version()} on {platform.machine()}; "
            + f"{note}.\n\n{table}\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
