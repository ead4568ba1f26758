"""Where the tables are in a file's rows: preamble, title, header and blocks."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass

from clusterkpi.imports.encoding import ImportFileError
from clusterkpi.imports.rows import ParsedRows, Row, clean_cell, split_rows

KnownHeader = Callable[[list[str]], bool]

_SEP_ROW = re.compile(r'"?sep=.?"?', re.IGNORECASE)  # the sep line split into cells
_NOT_DIGITS = str.maketrans("", "", " \u00a0\u202f.,:/%+-()$€£'T")
_WINDOW = 200  # rows searched for a header before giving up
_FOLLOWING = 5  # rows after a candidate header that must fit under it


@dataclass(frozen=True)
class TableSpan:
    """One table found in a file: its header and where its rows are.

    Line numbers are 1-based lines of the text (or row numbers of a sheet).
    ``end_line`` is exclusive; None means the table runs to the end.
    """

    header: tuple[str, ...]
    header_line: int
    first_data_line: int
    end_line: int | None
    preamble: tuple[str, ...]
    title: str | None


@dataclass(frozen=True)
class _Header:
    index: int
    zone: int  # first row after the previous table (or 0)
    known: bool
    after_comment: bool  # a '#' line comes between the zone start and the header
    only_preamble: bool  # nothing but comments, titles and blanks before it


def find_tables(
    text: str, delimiter: str, is_known_header: KnownHeader | None = None
) -> list[TableSpan]:
    """Return the tables of a delimited text, in file order.

    Lines before a header are skipped: a first ``sep=X`` line, ``#`` comments
    (GA4), and title rows of a single cell (Meta, LinkedIn, Meltwater). A row
    accepted by ``is_known_header`` is the header; otherwise the header is the first
    row of at least two cells, mostly non-numeric, that the following rows fit
    under. After a blank line, ``#`` lines followed by a header (or a known header)
    open a new table, as in GA4 "Reports snapshot" exports.

    Args:
        text: The decoded text.
        delimiter: The cell delimiter.
        is_known_header: Recognises the header of a known export.

    Returns:
        One span per table.

    Raises:
        ImportFileError: 'no_header' when no row can be the header; 'bad_csv' when
            the csv module cannot split a line.
    """
    return locate_tables(split_rows(text, delimiter), is_known_header, delimiter)


def locate_tables(
    parsed: ParsedRows,
    is_known_header: KnownHeader | None = None,
    delimiter: str | None = None,
) -> list[TableSpan]:
    """Return the tables of parsed rows (see find_tables for the rules).

    Args:
        parsed: The rows of a text (split_rows) or of a sheet (sheet_rows).
        is_known_header: Recognises the header of a known export.
        delimiter: Joins the cells of preamble lines again (tab for sheets).

    Returns:
        One span per table.

    Raises:
        ImportFileError: 'no_header' when the first table has no header.
    """
    found, _ = _find_header(parsed, 0, is_known_header)
    if found is None:
        raise ImportFileError("no_header")
    headers = [found]
    ends: list[int | None] = []
    after = found.index + 1
    while (zone := _next_zone(parsed, after)) is not None:
        blank, start = zone
        width = _width(parsed.rows[headers[-1].index])
        header, scanned = _zone_header(parsed, start, is_known_header, width)
        if header is not None:
            ends.append(blank)
            headers.append(header)
            after = header.index + 1
        else:
            after = scanned
    ends.append(None)
    return [_span(parsed, h, e, delimiter) for h, e in zip(headers, ends, strict=True)]


def table_rows(parsed: ParsedRows, span: TableSpan) -> tuple[list[Row], list[int]]:
    """Return the data rows of a span, blank ones dropped, and their first lines.

    Args:
        parsed: The rows the span was located in.
        span: One of the spans locate_tables returned for them.

    Returns:
        The rows as they are (no padding) and the line of each.
    """
    rows, lines, blanks = parsed.rows, parsed.lines, parsed.blanks
    first = bisect_left(lines, span.header_line) + 1
    end = len(rows) if span.end_line is None else bisect_left(lines, span.end_line)
    gaps = blanks[bisect_left(blanks, first) : bisect_left(blanks, end)]
    if not gaps:
        return rows[first:end], lines[first:end]
    kept_rows: list[Row] = []
    kept_lines: list[int] = []
    for start, stop in zip([first, *(g + 1 for g in gaps)], [*gaps, end], strict=True):
        kept_rows += rows[start:stop]
        kept_lines += lines[start:stop]
    return kept_rows, kept_lines


def _next_zone(parsed: ParsedRows, after: int) -> tuple[int, int] | None:
    """Return (first blank row at or after ``after``, first non-blank row after it)."""
    blanks = parsed.blanks
    position = bisect_left(blanks, after)
    if position == len(blanks):
        return None
    blank = start = blanks[position]
    while position < len(blanks) and blanks[position] == start:
        position, start = position + 1, start + 1
    return (blank, start) if start < len(parsed.rows) else None


def _zone_header(
    parsed: ParsedRows, start: int, known: KnownHeader | None, width: int
) -> tuple[_Header | None, int]:
    """Return the header opening a new table at ``start``, or None and where to resume.

    Only '#' lines, a title or a known header of another width than the current
    table's open one: rows after a blank line are otherwise more rows of the table
    (some files have a blank line after every row), and checking them stays cheap.
    A title opens a table when '#' lines, a known header or a header of named
    columns right under it follow (see _titled).
    """
    row = parsed.rows[start]
    stripped = [c.strip() for c in row]
    if not (_is_comment(stripped) or _is_title(stripped)) and (
        known is None or _width(row) == width or not known([clean_cell(c) for c in row])
    ):
        return None, start
    header, scanned = _find_header(parsed, start, known)
    if header is None or not header.only_preamble:
        return None, scanned
    if header.known or header.after_comment or _titled(parsed, start, header.index):
        return header, scanned
    return None, scanned


def _titled(parsed: ParsedRows, start: int, index: int) -> bool:
    """Tell whether a block is one title line right above a header of named columns.

    Matomo's scheduled reports write each report as its name, its header and rows,
    then a blank line. A single-cell line directly above a row whose every cell is a
    non-numeric name, itself directly above a row, is that shape. In files with a
    blank line after every row, a lone cell followed by a text row is not: the text
    row is followed by a blank line.
    """
    following = index + 1
    if index != start + 1 or following >= len(parsed.rows):
        return False
    if not any(map(str.strip, parsed.rows[following])):
        return False
    cells = [clean_cell(c) for c in parsed.rows[index][: _width(parsed.rows[index])]]
    return len(cells) >= 2 and all(c and not _is_numeric(c) for c in cells)


def _find_header(
    parsed: ParsedRows, zone: int, known: KnownHeader | None
) -> tuple[_Header | None, int]:
    """Find the header of the table starting at ``zone``, and the first row not examined.

    The first table's search crosses blank lines; a later one stops at a blank line
    that follows anything but comments and titles: the next block starts there.
    """
    rows = parsed.rows
    fallback: _Header | None = None
    comment, preamble_only = False, True
    stop = min(len(rows), zone + _WINDOW)
    for index in range(zone, stop):
        if not any(map(str.strip, rows[index])):
            if fallback is not None or (zone and not preamble_only):
                return fallback, index
            continue
        cells = [clean_cell(c) for c in rows[index]]
        if known is not None and known(cells):
            return _Header(index, zone, True, comment, preamble_only), index + 1
        if fallback is None and _looks_like_header(parsed, index, cells):
            fallback = _Header(index, zone, False, comment, preamble_only)
            if known is None:
                return fallback, index + 1
        comment = comment or _is_comment(cells)
        preamble_only = preamble_only and _is_preamble(cells, index, rows)
    return fallback, stop


def _looks_like_header(parsed: ParsedRows, index: int, cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if len(filled) < 2 or _is_comment(cells):
        return False
    if 2 * sum(map(_is_numeric, filled)) >= len(filled):
        return False
    width = _width(parsed.rows[index])
    following = []
    for row in parsed.rows[index + 1 : index + 1 + _FOLLOWING]:
        if not any(map(str.strip, row)):
            break
        following.append(_width(row))
    return 2 * sum(w <= width for w in following) >= len(following)


def _is_preamble(cells: list[str], index: int, rows: list[Row]) -> bool:
    return _is_comment(cells) or _is_title(cells) or _is_sep(index, rows)


def _is_comment(cells: list[str]) -> bool:
    # Typeform's header starts with a '#' column: a comment is a '#' line that is
    # not such a multi-cell row.
    if not cells or not cells[0].startswith("#"):
        return False
    return cells[0] != "#" or sum(1 for c in cells if c) < 2


def _is_title(cells: list[str]) -> bool:
    return sum(1 for c in cells if c) == 1 and not cells[0].startswith("#")


def _is_sep(index: int, rows: list[Row]) -> bool:
    return (
        index == 0 and _SEP_ROW.fullmatch("".join(rows[0]).strip("\ufeff ")) is not None
    )


def _is_numeric(cell: str) -> bool:
    digits = cell.translate(_NOT_DIGITS)
    return digits.isascii() and digits.isdigit()


def _width(row: Row) -> int:
    for position in range(len(row) - 1, -1, -1):
        if row[position].strip():
            return position + 1
    return 0


def _span(
    parsed: ParsedRows, header: _Header, end: int | None, delimiter: str | None
) -> TableSpan:
    rows, lines = parsed.rows, parsed.lines
    before = [
        i for i in range(header.zone, header.index) if any(map(str.strip, rows[i]))
    ]
    cleaned = [[clean_cell(c) for c in rows[i]] for i in before if not _is_sep(i, rows)]
    titles = [next(c for c in cells if c) for cells in cleaned if _is_title(cells)]
    next_index = header.index + 1
    return TableSpan(
        header=tuple(clean_cell(c) for c in rows[header.index]),
        header_line=lines[header.index],
        first_data_line=lines[next_index]
        if next_index < len(rows)
        else parsed.next_line,
        end_line=None if end is None else lines[end],
        preamble=tuple(_line_text(i, rows, delimiter) for i in before),
        title=titles[-1] if titles else None,
    )


def _line_text(index: int, rows: list[Row], delimiter: str | None) -> str:
    """Return a preamble row as text: its cells joined again, trailing empty ones dropped."""
    row = rows[index]
    if _is_sep(index, rows):
        return f"sep={delimiter or ''}"
    return (delimiter or "\t").join(row[: _width(row)]).strip()
