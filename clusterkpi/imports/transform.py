"""Compiles an adapter into SQL that parses staged text cells and lists every problem."""

# The staged table has columns _line and c0 … cN (all text); identifiers in the SQL come
# from code only, and everything that comes from a file or a user (category
# translations, defaults) travels as a query parameter.

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from clusterkpi.imports.fields import Adapter, FieldMap, Kind, normalize

ISO_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
# Year-first dates are never ambiguous (Google Forms' own CSV download is reported to
# write '2026/01/15 9:05:12 AM GMT+1').
YEAR_FIRST = ("%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %I:%M:%S %p")
# A trailing zone is dropped: the local time the export shows is kept.
ZONE_SUFFIX = r"\s+(UTC|GMT)([+-]\d{1,2}(:?\d{2})?)?$"
TRUE_WORDS = ("oui", "yes", "true", "vrai", "1", "x", "y", "o")
FALSE_WORDS = ("non", "no", "false", "faux", "0", "n")
FREE_WORDS = ("gratuit", "free")
EARLIEST = date(1950, 1, 1)
NO_PROBLEMS = (
    "SELECT NULL::BIGINT AS _line, NULL::INTEGER AS col, NULL::VARCHAR AS value,"
    " NULL::VARCHAR AS reason WHERE false"
)


@dataclass(frozen=True)
class Plan:
    """The SQL of one table's import: cells (raw and parsed), problems, final rows."""

    cells_sql: str  # reads the relation ``numbers`` built by raw_sql then numbers_sql
    problems_sql: str
    rows_sql: str
    params: dict[str, Any]
    columns: dict[str, int]
    missing: tuple[str, ...]
    raw_sql: str = ""  # stage → cleaned cells r0 …
    numbers_sql: str = ""  # raw → raw plus numbers n0 … read once per cell
    finals_sql: str = ""  # the target columns computed from a row of ``cells``
    bad_sql: str = "false"  # true on a row where any problem check fires


def _literal(text: str) -> str:
    # Only for strings written in code (formats, word lists), never for data.
    return "'" + text.replace("'", "''") + "'"


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_literal(i) for i in items) + "]"


def raw_expr(index: int, spec: FieldMap) -> str:
    """Return the SQL of a cell's cleaned text: trimmed, NULL when empty or 'n/a'."""
    cell = f"nullif(trim(c{index}), '')"
    longest = max(len(v) for v in spec.empty_values)
    # The length test spares lower() on the many cells too long to be 'n/a'.
    return (
        f"CASE WHEN length({cell}) <= {longest} AND lower({cell}) IN"
        f" ({', '.join(map(_literal, spec.empty_values))}) THEN NULL ELSE {cell} END"
    )


def number_expr(raw: str, decimal: str) -> str:
    """Return the SQL reading a localised number (decimal comma, %, spaces, '(15.00)')."""
    thousands = "." if decimal == "," else ","
    text = f"regexp_replace({raw}, '\\s*\\([^)]*%\\)\\s*$', '')"
    text = f"regexp_replace({text}, '[\\s\u00a0\u202f%€$£]', '', 'g')"
    text = f"regexp_replace({text}, '^\\((.*)\\)$', '-\\1')"
    text = (
        f"replace(replace({text}, {_literal(thousands)}, ''), {_literal(decimal)}, '.')"
    )
    free = ", ".join(map(_literal, FREE_WORDS))
    # Most cells are plain numbers: one regex match instead of the whole clean-up.
    plain = "-?[0-9]{1,15}" + ("(\\.[0-9]+)?" if decimal == "." else "")
    return (
        f"CASE WHEN regexp_full_match({raw}, '{plain}') THEN {raw}::DOUBLE"
        f" WHEN lower({raw}) IN ({free}) THEN 0.0 ELSE TRY_CAST({text} AS DOUBLE) END"
    )


