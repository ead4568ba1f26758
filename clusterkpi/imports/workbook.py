"""Cells of Excel workbooks (.xlsx, legacy .xls) as text."""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import openpyxl
import xlrd

from clusterkpi.imports.archive import MB, ZipLimits, check_members
from clusterkpi.imports.encoding import ImportFileError, repair_mojibake

Sheet = tuple[str, list[list[str]]]
_EXACT_INTEGERS = 2**53  # floats beyond lose digits: keep their repr (1.22158e+17)

# An .xlsx is a ZIP of XML parts; openpyxl streams them, so only absurd sizes matter.
XLSX_LIMITS = ZipLimits(max_members=10_000, max_total_bytes=1024 * MB, max_ratio=1000)


def read_xlsx(raw: bytes) -> list[Sheet]:
    """Return (sheet name, rows of cell text) for each non-empty sheet of an .xlsx file.

    Dates become ISO text ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'), whole numbers
    have no '.0', other floats their repr, empty cells ''. Trailing empty cells and
    rows are dropped; the position of a row in the list is its row number - 1.

    Raises:
        ImportFileError: 'xlsx_corrupt' when the workbook cannot be read;
            'zip_too_large' / 'zip_bomb' when its parts expand absurdly.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            check_members(archive.infolist(), XLSX_LIMITS)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it ignores
            book = openpyxl.load_workbook(
                io.BytesIO(raw), read_only=True, data_only=True
            )
    except ImportFileError:
        raise
    except Exception as error:  # a damaged file can fail anywhere inside openpyxl
        raise ImportFileError("xlsx_corrupt") from error
    try:
        return [
            (sheet.title, rows)
            for sheet in book.worksheets
            if (rows := _xlsx_rows(sheet))
        ]
    except Exception as error:
        raise ImportFileError("xlsx_corrupt") from error
    finally:
        book.close()


# A read-only worksheet: its stubs (types-openpyxl) borrow Worksheet.iter_rows, which
# refuses a ReadOnlyWorksheet as self, so the sheet stays Any.
def _xlsx_rows(sheet: Any) -> list[list[str]]:
    # Declared dimensions are often wrong (A1:XFD1048576): read the cells as stored.
    sheet.reset_dimensions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _trimmed(
            [_cell_text(v) for v in values]
            for values in sheet.iter_rows(values_only=True)
        )


def read_xls(raw: bytes) -> list[Sheet]:
    """Return (sheet name, rows of cell text) for each non-empty sheet of a legacy .xls.

    Same text rules as read_xlsx; date cells use the workbook's date mode.

    Raises:
        ImportFileError: 'xls_corrupt' when the workbook cannot be read.
    """
    try:
        # Ragged rows: an empty row costs nothing, even when the sheet claims
        # 65,536 rows of 256 columns.
        book = xlrd.open_workbook(
            file_contents=raw, logfile=io.StringIO(), on_demand=True, ragged_rows=True
        )
    except Exception as error:  # xlrd raises many kinds of errors on damaged files
        raise ImportFileError("xls_corrupt") from error
    try:
        sheets = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = _trimmed(
                [_xls_text(cell, book.datemode) for cell in sheet.row(r)]
                for r in range(sheet.nrows)
            )
            if rows:
                sheets.append((sheet.name, rows))
        return sheets
    except Exception as error:
        raise ImportFileError("xls_corrupt") from error
    finally:
        book.release_resources()


# xlrd ships no types: its cells are Any.
def _xls_text(cell: Any, datemode: int) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            if 0 <= cell.value < 1:
                return _time_text(
                    xlrd.xldate.xldate_as_datetime(cell.value, datemode).time()
                )
            return _cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return _number_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        text: str = xlrd.error_text_from_code.get(cell.value, "#ERROR")
        return text
    return _cell_text(cell.value)


def _cell_text(value: object) -> str:
    """Return a cell value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return repair_mojibake(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, date | time | timedelta):
        return _temporal_text(value)
    return str(value)


def _temporal_text(value: date | time | timedelta) -> str:
    if isinstance(value, datetime):
        value = _round_to_second(value)
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _time_text(value)
    seconds = round(value.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _number_text(value: float) -> str:
    if math.isfinite(value) and value.is_integer() and abs(value) < _EXACT_INTEGERS:
        return str(int(value))
    return repr(value)


def _round_to_second(value: datetime) -> datetime:
    # Excel stores times as fractions of a day: 10:30 may come back as 10:29:59.999999.
    if value.microsecond >= 500_000:
        value += timedelta(seconds=1)
    return value.replace(microsecond=0)


def _time_text(value: time) -> str:
    moment = _round_to_second(datetime.combine(date(2000, 1, 1), value))
    return moment.time().isoformat()


def _trimmed(rows: Iterable[list[str]]) -> list[list[str]]:
    """Drop trailing empty cells of each row and trailing empty rows."""
    result = []
    for row in rows:
        while row and not row[-1]:
            row.pop()
        result.append(row)
    while result and not result[-1]:
        result.pop()
    return result
