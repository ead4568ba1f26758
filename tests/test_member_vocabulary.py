"""The tariff vocabulary: its store functions, the CLI, the Membership page editor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi import accounts, sessions
from clusterkpi.catalog import Catalog
from clusterkpi.cli import main
from clusterkpi.member_vocabulary import (
    Term,
    VocabularyError,
    delete_term,
    list_terms,
    replace_terms,
    set_term,
    tariff_type,
)
from clusterkpi.roles import Role
from clusterkpi.store import Store
from clusterkpi.ui.auth import TOKEN_KEY
from tests.demo_db import ROOT, make_demo_db
from tests.import_helpers import app_env, every_table, kpi, load

# The defaults the migration seeds, as a reader of 0009_member_types.sql lists them.
SEEDED = {
    "Adhésion PME": "sme", "PME": "sme", "TPE": "sme", "PMI": "sme",
    "Petite entreprise": "sme", "Microentreprise": "sme", "Micro-entreprise": "sme",
    "Entreprise individuelle": "sme", "Grande entreprise": "large_company",
    "ETI": "large_company", "Grand groupe": "large_company", "Start-up": "startup",
    "Startup": "startup", "Jeune pousse": "startup", "Laboratoire": "research_lab",
    "Organisme de recherche": "research_lab", "Centre de recherche": "research_lab",
    "Université": "research_lab",
    "Laboratoire / Organisme de formation": "research_lab",
    "Organisme de formation": "training_centre",
    "Centre de formation": "training_centre", "École": "training_centre",
    "Collectivité": "public_body", "Établissement public": "public_body",
    "Organisme public": "public_body", "Association": "association",
    "Fédération": "association", "Financeur": "funder", "Banque": "funder",
    "Investisseur": "funder", "Personne physique": None, "Individuelle": None,
    "Individuel": None,
}  # fmt: skip


def test_the_migration_seeds_the_french_defaults(store: Store) -> None:
    assert {t.term: t.member_type for t in list_terms(store)} == SEEDED
    assert len(list_terms(store)) == len(SEEDED)


@pytest.mark.parametrize(
    ("tariff", "member_type"),
    [
        ("Adhésion PME", "sme"),
        ("ADHESION pme 2026", "sme"),
        ("Adhésion PME (10 à 249 salariés)", "sme"),
        ("Grande entreprise", "large_company"),
        ("Start-up", "startup"),
        ("Start up de moins de 3 ans", "startup"),
        ("Laboratoire / Organisme de formation", "research_lab"),
        ("Organisme de formation continue", "training_centre"),
        ("Personne physique", None),
        ("Adhésion individuelle", None),
        # Longest term wins: a sole trader is an SME, not a private person.
        ("Adhésion entreprise individuelle", "sme"),
        # Words, not letters: 'PMEF' is not 'PME', 'Etiquette' not 'ETI'.
        ("Adhésion PMEF", None),
        ("Etiquette", None),
        ("Adhésion bienfaiteur", None),
        ("", None),
    ],
)
def test_a_tariff_takes_the_type_of_its_longest_matching_term(
    store: Store, tariff: str, member_type: str | None
) -> None:
    assert tariff_type(store, tariff) == member_type


def test_set_replaces_the_term_with_the_same_words(store: Store) -> None:
    assert set_term(store, "  adhesion   pme ", "startup") == Term(
        "adhesion pme", "adhesion pme", "startup"
    )
    terms = {t.words: (t.term, t.member_type) for t in list_terms(store)}
    assert terms["adhesion pme"] == ("adhesion pme", "startup")
    assert len(terms) == len(SEEDED)
    assert tariff_type(store, "Adhésion PME") == "startup"


def test_delete_by_words_and_refusals_change_nothing(store: Store) -> None:
    assert delete_term(store, "GRANDE-entreprise") is True
    assert delete_term(store, "Grande entreprise") is False
    assert tariff_type(store, "Grande entreprise") is None
    before = every_table(store)
    with pytest.raises(VocabularyError, match="Unknown member type 'SME'") as info:
        set_term(store, "Adhérent", "SME")
    assert info.value.reason == "unknown_type"
    with pytest.raises(VocabularyError) as info:
        set_term(store, " / ", "sme")
    assert (info.value.reason, info.value.term) == ("no_words", "/")
    with pytest.raises(VocabularyError) as info:
        replace_terms(store, [("Bienfaiteur", "funder"), ("bienfaiteur!", None)])
    assert (info.value.reason, info.value.term) == ("repeated", "bienfaiteur!")
    assert every_table(store) == before


def test_replace_sets_the_whole_vocabulary(store: Store) -> None:
    saved = replace_terms(store, [("Bienfaiteur", "funder"), ("Membre", None)])
    assert saved == [
        Term("Bienfaiteur", "bienfaiteur", "funder"),
        Term("Membre", "membre", None),
    ]
    assert list_terms(store) == saved
    assert tariff_type(store, "Adhésion PME") is None


# ------------------------------------------------------------ CLI


def cli(db: Path, *args: str) -> int:
    return main(["--db", str(db), "vocabulary", *args])


def test_the_cli_sets_lists_and_deletes_terms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "v.duckdb"
    assert cli(db, "set", "Bienfaiteur", "funder") == 0
    assert cli(db, "set", "Membre d'honneur", "none") == 0
    assert cli(db, "delete", "pme") == 0
    capsys.readouterr()
    assert cli(db, "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    expected = {k: v for k, v in SEEDED.items() if k != "PME"}
    expected.update({"Bienfaiteur": "funder", "Membre d'honneur": None})
    assert {t["term"]: t["member_type"] for t in listed} == expected
    assert cli(db, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(expected)
    assert any(ln.split() == ["Bienfaiteur", "funder"] for ln in lines)
    assert any(ln.split() == ["Personne", "physique", "none"] for ln in lines)


def test_the_cli_refuses_an_unknown_term_or_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "v.duckdb"
    assert cli(db, "delete", "Bienfaiteur") == 1
    assert capsys.readouterr().err == (
        "error: no term has the words of 'Bienfaiteur'.\n"
    )
    with pytest.raises(SystemExit) as exit_info:
        cli(db, "set", "Bienfaiteur", "SME")
    assert exit_info.value.code == 2
    assert cli(db, "set", "--", "---", "sme") == 1
    assert capsys.readouterr().err.endswith(
        "error: The term '---' has no letter or digit to match.\n"
    )


# ------------------------------------------------------------ Membership page

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def demo_with_accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_demo_db(tmp_path_factory.mktemp("vocabulary") / "demo.duckdb")
    store = Store(path)
    for role in (Role.ADMIN, Role.ANIMATOR, Role.BOARD):  # the first must be an admin
        accounts.add_user(store, f"{role.value}1", role, PASSWORD, by="test")
    store.close()
    return path


@pytest.fixture
def env(demo_with_accounts: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(demo_with_accounts, monkeypatch)


def _page(db: Path, username: str, lang: str) -> AppTest:
    st.cache_resource.clear()
    store = Store(db)
    try:
        token = sessions.open_session(store, username, datetime.now())
    finally:
        store.close()
    at = AppTest.from_file(str(ROOT / "pages/membership.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.session_state[TOKEN_KEY] = token
    return at.run()


def _terms(db: Path) -> dict[str, str | None]:
    st.cache_resource.clear()
    store = Store(db)
    try:
        return {t.term: t.member_type for t in list_terms(store)}
    finally:
        store.close()


def test_an_animator_edits_the_vocabulary_on_the_membership_page(env: Path) -> None:
    at = _page(env, "animator1", "fr")
    assert list(at.exception) == []
    assert [e.label for e in at.expander][-1] == "Vocabulaire des tarifs"
    rows = sorted(SEEDED, key=lambda term: _words(term))
    at.session_state["member_vocabulary_editor"] = {
        "edited_rows": {rows.index("PME"): {"member_type": "Start-up"}},
        "added_rows": [{"term": "Bienfaiteur", "member_type": "Financeur"}],
        "deleted_rows": [rows.index("Individuel")],
    }
    [save] = [b for b in at.button if b.key == "member_vocabulary_save"]
    at = save.click().run()
    assert list(at.exception) == []
    assert [s.value for s in at.success] == [
        f"Vocabulaire enregistré : {len(SEEDED)} termes."
    ]
    expected = {k: v for k, v in SEEDED.items() if k != "Individuel"}
    expected.update({"PME": "startup", "Bienfaiteur": "funder"})
    assert _terms(env) == expected


def test_a_repeated_term_is_refused_in_english_and_nothing_changes(env: Path) -> None:
    before = _terms(env)
    at = _page(env, "admin1", "en")
    at.session_state["member_vocabulary_editor"] = {
        "edited_rows": {},
        "added_rows": [{"term": "**PME**", "member_type": "Large company"}],
        "deleted_rows": [],
    }
    [save] = [b for b in at.button if b.key == "member_vocabulary_save"]
    at = save.click().run()
    # The term is shown as typed: its Markdown is escaped, never rendered as bold.
    assert [e.value for e in at.error] == [
        "Vocabulary not saved: the term “\\*\\*PME\\*\\*” is given twice (same"
        " words, whatever the case, accents or punctuation)."
    ]
    assert _terms(env) == before


def test_a_board_member_reads_the_vocabulary_without_a_save_button(env: Path) -> None:
    at = _page(env, "board1", "en")
    assert list(at.exception) == []
    assert [b.key for b in at.button if b.key == "member_vocabulary_save"] == []
    assert "Only animators and admins may edit the vocabulary." in [
        c.value for c in at.caption
    ]


def _words(term: str) -> str:
    # The migration's normalisation, by hand: no accents, lower case, words only.
    plain = term.lower()
    for accented, letter in (("é", "e"), ("è", "e"), ("É".lower(), "e")):
        plain = plain.replace(accented, letter)
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def test_the_page_says_how_many_members_of_unknown_type_and_country_are_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = make_demo_db(tmp_path / "unknown.duckdb")
    store = Store(db)
    # Three members who joined long ago and never left lose their type; two of them
    # their country too: they are members on any recent day.
    chosen = [
        r[0]
        for r in store.rows(
            "SELECT member_id FROM members WHERE left_on IS NULL"
            " AND joined_on < DATE '2015-01-01' ORDER BY member_id LIMIT 3"
        )
    ]
    assert len(chosen) == 3
    store.execute(
        "UPDATE members SET member_type = NULL WHERE list_contains($ids, member_id)",
        {"ids": chosen},
    )
    store.execute(
        "UPDATE members SET country = NULL WHERE list_contains($ids, member_id)",
        {"ids": chosen[:2]},
    )
    store.close()
    for _ in app_env(db, monkeypatch):
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "pages/membership.py"), default_timeout=90)
        at.query_params["lang"] = "fr"
        at = at.run()
        assert list(at.exception) == []
        captions = [c.value for c in at.caption]
        # The three members the test made of unknown type, said beside the SME share.
        assert [c for c in captions if "Type inconnu" in c][0].endswith(
            " adhérents de type connu. Type inconnu : 3, hors de la base."
        )
        assert "2 membres de pays inconnu non comptés" in captions


def test_a_roster_type_that_says_only_company_is_of_unknown_type(
    store: Store, catalog: Catalog
) -> None:
    raw = (
        "Raison sociale;Type de structure;Pays;Région;Date d'adhésion\n"
        "Alpha;Entreprise;France;Occitanie;15/01/2024\n"
        "Beta;PME;France;Occitanie;16/01/2024\n"
    )
    report = load(store, "templates/adherents.csv", raw.encode())
    assert report.status == "loaded"
    assert store.rows("SELECT name, member_type FROM members ORDER BY name") == [
        ("Alpha", None),
        ("Beta", "sme"),
    ]
    # The SME share is over the members of known type: Beta alone.
    assert kpi(store, catalog, "sme_share", "2024Q1") == 1.0
