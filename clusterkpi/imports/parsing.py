"""Runs a compiled plan over staged rows: cells, problems, valid rows, final rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.loading import table_columns
from clusterkpi.imports.repeats import filtered_values, settle_repeats
from clusterkpi.imports.report import Problem
from clusterkpi.imports.transform import NO_PROBLEMS, Plan
from clusterkpi.store import Cursor, single_row


@dataclass(frozen=True)
class PlanOutcome:
    """What became of a table's rows: kept by the filter, valid, repeated, warned."""

    kept: int  # rows the adapter's row filter kept
    valid: int  # kept rows without a problem (repeated ones included)
    duplicates: int  # valid rows that repeat a later row word for word
    warnings: list[Problem]
    filtered: list[tuple[str, int]]  # values of the filter column left out, counted
    without: dict[str, int]  # valid rows left out for lacking a field, per field


def run_plan(
    cur: Cursor,
    plan: Plan,
    params: dict[str, Any],
    adapter: Adapter,
    header: tuple[str, ...],
    header_line: int | None = None,
) -> PlanOutcome:
    """Parse the staged table; leave the rows to load in the view ``final``.

    The rows are materialised once, in ``cells``: the target columns and a flag set
    where any check fails. Problems are rare, so only the flagged lines are parsed a
    second time, with their cells as typed, to report them. Rows repeated in the
    file are settled by :func:`settle_repeats`. Returns what became of the rows;
    :func:`drop_plan` frees what is left.

    ``stage`` is a TEMP table with line numbers, or, for a large file
    (``header_line`` given), the views of :func:`bulk.stage_csv`: the rows are then
    numbered by their position in ``cells``, which DuckDB keeps in file order.
    """

    def run(sql: str) -> None:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        cur.execute(sql, used or None)

    # Nested selects are separate projections: each cell is cleaned and read as a
    # number once, without materialising the intermediate steps.
    whole = adapter.row_id is not None
    raw_sql = _with_whole_row(cur, plan.raw_sql) if whole else plan.raw_sql
    numbers = plan.numbers_sql.replace(" FROM raw", f" FROM ({raw_sql}) AS raw")
    nested = plan.cells_sql.replace(" FROM numbers", f" FROM ({numbers}) AS numbers")
    targets = [f.target for f in adapter.fields]
    # An end before its start (the cell is reported as typed in the file, r; compared
    # as dates, v).
    order_checks = [
        (targets.index(late), targets.index(early), int(plan.columns[late]))
        for late, early in adapter.not_before
        if late in plan.columns and early in plan.columns
    ]
    bad = " OR ".join([plan.bad_sql, *(f"v{li} < v{ei}" for li, ei, _ in order_checks)])
    run(
        f"CREATE OR REPLACE TEMP TABLE cells_raw AS SELECT _line,"
        f" {'_whole, ' if whole else ''}{plan.finals_sql},"
        f" coalesce({bad}, false) AS _bad FROM ({nested}) AS cells"
    )
    if header_line is None:
        cur.execute("CREATE OR REPLACE TEMP VIEW cells AS SELECT * FROM cells_raw")
    else:
        # Row ids of a table created inside a transaction start at an internal offset.
        first = single_row(cur, "SELECT coalesce(min(rowid), 0) FROM cells_raw")[0]
        cur.execute(
            "CREATE OR REPLACE TEMP VIEW cells AS SELECT"
            f" (rowid - {int(first)} + {int(header_line) + 1})::BIGINT AS _line,"
            " * EXCLUDE (_line) FROM cells_raw"
        )
    flagged_stage = "stage" if header_line is None else "stage_numbered"
    flagged = nested.replace(
        " FROM stage",
        f" FROM (SELECT * FROM {flagged_stage} WHERE _line IN"
        " (SELECT _line FROM cells WHERE _bad)) AS stage",
        1,
    )
    any_bad = single_row(cur, "SELECT EXISTS (SELECT 1 FROM cells_raw WHERE _bad)")[0]
    if any_bad:
        run(f"CREATE OR REPLACE TEMP TABLE cells_full AS {flagged}")
        run(
            "CREATE OR REPLACE TEMP TABLE problems AS "
            + plan.problems_sql.replace(" FROM cells", " FROM cells_full")
        )
        for li, ei, column in order_checks:
            cur.execute(
                f"INSERT INTO problems SELECT _line, {column}, r{li}, 'before_start'"
                f" FROM cells_full WHERE v{li} < v{ei}"
            )
        cur.execute("DROP TABLE cells_full")
    else:
        cur.execute(f"CREATE OR REPLACE TEMP TABLE problems AS {NO_PROBLEMS}")
    filtered = filtered_values(cur, adapter, header)
    if header_line is None:
        cur.execute("DROP TABLE stage")
    else:
        cur.execute("DROP VIEW stage")
        cur.execute("DROP VIEW stage_numbered")
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT _line, {', '.join(targets)}"
        " FROM cells"
    )
    kept = single_row(cur, "SELECT count(*) FROM cells")[0]
    repeats = settle_repeats(cur, adapter, plan, header)
    cur.execute(
        "CREATE OR REPLACE TEMP VIEW valid AS SELECT * FROM parsed"
        " WHERE _line NOT IN (SELECT _line FROM problems)"
        " AND _line NOT IN (SELECT _line FROM repeated_rows)"
    )
    valid = repeats.duplicates + single_row(cur, "SELECT count(*) FROM valid")[0]
    without = {
        target: single_row(cur, f"SELECT count(*) FROM valid WHERE {target} IS NULL")[0]
        for target in adapter.skip_without
    }
    body = (
        adapter.post.format(parsed="valid")
        if adapter.post
        else "SELECT * EXCLUDE (_line) FROM valid"
    )
    cur.execute(f"CREATE OR REPLACE TEMP VIEW _final_raw AS {body}")
    produced = {r[0] for r in cur.execute("DESCRIBE _final_raw").fetchall()}
    # Columns no field of the export fills stay empty (NULL), by name.
    picks = ", ".join(
        c if c in produced else f"NULL AS {c}"
        for c in table_columns(cur, adapter.loaded_dataset())
    )
    cur.execute(f"CREATE OR REPLACE TEMP VIEW final AS SELECT {picks} FROM _final_raw")
    return PlanOutcome(
        kept, valid, repeats.duplicates, repeats.warnings, filtered, without
    )


