"""What the command line prints: progress bars, the run summary and its stage table, and
rows as JSON Lines, CSV or a table. Data goes to ``stdout``, messages and progress to ``stderr``.

Both consoles read no Rich markup or emoji codes: file names, reasons and cells come from the
data and print as they are (styles are ``Text`` objects). CSV text cells that a spreadsheet
would run as a formula get a leading ``'`` unless the caller asks for them raw."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from dyadwatch._cli_options import ArticleFormat
from dyadwatch.ingest import count_pages
from dyadwatch.records import Article, Skipped, format_published

if TYPE_CHECKING:
    from dyadwatch import pipeline

stderr = Console(stderr=True, soft_wrap=True, markup=False, emoji=False)
stdout = Console(soft_wrap=True, markup=False, emoji=False)

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell starts when a spreadsheet would read it as a formula (OWASP's list)."""


class RateColumn(ProgressColumn):
    """A task's items per second, as Rich measures it over the last seconds."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s", style="progress.data.speed")


@contextmanager
def progress(
    paths: Sequence[str | Path], stages: Sequence[str], *, show: bool = True
) -> Iterator[pipeline.ProgressHook]:
    """Yield a ``hook(stage, n)`` that advances one bar per stage (items, rate, and an ETA
    for the inputs when they can be counted) on a terminal; in pipes, or unless ``show``,
    it does nothing."""
    if not (show and stderr.is_terminal):
        yield lambda _stage, _n: None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description:<9}", markup=False),
        BarColumn(bar_width=30),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        totals = {"ingest": count_pages(paths)}
        tasks = {stage: progress.add_task(stage, total=totals.get(stage)) for stage in stages}
        yield lambda stage, n: progress.advance(tasks[stage], n)


def report_skipped(skipped: Sequence[Skipped]) -> None:
    """Name each input that could not be read, with its reason, on stderr."""
    for item in skipped:
        if item.stage == "ingest":
            line = Text.assemble(("skipped", "yellow"), printable(f" {item.item}: {item.reason}"))
            stderr.print(line, highlight=False)


def error_line(message: str) -> None:
    """Print ``error: message`` on stderr, the message as plain text."""
    stderr.print(Text.assemble(("error:", "red"), printable(f" {message}")), highlight=False)


def printable(text: str) -> str:
    """``text`` with control characters (a terminal escape in a file name) shown as escapes."""
    return _CONTROLS.sub(lambda found: ascii(found.group())[1:-1], text)


def summary_payload(summary: pipeline.RunSummary) -> dict[str, Any]:
    """The run summary as plain JSON values."""
    return {
        "pages_read": summary.pages_read,
        "pages_new": summary.pages_new,
        "articles_found": summary.articles_found,
        "articles_added": summary.articles_added,
        "duplicates": summary.duplicates,
        "story_clusters": summary.story_clusters,
        "sentences_added": summary.sentences_added,
        "events_added": summary.events_added,
        "undated_events": summary.undated_events,
        "mentions_added": summary.mentions_added,
        "skipped": dict(summary.skipped_by_reason),
        "tables": summary.table_counts,
        "seconds": round(summary.seconds, 3),
        "stages": {
            name: {
                "items": stage.items,
                "seconds": round(stage.seconds, 3),
                "per_second": round(stage.rate, 1),
            }
            for name, stage in summary.stages.items()
        },
    }


_STAGE_UNITS = {
    "ingest": "inputs read",
    "extract": "articles found",
    "dedupe": "articles clustered",
    "sentences": "sentences split",
    "coding": "sentences coded",
    "store": "rows stored",
}


def print_summary(summary: pipeline.RunSummary, db: Path) -> None:
    table = Table(title=Text(f"dyadwatch run → {db}"), show_header=True)
    table.add_column("what")
    table.add_column("this run", justify="right")
    table.add_column("in database", justify="right")
    counts = summary.table_counts
    table.add_row(
        "pages",
        f"{summary.pages_read} read, {summary.pages_new} new",
        str(counts.get("pages", 0)),
    )
    table.add_row(
        "articles",
        f"{summary.articles_found} found, {summary.articles_added} new",
        str(counts.get("articles", 0)),
    )
    table.add_row("duplicate copies", str(summary.duplicates), "")
    table.add_row("story clusters", "", str(summary.story_clusters))
    table.add_row("sentences", f"{summary.sentences_added} new", str(counts.get("sentences", 0)))
    table.add_row("events", f"{summary.events_added} new", str(counts.get("events", 0)))
    if summary.undated_events is not None:
        table.add_row("undated events, in no series", "", str(summary.undated_events))
    table.add_row(
        "event mentions", f"{summary.mentions_added} new", str(counts.get("event_mentions", 0))
    )
    table.add_row("skipped", str(summary.skipped_count), str(counts.get("skipped", 0)))
    stdout.print(table)
    for reason, count in summary.skipped_by_reason.most_common():
        stdout.print(f"  skipped {count:>3} × {reason}", highlight=False)
    stdout.print(stage_table(summary))


def stage_table(summary: pipeline.RunSummary) -> Table:
    timed = sum(stage.seconds for stage in summary.stages.values()) or 1.0
    title = f"time: {summary.seconds:.1f} s, {summary.articles_per_second():.1f} articles/s"
    table = Table(title=title, show_header=True)
    table.add_column("stage")
    for name in ("items", "seconds", "items/s", "share"):
        table.add_column(name, justify="right")
    for name, stage in summary.stages.items():
        table.add_row(
            name,
            f"{stage.items:,} {_STAGE_UNITS[name]}",
            f"{stage.seconds:.2f}",
            f"{stage.rate:,.0f}",
            f"{stage.seconds / timed:.0%}",
        )
    return table


def article_row(article: Article) -> dict[str, Any]:
    return {
        "source": article.origin,
        "article_id": article.article_id,
        "doc_id": article.doc_id,
        "title": article.title,
        "byline": article.byline,
        "outlet": article.outlet,
        "published": format_published(article.published, article.published_precision),
        "published_zone": article.published_zone,
        "published_precision": article.published_precision,
        "published_from": article.published_from,
        "url": article.url,
        "language": article.language,
        "body": article.body,
    }


def write_rows(
    rows: Iterator[dict[str, Any]], fmt: str, columns: Sequence[str], *, csv_raw: bool = False
) -> None:
    """Print ``rows`` as JSON Lines, CSV (formula-like text neutralised unless ``csv_raw``)
    or a table of plain-text cells."""
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: csv_cell(row.get(key), raw=csv_raw) for key in columns})
    else:
        table = Table(show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold", max_width=60 if column == "body" else 40)
        for row in rows:
            table.add_row(*(Text(trimmed(cell_text(row.get(column)), 200)) for column in columns))
        stdout.print(table)
    sys.stdout.flush()


def chosen_format(fmt: ArticleFormat | None) -> ArticleFormat:
    """The format asked for, else a table on a terminal and JSON Lines when stdout is a pipe
    or a file (as sqlite-utils and gh do): ``--format`` always wins."""
    if fmt is not None:
        return fmt
    return ArticleFormat.table if sys.stdout.isatty() else ArticleFormat.jsonl


def trimmed(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at a word boundary, with "…" when cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


SPAN_ROLES = ("source", "verb", "target")


def labelled_spans(spans: list[list[int | None]] | None) -> list[dict[str, list[int | None]]]:
    """An event's evidence spans as ``{"source": [start, end], "verb": …, "target": …}`` per
    mention, instead of six bare offsets."""
    return [
        {role: list(span[2 * i : 2 * i + 2]) for i, role in enumerate(SPAN_ROLES)}
        for span in spans or []
    ]


def compact_counts(counts: dict[str, int] | None) -> str:
    """``{"19": 3, "04": 1}`` as ``19:3 04:1``, largest first, for a table cell."""
    ordered = sorted((counts or {}).items(), key=lambda item: (-item[1], item[0]))
    return " ".join(f"{key}:{value}" for key, value in ordered)


FLAT_EVENT_COLUMNS = (
    *("source", "source_sector", "target", "target_sector", "code", "name", "goldstein"),
    *("quad_class", "quad_name", "plover", "modality", "date", "date_precision", "evidence"),
)
"""The columns of one coded event as a CSV row."""


def flat_event(event: dict[str, Any]) -> dict[str, Any]:
    """A coded event (``code``'s JSON form) as one flat row: its evidence as the sentence."""
    from dyadwatch.codes import quad_name

    return {
        **{key: event.get(key) for key in FLAT_EVENT_COLUMNS},
        "quad_name": quad_name(event.get("quad_class")),
        "evidence": (event.get("evidence") or {}).get("text"),
    }


def cell_text(value: Any) -> str:
    """A value as the text of one cell: lists and mappings as JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def csv_cell(value: Any, *, raw: bool = False) -> str:
    """A value as a CSV cell; a text value a spreadsheet would run as a formula gets a
    leading ``'`` unless ``raw`` (numbers such as -3.5 stay numbers)."""
    text = cell_text(value)
    if not raw and isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def story_summary(row: dict[str, Any]) -> dict[str, Any]:
    """A story as one line of the terminal table: no body, the copies counted."""
    carriers = sorted({Path(source["origin"]).name for source in row["sources"]})
    published = (row["published"] or "")[:16].replace("T", " ")
    copies = f"{len(row['sources'])}: {', '.join(carriers)}"
    return {**row, "published": published, "copies": copies}


def undated_note(count: int) -> str:
    """The line saying how many undated events a series, the alerts or the dyads left out."""
    return (
        f"{count} undated event(s) (their article prints no date and none could be inferred) "
        "left out; `dyadwatch events --undated` lists them"
    )


def event_when(row: dict[str, Any]) -> str:
    """An event's date as precise as it is known ("2016-06", "1990s"), "(past)" if background,
    "(undated)" if none."""
    day, precision = row["date"], row.get("date_precision") or "day"
    if day is None:
        return "(undated)"
    shown = {
        "month": day.strftime("%Y-%m"),
        "year": str(day.year),
        "decade": f"{day.year}s",
        "week": f"week of {day.isoformat()}",
    }.get(precision, day.isoformat())
    return f"{shown} (past)" if row.get("background") else shown