def parsed_expr(
    spec: FieldMap,
    raw: str,
    decimal: str,
    formats: tuple[str, ...],
    number: str | None = None,
) -> str:
    """Return the SQL turning a cleaned cell into the field's typed value (NULL if bad).

    ``number`` names a column already holding number_expr(raw), so that integers and
    rates read the cell once.
    """
    if spec.kind is Kind.TEXT:
        return raw
    if spec.kind is Kind.NUMBER:
        return number_expr(raw, decimal)
    number = number or number_expr(raw, decimal)
    if spec.kind is Kind.INTEGER:
        return f"CASE WHEN {number} = round({number}) THEN ({number})::BIGINT END"
    if spec.kind is Kind.RATE:
        return (
            f"CASE WHEN {raw} LIKE '%\\%%' ESCAPE '\\' OR {number} > 1"
            f" THEN {number} / 100 ELSE {number} END"
        )
    if spec.kind in (Kind.DATE, Kind.TIMESTAMP):
        local = (
            f"CASE WHEN {raw} LIKE '%UTC%' OR {raw} LIKE '%GMT%' THEN"
            f" regexp_replace({raw}, {_literal(ZONE_SUFFIX)}, '') ELSE {raw} END"
        )
        every = formats + ISO_FORMATS + YEAR_FIRST
        # Nearly every cell is in the file's own format: one parse, and the zone
        # clean-up and the other formats only for the cells it does not read.
        stamp = (
            f"coalesce(try_strptime({raw}, {_literal(every[0])}),"
            f" try_strptime({local}, {_list(every)}))"
        )
        return f"({stamp})::DATE" if spec.kind is Kind.DATE else stamp
    if spec.kind is Kind.BOOLEAN:
        return (
            f"CASE WHEN lower({raw}) IN ({', '.join(map(_literal, TRUE_WORDS))}) THEN true"
            f" WHEN lower({raw}) IN ({', '.join(map(_literal, FALSE_WORDS))})"
            " THEN false END"
        )
    key = f"trim(regexp_replace(lower(strip_accents({raw})), '[^a-z0-9%#]+', ' ', 'g'))"
    # A value written exactly as a known spelling is found without normalising it.
    return (
        f"coalesce($cat_xv_{spec.target}[list_position($cat_xk_{spec.target}, {raw})],"
        f" $cat_v_{spec.target}[list_position($cat_k_{spec.target}, {key})])"
    )


def problem_checks(
    spec: FieldMap, raw: str, value: str, today: date
) -> list[tuple[str, str]]:
    """Return (condition, reason) pairs that flag a bad cell of one field."""
    reason = (
        "unknown_category"
        if spec.kind is Kind.CATEGORY
        else f"invalid_{spec.kind.value}"
    )
    checks = [(f"{raw} IS NOT NULL AND {value} IS NULL", reason)]
    if spec.required:
        checks.append((f"{raw} IS NULL", "required"))
    if spec.pattern is not None:
        checks.append(
            (
                f"{raw} IS NOT NULL AND NOT regexp_full_match({raw}, "
                f"{_literal(spec.pattern)})",
                "invalid_format",
            )
        )
    if spec.minimum is not None:
        checks.append((f"{value} < {float(spec.minimum)!r}", "below_min"))
    if spec.maximum is not None:
        checks.append((f"{value} > {float(spec.maximum)!r}", "above_max"))
    if spec.kind in (Kind.DATE, Kind.TIMESTAMP):
        latest = date(today.year + 1, today.month, min(today.day, 28))
        checks.append(
            (
                f"{value}::DATE < DATE '{EARLIEST.isoformat()}'"
                f" OR {value}::DATE > DATE '{latest.isoformat()}'",
                "implausible_date",
            )
        )
    return checks