def _with_whole_row(cur: Cursor, raw_sql: str) -> str:
    """Return raw_sql also giving ``_whole``, a hash of every cell of the row as read.

    Rows that share an id are told apart by all their cells (a tweet's permalink
    and text), not only by the ones a KPI reads.
    """
    names = [r[0] for r in cur.execute("DESCRIBE stage").fetchall()]
    cells = ", ".join(f"coalesce({n}, '')" for n in names if n != "_line")
    whole = f"md5(concat_ws(chr(31), {cells})) AS _whole"
    return raw_sql.replace("SELECT _line", f"SELECT _line, {whole}", 1)


def drop_plan(cur: Cursor) -> None:
    """Free what run_plan left: the views over ``cells``, then ``cells`` itself."""
    for view in ("final", "_final_raw", "valid", "parsed", "cells"):
        cur.execute(f"DROP VIEW IF EXISTS {view}")
    cur.execute("DROP TABLE IF EXISTS cells_raw")
    cur.execute("DROP TABLE IF EXISTS repeated_rows")


def read_problems(cur: Cursor, header: tuple[str, ...]) -> list[Problem]:
    """Return the problems the plan found, in line order."""
    rows = cur.execute(
        "SELECT _line, col, value, reason FROM problems ORDER BY _line, col NULLS FIRST"
    ).fetchall()
    return [
        Problem(reason, line, header[col] if col is not None else None, value)
        for line, col, value, reason in rows
    ]
