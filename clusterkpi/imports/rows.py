"""Delimited text and sheets as rows: the delimiter, rows with their lines, clean cells."""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from clusterkpi.imports.encoding import ImportFileError, repair_mojibake

DELIMITERS = ("\t", ";", ",")  # a tie goes to the first: ';' and tab are deliberate
Row = tuple[str, ...]

_SEP_LINE = re.compile(r'"?sep=([^\w"\s]|\t)"?', re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_CHUNK_CHARS = 1 << 20


@dataclass(frozen=True)
class ParsedRows:
    """The rows of a text or a sheet, each with its first line, and the blank ones."""

    rows: list[Row]
    lines: list[int]
    blanks: list[int]  # indices of the rows whose cells are all empty, ascending
    next_line: int  # the line after the last row


def sniff_delimiter(lines: list[str]) -> str:
    """Return the delimiter of a delimited text among tab, ';' and ','.

    A first line ``sep=X`` (Excel's hint) decides. Otherwise each candidate splits
    the sample with the csv module (so quoted commas do not count) and the one that
    gives the most rows of the same width, of at least two cells, wins.

    Args:
        lines: The first lines of the text, without their line ends.

    Returns:
        The delimiter (',' when nothing tells).
    """
    if lines and (sep := _SEP_LINE.fullmatch(lines[0].strip("\ufeff\r\n "))):
        return sep.group(1)
    sample = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:
            continue
        counts = Counter(w for w in widths if w > 1)
        if counts:
            width, count = counts.most_common(1)[0]
            if (count, width) > best_score:
                best, best_score = delimiter, (count, width)
    return best


def split_rows(text: str, delimiter: str) -> ParsedRows:
    """Split a delimited text into rows (quote-aware), keeping each row's first line.

    Raises:
        ImportFileError: 'cell_too_long' (with ``line`` and ``limit`` in KB) when one
            line holds a cell longer than the csv module's limit; 'bad_csv' (with
            ``line``) when a cell spans too many lines to be real, as after a quote
            that is never closed.
    """
    reader = csv.reader(_physical_lines(text), delimiter=delimiter)
    rows: list[Row] = []
    lines: list[int] = []
    blanks: list[int] = []
    start = 1
    try:
        for row in map(tuple, reader):
            first = row[0] if row else ""
            if (not first or first.isspace()) and not any(map(str.strip, row)):
                blanks.append(len(rows))
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        if _longest_line_from(text, start) > csv.field_size_limit():
            limit = csv.field_size_limit() // 1024
            raise ImportFileError("cell_too_long", line=start, limit=limit) from error
        raise ImportFileError("bad_csv", line=start) from error
    return ParsedRows(rows, lines, blanks, start)


def _longest_line_from(text: str, line: int) -> int:
    """Return the length of the longest of the few physical lines from ``line`` on.

    A cell over the csv module's limit on one line is a cell too long (a pasted
    document, a damaged export); spread over many lines it is a quote never closed.
    """
    position = 0
    for _ in range(line - 1):
        position = text.find("\n", position) + 1
        if position == 0:
            return 0
    longest = 0
    for _ in range(3):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        longest = max(longest, end - position)
        if end >= len(text):
            break
        position = end + 1
    return longest


def sheet_rows(rows: Iterable[Sequence[str]]) -> ParsedRows:
    """Return the rows of a spreadsheet (row number = position + 1) as ParsedRows."""
    cells = [tuple(row) for row in rows]
    blanks = [i for i, row in enumerate(cells) if not any(map(str.strip, row))]
    return ParsedRows(cells, list(range(1, len(cells) + 1)), blanks, len(cells) + 1)


def _physical_lines(text: str) -> Iterator[str]:
    # newline='' keeps '\r\n', '\n' and '\r' line ends as the csv module wants;
    # chunks bound the memory a StringIO takes (4 bytes per character).
    return itertools.chain.from_iterable(
        io.StringIO(chunk, newline="") for chunk in _chunks(text)
    )


def _chunks(text: str) -> Iterator[str]:
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start + _CHUNK_CHARS)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def clean_cell(cell: str) -> str:
    """Return a header cell without BOM, HTML tags (Typeform) or mojibake.

    Outer spaces are dropped and inner runs of white space (line breaks of long
    questions, no-break spaces) become one space.
    """
    cell = repair_mojibake(cell).replace("\ufeff", "")
    if "<" in cell and _TAG.search(cell):
        cell = html.unescape(_TAG.sub("", cell))
    return " ".join(cell.split())
