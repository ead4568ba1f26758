"""The XLSX export of a snapshot: scorecard, values and targets sheets, no live formula."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from clusterkpi.exports.tables import Cell, Table
from clusterkpi.i18n import t

# Codes are translated for reading; the CSV and Parquet files keep them.
_CODE_KEYS = {
    "group": "group.",
    "status": "status.",
    "horizon": "horizon.",
    "unit": "detail.unit.",
    "direction": "detail.direction.",
}
_VALUE_COLUMNS = {"value", "baseline", "target", "forecast"}
_WIDEST = 60


def write_workbook(tables: list[Table], lang: str, out: Path) -> Path:
    """Write one sheet per table, headers and codes in ``lang``, into ``out``.

    Text cells arrive neutralised by :mod:`clusterkpi.exports.tables` and are written
    as strings, so openpyxl never stores a formula; numbers stay numbers (rates as
    fractions shown in %), dates are dates. The header row is frozen and filterable.
    """
    book = Workbook()
    default = book.active  # a new workbook opens on one empty sheet
    if default is not None:
        book.remove(default)
    for table in tables:
        sheet = book.create_sheet(t(f"export.sheet.{table.name}", lang))
        _fill(sheet, table, lang)
    book.save(out)
    return out


def _fill(sheet: Worksheet, table: Table, lang: str) -> None:
    names = table.names
    sheet.append([t(f"export.col.{name}", lang) for name in names])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    unit_at = names.index("unit") if "unit" in names else None
    for row in table.rows:
        rate = unit_at is not None and row[unit_at] == "rate"
        sheet.append(
            [_shown(name, value, lang) for name, value in zip(names, row, strict=True)]
        )
        for name, cell in zip(names, sheet[sheet.max_row], strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never 'f', whatever openpyxl guessed
            elif name.startswith("progress"):
                cell.number_format = "0%"
            elif name in _VALUE_COLUMNS and rate:
                cell.number_format = "0.0%"
            elif name == "horizon_date":
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _size_columns(sheet)


def _shown(name: str, value: Cell, lang: str) -> Cell:
    prefix = _CODE_KEYS.get(name.split("_")[0] if name.startswith("status") else name)
    if prefix and isinstance(value, str) and value:
        return t(prefix + value, lang)
    return value


def _size_columns(sheet: Worksheet) -> None:
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        width = min(_WIDEST, max(8, longest + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
        if longest > _WIDEST:  # commentary: wrap rather than run off the screen
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
