"""Large text exports: located from their first lines, then parsed by DuckDB's read_csv."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from clusterkpi.imports.encoding import decode, repair_mojibake
from clusterkpi.imports.layout import KnownHeader, locate_tables, table_rows
from clusterkpi.imports.reading import _kind
from clusterkpi.imports.rows import sniff_delimiter, split_rows
from clusterkpi.store import Cursor

MB = 1024 * 1024
# Below this size Python reads the whole file (exact line numbers for every row).
BULK_BYTES = 8 * MB
_HEAD_BYTES = 256 * 1024
_DELIMITERS = {",": ",", ";": ";", "\t": "\\t"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class BulkTable:
    """A large single-table text export: header and a sample read here, rows by DuckDB."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]  # the rows of the first lines, to choose formats
    lines: list[int]
    preamble: tuple[str, ...]
    title: str | None
    encoding: str
    delimiter: str
    header_line: int
    data: bytes  # UTF-8 bytes handed to read_csv


def read_bulk(name: str, raw: bytes, known: KnownHeader | None) -> BulkTable | None:
    """Return a BulkTable for a large text export with one table, else None."""
    if len(raw) < BULK_BYTES or _kind(name, raw) != "text":
        return None
    head = raw[: raw.rfind(b"\n", 0, _HEAD_BYTES) + 1] or raw[:_HEAD_BYTES]
    data, encoding, head_text = _utf8(raw, head)
    delimiter = sniff_delimiter(head_text.splitlines()[:64])
    if delimiter not in _DELIMITERS:
        return None
    parsed = split_rows(head_text, delimiter)
    spans = locate_tables(parsed, known, delimiter)
    if len(spans) != 1:
        return None
    span = spans[0]
    rows, lines = table_rows(parsed, span)
    return BulkTable(
        name,
        span.header,
        rows,
        lines,
        span.preamble,
        span.title,
        encoding,
        delimiter,
        span.header_line,
        data,
    )


def _utf8(raw: bytes, head: bytes) -> tuple[bytes, str, str]:
    """Return (UTF-8 data, encoding, decoded head) without copying clean UTF-8 files."""
    if not raw.startswith(_UTF16_BOMS):
        try:
            head_text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            head_text = ""
        if (
            head_text
            and repair_mojibake(head_text) == head_text
            and "\x00" not in head_text
        ):
            encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
            return raw, encoding, head_text
    text, encoding = decode(raw)
    head_text = text[: text.rfind("\n", 0, _HEAD_BYTES) + 1] or text[:_HEAD_BYTES]
    return text.encode("utf-8"), encoding, head_text


def stage_csv(cur: Cursor, table: BulkTable) -> str:
    """Write the data to a temporary file; create the TEMP views ``stage`` over it.

    ``stage`` (_line always 0, c0 … cN) is read in parallel for the one parsing pass;
    ``stage_numbered`` numbers the rows (a slower, ordered read) for the few lines
    reported as problems. Returns the file's path: the caller removes it when done.
    Line numbers count records after the header: exact unless a quoted cell spans
    several lines.
    """
    width = len(table.header)
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "wb") as out:
        out.write(table.data)
    # read_csv takes no parameter for its path; it is one tempfile wrote.
    literal = "'" + path.replace("'", "''") + "'"
    source = (
        f"read_csv({literal}, delim = '{_DELIMITERS[table.delimiter]}',"
        f" quote = '\"', escape = '\"', header = false,"
        f" skip = {int(table.header_line)}, auto_detect = false,"
        f" columns = {{{columns}}}, null_padding = true)"
    )
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW stage AS SELECT 0::BIGINT AS _line, * FROM {source}"
    )
    cur.execute(
        "CREATE OR REPLACE TEMP VIEW stage_numbered AS SELECT"
        f" (row_number() OVER () + {int(table.header_line)})::BIGINT AS _line, *"
        f" FROM {source}"
    )
    return path
