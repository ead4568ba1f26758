"""Cells of Excel workbooks (.xlsx, legacy .xls) as text, and members of ZIP archives."""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath
from typing import Any

import openpyxl
import xlrd

from clusterkpi.imports.encoding import ImportFileError, repair_mojibake

MB = 1024 * 1024
Sheet = tuple[str, list[list[str]]]
MEMBER_TYPES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
_READ_CHUNK = MB
_EXACT_INTEGERS = 2**53  # floats beyond lose digits: keep their repr (1.22158e+17)


@dataclass(frozen=True)
class ZipLimits:
    """Bounds that refuse zip bombs before and while an archive is decompressed.

    ``max_ratio`` applies only to members that expand beyond ``ratio_floor`` bytes:
    small CSV files full of empty cells legitimately compress very well.
    """

    max_members: int = 50
    max_total_bytes: int = 200 * MB
    max_ratio: int = 100
    ratio_floor: int = MB


DEFAULT_ZIP_LIMITS = ZipLimits()
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
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
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


def read_zip(
    raw: bytes, limits: ZipLimits = DEFAULT_ZIP_LIMITS
) -> list[tuple[str, bytes]]:
    """Return (member path, bytes) for the CSV, TSV, TXT and Excel members of a ZIP.

    Directories, macOS metadata (__MACOSX, ._*) and other types, nested ZIPs
    included, are skipped. Sizes are checked from the directory first, then while
    decompressing, in chunks.

    Raises:
        ImportFileError: 'zip_too_many', 'zip_too_large', 'zip_bomb',
            'zip_encrypted' or 'zip_corrupt'.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except Exception as error:  # a damaged directory fails in many ways
        raise ImportFileError("zip_corrupt") from error
    with archive:
        files = [i for i in archive.infolist() if not _is_junk(i)]
        if len(files) > limits.max_members:
            raise ImportFileError(
                "zip_too_many", count=len(files), limit=limits.max_members
            )
        wanted = [i for i in files if _member_name(i).lower().endswith(MEMBER_TYPES)]
        check_members(wanted, limits)
        members, total = [], 0
        for info in wanted:
            data = _read_member(archive, info, limits, total)
            total += len(data)
            members.append((_member_name(info), data))
        return members


def check_members(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Refuse an archive whose directory announces a zip bomb.

    Raises:
        ImportFileError: 'zip_too_many', 'zip_too_large' or 'zip_bomb'.
    """
    if len(infos) > limits.max_members:
        raise ImportFileError(
            "zip_too_many", count=len(infos), limit=limits.max_members
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise _too_large(total, limits)
    for info in infos:
        if info.file_size > max(
            limits.ratio_floor, limits.max_ratio * info.compress_size
        ):
            raise ImportFileError(
                "zip_bomb", ratio=limits.max_ratio, member=info.filename
            )


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits, already: int
) -> bytes:
    """Decompress one member in chunks, stopping as soon as it exceeds a limit."""
    if info.flag_bits & 0x1:
        raise ImportFileError("zip_encrypted")
    bomb = max(limits.ratio_floor, limits.max_ratio * info.compress_size)
    budget = limits.max_total_bytes - already
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_READ_CHUNK):
                size += len(chunk)
                if size > budget:
                    raise _too_large(already + size, limits)
                if size > bomb:
                    raise ImportFileError(
                        "zip_bomb", ratio=limits.max_ratio, member=info.filename
                    )
                chunks.append(chunk)
    except ImportFileError:
        raise
    except Exception as error:  # bad CRC, truncated data, unknown compression...
        raise ImportFileError("zip_corrupt") from error
    return b"".join(chunks)


def _too_large(total: int, limits: ZipLimits) -> ImportFileError:
    return ImportFileError(
        "zip_too_large", size=math.ceil(total / MB), limit=limits.max_total_bytes // MB
    )


def _is_junk(info: zipfile.ZipInfo) -> bool:
    """Directories, nameless entries and macOS metadata."""
    if not info.filename or info.is_dir():
        return True
    path = PurePosixPath(info.filename)
    return (
        "__MACOSX" in path.parts
        or path.name.startswith("._")
        or path.name == ".DS_Store"
    )


def _member_name(info: zipfile.ZipInfo) -> str:
    """Return the member's path, fixing names that zipfile read as cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        try:
            name = raw.decode("utf-8")  # macOS and 7-Zip: UTF-8 without the flag
        except UnicodeDecodeError:
            name = raw.decode("cp850", errors="replace")  # Windows in French: OEM 850
    return name.removeprefix("./")
