"""Write every store table to a folder as Parquet or CSV through DuckDB ``COPY``.

In CSV, a text cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return, as OWASP lists) gets a leading ``'`` unless the caller
asks for the cells raw; numbers (a Goldstein of -3.5) are left as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

import duckdb

from dyadwatch.errors import StoreError
from dyadwatch.store._read import pages_sql
from dyadwatch.store.schema import tables

ExportFormat = Literal["parquet", "csv"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)

_OPTIONS = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true"}
_FORMULA_START = "('=', '+', '-', '@', chr(9), chr(13))"
_QUOTE = "''''"  # the SQL literal of one single quote


def _literal(path: Path) -> str:
    """Quote ``path`` as a SQL string literal (COPY takes no bound parameter for its target)."""
    return "'" + str(path).replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _neutralised(con: duckdb.DuckDBPyConnection, rows: str) -> str:
    """``rows`` with each text cell that starts like a formula prefixed by ``'``."""
    columns = []
    for name, kind, *_ in con.execute(f"DESCRIBE {rows}").fetchall():
        column = _identifier(str(name))
        if str(kind) == "VARCHAR":
            column = (
                f"CASE WHEN left({column}, 1) IN {_FORMULA_START} "
                f"THEN {_QUOTE} || {column} ELSE {column} END AS {column}"
            )
        columns.append(column)
    return f"SELECT {', '.join(columns)} FROM ({rows})"


def export_tables(
    con: duckdb.DuckDBPyConnection, to: Path, fmt: str, archive: Path, *, csv_raw: bool = False
) -> list[Path]:
    """Write each store table to ``to/<table>.<fmt>`` (pages with their text from the
    ``archive``; CSV text cells that start like a formula neutralised unless ``csv_raw``);
    return the paths written."""
    if fmt not in _OPTIONS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    try:
        to.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"{to}: cannot create the export folder: {error}") from error
    written = []
    for table in tables():  # fixed names from the schema, never user input
        target = to / f"{table}.{fmt}"
        rows = f"SELECT * FROM {table}" if table != "pages" else pages_sql(con, archive)
        try:
            if fmt == "csv" and not csv_raw:
                rows = _neutralised(con, rows)
            con.execute(f"COPY ({rows} ORDER BY ALL) TO {_literal(target)} ({_OPTIONS[fmt]})")
        except duckdb.Error as error:
            raise StoreError(f"{target}: cannot export table {table}: {error}") from error
        written.append(target)
    return written
