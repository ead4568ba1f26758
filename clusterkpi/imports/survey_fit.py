"""Fitting a survey adapter to a table: questions by wording and values, rows that count."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from clusterkpi.imports.adapters.surveys import NPS, NPS_CATEGORIES
from clusterkpi.imports.fields import Adapter, FieldMap, Kind, normalize
from clusterkpi.imports.reading import RawTable
from clusterkpi.imports.transform import FALSE_WORDS, TRUE_WORDS

FITS, POSSIBLE, NO = 2, 1, 0
# A scale the header declares, normalised: '(1-5)' → '1 5', '0 à 10' → '0 a 10',
# 'von 0 bis 10', 'da 0 a 10', 'on a scale of 0 to 10'; or 'sur 10', 'out of 10', '/10'.
_RANGE = re.compile(r"(?<![\d])([01]) (?:a |to |bis |al |tot |e )?(5|7|10)(?![\d])")
_OUT_OF = re.compile(r"(?:sur|out of|von|su|de) (5|7|10)(?![\d])")

# Why a row is left out, in priority order; 'counted' rows are read.
COUNTED, PARTIAL, UNDATED, OTHER_SURVEY, NOT_NPS = (
    "counted",
    "partial",
    "undated",
    "other_survey",
    "not_nps",
)
STATUSES = (COUNTED, PARTIAL, UNDATED, OTHER_SURVEY, NOT_NPS)
# What LimeSurvey writes as the submit date of a survey that keeps no date stamp:
# such a response has no day, and is never filed under 1 January 1980.
NO_DATESTAMP = "1980-01-01 00:00:00"


def declared_scale(header_cell: str) -> tuple[int, int] | None:
    """Return the (lowest, highest) answer a question's header announces, if any."""
    text = normalize(header_cell)
    found = _RANGE.search(text)
    if found:
        return int(found.group(1)), int(found.group(2))
    found = _OUT_OF.search(text)
    if found:
        top = int(found.group(1))
        return (0, 10) if top == 10 else (1, top)
    return None


def _numbers(cells: Sequence[str]) -> tuple[list[str], list[float]]:
    values = [c.strip() for c in cells if c and c.strip()]
    numbers = []
    for value in values:
        try:
            numbers.append(float(value.replace(",", ".")))
        except ValueError:
            continue
    return values, numbers


def column_fit(spec: FieldMap, header_cell: str, cells: Sequence[str]) -> int:
    """Tell how well a column's values fit a question field: FITS, POSSIBLE or NO.

    POSSIBLE columns (mostly in range, a few cells out of it) are read when no
    column FITS, so that their bad cells are reported rather than silently ignored.
    A 0–10 question whose every answer lies in 1–5, without a header announcing
    0–10, is taken for a 1–5 rating: it is no recommendation score.
    """
    if spec.kind is Kind.BOOLEAN:
        # A yes/no question found by its words is read only when every answer is
        # yes or no: "Don't know" to "is your company a member of a foundation?"
        # says the question is another one, not that the row is wrong.
        values = [c.strip().lower() for c in cells if c and c.strip()]
        words = set(TRUE_WORDS) | set(FALSE_WORDS)
        return FITS if all(v in words for v in values) else NO
    if spec.kind is not Kind.INTEGER or spec.minimum is None or spec.maximum is None:
        return FITS
    wanted = (int(spec.minimum), int(spec.maximum))
    declared = declared_scale(header_cell)
    if declared is not None and declared != wanted:
        return NO
    values, numbers = _numbers(cells)
    if not values:
        return POSSIBLE
    if 2 * len(numbers) <= len(values):
        return NO
    inside = [n for n in numbers if n == int(n) and wanted[0] <= n <= wanted[1]]
    if len(inside) < len(values):
        return POSSIBLE if 2 * len(inside) > len(values) else NO
    looks_one_to_five = min(inside) >= 1 and max(inside) <= 5
    if wanted == (0, 10) and looks_one_to_five and declared is None:
        return NO
    # Only 0 and 1: a yes/no question (Typeform writes every yes/no as 1/0), not a
    # score, unless the header announces the scale.
    if set(inside) <= {0, 1} and declared is None:
        return NO
    return FITS


def pin_questions(
    adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> Adapter:
    """Return the adapter whose questions read the column their words and values fit.

    A field found by a word of its header (``contains``) reads the first such
    column whose values FIT, else the first POSSIBLE one, else none; a column
    another field reads by name is never taken.
    """
    free = replace(
        adapter, fields=tuple(replace(f, contains=()) for f in adapter.fields)
    )
    named = free.column_index(header)
    taken = set(named.values())
    words = [normalize(h) for h in header]
    pinned: dict[str, int | None] = {}
    for spec in adapter.fields:
        if not spec.contains or spec.target in named:
            continue
        starts = [" " + normalize(w) for w in spec.contains]
        candidates = [
            i for i, name in enumerate(words)
            if i not in taken and any(w in " " + name for w in starts)
        ]  # fmt: skip
        scored = [(column_fit(spec, header[i], _cells(rows, i)), i) for i in candidates]
        best = [i for score in (FITS, POSSIBLE) for s, i in scored if s == score]
        pinned[spec.target] = best[0] if best else None
        if best:
            taken.add(best[0])
    fields = tuple(
        replace(spec, contains=(), columns=_named(header, pinned[spec.target]))
        if spec.target in pinned
        else spec
        for spec in adapter.fields
    )
    return replace(adapter, fields=fields)


def _named(header: Sequence[str], index: int | None) -> tuple[str, ...]:
    return () if index is None else (header[index],)


def _cells(rows: Sequence[Sequence[str]], index: int) -> list[str]:
    return [row[index] if index < len(row) else "" for row in rows]


@dataclass(frozen=True)
class SurveyCount:
    """One survey of a file: its name, its rows, and how many are on the 0–10 scale."""

    survey: str
    rows: int
    on_nps_scale: int


def _column(adapter: Adapter, header: Sequence[str], target: str) -> int | None:
    return adapter.column_index(header).get(target)


def row_surveys(adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]],
                default: str | None) -> list[str]:  # fmt: skip
    """Return each row's survey: its survey column, else the file's survey name."""
    spec = next(f for f in adapter.fields if f.target == "survey")
    name = default or str(spec.default or adapter.name)
    index = _column(adapter, header, "survey")
    if index is None:
        return [name] * len(rows)
    return [(row[index].strip() if index < len(row) else "") or name for row in rows]


