"""Reading an uploaded file: bytes to raw tables of text cells, ready for staging."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from clusterkpi.imports.archive import MB, read_zip
from clusterkpi.imports.encoding import ImportFileError, decode
from clusterkpi.imports.layout import KnownHeader, TableSpan, locate_tables, table_rows
from clusterkpi.imports.rows import (
    ParsedRows,
    Row,
    sheet_rows,
    sniff_delimiter,
    split_rows,
)
from clusterkpi.imports.workbook import Sheet, read_xls, read_xlsx

SEPARATOR = " › "
TEXT_TYPES = ("", "csv", "tsv", "txt", "tab", "xls")  # some tools write TSV as .xls
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OTHER_BINARY = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
)
# HTML or XML saved as .xls by old web tools (the UTF-8 BOM read as Latin-1 first).
_MARKUP = re.compile(
    r"(?:\xef\xbb\xbf)?\s*<(?:!doctype|html|\?xml|table)", re.IGNORECASE
)
_NOT_BLANK = re.compile(r"\S")
_HEAD_LINES = 64
_HEAD_CHARS = 256 * 1024


@dataclass(frozen=True)
class RawTable:
    """One table of an uploaded file, every cell as text, before any validation."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    lines: list[int]
    preamble: tuple[str, ...]
    title: str | None
    encoding: str
    delimiter: str | None
    utf8_text: str | None = None
    header_line: int = 1


def read_file(
    name: str,
    raw: bytes,
    is_known_header: Callable[[list[str]], bool] | None = None,
    max_bytes: int = 200 * MB,
) -> list[RawTable]:
    """Return the tables of an uploaded file, whatever tool exported it.

    The type comes from the content (ZIP: .xlsx when it holds xl/workbook.xml, else
    an archive whose CSV and Excel members are read; OLE2: legacy .xls; else text),
    the extension being only a hint. Text is decoded (BOM, UTF-16, UTF-8, cp1252,
    double encoding repaired), its delimiter sniffed, and each table located after
    its preamble (see layout.find_tables); each sheet of a workbook likewise.
    Rows keep the number of cells they have; blank rows are dropped.

    Args:
        name: The file name, used for the type hint and in table names.
        raw: The file content.
        is_known_header: Recognises the header row of a known export.
        max_bytes: The largest file (and archive member) accepted.

    Returns:
        The tables, named 'file', 'file › 2', 'book.xlsx › Sheet' or
        'archive.zip › member.csv'.

    Raises:
        ImportFileError: Its ``code`` and ``params`` (``name`` always set) say why.
    """
    return _read(name, raw, is_known_header, max_bytes, in_archive=False)


def _read(
    name: str, raw: bytes, known: KnownHeader | None, max_bytes: int, in_archive: bool
) -> list[RawTable]:
    try:
        if not raw:
            raise ImportFileError("empty_file")
        if len(raw) > max_bytes:
            size = math.ceil(len(raw) / MB)
            raise ImportFileError("too_large", size=size, limit=max_bytes // MB)
        kind = _kind(name, raw)
        if kind == "zip" and not in_archive:
            return _read_archive(name, raw, known, max_bytes)
        if kind == "xlsx":
            return _read_book(name, read_xlsx(raw), "xlsx", known)
        if kind == "xls":
            return _read_book(name, read_xls(raw), "xls", known)
        if kind == "text":
            return _read_text(name, raw, known)
        raise ImportFileError("unsupported_type")
    except ImportFileError as error:
        error.params.setdefault("name", name)
        raise


def _kind(name: str, raw: bytes) -> str:
    """Return 'zip', 'xlsx', 'xls', 'text' or 'unsupported', from content first."""
    extension = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    if raw.startswith(_ZIP):
        return _zip_kind(raw, extension)
    if raw.startswith(_OLE):
        return "xls"
    if raw.startswith(_OTHER_BINARY) or _MARKUP.match(raw[:64].decode("latin-1")):
        return "unsupported"
    return "text" if extension in TEXT_TYPES else "unsupported"


def _zip_kind(raw: bytes, extension: str) -> str:
    try:
        with zipfile.ZipFile(BytesIO(raw)) as archive:
            names = set(archive.namelist())
    except Exception:  # damaged: the extension tells which error to report
        return "xlsx" if extension in ("xlsx", "xlsm") else "zip"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if (
        "xl/workbook.bin" in names
        or "mimetype" in names
        or "word/document.xml" in names
    ):
        return "unsupported"  # .xlsb, OpenDocument, Word
    return "zip"


def _read_archive(
    name: str, raw: bytes, known: KnownHeader | None, max_bytes: int
) -> list[RawTable]:
    members = read_zip(raw)
    if not members:
        raise ImportFileError("zip_empty")
    tables = []
    for member, data in members:
        tables += _read(f"{name}{SEPARATOR}{member}", data, known, max_bytes, True)
    return tables


def _read_text(name: str, raw: bytes, known: KnownHeader | None) -> list[RawTable]:
    text, encoding = decode(raw)
    if _NOT_BLANK.search(text) is None:
        raise ImportFileError("empty_file")
    delimiter = sniff_delimiter(_head_lines(text))
    parsed = split_rows(text, delimiter)
    spans = locate_tables(parsed, known, delimiter)
    return [
        _table(table_name, parsed, span, encoding, delimiter, text)
        for table_name, span in zip(_names(name, len(spans)), spans, strict=True)
    ]


def _read_book(
    name: str, sheets: list[Sheet], encoding: str, known: KnownHeader | None
) -> list[RawTable]:
    if not sheets:
        raise ImportFileError("empty_workbook")
    tables = []
    for sheet, cells in sheets:
        parsed = sheet_rows(cells)
        try:
            spans = locate_tables(parsed, known)
        except ImportFileError:
            continue  # a cover or notes sheet without any table
        names = _names(f"{name}{SEPARATOR}{sheet}", len(spans))
        tables += [
            _table(table_name, parsed, span, encoding, None, None)
            for table_name, span in zip(names, spans, strict=True)
        ]
    if not tables:
        raise ImportFileError("no_header")
    return tables


def _table(
    name: str,
    parsed: ParsedRows,
    span: TableSpan,
    encoding: str,
    delimiter: str | None,
    text: str | None,
) -> RawTable:
    rows, lines = table_rows(parsed, span)
    if delimiter is None:
        # Sheet rows lose their trailing empty cells: give them the header's width.
        rows = [_padded(row, len(span.header)) for row in rows]
    return RawTable(
        name=name,
        header=span.header,
        rows=rows,
        lines=lines,
        preamble=span.preamble,
        title=span.title,
        encoding=encoding,
        delimiter=delimiter,
        utf8_text=text,
        header_line=span.header_line,
    )


def _padded(row: Row, width: int) -> Row:
    return row + ("",) * (width - len(row)) if len(row) < width else row


def _names(name: str, count: int) -> list[str]:
    if count == 1:
        return [name]
    return [f"{name}{SEPARATOR}{number}" for number in range(1, count + 1)]


def _head_lines(text: str) -> list[str]:
    """Return the first lines of the text, for sniffing, without copying all of it."""
    head = text[:_HEAD_CHARS]
    lines = head.splitlines()
    if len(head) < len(text) and len(lines) > 1:
        lines.pop()  # cut in the middle
    return lines[:_HEAD_LINES]
