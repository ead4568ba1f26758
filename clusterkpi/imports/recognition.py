"""Recognising a table: every adapter scored on signature, fields found and value shapes."""

# A tool's export is never read as one of clusterkpi's templates: as soon as a
# source adapter finds two columns of its signature (and half of it) in a header,
# templates are out of the running, and a source missing columns is named with
# them rather than replaced by a template that happens to fit. Among the
# candidates left, the best score wins; the runner-up is shown when it came close.

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clusterkpi.imports.adapters import SOURCES
from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.fields import Adapter, Kind, normalize

_NUMBER = re.compile(
    r"^[\s(+-]*[\d\s\u00a0\u202f.,']*\d[\d\s\u00a0\u202f.,']*\s*%?\)?\s*[€$£]?"
    r"(?:\s*\(\d+(?:[.,]\d+)?%\))?$"
)
_EMPTY_WORDS = frozenset({"", "n/a", "na", "-", "—", "null", "none", "gratuit", "free"})
_DATE = re.compile(r"\d{1,4}\D{1,12}\d{1,4}|^\d{6,10}$")
_BOOLEAN = frozenset({"oui", "yes", "true", "vrai", "non", "no", "false", "faux",
                      "1", "0", "x", "y", "n", "o"})  # fmt: skip
_SAMPLE = 50
# A runner-up this close to the best score is shown to the animator. Under one
# signature column's worth (10): a tool's export found whole is never "close" to
# one that finds fewer of its columns.
CLOSE = 8.0


@dataclass(frozen=True)
class Match:
    """How well one adapter reads one table."""

    adapter: Adapter
    score: float
    complete: bool  # the whole signature found (a template: every required column)


def rank(
    header: Sequence[str],
    context: Sequence[str] = (),
    rows: Sequence[Sequence[str]] = (),
) -> list[Match]:
    """Return the adapters that could read the table, best first.

    Args:
        header: The table's header cells.
        context: Its preamble and title lines (GA4, Meta insights, Matomo reports).
        rows: A sample of its rows, to check the values' shapes.
    """
    found = [m for a in SOURCES if (m := _source_match(a, header, context, rows))]
    if not found:
        found = [m for a in TEMPLATES if (m := _template_match(a, header, rows))]
    # Equal scores keep the registry's order (Google Forms' lone column stays last).
    return sorted(found, key=lambda m: m.score, reverse=True)


def recognise(
    header: Sequence[str],
    context: Sequence[str] = (),
    rows: Sequence[Sequence[str]] = (),
) -> tuple[Adapter | None, Adapter | None]:
    """Return the best adapter for a table and the runner-up when it came close."""
    ranked = rank(header, context, rows)
    if not ranked:
        return None, None
    best = ranked[0]
    second = next(
        (m for m in ranked[1:] if m.adapter.dataset != best.adapter.dataset), None
    )
    close = second is not None and best.score - second.score <= CLOSE
    return best.adapter, second.adapter if close and second else None


def _source_match(
    adapter: Adapter,
    header: Sequence[str],
    context: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> Match | None:
    if adapter.matches(list(header), list(context)):
        # The longer the signature found, the more specific the reading; then the
        # values' shapes; then the registry's order (contacts before companies).
        specific = 10.0 * len(adapter.signature)
        shapes = 5.0 * _shapes(adapter, adapter.column_index(list(header)), rows)
        return Match(adapter, 100.0 + specific + shapes, True)
    if adapter.marks:
        return None  # a marked format (GA4, Meta insights) needs its marks: all or none
    entries = adapter.signature
    present = {normalize(h) for h in header}
    found = sum(
        any(normalize(a) in present for a in ((e,) if isinstance(e, str) else e))
        for e in entries
    )
    if found < 2 or 2 * found < len(entries):
        return None
    return Match(
        adapter, 50.0 * found / len(entries) + _fit(adapter, header, rows), False
    )


def _template_match(
    adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> Match | None:
    if adapter.matches(list(header)):
        return Match(adapter, 20.0 + _fit(adapter, header, rows), True)
    if adapter.score(list(header)) >= 2:  # close: named with the columns it lacks
        return Match(adapter, _fit(adapter, header, rows), False)
    return None


def _fit(
    adapter: Adapter, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> float:
    """Return up to 20 points: columns read, share of the header read, value shapes."""
    columns = adapter.column_index(list(header))
    filled = [h for h in header if h.strip()]
    cells = len(set(columns.values())) / len(filled) if filled else 0.0
    return (
        min(10.0, 2.0 * len(columns)) + 5 * cells + 5 * _shapes(adapter, columns, rows)
    )


def _shapes(
    adapter: Adapter, columns: dict[str, int], rows: Sequence[Sequence[str]]
) -> float:
    """Return the share of sampled values that look like their field's kind."""
    checks = []
    for spec in adapter.fields:
        if spec.target not in columns or spec.kind in (Kind.TEXT, Kind.CATEGORY):
            continue
        index = columns[spec.target]
        values = [
            row[index].strip()
            for row in rows[:_SAMPLE]
            if index < len(row) and row[index].strip().lower() not in _EMPTY_WORDS
        ]
        if values:
            checks.append(sum(_looks(spec.kind, v) for v in values) / len(values))
    return sum(checks) / len(checks) if checks else 1.0


def _looks(kind: Kind, value: str) -> bool:
    if kind in (Kind.INTEGER, Kind.NUMBER, Kind.RATE):
        return _NUMBER.match(value) is not None
    if kind in (Kind.DATE, Kind.TIMESTAMP):
        return _DATE.search(value) is not None
    if kind is Kind.BOOLEAN:
        return value.lower() in _BOOLEAN
    return True
