"""The shift detector on real dyad series: GDELT 2.0 (2018-2024) and ICEWS (2018), against
dated turning points of public record, and on control dyads.

Reads `../shared/anchors/dyad-series/` (not part of the product). For the GDELT daily
composite, each present day's dyad score divided by that day's all-pairs volume is one value,
and weeks are the periods; for ICEWS each event row is one value. Both detectors run on the
same weekly values: dyadwatch's `Detector` and the z-score of the weekly mean (|z| > 3 against
the trailing 26 weeks). A turning point counts as caught when an alarm in its direction comes
in the four weeks before it (an early warning: "week -2") or in its week or the three after;
alarms on the four control dyads are counted per dyad-year.

The turning points are well-known public events, listed here with their dates (not tuned):

    python bench/alerts_real.py [--shared ../shared] [--markdown docs/alerts-real.md]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import statistics
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dyadwatch.analysis.changepoints import Detector, zscore_baseline  # noqa: E402

# (dyad, date, direction, what happened); direction -1: relations worsen, +1: improve.
TURNING_POINTS = [
    ("GBR-RUS", date(2018, 3, 4), -1, "Skripal poisoning in Salisbury"),
    ("IRN-USA", date(2018, 5, 8), -1, "US leaves the JCPOA"),
    ("PRK-USA", date(2018, 6, 12), 1, "Singapore summit"),
    ("CHN-USA", date(2018, 7, 6), -1, "first US and Chinese tariffs take effect"),
    ("CAN-SAU", date(2018, 8, 5), -1, "Saudi Arabia expels Canada's ambassador"),
    ("TUR-USA", date(2018, 8, 10), -1, "US doubles tariffs on Turkey over pastor Brunson"),
    ("SAU-TUR", date(2018, 10, 2), -1, "Khashoggi killed in Istanbul"),
    ("IND-PAK", date(2019, 2, 14), -1, "Pulwama attack, then Balakot strikes"),
    ("IRN-USA", date(2020, 1, 3), -1, "US kills Qasem Soleimani"),
    ("CHN-IND", date(2020, 6, 15), -1, "Galwan valley clash"),
    ("ARM-AZE", date(2020, 9, 27), -1, "second Nagorno-Karabakh war"),
    ("QAT-SAU", date(2021, 1, 5), 1, "Al-Ula declaration ends the Qatar blockade"),
    ("ARE-QAT", date(2021, 1, 5), 1, "Al-Ula declaration ends the Qatar blockade"),
    ("ISR-PSE", date(2021, 5, 10), -1, "Gaza war of May 2021"),
    ("RUS-UKR", date(2022, 2, 24), -1, "Russia invades Ukraine"),
    ("ARM-AZE", date(2023, 9, 19), -1, "Azerbaijan's offensive in Nagorno-Karabakh"),
    ("ISR-PSE", date(2023, 10, 7), -1, "7 October attack and the Gaza war"),
]
CONTROLS = ("DEU-FRA", "ESP-PRT", "NOR-SWE", "AUS-NZL")
WINDOW = 3  # weeks after the turning point's week in which an alarm counts
LEAD = 4  # weeks before it in which an alarm counts as an early warning


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def gdelt(path: Path) -> dict[str, tuple[list[date], list[list[float]]]]:
    """Weekly values per dyad: each present day's score over that day's all-pairs volume."""
    values: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["source_day_present"] != "1":
                continue
            volume = float(row["all_pairs_abs_score_sum"])
            if volume <= 0:
                continue
            day = date.fromisoformat(row["date"])
            values[row["dyad"]][_monday(day)].append(1000 * float(row["score_sum"]) / volume)
    return {dyad: _weeks(weeks) for dyad, weeks in values.items()}


def icews(path: Path) -> dict[str, tuple[list[date], list[list[float]]]]:
    """Weekly values per dyad: one Goldstein score per ICEWS event row."""
    values: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = date.fromisoformat(row["event_date"])
            values[row["dyad"]][_monday(day)].append(float(row["goldstein"]))
    return {dyad: _weeks(weeks) for dyad, weeks in values.items()}


def _weeks(weeks: dict[date, list[float]]) -> tuple[list[date], list[list[float]]]:
    first, last = min(weeks), max(weeks)
    timeline = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return timeline, [weeks.get(week, []) for week in timeline]


def alarms(values: list[list[float]]) -> dict[str, list[tuple[int, int]]]:
    """(week index, direction) alarms of both detectors."""
    ours = [
        (shift.confirmed, 1 if shift.direction == "up" else -1)
        for shift in Detector().detect(values)
    ]
    means = [statistics.fmean(v) if v else None for v in values]
    naive = []
    for t in zscore_baseline(means):
        if naive and naive[-1][0] == t - 1:
            continue
        history = [m for m in means[max(0, t - 26) : t] if m is not None]
        value = means[t]
        naive.append((t, 1 if value is not None and value > statistics.fmean(history) else -1))
    return {"dyadwatch": ours, "z-score": naive}


def evaluate(series: dict[str, tuple[list[date], list[list[float]]]]) -> list[str]:
    """Markdown rows: each turning point in range, and the control dyads' alarm rate."""
    rows = []
    for dyad, day, direction, what in TURNING_POINTS:
        if dyad not in series:
            continue
        timeline, values = series[dyad]
        if not timeline[0] + timedelta(weeks=26) <= _monday(day) <= timeline[-1]:
            continue
        at = timeline.index(_monday(day))
        cells = []
        for found in alarms(values).values():
            lags = [t - at for t, d in found if d == direction and -LEAD <= t - at <= WINDOW]
            cells.append(f"week {lags[0]:+d}" if lags else "missed")
        rows.append(f"| {dyad} | {day} {what} | {'worse' if direction < 0 else 'better'} | "
                    + " | ".join(cells) + " |")  # fmt: skip
    for name in ("dyadwatch", "z-score"):
        years = 0.0
        count = 0
        for dyad in CONTROLS:
            if dyad in series:
                timeline, values = series[dyad]
                years += len(timeline) / 52
                count += len(alarms(values)[name])
        if years:
            rate = f"{count / years:.2f}"
            cells = f"{rate} | —" if name == "dyadwatch" else f"— | {rate}"
            rows.append(
                f"| controls ({', '.join(CONTROLS)}) | alarms per dyad-year | — | {cells} |"
            )
    return rows


