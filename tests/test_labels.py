"""Stored codes shown in words: authors, event types, import states, audit details."""

from __future__ import annotations

from datetime import datetime

import pytest

from clusterkpi.audit import AuditAction
from clusterkpi.i18n import strings
from clusterkpi.imports.adapters.vocabulary import EVENT_KIND_CODES
from clusterkpi.labels import (
    MACHINE_AUTHORS,
    audit_detail,
    audit_target,
    author_label,
    category_label,
    event_kind_label,
    import_state,
    yes_no,
)


@pytest.mark.parametrize(
    ("name", "fr", "en"),
    [
        ("system", "Système", "System"),
        ("local", "Mode ouvert (sans compte)", "Open mode (no account)"),
        ("cli", "Ligne de commande", "Command line"),
        ("demo", "Données de démonstration", "Demo data"),
        ("alice", "alice", "alice"),
        (None, "—", "—"),
    ],
)
def test_authors_are_words_for_the_application_and_names_for_people(
    name: str | None, fr: str, en: str
) -> None:
    assert (author_label(name, "fr"), author_label(name, "en")) == (fr, en)


def test_every_machine_author_has_words_in_both_languages() -> None:
    for lang in ("fr", "en"):
        assert all(f"labels.author.{n}" in strings(lang) for n in MACHINE_AUTHORS)


def test_every_event_kind_has_a_label_in_both_languages() -> None:
    assert [event_kind_label(k, "fr") for k in EVENT_KIND_CODES] == [
        "Atelier",
        "Webinaire",
        "Conférence",
        "Rencontre réseau",
        "Formation",
        "Rendez-vous d'affaires",
        "Salon",
        "Assemblée générale",
    ]
    assert [event_kind_label(k, "en") for k in EVENT_KIND_CODES] == [
        "Workshop",
        "Webinar",
        "Conference",
        "Networking",
        "Training",
        "B2B meeting",
        "Trade show",
        "General assembly",
    ]


def test_yes_no_and_unknown() -> None:
    assert [yes_no(v, "fr") for v in (True, False, None)] == ["oui", "non", "—"]
    assert [yes_no(v, "en") for v in (True, False, None)] == ["yes", "no", "—"]


def test_import_states_in_words() -> None:
    undone = datetime(2026, 11, 26, 14, 30)
    assert import_state("loaded", "fr", "fr_FR") == "chargé"
    assert import_state("undone", "fr", "fr_FR", undone) == (
        "annulé le 26 nov. 2026 14:30"
    )
    assert import_state("undone", "en", "en_GB", undone) == (
        "undone on 26 Nov 2026 14:30"
    )
    assert import_state("undone", "en", "en_GB") == "undone on —"
    assert import_state("something_new", "en", "en_GB") == "unknown state"


def test_the_strategy_target_is_named_and_other_targets_kept() -> None:
    assert audit_target("strategy.saved", "strategy", "fr") == "Stratégie et cibles"
    assert audit_target("import.loaded", "strategy", "fr") == "strategy"
    assert audit_target("snapshot.created", "2026Q3", "en") == "2026Q3"


DETAILS = [
    ("login.ok", None, "", ""),
    ("login.ok", {"via": "sso"}, "Par authentification unique (SSO).",
     "Through single sign-on (SSO)."),
    ("login.failed", {"failures": 1}, "1 échec de connexion.", "1 failed sign-in."),
    ("login.failed", {"failures": 3}, "3 échecs de connexion de suite.",
     "3 failed sign-ins in a row."),
    ("login.locked", {"failures": 5, "locked_until": "2026-11-26 09:15:00"},
     "5 échecs de connexion de suite. Nom bloqué jusqu'au 26 nov. 2026 09:15.",
     "5 failed sign-ins in a row. Name locked until 26 Nov 2026 09:15."),
    ("user.added", {"role": "animator", "sso_only": False}, "Rôle : Animateur.",
     "Role: Animator."),
    ("user.added", {"role": "board", "sso_only": True},
     "Rôle : Membre du conseil. Connexion par authentification unique seulement.",
     "Role: Board member. Signs in through single sign-on only."),
    ("user.removed", {"role": "admin"}, "Rôle : Administrateur.", "Role: Administrator."),
    ("user.role_changed", {"old": "board", "new": "admin"},
     "De Membre du conseil à Administrateur.", "From Board member to Administrator."),
    ("user.password_changed", None, "", ""),
    ("user.disabled", None, "", ""),
    ("user.enabled", None, "", ""),
    ("import.loaded", {"import_id": 5, "source": "brevo_contacts, demo",
                       "rows_added": 1200, "rows_updated": 0, "rows_rejected": 1},
     "Import n° 5 (brevo_contacts, demo) — lignes ajoutées : 1\u202f200, mises à jour"
     " : 0, refusées : 1.",
     "Import no. 5 (brevo_contacts, demo) — rows added: 1,200, updated: 0,"
     " rejected: 1."),
    ("import.undone", {"import_id": 5, "rows_removed": 12},
     "Import n° 5 — lignes retirées : 12.", "Import no. 5 — rows removed: 12."),
    ("strategy.saved", {"changes": 221}, "221 modifications.", "221 changes."),
    ("strategy.saved", {"changes": 1}, "1 modification.", "1 change."),
    ("snapshot.created", {"snapshot_id": 3, "kpis": 30}, "30 indicateurs figés.",
     "30 KPIs frozen."),
    ("snapshot.approved", {"comment": "Vu en CA"}, "Commentaire : « Vu en CA »",
     "Comment: “Vu en CA”"),
    ("snapshot.approved", None, "", ""),
    ("snapshot.changes_requested", {"comment": "Revoir"}, "Commentaire : « Revoir »",
     "Comment: “Revoir”"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "detail", "fr", "en"), DETAILS)
def test_audit_details_are_sentences_in_the_language(
    action: str, detail: dict | None, fr: str, en: str
) -> None:
    assert audit_detail(action, detail, "fr", "fr_FR") == fr
    assert audit_detail(action, detail, "en", "en_GB") == en


def test_audit_detail_names_sources_with_the_given_labels() -> None:
    detail = {"import_id": 2, "source": "a, b", "rows_added": 0}
    text = audit_detail("import.loaded", detail, "en", "en_GB", str.upper)
    assert text == "Import no. 2 (A, B) — rows added: 0, updated: 0, rejected: 0."


def test_every_audited_action_has_a_detail_rule() -> None:
    covered = {action for action, *_ in DETAILS}
    assert covered == {a.value for a in AuditAction}


@pytest.mark.parametrize(
    ("code", "lang", "expected"),
    [
        ("workshop", "fr", "Atelier"),
        ("sme", "en", "SME"),
        ("large_company", "fr", "Grande entreprise"),
        ("linkedin", "fr", "LinkedIn"),
        ("checked_in", "fr", "Présent (enregistré)"),
        ("target_company", "en", "Target company"),
        ("ES", "fr", "Espagne"),
        ("DE", "en", "Germany"),
        ("zz_new", "fr", "zz_new"),
    ],
)
def test_category_values_are_named_in_the_language(
    code: str, lang: str, expected: str
) -> None:
    assert category_label(code, lang) == expected
