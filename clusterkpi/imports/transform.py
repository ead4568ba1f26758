"""Compiles an adapter into SQL that parses staged text cells and lists every problem."""

# The staged table has columns _line and c0 … cN (all text); identifiers in the SQL come
# from code only, and everything that comes from a file or a user (category
# translations, defaults) travels as a query parameter.

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from clusterkpi.imports.dates import (
    EARLIEST,
    EXCEL_SERIAL,
    ISO_FORMATS,
    WORD_STEPS,
    YEAR_FIRST,
    ZONE_SUFFIX,
    ColumnDates,
)
from clusterkpi.imports.fields import (
    OCCURRENCE,
    UNKNOWN_CATEGORY,
    Adapter,
    FieldMap,
    Kind,
    normalize,
)

# ISO_FORMATS, YEAR_FIRST, ZONE_SUFFIX and EARLIEST live in dates.py, which chooses
# each date column's formats from its values; they are imported here for the SQL.
TRUE_WORDS = ("oui", "yes", "true", "vrai", "1", "x", "y", "o")
FALSE_WORDS = ("non", "no", "false", "faux", "0", "n")
FREE_WORDS = ("gratuit", "free")
_NUMBERS = (Kind.INTEGER, Kind.NUMBER, Kind.RATE)
# Kinds whose reading never takes an 'n/a' word for a value.
_READ_FIRST = (*_NUMBERS, Kind.DATE, Kind.TIMESTAMP, Kind.BOOLEAN)
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
    raw_sql: str = ""  # stage → cleaned cells r0 … (trimmed t0 … for kinds read first)
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
    return empty_words(f"nullif(trim(c{index}), '')", spec)


def empty_words(cell: str, spec: FieldMap) -> str:
    """Return the SQL of ``cell`` (trimmed text) made NULL when it says 'n/a'."""
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
    # Most cells are plain numbers that DuckDB reads as they are; the clean-up is
    # only for the others. With a decimal comma a '.' groups thousands, so a cell
    # holding one always takes the clean-up.
    plain = (
        f"TRY_CAST({raw} AS DOUBLE)"
        if decimal == "."
        else f"CASE WHEN NOT contains({raw}, '.') THEN TRY_CAST({raw} AS DOUBLE) END"
    )
    return (
        f"coalesce({plain}, CASE WHEN lower({raw}) IN ({free}) THEN 0.0"
        f" ELSE TRY_CAST({text} AS DOUBLE) END)"
    )


def parsed_expr(
    spec: FieldMap,
    raw: str,
    decimal: str,
    formats: tuple[str, ...] | ColumnDates,
    number: str | None = None,
) -> str:
    """Return the SQL turning a cleaned cell into the field's typed value (NULL if bad).

    ``number`` names a column already holding number_expr(raw), so that integers and
    rates read the cell once.
    """
    if spec.kind is Kind.TEXT:
        return raw
    if spec.kind is Kind.PERIOD:  # a STRUCT(day_start, day_end): see period_cells
        from clusterkpi.imports.period_cells import period_expr

        # choose_dates picks formats for date and timestamp columns only: a period
        # column keeps the codes of its own readings.
        if isinstance(formats, ColumnDates):
            raise TypeError(f"{spec.target}: a period column takes reading codes")
        return period_expr(raw, formats)
    number = number or number_expr(raw, decimal)
    if spec.kind is Kind.NUMBER:
        return number
    if spec.kind is Kind.INTEGER:
        # Too large for BIGINT: not read, so reported as an invalid integer.
        return f"CASE WHEN {number} = round({number}) THEN TRY_CAST({number} AS BIGINT) END"
    if spec.kind is Kind.RATE:
        return (
            f"CASE WHEN {raw} LIKE '%\\%%' ESCAPE '\\' OR {number} > 1"
            f" THEN {number} / 100 ELSE {number} END"
        )
    if spec.kind in (Kind.DATE, Kind.TIMESTAMP):
        stamp = date_expr(raw, formats)
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