def nps_rows(adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]],
             surveys: Sequence[str]) -> list[bool]:  # fmt: skip
    """Tell, per row, whether it answers on the 0–10 scale.

    A HubSpot feedback export mixes NPS, CSAT and CES surveys: a row is on the 0–10
    scale when it carries an NPS category (Promoter, Passive, Detractor), or, in an
    export without that column, when its survey's ratings fit 0–10. Other tools' NPS
    question was chosen by its values: every row is on its scale.
    """
    targets = {f.target for f in adapter.fields}
    if "nps_category" not in targets:
        return [True] * len(rows)
    category = _column(adapter, header, "nps_category")
    if category is not None:
        known = {normalize(c) for c in NPS_CATEGORIES}
        return [normalize(c) in known for c in _cells(rows, category)]
    rating = _column(adapter, header, "nps_score")
    if rating is None:
        return [False] * len(rows)
    cells = _cells(rows, rating)
    fitting = {
        name
        for name in set(surveys)
        if column_fit(
            NPS, "", [c for c, s in zip(cells, surveys, strict=True) if s == name]
        )
        == FITS
    }
    return [s in fitting for s in surveys]


def survey_counts(adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]],
                  default: str | None = None) -> list[SurveyCount]:  # fmt: skip
    """Return the surveys of a table, in order of first appearance."""
    surveys = row_surveys(adapter, header, rows, default)
    on_scale = nps_rows(adapter, header, rows, surveys)
    totals = Counter(surveys)
    scaled = Counter(s for s, ok in zip(surveys, on_scale, strict=True) if ok)
    return [SurveyCount(s, totals[s], scaled[s]) for s in dict.fromkeys(surveys)]


# Tools whose export holds incomplete responses, told by an empty submit date.
PARTIAL_WITHOUT_DATE = ("limesurvey",)


def row_statuses(adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]],
                 chosen: Sequence[str] | None, default: str | None) -> list[str]:  # fmt: skip
    """Return, per row, COUNTED or why it is left out (PARTIAL, UNDATED, …).

    ``chosen`` names the surveys that count (None: every survey); in any case only
    the answers on the 0–10 scale count (see nps_rows).
    """
    surveys = row_surveys(adapter, header, rows, default)
    on_scale = nps_rows(adapter, header, rows, surveys)
    kept = _kept_by_filter(adapter, header, rows)
    wanted = None if chosen is None else {normalize(s) for s in chosen}
    statuses = []
    undated = _undated(adapter, header, rows)
    for keep, no_day, survey, scaled in zip(
        kept, undated, surveys, on_scale, strict=True
    ):
        if not keep:
            statuses.append(PARTIAL)
        elif no_day:
            statuses.append(UNDATED)
        elif wanted is not None and normalize(survey) not in wanted:
            statuses.append(OTHER_SURVEY)
        else:
            statuses.append(COUNTED if scaled else NOT_NPS)
    return statuses


def _undated(
    adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[bool]:
    submitted = _column(adapter, header, "submitted_at")
    if adapter.name not in PARTIAL_WITHOUT_DATE or submitted is None:
        return [False] * len(rows)
    return [c.strip() == NO_DATESTAMP for c in _cells(rows, submitted)]


def _kept_by_filter(
    adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[bool]:
    # The adapter's own row filter (Typeform's completed responses), as transform
    # applies it, since the rows' status column replaces it.
    kept = [True] * len(rows)
    if adapter.row_filter is not None:
        names, values = adapter.row_filter
        wanted = {normalize(v) for v in values}
        found = [
            i for i, h in enumerate(header) if normalize(h) in map(normalize, names)
        ]
        if found:
            kept = [normalize(c) in wanted for c in _cells(rows, found[0])]
    submitted = _column(adapter, header, "submitted_at")
    if adapter.name in PARTIAL_WITHOUT_DATE and submitted is not None:
        dated = [bool(c.strip()) for c in _cells(rows, submitted)]
        kept = [k and d for k, d in zip(kept, dated, strict=True)]
    return kept


def with_statuses(table: RawTable, adapter: Adapter, statuses: Sequence[str],
                  labels: dict[str, str]) -> tuple[RawTable, Adapter]:  # fmt: skip
    """Return the table with a column saying whether each row counts, and its adapter.

    The adapter keeps the rows marked counted; the others are skipped, with their
    reason in the report's words. Without a row left out, both are unchanged.
    """
    if all(s == COUNTED for s in statuses):
        return table, adapter
    width = max([len(table.header), *(len(r) for r in table.rows)])
    column = labels["column"]
    header = (*table.header, *([""] * (width - len(table.header))), column)
    rows = [
        (*row, *([""] * (width - len(row))), labels[status])
        for row, status in zip(table.rows, statuses, strict=True)
    ]
    kept = replace(adapter, row_filter=((column,), (labels[COUNTED],)))
    return replace(table, header=header, rows=rows), kept
