"""CSV and Parquet archives of a snapshot: one ZIP holding one file per flat table."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from clusterkpi.exports.tables import Cell, Table
from clusterkpi.store import write_parquet


def write_csv_zip(tables: list[Table], out: Path) -> Path:
    """Write ``<table>.csv`` for each table into the ZIP ``out``.

    The files are for archives and for comparing clusters, so they use one dialect
    whatever the language: comma-separated, decimal point, ISO dates, UTF-8 with a BOM
    (Excel then reads the accents). An empty cell means no value, never zero.
    """
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(table.names)
            writer.writerows([_csv_cell(c) for c in row] for row in table.rows)
            archive.writestr(
                f"{table.name}.csv", ("\ufeff" + text.getvalue()).encode("utf-8")
            )
    return out


def write_parquet_zip(tables: list[Table], out: Path) -> Path:
    """Write ``<table>.parquet`` for each table into the ZIP ``out`` (DuckDB's writer)."""
    with (
        tempfile.TemporaryDirectory() as work,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive,
    ):
        # Parquet files are compressed already: the ZIP only bundles them.
        for table in tables:
            path = Path(work) / f"{table.name}.parquet"
            write_parquet(table.frame(), path)
            archive.write(path, path.name)
    return out


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)
