"""Exports of a quarterly snapshot: PDF board pack, XLSX workbook, CSV and Parquet archives."""

from __future__ import annotations

from pathlib import Path

from clusterkpi.catalog import Catalog
from clusterkpi.exports.archives import write_csv_zip, write_parquet_zip
from clusterkpi.exports.pdf_pack import write_pack
from clusterkpi.exports.tables import snapshot_tables
from clusterkpi.exports.workbook import write_workbook
from clusterkpi.i18n import LANGUAGES
from clusterkpi.snapshot_model import Snapshot
from clusterkpi.store import Store

# Format → what the file at --out is. CSV and Parquet hold three tables (scorecard,
# values, targets) and the command writes one file: each is a ZIP of three files.
FORMATS = {
    "pdf": "PDF board pack (A4)",
    "xlsx": "Excel workbook: scorecard, values and targets sheets",
    "csv": "ZIP of scorecard.csv, values.csv and targets.csv",
    "parquet": "ZIP of scorecard.parquet, values.parquet and targets.parquet",
}
SUFFIXES = {"pdf": ".pdf", "xlsx": ".xlsx", "csv": ".zip", "parquet": ".zip"}


def export_snapshot(
    store: Store,
    catalog: Catalog,
    snapshot: Snapshot,
    fmt: str,
    lang: str,
    out: Path,
) -> Path:
    """Write one export of a snapshot to ``out`` and return that path.

    Everything comes from the frozen ``snapshot``; ``catalog`` only gives labels,
    descriptions and formulas (the appendix says when its version differs from the
    snapshot's). ``store`` is part of the signature so that later exports can read
    restatements; none needs it yet. Raises ValueError for an unknown format or
    language.

    Example:
        export_snapshot(store, catalog, snapshot, "pdf", "fr", Path("2026Q3.pdf"))
    """
    if fmt not in FORMATS:
        raise ValueError(
            f"Unknown export format '{fmt}'. Use one of: {', '.join(FORMATS)}."
        )
    if lang not in LANGUAGES:
        raise ValueError(
            f"Unknown language '{lang}'. Use one of: {', '.join(LANGUAGES)}."
        )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        return write_pack(catalog, snapshot, lang, out)
    tables = snapshot_tables(catalog, snapshot, lang)
    if fmt == "xlsx":
        return write_workbook(tables, lang, out)
    if fmt == "csv":
        return write_csv_zip(tables, out)
    return write_parquet_zip(tables, out)
