"""The options and argument types the ``dyadwatch`` commands share."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class ArticleFormat(StrEnum):
    """Output formats for article listings."""

    jsonl = "jsonl"
    csv = "csv"
    table = "table"


FORMAT_HELP = "Output format [default: a table on a terminal, JSON Lines when piped]."


class Period(StrEnum):
    """Periods of a series and of the alert detector."""

    day = "day"
    week = "week"
    month = "month"


class Engine(StrEnum):
    """Where ``run`` runs the per-page stages."""

    local = "local"
    dask = "dask"
    ray = "ray"


class ExtractFormat(StrEnum):
    """Output formats for ``extract``."""

    jsonl = "jsonl"
    csv = "csv"


class ExportFormat(StrEnum):
    """File formats for ``export``: every table, or the events in another dataset's layout."""

    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    gdelt = "gdelt"
    plover = "plover"


class ImportKind(StrEnum):
    """Event datasets ``import`` reads."""

    gdelt = "gdelt"
    icews = "icews"


FormatOption = Annotated[ArticleFormat | None, typer.Option("--format", help=FORMAT_HELP)]
"""``--format``: a table on a terminal and JSON Lines when piped, unless said."""

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", help="DuckDB file to read and write [default: store.path, dyadwatch.duckdb]."
    ),
]
FieldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        metavar="PART=FIELD",
        help="Where JSON Lines records keep a part of the page: text, html, url, title or "
        "published = a key or dotted path (repeatable), e.g. --field text=article.body.",
    ),
]
PathsArgument = Annotated[
    list[str],
    typer.Argument(
        help="Files, folders or http(s) URLs: .txt, .html, .jsonl, .rss/.atom/.xml feeds, .urls "
        "lists (and their .gz forms), .warc/.warc.gz archives."
    ),
]


CsvRawOption = Annotated[
    bool,
    typer.Option(
        "--csv-raw",
        help="Write CSV text cells as stored, even those starting with = + - @ tab or CR that "
        "a spreadsheet runs as a formula (by default they get a leading ').",
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bars and no summary; errors only.")
]
