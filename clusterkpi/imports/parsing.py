"""Runs a compiled plan over staged rows: cells, problems, valid rows, final rows."""

from __future__ import annotations

from typing import Any

from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.loading import KEYS, table_columns
from clusterkpi.imports.report import Problem
from clusterkpi.imports.transform import NO_PROBLEMS, Plan


def run_plan(
    cur: Any,
    plan: Plan,
    params: dict[str, Any],
    adapter: Adapter,
    header_line: int | None = None,
) -> tuple[int, int]:
    """Parse the staged table; leave the rows to load in the view ``final``.

    The rows are materialised once, in ``cells``: the target columns and a flag set
    where any check fails. Problems are rare, so only the flagged lines are parsed a
    second time, with their cells as typed, to report them. Returns (rows kept, rows
    valid); :func:`drop_plan` frees what is left.

    ``stage`` is a TEMP table with line numbers, or, for a large file
    (``header_line`` given), the views of :func:`bulk.stage_csv`: the rows are then
    numbered by their position in ``cells``, which DuckDB keeps in file order.
    """

    def run(sql: str) -> None:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        cur.execute(sql, used or None)

    # Nested selects are separate projections: each cell is cleaned and read as a
    # number once, without materialising the intermediate steps.
    numbers = plan.numbers_sql.replace(" FROM raw", f" FROM ({plan.raw_sql}) AS raw")
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
        f"CREATE OR REPLACE TEMP TABLE cells_raw AS SELECT _line, {plan.finals_sql},"
        f" coalesce({bad}, false) AS _bad FROM ({nested}) AS cells"
    )
    if header_line is None:
        cur.execute("CREATE OR REPLACE TEMP VIEW cells AS SELECT * FROM cells_raw")
    else:
        # Row ids of a table created inside a transaction start at an internal offset.
        first = cur.execute("SELECT coalesce(min(rowid), 0) FROM cells_raw").fetchone()[
            0
        ]
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
    any_bad = cur.execute(
        "SELECT EXISTS (SELECT 1 FROM cells_raw WHERE _bad)"
    ).fetchone()[0]
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
    if header_line is None:
        cur.execute("DROP TABLE stage")
    else:
        cur.execute("DROP VIEW stage")
        cur.execute("DROP VIEW stage_numbered")
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT _line, {', '.join(targets)}"
        " FROM cells"
    )
    kept = cur.execute("SELECT count(*) FROM cells").fetchone()[0]
    if adapter.post is None:
        _refuse_duplicate_keys(cur, KEYS[adapter.dataset])
    cur.execute(
        "CREATE OR REPLACE TEMP VIEW valid AS SELECT * FROM parsed"
        " WHERE _line NOT IN (SELECT _line FROM problems)"
    )
    valid = cur.execute("SELECT count(*) FROM valid").fetchone()[0]
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
        for c in table_columns(cur, adapter.dataset)
    )
    cur.execute(f"CREATE OR REPLACE TEMP VIEW final AS SELECT {picks} FROM _final_raw")
    return kept, valid


def drop_plan(cur: Any) -> None:
    """Free what run_plan left: the views over ``cells``, then ``cells`` itself."""
    for view in ("final", "_final_raw", "valid", "parsed", "cells"):
        cur.execute(f"DROP VIEW IF EXISTS {view}")
    cur.execute("DROP TABLE IF EXISTS cells_raw")


def _refuse_duplicate_keys(cur: Any, keys: tuple[str, ...]) -> None:
    """Two rows of one file with the same key: the last one wins, the others are refused."""
    columns = ", ".join(keys)
    # One grouping pass tells most files apart: with no repeated key, nothing to rank.
    repeated = cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM parsed GROUP BY {columns} HAVING count(*) > 1)"
    ).fetchone()[0]
    if repeated:
        cur.execute(
            "INSERT INTO problems SELECT _line, NULL, NULL, 'duplicate_key' FROM (SELECT"
            f" _line, row_number() OVER (PARTITION BY {columns} ORDER BY _line DESC)"
            " AS n FROM parsed WHERE _line NOT IN (SELECT _line FROM problems))"
            " WHERE n > 1"
        )


def read_problems(cur: Any, header: tuple[str, ...]) -> list[Problem]:
    """Return the problems the plan found, in line order."""
    rows = cur.execute(
        "SELECT _line, col, value, reason FROM problems ORDER BY _line, col NULLS FIRST"
    ).fetchall()
    return [
        Problem(reason, line, header[col] if col is not None else None, value)
        for line, col, value, reason in rows
    ]