def build_plan(
    adapter: Adapter,
    header: tuple[str, ...],
    decimals: dict[str, str],
    date_formats: tuple[str, ...],
    today: date,
    categories: dict[str, dict[str, str]] | None = None,
    positions: dict[str, int] | None = None,
) -> Plan:
    """Compile the SQL that parses a staged table with ``adapter``.

    ``decimals`` gives the decimal separator chosen per number field, ``date_formats``
    the formats used for date fields that declare none (the file's date order),
    ``categories`` extra value translations (from a saved mapping), ``positions`` an
    explicit column per field (from a mapping) instead of header matching.
    """
    columns = positions if positions is not None else adapter.column_index(header)
    missing = tuple(
        f.target
        for f in adapter.fields
        if f.required and f.target not in columns and f.default is None
    )
    params: dict[str, Any] = {}
    select, problems, finals, conditions = ["*"], [], [], []
    raws, numbers = ["_line"], ["*"]
    refs: dict[str, str] = {}
    derived_key = adapter.key_target is not None and adapter.key_target not in columns
    for index, spec in enumerate(adapter.fields):
        if derived_key and spec.target == adapter.key_target:
            continue
        if spec.target in columns:
            raw = raw_expr(columns[spec.target], spec)
            fmt = spec.formats or date_formats
            decimal = decimals.get(spec.target, spec.decimal or ".")
            # DuckDB substitutes column aliases as expressions: each step is
            # materialised so that a cell is cleaned, and read as a number, once.
            raws.append(f"{raw} AS r{index}")
            number = None
            if spec.kind in (Kind.INTEGER, Kind.RATE):
                number = f"n{index}"
                numbers.append(f"{number_expr(f'r{index}', decimal)} AS {number}")
            value = parsed_expr(spec, f"r{index}", decimal, fmt, number)
            # A text value is its cleaned cell: no second copy of the column.
            ref = f"r{index}" if spec.kind is Kind.TEXT else f"v{index}"
            refs[spec.target] = ref
            if spec.kind is not Kind.TEXT:
                select.append(f"{value} AS v{index}")
            for condition, reason in problem_checks(spec, f"r{index}", ref, today):
                conditions.append(f"({condition})")
                problems.append(
                    f"SELECT _line, {columns[spec.target]} AS col, r{index} AS value,"
                    f" {_literal(reason)} AS reason FROM cells WHERE {condition}"
                )
            finals.append(f"{ref} AS {spec.target}")
        else:
            params[f"d_{spec.target}"] = spec.default
            finals.append(f"$d_{spec.target} AS {spec.target}")
        if spec.kind is Kind.CATEGORY:
            mapping = {normalize(k): v for k, v in spec.categories.items()}
            mapping.update(
                {
                    normalize(k): v
                    for k, v in (categories or {}).get(spec.target, {}).items()
                }
            )
            params[f"cat_k_{spec.target}"] = list(mapping)
            params[f"cat_v_{spec.target}"] = list(mapping.values())
            spellings = [*spec.categories, *(categories or {}).get(spec.target, {})]
            exact = {
                k: mapping[normalize(k)] for k in spellings if normalize(k) in mapping
            }
            params[f"cat_xk_{spec.target}"] = list(exact)
            params[f"cat_xv_{spec.target}"] = list(exact.values())
    if adapter.key_target is not None:
        parts = [
            f"{refs[f.target]}::VARCHAR"
            for f in adapter.fields
            if f.target in adapter.key and f.target in refs
        ]
        derived = (
            f"{_literal(adapter.key_prefix)} || substr(sha256(concat_ws('|', "
            f"{', '.join(parts) or 'NULL'})), 1, 12)"
        )
        if derived_key:
            finals.append(f"{derived} AS {adapter.key_target}")
        else:
            # An id column left empty on some rows: those rows get the derived id.
            own = f"{refs[adapter.key_target]} AS {adapter.key_target}"
            finals[finals.index(own)] = (
                f"coalesce({refs[adapter.key_target]}, {derived}) AS {adapter.key_target}"
            )
    where = _row_filter(adapter, header, params)
    raw_sql = f"SELECT {', '.join(raws)} FROM stage{where}"
    numbers_sql = f"SELECT {', '.join(numbers)} FROM raw"
    cells_sql = f"SELECT {', '.join(select)} FROM numbers"
    problems_sql = " UNION ALL ".join(problems) or NO_PROBLEMS
    rows_sql = f"SELECT _line, {', '.join(finals)} FROM cells"
    return Plan(
        cells_sql,
        problems_sql,
        rows_sql,
        params,
        columns,
        missing,
        raw_sql,
        numbers_sql,
        ", ".join(finals),
        " OR ".join(conditions) or "false",
    )


def _row_filter(
    adapter: Adapter, header: tuple[str, ...], params: dict[str, Any]
) -> str:
    if adapter.row_filter is None:
        return ""
    names, kept = adapter.row_filter
    normalized = [normalize(h) for h in header]
    found = [
        normalized.index(normalize(n)) for n in names if normalize(n) in normalized
    ]
    if not found:
        return ""
    params["keep_values"] = [normalize(v) for v in kept]
    cell = f"lower(strip_accents(trim(c{found[0]})))"
    key = f"trim(regexp_replace({cell}, '[^a-z0-9%#]+', ' ', 'g'))"
    return f" WHERE list_contains($keep_values, {key})"
