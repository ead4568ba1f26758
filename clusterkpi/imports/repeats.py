"""Rows of one file that share an identifier: repeated, damaged ids, or two versions."""

# A row repeated word for word is kept once. Rows that share the id column's value
# but differ are not versions of one row when the id column is damaged (a
# spreadsheet wrote 18-digit ids as 6.49E+17): every row is kept, with an id derived
# from its content, and the report says so. Rows that share a natural key that is
# not an id column (a day) are two versions: the later one wins, the earlier is
# refused as a duplicate key. Identifiers in the SQL come from code only.

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clusterkpi.imports.fields import Adapter, normalize
from clusterkpi.imports.loading import KEYS
from clusterkpi.imports.report import Problem
from clusterkpi.imports.transform import Plan
from clusterkpi.store import Cursor, single_row

_SCIENTIFIC = re.compile(r"^\s*-?\d+(?:[.,]\d+)?[eE][+-]?\d+\s*$")
_OK = "_line NOT IN (SELECT _line FROM problems)"


@dataclass
class Repeats:
    """What settle_repeats found: rows kept once, and warnings for the report."""

    duplicates: int = 0
    warnings: list[Problem] = field(default_factory=list)


def settle_repeats(
    cur: Cursor, adapter: Adapter, plan: Plan, header: tuple[str, ...]
) -> Repeats:
    """Settle rows sharing a key; leave the lines to set aside in ``repeated_rows``.

    Expects the view ``parsed`` and the table ``problems``; may redefine ``parsed``
    (derived ids) and add duplicate-key problems.
    """
    cur.execute("CREATE OR REPLACE TEMP TABLE repeated_rows (_line BIGINT)")
    targets = [f.target for f in adapter.fields]
    row_id = adapter.row_id or adapter.key_target
    by_id = row_id is not None and row_id in plan.columns
    if by_id:
        keys: tuple[str, ...] = (str(row_id),)
    elif adapter.post is None and adapter.dataset in KEYS:
        keys = KEYS[adapter.dataset]
    else:
        return Repeats()  # rows combined by design (a day's total): nothing to settle
    columns = ", ".join(keys)
    repeated = single_row(
        cur,
        f"SELECT EXISTS (SELECT 1 FROM parsed WHERE {_OK} GROUP BY {columns}"
        " HAVING count(*) > 1)",
    )[0]
    if not repeated:
        return Repeats()
    found = Repeats()
    _identify(cur, keys, targets, whole=by_id and adapter.row_id is not None)
    if by_id:
        damaged = _damaged_ids(cur)
        if damaged is not None:
            groups, example = damaged
            _derive_ids(cur, str(row_id), targets)
            column = header[plan.columns[str(row_id)]]
            how = "scientific" if _SCIENTIFIC.match(example) else "repeated"
            found.warnings.append(
                Problem(
                    "damaged_key",
                    column=column,
                    value=example,
                    params={"column": column, "groups": groups, "example": example,
                            "how": how},
                )
            )  # fmt: skip
    found.duplicates = _set_aside_duplicates(cur)
    if not by_id:
        _refuse_versions(cur)
    cur.execute("DROP VIEW _ident")
    return found


def _identify(
    cur: Cursor, keys: tuple[str, ...], targets: list[str], whole: bool
) -> None:
    """Create ``_ident``: each valid row's line, key and content fingerprint.

    The fingerprint is every cell of the row as read (``cells._whole``) when the
    plan kept it, else the row's parsed values.
    """
    key = ", ".join(f"{k} := p.{k}" for k in keys)
    values = ", ".join(f"{t} := p.{t}" for t in targets)
    content = "c._whole" if whole else f"md5(to_json(struct_pack({values})))"
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW _ident AS SELECT p._line,"
        f" struct_pack({key}) AS _key, p.{keys[0]}::VARCHAR AS _shown,"
        f" {content} AS _content"
        f" FROM parsed AS p JOIN cells AS c USING (_line) WHERE p.{_OK}"
    )


def _damaged_ids(cur: Cursor) -> tuple[int, str] | None:
    """Return (ids standing for several different rows, one of them), or None."""
    groups, example = single_row(
        cur,
        "SELECT count(*), min(_shown) FROM (SELECT _key, any_value(_shown) AS _shown"
        " FROM _ident GROUP BY _key HAVING count(DISTINCT _content) > 1)",
    )
    return (int(groups), str(example)) if groups else None


def _derive_ids(cur: Cursor, row_id: str, targets: list[str]) -> None:
    """Redefine ``parsed`` with every row's id derived from the whole row as read."""
    picks = ", ".join(
        f"'~' || substr(_whole, 1, 16) AS {row_id}" if t == row_id else t
        for t in targets
    )
    # ``parsed`` is the targets of ``cells``: it is defined again from there.
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW parsed AS SELECT _line, {picks} FROM cells"
    )


def _set_aside_duplicates(cur: Cursor) -> int:
    """Set aside every valid row that a later row repeats word for word."""
    cur.execute(
        "INSERT INTO repeated_rows SELECT _line FROM (SELECT _line, row_number()"
        " OVER (PARTITION BY _content ORDER BY _line DESC) AS n FROM _ident)"
        " WHERE n > 1"
    )
    return int(single_row(cur, "SELECT count(*) FROM repeated_rows")[0])


def _refuse_versions(cur: Cursor) -> None:
    """Two different rows with the same key: the last one wins, the others are refused."""
    cur.execute(
        "INSERT INTO problems SELECT _line, NULL, NULL, 'duplicate_key' FROM (SELECT"
        " _line, row_number() OVER (PARTITION BY _key ORDER BY _line DESC) AS n"
        " FROM _ident WHERE _line NOT IN (SELECT _line FROM repeated_rows)) WHERE n > 1"
    )


def filtered_values(
    cur: Cursor, adapter: Adapter, header: tuple[str, ...]
) -> list[tuple[str, int]]:
    """Return the values of the row filter's column that were left out, with counts.

    Reads ``stage`` (every row of the file, before the filter).
    """
    if adapter.row_filter is None:
        return []
    names, kept = adapter.row_filter
    normalized = [normalize(h) for h in header]
    found = [
        normalized.index(normalize(n)) for n in names if normalize(n) in normalized
    ]
    if not found:
        return []
    rows = cur.execute(
        f"SELECT coalesce(trim(c{found[0]}), '') AS v, count(*) FROM stage"
        " GROUP BY v ORDER BY count(*) DESC, v"
    ).fetchall()
    keep = {normalize(v) for v in kept}
    return [(str(v), int(n)) for v, n in rows if normalize(str(v)) not in keep]


def filter_column(adapter: Adapter, header: tuple[str, ...]) -> str | None:
    """Return the header cell of the row filter's column, as the file spells it."""
    if adapter.row_filter is None:
        return None
    normalized = [normalize(h) for h in header]
    for name in adapter.row_filter[0]:
        if normalize(name) in normalized:
            return header[normalized.index(normalize(name))]
    return None
