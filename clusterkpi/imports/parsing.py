"""Runs a compiled plan over staged rows: cells, problems, valid rows, final rows."""

from __future__ import annotations

from typing import Any

from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.loading import KEYS, table_columns
from clusterkpi.imports.report import Problem
from clusterkpi.imports.transform import Plan


def run_plan(
    cur: Any, plan: Plan, params: dict[str, Any], adapter: Adapter, stage: str
) -> tuple[int, int]:
    """Parse the staged table; leave the rows to load in the view ``final``.

    The rows are materialised once, in ``cells``: cleaned text, typed values and the
    target columns side by side; problems, valid rows and final rows are views or
    small tables over it. Returns (rows kept, rows valid); :func:`drop_plan` frees it.
    """

    def run(sql: str) -> None:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        cur.execute(sql, used or None)

    # Nested selects are separate projections: each cell is cleaned and read as a
    # number once, without materialising the intermediate steps.
    numbers = plan.numbers_sql.replace(" FROM raw", f" FROM ({plan.raw_sql}) AS raw")
    cells = plan.cells_sql.replace(" FROM numbers", f" FROM ({numbers}) AS numbers")
    run(
        f"CREATE OR REPLACE TEMP TABLE cells AS SELECT *, {plan.finals_sql} FROM ({cells}) AS cells"
    )
    cur.execute(f"DROP {'VIEW' if stage == 'VIEW' else 'TABLE'} stage")
    if stage == "VIEW":
        cur.execute("DROP TABLE stage_text")
    run(f"CREATE OR REPLACE TEMP TABLE problems AS {plan.problems_sql}")
    targets = [f.target for f in adapter.fields]
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT _line, {', '.join(targets)}"
        " FROM cells"
    )
    for late, early in adapter.not_before:
        if late in plan.columns and early in plan.columns:
            # The cell is reported as typed in the file (r), compared as dates (v).
            li, ei = targets.index(late), targets.index(early)
            cur.execute(
                f"INSERT INTO problems SELECT _line, {int(plan.columns[late])}, r{li},"
                f" 'before_start' FROM cells WHERE v{li} < v{ei}"
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
    for view in ("final", "_final_raw", "valid", "parsed"):
        cur.execute(f"DROP VIEW IF EXISTS {view}")
    cur.execute("DROP TABLE IF EXISTS cells")


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
