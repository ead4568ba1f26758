"""The animator's vocabulary: tariff names (HelloAsso's 'Tarif') mapped to member types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clusterkpi.errors import ClusterKpiError
from clusterkpi.membership import MEMBER_TYPES
from clusterkpi.store import Cursor, Store, single_row

# How terms and tariff names are compared: lower case, no accents, every run of
# punctuation or spaces turned into one space. The import's SQL and this module use
# the same expression, so that a term matches exactly what its words say.
WORDS_SQL = "trim(regexp_replace(strip_accents(lower({})), '[^a-z0-9%#]+', ' ', 'g'))"

# The type of a tariff (a SQL expression over ``{}``): the type of the longest term whose
# words the tariff's words contain, on word boundaries ('pme' is in 'adhesion pme',
# not in 'pmef'). NULL when no term matches or the term maps to no type.
TARIFF_TYPE_SQL = (
    "(SELECT v.member_type FROM member_type_terms AS v"
    f" WHERE contains(' ' || {WORDS_SQL} || ' ', ' ' || v.words || ' ')"
    " ORDER BY length(v.words) DESC, v.words LIMIT 1)"
)


class VocabularyError(ClusterKpiError):
    """A term or type the vocabulary cannot take.

    ``reason`` ('unknown_type', 'no_words', 'repeated') and ``term`` let a page say
    it in the user's language; the message says it in English (the CLI's).
    """

    def __init__(self, reason: str, term: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.term = term


@dataclass(frozen=True)
class Term:
    """One entry: the term as typed, its normalised words, its type (None: no type)."""

    term: str
    words: str
    member_type: str | None


def list_terms(store: Store) -> list[Term]:
    """Return every term, by its words."""
    rows = store.rows(
        "SELECT term, words, member_type FROM member_type_terms ORDER BY words"
    )
    return [Term(*row) for row in rows]


def set_term(store: Store, term: str, member_type: str | None) -> Term:
    """Add a term or change its type; a term with the same words is replaced."""
    with store.transaction() as cur:
        return _upsert(cur, term, member_type)


def delete_term(store: Store, term: str) -> bool:
    """Delete the term with the same words as ``term``; tell whether there was one."""
    with store.transaction() as cur:
        found = cur.execute(
            f"DELETE FROM member_type_terms WHERE words = {WORDS_SQL.format('$term')}"
            " RETURNING words",
            {"term": term},
        ).fetchall()
    return bool(found)


def replace_terms(
    store: Store, entries: Sequence[tuple[str, str | None]]
) -> list[Term]:
    """Replace the whole vocabulary by ``entries`` (term, type), all or nothing.

    Two entries whose words are the same are refused: which type wins would be a guess.
    """
    with store.transaction() as cur:
        cur.execute("DELETE FROM member_type_terms")
        saved = [
            _upsert(cur, term, member_type, replace=False)
            for term, member_type in entries
        ]
    return sorted(saved, key=lambda t: t.words)


def tariff_type(store: Store, tariff: str) -> str | None:
    """Return the member type the vocabulary gives a tariff name (None: unknown)."""
    member_type: str | None = store.scalar(
        f"SELECT {TARIFF_TYPE_SQL.format('$tariff')}", {"tariff": tariff}
    )
    return member_type


def _upsert(
    cur: Cursor, term: str, member_type: str | None, *, replace: bool = True
) -> Term:
    text = " ".join(str(term or "").split())
    if member_type is not None and member_type not in MEMBER_TYPES:
        raise VocabularyError(
            "unknown_type",
            text,
            f"Unknown member type {member_type!r} for {text!r}:"
            f" use one of {', '.join(MEMBER_TYPES)}, or none.",
        )
    [(words,)] = cur.execute(
        f"SELECT {WORDS_SQL.format('$term')}", {"term": text}
    ).fetchall()
    if not words:
        raise VocabularyError(
            "no_words", text, f"The term {text!r} has no letter or digit to match."
        )
    if (
        not replace
        and single_row(
            cur,
            "SELECT count(*) FROM member_type_terms WHERE words = $words",
            {"words": words},
        )[0]
    ):
        raise VocabularyError(
            "repeated", text, f"The term {text!r} is given twice (same words)."
        )
    cur.execute(
        "INSERT OR REPLACE INTO member_type_terms (words, term, member_type, changed_at)"
        " VALUES ($words, $term, $type, current_timestamp)",
        {"words": words, "term": text, "type": member_type},
    )
    return Term(text, words, member_type)
