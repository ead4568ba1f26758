"""Survey exports with two header rows (SurveyMonkey): one header naming every column."""

from __future__ import annotations

from dataclasses import replace

from clusterkpi.imports.fields import normalize
from clusterkpi.imports.reading import RawTable

JOINER = " › "
# Row-2 cells that only say 'the answer to the question above'.
PLAIN_ANSWERS = ("response", "open ended response", "reponse", "reponse ouverte")


def has_second_header_row(header: tuple[str, ...], first_row: tuple[str, ...]) -> bool:
    """Tell whether the first row under the header is a second header row.

    SurveyMonkey's second row leaves the respondent columns (its first cells) empty,
    or repeats their names, and names the answer of each question column
    ('Response', an option's text).
    """
    if not first_row or not header:
        return False
    # Newer downloads repeat the respondent columns' names there instead.
    lead = first_row[0].strip()
    if lead and normalize(lead) != normalize(header[0]):
        return False
    return any(cell.strip() for cell in first_row[1 : len(header)])


def joined_header(header: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    """Return one header from two rows: the question, then the option it names.

    A question over several option columns is written in its first column only (a
    merged cell): the following empty cells take it. 'Response' adds nothing to the
    question's text. Joined names are made unique by their position.
    """
    names: list[str] = []
    question = ""
    for index, top in enumerate(header):
        question = top.strip() or question
        sub = second[index].strip() if index < len(second) else ""
        if (
            not sub
            or normalize(sub) in PLAIN_ANSWERS
            or normalize(sub) == normalize(top)
        ):
            name = top.strip() or question
        else:
            name = f"{question}{JOINER}{sub}" if question else sub
        names.append(name)
    return _unique(names)


def _unique(names: list[str]) -> tuple[str, ...]:
    # Two columns named alike would both match the first one's name.
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        key = normalize(name)
        seen[key] = seen.get(key, 0) + 1
        unique.append(name if seen[key] == 1 else f"{name} ({seen[key]})")
    return tuple(unique)


def join_header_rows(table: RawTable) -> RawTable:
    """Return the table with its two header rows joined, or the table unchanged.

    ``table`` is a reading.RawTable (rows held in memory); the second header row
    leaves the rows, so that it is never counted or read as a response.
    """
    if not table.rows or not has_second_header_row(table.header, table.rows[0]):
        return table
    return replace(
        table,
        header=joined_header(table.header, table.rows[0]),
        rows=table.rows[1:],
        lines=table.lines[1:],
    )