def date_expr(raw: str, formats: tuple[str, ...] | ColumnDates) -> str:
    """Return the SQL reading a cleaned cell as a timestamp with a column's formats.

    ``formats`` is the column's choice (dates.py), or a plain list of formats (then
    ISO and year-first dates are read too).
    """
    if not isinstance(formats, ColumnDates):
        tail = tuple(f for f in ISO_FORMATS + YEAR_FIRST if f not in formats)
        formats = ColumnDates(tuple(formats) + tail)
    if formats.excel_serial:  # days since 1899-12-30, the fraction being the time
        micros = f"round(TRY_CAST({raw} AS DOUBLE) * 86400000000)::BIGINT"
        return (
            f"CASE WHEN regexp_full_match({raw}, {_literal(EXCEL_SERIAL)}) THEN"
            f" TIMESTAMP '1899-12-30 00:00:00' + to_microseconds({micros}) END"
        )
    # The offset is dropped, the local time written is kept (see ZONE_SUFFIX).
    local = f"regexp_replace({raw}, {_literal(ZONE_SUFFIX)}, '\\1')"
    first = (formats.formats or formats.word_formats)[0]
    # Nearly every cell is in the column's chosen format: one parse, and the clean-up
    # and the other formats only for the cells it does not read.
    steps = [f"try_strptime({raw}, {_literal(first)})"]
    if formats.formats:
        steps.append(f"try_strptime({local}, {_list(formats.formats)})")
    if formats.word_formats:
        words = f"strip_accents(lower({local}))"
        for pattern, replacement in WORD_STEPS:
            words = (
                f"regexp_replace({words}, {_literal(pattern)},"
                f" {_literal(replacement)}, 'g')"
            )
        steps.append(f"try_strptime(trim({words}), {_list(formats.word_formats)})")
    return f"coalesce({', '.join(steps)})"


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
    if spec.kind in (Kind.DATE, Kind.TIMESTAMP):
        # An Excel day number is not guessed: it gets its own reason.
        serial = f"regexp_full_match({raw}, {_literal(EXCEL_SERIAL)})"
        checks = [
            (f"{raw} IS NOT NULL AND {value} IS NULL AND NOT {serial}", reason),
            (
                f"{raw} IS NOT NULL AND {value} IS NULL AND {serial}",
                "dates_excel_serial",
            ),
        ]
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
    date_formats: tuple[str, ...] | Mapping[str, ColumnDates],
    today: date,
    categories: dict[str, dict[str, str]] | None = None,
    positions: dict[str, int] | None = None,
) -> Plan:
    """Compile the SQL that parses a staged table with ``adapter``.

    ``decimals`` gives the decimal separator chosen per number field, ``date_formats``
    the formats chosen per date field (dates.choose_dates; or one list of formats for
    the date fields that declare none),
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
            column = columns[spec.target]
            fmt = _field_dates(spec, date_formats)
            decimal = decimals.get(spec.target, spec.decimal or ".")
            ref = f"r{index}" if spec.kind is Kind.TEXT else f"v{index}"
            raw, number, selected = _field_steps(spec, index, column, decimal, fmt)
            raws.append(raw)
            numbers.extend(number)
            select.extend(selected)
            refs[spec.target] = ref
            for condition, reason in problem_checks(spec, f"r{index}", ref, today):
                conditions.append(f"({condition})")
                problems.append(
                    f"SELECT _line, {columns[spec.target]} AS col, r{index} AS value,"
                    f" {_literal(reason)} AS reason FROM cells WHERE {condition}"
                )
            value = ref
            if spec.default is not None:  # an empty cell takes a missing column's value
                params[f"d_{spec.target}"] = spec.default
                value = f"coalesce({ref}, $d_{spec.target})"
            if spec.kind is Kind.CATEGORY:
                # A word known to say nothing of the category ('Entreprise': SME or
                # large?) is read, and stored as unknown (NULL), never as a default.
                value = (
                    f"CASE WHEN {ref} = {_literal(UNKNOWN_CATEGORY)} THEN NULL"
                    f" ELSE {value} END"
                )
            finals.append(f"{value} AS {spec.target}")
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
        _derive_key(adapter, refs, finals, derived_key)
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


def _field_dates(
    spec: FieldMap, date_formats: tuple[str, ...] | Mapping[str, ColumnDates]
) -> tuple[str, ...] | ColumnDates:
    if isinstance(date_formats, Mapping):
        return date_formats.get(spec.target) or spec.formats or ISO_FORMATS
    return spec.formats or date_formats


def _derive_key(
    adapter: Adapter, refs: dict[str, str], finals: list[str], whole: bool
) -> None:
    """Give ``finals`` the row's id derived from its key fields.

    ``whole``: the export has no id column (every row gets the derived id); else
    only the rows whose id cell is empty do.
    """
    target = str(adapter.key_target)
    parts = [
        f"{refs[f.target]}::VARCHAR"
        for f in adapter.fields
        if f.target in adapter.key and f.target in refs
    ]
    digest = f"substr(sha256(concat_ws('|', {', '.join(parts) or 'NULL'})), 1, 12)"
    derived = f"{_literal(adapter.key_prefix)} || {digest}"
    if OCCURRENCE in adapter.key:
        derived += _occurrence(digest)
    if whole:
        finals.append(f"{derived} AS {target}")
        return
    own = f"{refs[target]} AS {target}"
    finals[finals.index(own)] = f"coalesce({refs[target]}, {derived}) AS {target}"


def _occurrence(digest: str) -> str:
    """Return the SQL suffix '-2', '-3'… of a row whose key an earlier row shares."""
    rank = f"row_number() OVER (PARTITION BY {digest} ORDER BY _line)"
    return f" || CASE WHEN {rank} > 1 THEN '-' || {rank} ELSE '' END"


def _field_steps(
    spec: FieldMap,
    index: int,
    column: int,
    decimal: str,
    formats: tuple[str, ...] | ColumnDates,
) -> tuple[str, list[str], list[str]]:
    """Return one field's columns in the three nested selects: raw, numbers, cells.

    DuckDB substitutes column aliases as expressions: each step is materialised so
    that a cell is cleaned, and read as a number, once. The cells step holds the
    cleaned text r<index> and, unless the field is text, its value v<index>.
    """
    if spec.kind not in _READ_FIRST:
        raw = f"{raw_expr(column, spec)} AS r{index}"
        if spec.kind is Kind.TEXT:  # a text value is its cleaned cell: no copy
            return raw, [], []
        return (
            raw,
            [],
            [f"{parsed_expr(spec, f'r{index}', decimal, formats)} AS v{index}"],
        )
    # A cell that reads as a number, a date or a yes/no is no 'n/a': the test for
    # the empty words runs only on the cells left unread.
    cell, value = f"t{index}", f"v{index}"
    raw = f"nullif(trim(c{column}), '') AS {cell}"
    empty = empty_words(cell, spec)

    def cleaned(read: str) -> str:
        return f"CASE WHEN {read} IS NOT NULL THEN {cell} ELSE {empty} END AS r{index}"

    if spec.kind in _NUMBERS:
        read = f"n{index}"
        parsed = parsed_expr(spec, cell, decimal, formats, read)
        return (
            raw,
            [f"{number_expr(cell, decimal)} AS {read}"],
            [f"{parsed} AS {value}", cleaned(read)],
        )
    parsed = parsed_expr(spec, cell, decimal, formats)
    return raw, [f"{parsed} AS {value}"], [cleaned(value)]


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
