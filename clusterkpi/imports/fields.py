"""Declarative source adapters: how an export's columns map onto a canonical table."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a cell's text is read."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    RATE = "rate"  # a fraction; '27.78%' → 0.2778, '0.98' stays 0.98
    DATE = "date"
    TIMESTAMP = "timestamp"
    BOOLEAN = "boolean"
    CATEGORY = "category"


@dataclass(frozen=True)
class FieldMap:
    """One canonical column, the export columns it may come from, and how to read it.

    ``columns`` lists header names in French and English; they match whatever the
    case, accents, punctuation and surrounding spaces. ``formats`` gives the source's
    known date formats (strptime), tried in order; ISO dates are always accepted.
    """

    target: str
    columns: tuple[str, ...] = ()
    kind: Kind = Kind.TEXT
    required: bool = False
    formats: tuple[str, ...] = ()
    categories: dict[str, str] = field(default_factory=dict)
    default: str | int | float | bool | None = None
    minimum: float | None = None
    maximum: float | None = None
    decimal: str | None = None  # ',' or '.'; None: decided per file from the values
    pattern: str | None = None  # a text field's values must match it whole
    empty_values: tuple[str, ...] = ("n/a", "na", "-", "—", "null", "none")


@dataclass(frozen=True)
class Adapter:
    """A source format: how to recognise it and how to turn its rows into a dataset.

    ``signature`` lists header names that must all be present for the adapter to
    recognise a table. ``key`` names the fields whose values identify a row when
    the export has no id column (a stable hash of them becomes the id). ``sql_filter``
    keeps rows (e.g. only validated orders), ``post`` is a SQL template aggregating
    the parsed rows (``{parsed}`` is replaced by the relation name).
    """

    name: str
    label: str
    dataset: str
    fields: tuple[FieldMap, ...]
    signature: tuple[str, ...]
    key: tuple[str, ...] = ()
    key_target: str | None = None
    key_prefix: str = ""
    row_filter: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    post: str | None = None
    needs_event: bool = False
    date_order_from_file: bool = False
    extra: Callable[..., dict[str, str]] | None = None

    def matches(self, header: list[str] | tuple[str, ...]) -> bool:
        """Tell whether a table with this header is this adapter's format.

        A source format needs its whole signature; a template (no signature) needs a
        column for every required field.
        """
        if self.signature:
            present = {normalize(h) for h in header}
            return all(normalize(s) in present for s in self.signature)
        found = self.column_index(header)
        return all(f.target in found for f in self.fields if f.required)

    def score(self, header: list[str] | tuple[str, ...]) -> int:
        """Return how many of the header's columns this adapter reads."""
        return len(self.column_index(header))

    def column_index(self, header: list[str] | tuple[str, ...]) -> dict[str, int]:
        """Map each field to the position of its column in ``header`` (absent: left out)."""
        positions = {}
        normalized = [normalize(h) for h in header]
        for spec in self.fields:
            for alias in spec.columns:
                wanted = normalize(alias)
                if wanted in normalized:
                    positions[spec.target] = normalized.index(wanted)
                    break
        return positions


_NON_WORD = re.compile(r"[^a-z0-9%#]+")


def normalize(text: str) -> str:
    """Normalise a header or category for matching: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip()