def samples(anchors: Path) -> str:
    """Import the raw GDELT and ICEWS samples and list what ``dyadwatch alerts`` finds."""
    import tempfile

    from dyadwatch.analysis.alerts import find_alerts
    from dyadwatch.interop import import_files
    from dyadwatch.store import Store

    lines = [
        "## The raw GDELT and ICEWS samples, imported (daily periods)",
        "",
        "| sample | events imported | rows skipped | alerts by kind | first alerts |",
        "|---|---:|---:|---|---|",
    ]
    for kind, name in (
        ("gdelt", "UNDP-BCPR-Project/aug2012.csv"),
        ("gdelt", "gdelt_fetcher/20240819130000.export.csv"),
        ("icews", "icews/events.2018.sample.tab"),
    ):
        with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "s.duckdb") as store:
            summary = import_files(store, kind, [anchors / name])
            found = find_alerts(store, freq="day")
        kinds = (
            ", ".join(
                f"{k}: {sum(1 for a in found if a.kind == k)}"
                for k in sorted({a.kind for a in found})
            )
            or "none"
        )
        first = "; ".join(a.message for a in found[:2]) or "—"
        lines.append(f"| {name} | {summary.added} | {summary.skipped} | {kinds} | {first} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    folder = args.shared / "anchors" / "dyad-series"
    if not folder.is_dir():
        print(f"error: {folder} not found: this benchmark needs ../shared", file=sys.stderr)
        return 2
    header = "| dyad | turning point | direction | dyadwatch | z-score |\n|---|---|---|---|---|"
    parts = []
    for title, series in (
        ("GDELT 2.0 daily composite, 2018-2024 (weekly periods)",
         gdelt(folder / "gdelt2_daily_dyad_composite.csv.gz")),
        ("ICEWS 2018 event rows (weekly periods)", icews(folder / "icews18_events_dyads.csv.gz")),
    ):  # fmt: skip
        parts.append(f"## {title}\n\n{header}\n" + "\n".join(evaluate(series)))
    parts.append(samples(args.shared / "anchors"))
    text = "\n\n".join(parts)
    print(text)
    if args.markdown:
        command = "python bench/alerts_real.py " + " ".join(
            argv if argv is not None else sys.argv[1:]
        )
        intro = __doc__.split("\n\n", 1)[1].split("    python")[0]
        args.markdown.write_text(
            f"# Alerts on real dyad series\n\n{intro}Regenerate:\n\n    {command.strip()}\n\n"
            + text
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
