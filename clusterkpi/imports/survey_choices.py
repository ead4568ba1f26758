"""The surveys that count, chosen by the animator and remembered per shape of export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from clusterkpi.i18n import t
from clusterkpi.imports.adapters import find_adapter
from clusterkpi.imports.adapters.surveys import SURVEY_SOURCES
from clusterkpi.imports.bulk import BulkTable
from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.mapping import header_signature, read_sample
from clusterkpi.imports.reading import RawTable
from clusterkpi.imports.survey_fit import (
    STATUSES,
    SurveyCount,
    pin_questions,
    row_statuses,
    survey_counts,
    with_statuses,
)
from clusterkpi.imports.survey_headers import join_header_rows
from clusterkpi.store import Cursor, Store

SURVEY_ADAPTERS = {a.name for a in SURVEY_SOURCES}
TWO_HEADER_ROWS = ("surveymonkey",)


class SurveyOptions(Protocol):
    """What prepare_survey reads of the import's options (importer.ImportOptions)."""

    @property
    def surveys(self) -> tuple[str, ...] | None:
        """The surveys that count: None for the remembered choice, () to forget it."""
        ...

    @property
    def user(self) -> str:
        """Who imports."""
        ...

    @property
    def lang(self) -> str:
        """The user's language."""
        ...

    @property
    def overrides(self) -> dict[str, Any]:
        """Values the animator gave for fields of the file."""
        ...


def save_choice(cur: Cursor, header: tuple[str, ...], surveys: tuple[str, ...],
                user: str) -> None:  # fmt: skip
    """Remember the surveys that count for exports with this header (empty: forget)."""
    signature = header_signature(header)
    if not surveys:
        cur.execute("DELETE FROM survey_choices WHERE signature = ?", [signature])
        return
    cur.execute(
        "INSERT INTO survey_choices (signature, surveys, chosen_by) VALUES (?, ?, ?)"
        " ON CONFLICT (signature) DO UPDATE SET surveys = excluded.surveys,"
        " chosen_by = excluded.chosen_by, chosen_at = now()",
        [signature, json.dumps(list(surveys), ensure_ascii=False), user],
    )


def load_choice(cur: Cursor, header: tuple[str, ...]) -> tuple[str, ...] | None:
    """Return the surveys remembered for exports with this header, if any."""
    found = cur.execute(
        "SELECT surveys FROM survey_choices WHERE signature = ?",
        [header_signature(header)],
    ).fetchall()
    return tuple(json.loads(found[0][0])) if found else None


def remember_surveys(store: Store, header: tuple[str, ...], surveys: tuple[str, ...],
                     user: str) -> None:  # fmt: skip
    """Save a choice outside an import (the import page, the CLI)."""
    with store.transaction() as cur:
        save_choice(cur, header, surveys, user)


def remembered_surveys(store: Store, header: tuple[str, ...]) -> tuple[str, ...] | None:
    """Return the choice saved for exports with this header, if any."""
    with store.cursor() as cur:
        return load_choice(cur, header)


def prepare_survey(
    cur: Cursor, table: RawTable | BulkTable, adapter: Adapter, options: SurveyOptions
) -> tuple[RawTable | BulkTable, Adapter]:
    """Return a survey table and adapter ready to be read (others unchanged).

    Called by the importer once the adapter is known: the two header rows of a
    SurveyMonkey export are joined; each question reads the column its wording and
    values fit; the rows that do not count (a survey not chosen, answers off the 0–10
    scale, incomplete responses) are marked to be skipped. ``options.surveys`` is the
    animator's choice: remembered for the header's shape (an empty tuple forgets
    it); None uses the remembered choice, else every survey.
    """
    if adapter.name not in SURVEY_ADAPTERS:
        return table, adapter
    chosen = options.surveys
    if chosen is not None:
        save_choice(cur, table.header, tuple(chosen), options.user)
        chosen = tuple(chosen) or None
    else:
        chosen = load_choice(cur, table.header)
    if isinstance(table, BulkTable):  # a large file read by DuckDB: rows not in memory
        return table, pin_questions(adapter, table.header, table.rows)
    if adapter.name in TWO_HEADER_ROWS:
        table = join_header_rows(table)
    adapter = pin_questions(adapter, table.header, table.rows)
    default = options.overrides.get("survey")
    statuses = row_statuses(adapter, table.header, table.rows, chosen, default)
    return with_statuses(table, adapter, statuses, status_labels(options.lang))


def status_labels(lang: str) -> dict[str, str]:
    """Return the name of the rows' status column and its values, in ``lang``."""
    labels = {"column": t("surveys.row.column", lang)}
    for status in STATUSES:
        labels[status] = t(f"surveys.row.{status}", lang)
    return labels


@dataclass(frozen=True)
class FileSurveys:
    """The surveys of one table of an uploaded file, for the animator to choose from."""

    table: str
    header: tuple[str, ...]
    source: str
    surveys: list[SurveyCount]


def file_surveys(name: str, raw: bytes) -> list[FileSurveys]:
    """Return the survey tables of a file and the surveys each holds (others: none).

    Raises reading.ImportFileError like the importer when the file cannot be read.
    """
    found = []
    for table in read_sample(name, raw):
        adapter = find_adapter(table.header, (*table.preamble, table.title or ""))
        if adapter is None or adapter.name not in SURVEY_ADAPTERS:
            continue
        joined = join_header_rows(table) if adapter.name in TWO_HEADER_ROWS else table
        counts = survey_counts(adapter, joined.header, joined.rows)
        found.append(FileSurveys(table.name, table.header, adapter.name, counts))
    return found
