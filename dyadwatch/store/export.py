"""Write every store table to a folder as Parquet or CSV through DuckDB ``COPY``."""

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


def _literal(path: Path) -> str:
    """Quote ``path`` as a SQL string literal (COPY takes no bound parameter for its target)."""
    return "'" + str(path).replace("'", "''") + "'"


def export_tables(con: duckdb.DuckDBPyConnection, to: Path, fmt: str, archive: Path) -> list[Path]:
    """Write each store table to ``to/<table>.<fmt>`` (pages with their text from the
    ``archive``); return the paths written."""
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
            con.execute(f"COPY ({rows} ORDER BY ALL) TO {_literal(target)} ({_OPTIONS[fmt]})")
        except duckdb.Error as error:
            raise StoreError(f"{target}: cannot export table {table}: {error}") from error
        written.append(target)
    return written
