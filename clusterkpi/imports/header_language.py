"""The language a header is written in, to name missing columns the way the file would."""

from __future__ import annotations

import re
from collections.abc import Sequence

from clusterkpi.imports.fields import normalize

# Words and letters that only French headers carry among the tools' exports
# (HelloAsso, HubSpot FR, Google Forms FR, clusterkpi's French templates).
_FRENCH_WORDS = frozenset(
    "de du des la le les l d nom prenom titre horodateur ville pays societe adresse"
    " courriel numero montant tarif evenement statut adherent adhesion entreprise"
    " structure secteur filiere fin debut organisme categorie tonalite commande"
    " partenaire partenariat projet support".split()
)
_ENGLISH_WORDS = frozenset(
    "the of name first last title city country company address email number amount"
    " event status member membership sector end start organisation organization"
    " category tone order partner partnership project material time".split()
)
_ACCENTED = re.compile(r"[éèêëàâçôûùîï]", re.IGNORECASE)


def word_language(text: str) -> str | None:
    """Return 'fr' or 'en' when a header cell's words tell its language, else None."""
    if _ACCENTED.search(text):
        return "fr"
    words = set(normalize(text).split())
    french, english = len(words & _FRENCH_WORDS), len(words & _ENGLISH_WORDS)
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return None


def header_language(header: Sequence[str], fallback: str) -> str:
    """Return the language most of the header's cells are written in ('fr' or 'en')."""
    votes = [word_language(cell) for cell in header]
    french, english = votes.count("fr"), votes.count("en")
    if french == english:
        return fallback
    return "fr" if french > english else "en"


def alias_in(aliases: Sequence[str], lang: str) -> str:
    """Return the first alias not written in another language than ``lang``."""
    for alias in aliases:
        if word_language(alias) in (lang, None):
            return alias
    return aliases[0]
