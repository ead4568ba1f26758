"""Declarative source adapters: how an export's columns map onto a canonical table."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

# The value of a category word that is known to say nothing of the category (a type
# 'Entreprise' is no SME and no large company): stored as unknown (NULL).
UNKNOWN_CATEGORY = "~unknown"


# Last in an adapter's ``key``: rows with the same key values are told apart by their
# order in the file (two survey answers in the same second), so that the ids stay
# the same when the file, or a later download with more rows, is imported again.
OCCURRENCE = "#"


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
    PERIOD = "period"  # a day, week, month, year or range: see imports/period_cells.py


@dataclass(frozen=True)
class FieldMap:
    """One canonical column, the export columns it may come from, and how to read it.

    ``columns`` lists header names in French and English; they match whatever the
    case, accents, punctuation and surrounding spaces. ``contains`` lists words for
    free-text headers (survey questions): when no alias matches, the field takes the
    first column not read by another field whose header has a word starting with one
    of them. ``formats`` gives the source's known date formats (strptime), tried in
    order; ISO dates are always accepted.
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
    contains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Adapter:
    """A source format: how to recognise it and how to turn its rows into a dataset.

    ``signature`` lists header names that must all be present for the adapter to
    recognise a table (an entry may be a tuple of alternatives, e.g. French and
    English). ``key`` names the fields whose values identify a row when the export
    has no id column (a stable hash of them becomes the id). ``sql_filter``
    keeps rows (e.g. only validated orders), ``post`` is a SQL template aggregating
    the parsed rows (``{parsed}`` is replaced by the relation name).

    ``dataset`` None means "recognised, nothing to load" (LinkedIn's demographic
    sheets); ``refusal`` then names the problem to report instead (Matomo's 'No data
    available'). ``marks`` are starts of preamble or title lines (GA4's '# Start
    date:', Meta's metric titles), one of which the table must have besides its
    signature. ``extra`` reads values from the table (its title, its preamble) that
    become the defaults of fields: see ``with_defaults``.
    """

    name: str
    label: str
    dataset: str | None
    fields: tuple[FieldMap, ...]
    signature: tuple[str | tuple[str, ...], ...]
    key: tuple[str, ...] = ()
    key_target: str | None = None
    key_prefix: str = ""
    row_filter: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    post: str | None = None
    needs_event: bool = False
    date_order_from_file: bool = False
    extra: Callable[..., dict[str, str]] | None = None
    marks: tuple[str, ...] = ()
    refusal: str | None = None
    # Checks across fields of one row: (field whose cell is blamed, its partner field
    # that must not be later): e.g. ('left_on', 'joined_on') refuses an end before a start.
    not_before: tuple[tuple[str, str], ...] = ()
    # The field holding the tool's own id of a row (a post, a campaign, a mention):
    # rows sharing it are settled by imports.repeats (damaged ids are detected).
    row_id: str | None = None
    # Fields without which a row is left out on purpose, not refused (a CRM contact
    # without an e-mail address is no mailing contact): the report counts them.
    skip_without: tuple[str, ...] = ()

    def display_label(self, lang: str) -> str:
        """Return the label in one language ('Source — français / English' labels)."""
        if " / " not in self.label:
            return self.label
        french, english = self.label.split(" / ", 1)
        if lang != "en":
            return french
        if " — " in french and " — " not in english:
            return f"{french.split(' — ')[0]} — {english}"
        return english

    def loaded_dataset(self) -> str:
        """Return the dataset this adapter loads; raise ValueError if it loads none.

        Only adapters with a dataset reach the loading steps: the importer reports
        the others (refusal, nothing to load) before.
        """
        if self.dataset is None:
            raise ValueError(f"{self.name} loads no dataset")
        return self.dataset

    def matches(
        self, header: list[str] | tuple[str, ...], context: Sequence[str] | None = None
    ) -> bool:
        """Tell whether a table with this header is this adapter's format.

        A source format needs its whole signature; a template (no signature) needs a
        column for every required field, and at least two columns. An adapter with
        ``marks`` also needs one line of ``context`` (the table's preamble and title)
        to start with a mark; without context (looking for a header row) its
        signature alone decides.
        """
        if self.marks:
            if context is None:
                return bool(self.signature) and self._has_signature(header)
            lines = [normalize(line) for line in context]
            marked = any(
                ln == m or ln.startswith(m + " ")
                for ln in lines
                for m in map(normalize, self.marks)
            )
            return marked and self._has_signature(header)
        if self.signature:
            return self._has_signature(header)
        found = self.column_index(header)
        return len(found) >= 2 and all(
            f.target in found for f in self.fields if f.required
        )

    def _has_signature(self, header: list[str] | tuple[str, ...]) -> bool:
        present = {normalize(h) for h in header}
        return all(
            any(normalize(a) in present for a in _alternatives(s))
            for s in self.signature
        )

    def with_defaults(self, values: dict[str, str]) -> Adapter:
        """Return the adapter whose fields named in ``values`` default to those values."""
        return replace(
            self,
            fields=tuple(
                replace(f, default=values[f.target]) if f.target in values else f
                for f in self.fields
            ),
        )

    def score(self, header: list[str] | tuple[str, ...]) -> int:
        """Return how many of the header's columns this adapter reads."""
        return len(self.column_index(header))

    def column_index(self, header: Sequence[str]) -> dict[str, int]:
        """Map each field to the position of its column in ``header`` (absent: left out)."""
        positions = {}
        normalized = [normalize(h) for h in header]
        for spec in self.fields:
            for alias in spec.columns:
                wanted = normalize(alias)
                if wanted in normalized:
                    positions[spec.target] = normalized.index(wanted)
                    break
        for spec in self.fields:
            if spec.target not in positions and spec.contains:
                found = _mentioning(normalized, spec.contains, set(positions.values()))
                if found is not None:
                    positions[spec.target] = found
        return positions


def _mentioning(
    headers: list[str], words: tuple[str, ...], taken: set[int]
) -> int | None:
    # A word matches at the start of a header word: 'recommand' finds 'recommanderiez'.
    starts = [" " + normalize(w) for w in words]
    for i, name in enumerate(headers):
        if i not in taken and any(w in " " + name for w in starts):
            return i
    return None


def _alternatives(entry: str | tuple[str, ...]) -> tuple[str, ...]:
    return (entry,) if isinstance(entry, str) else entry


_NON_WORD = re.compile(r"[^a-z0-9%#]+")


@functools.lru_cache(maxsize=16384)  # the same headers are matched by every adapter
def normalize(text: str) -> str:
    """Normalise a header or category for matching: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip()


def category_values(spec: FieldMap) -> list[str]:
    """Return the canonical values a category field takes, sorted (never the unknown)."""
    return sorted(set(spec.categories.values()) - {UNKNOWN_CATEGORY})
