"""Column mappings reach every dataset: targets, typed values, names, migration 0011."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from clusterkpi.imports.adapters.targets import (
    TARGET_SOURCES,
    TARGETS,
    TYPED_VALUES,
    pickable_fields,
)
from clusterkpi.imports.loading import KEYS
from clusterkpi.imports.mapping import (
    ColumnMapping,
    MappingNameTaken,
    delete_named,
    find_mapping,
    header_signature,
    list_mappings,
    mapping_issues,
    save_mapping,
)
from clusterkpi.store import Store, migrations
from tests.demo_db import ROOT
from tests.import_helpers import DATA, app_env, load, snapshot

MAPPING = DATA / "mapping"

WEB = ColumnMapping(
    dataset="web_traffic",
    columns={
        "day": "Giorno",
        "sessions": "Sessioni",
        "engaged_sessions": "Sessioni con engagement",
        "users": "Utenti attivi",
        "pageviews": "Visualizzazioni",
    },
    label="GA4 italiano",
)
CAMPAIGNS = ColumnMapping(
    dataset="email_campaigns",
    columns={
        "title": "Nom de la campagne",
        "sent_at": "Date d'envoi",
        "audience": "Liste",
        "recipients": "Envoyés",
        "delivered": "Délivrés",
        "unique_opens": "Ouvreurs uniques",
        "unique_clicks": "Cliqueurs uniques",
        "unsubscribes": "Désinscrits",
        "bounces": "Erreurs",
    },
    date_order="dmy",
    label="Campagnes",
)
SOCIAL = ColumnMapping(
    dataset="social_daily",
    columns={
        "day": "Tag",
        "impressions": "Reichweite",
        "engagements": "Interaktionen",
        "new_followers": "Neue Follower",
    },
    values={"network": "linkedin"},
    date_order="mdy",
    label="Seite",
)
SURVEY = ColumnMapping(
    dataset="survey_responses",
    columns={
        "submitted_on": "Horodatage",
        "respondent": "Adresse e-mail",
        "nps_score": "Sur une échelle de 0 à 10, recommanderiez-vous le cluster ?",
    },
    values={"survey": "Baromètre 2026", "respondent_kind": "member"},
    date_order="dmy",
    label="Avis",
)


def rows_of(name: str, delimiter: str = ",") -> list[dict[str, str]]:
    text = (MAPPING / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def number(cell: str) -> int | None:
    """A count as the file writes it ('1 200'); an empty cell is no data."""
    return int(cell.replace(" ", "")) if cell.strip() else None


def short_hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def not_null_columns(store: Store, table: str) -> set[str]:
    return {
        name
        for (name,) in store.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
            " AND is_nullable = 'NO' AND column_default IS NULL"
            " AND column_name <> 'import_id'",
            [table],
        )
    }


def table_columns(store: Store, table: str) -> set[str]:
    return {
        name
        for (name,) in store.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
            " AND column_name <> 'import_id'",
            [table],
        )
    }


# Targets


def test_every_dataset_an_import_may_write_has_a_mapping_target() -> None:
    assert set(TARGETS) == set(KEYS)
    assert {t.dataset for t in TARGET_SOURCES} == {
        "email_campaigns",
        "web_traffic",
        "social_daily",
        "survey_responses",
        "contacts",
        "organisations",
    }


def test_a_typed_value_is_only_for_text_and_category_fields_of_the_target() -> None:
    kinds = {
        (dataset, f.target): f.kind.value
        for dataset, target in TARGETS.items()
        for f in target.fields
    }
    assert {
        (dataset, name): kinds.get((dataset, name))
        for dataset, names in TYPED_VALUES.items()
        for name in names
    } == {
        (dataset, name): kinds[(dataset, name)]
        for dataset, names in TYPED_VALUES.items()
        for name in names
        if kinds.get((dataset, name)) in ("text", "category")
    }


# Columns a target derives rather than reads: the id from a hash of other fields, the
# contact's key from its address, a period's exclusive end from its last day.
DERIVED = {
    "email_campaigns": {"campaign_id": None},
    "web_traffic": {"day_end": None},
    "social_daily": {"day_end": None},
    "survey_responses": {"response_id": None},
    "contacts": {"contact_key": "email"},
    "organisations": {"organisation_id": None},
}


@pytest.mark.parametrize("target", TARGET_SOURCES, ids=lambda t: t.dataset)
def test_a_field_is_required_exactly_where_the_table_requires_a_value(
    store: Store, target: Any
) -> None:
    derived = DERIVED[target.dataset]
    expected = {derived.get(c, c) for c in not_null_columns(store, target.dataset)} - {
        None
    }
    required = {
        f.target for f in pickable_fields(target) if f.required and f.default is None
    }
    assert required == expected


@pytest.mark.parametrize("target", TARGET_SOURCES, ids=lambda t: t.dataset)
def test_every_column_of_the_table_is_a_field_or_derived(
    store: Store, target: Any
) -> None:
    fields = {f.target for f in target.fields}
    computed = {"day_end", "contact_key"}  # by the target's post SQL
    assert table_columns(store, target.dataset) - fields == (
        computed & set(DERIVED[target.dataset])
    )


def test_a_refused_italian_web_export_loads_with_a_mapping_and_keeps_no_data(
    store: Store,
) -> None:
    assert load(store, "mapping/web_giorni.csv", dry_run=True).status == "unrecognised"
    report = load(store, "mapping/web_giorni.csv", mapping=WEB)
    assert report.status == "loaded"
    expected = sorted(
        (
            date.fromisoformat(r["Giorno"]),
            date.fromisoformat(r["Giorno"]).toordinal() + 1,
            "main",
            number(r["Sessioni"]),
            number(r["Sessioni con engagement"]),
            number(r["Utenti attivi"]),
            number(r["Visualizzazioni"]),
        )
        for r in rows_of("web_giorni.csv")
    )
    stored = store.rows(
        "SELECT day, day_end, site, sessions, engaged_sessions, users, pageviews"
        " FROM web_traffic ORDER BY day"
    )
    assert [(d, e.toordinal(), *rest) for d, e, *rest in stored] == expected
    # An empty cell stays "no data": never 0.
    assert [r[4] for r in stored].count(None) == 1
    # The same rows again (another file: a blank line more) change nothing.
    raw = (MAPPING / "web_giorni.csv").read_bytes() + b"\n"
    again = load(store, "mapping/web_giorni.csv", raw, mapping=WEB)
    assert [t.counts.unchanged for t in again.tables] == [3]


def test_campaigns_get_an_id_from_their_title_and_send_time(store: Store) -> None:
    report = load(store, "mapping/campagnes.csv", mapping=CAMPAIGNS)
    assert report.status == "loaded"
    expected = []
    for r in rows_of("campagnes.csv", ";"):
        sent = datetime.strptime(r["Date d'envoi"], "%d/%m/%Y %H:%M")
        expected.append(
            (
                "EC-" + short_hash(r["Nom de la campagne"], str(sent)),
                r["Nom de la campagne"],
                r["Liste"],
                sent,
                *(
                    number(r[c])
                    for c in ("Envoyés", "Délivrés", "Ouvreurs uniques",
                              "Cliqueurs uniques", "Désinscrits", "Erreurs")
                ),
            )
        )  # fmt: skip
    assert store.rows(
        "SELECT campaign_id, title, audience, sent_at, recipients, delivered,"
        " unique_opens, unique_clicks, unsubscribes, bounces FROM email_campaigns"
        " ORDER BY sent_at"
    ) == sorted(expected, key=lambda row: row[3])


def test_a_page_export_without_a_network_column_takes_the_typed_network(
    store: Store,
) -> None:
    report = load(store, "mapping/page_stats.csv", mapping=SOCIAL)
    assert report.status == "loaded"
    expected = [
        (
            datetime.strptime(r["Tag"], "%m/%d/%Y").date(),
            "linkedin",
            None,  # followers: the file does not give them
            number(r["Neue Follower"]),
            number(r["Reichweite"]),
            number(r["Interaktionen"]),
            None,  # posts
            None,  # day_end: a single day
        )
        for r in rows_of("page_stats.csv")
    ]
    assert (
        store.rows(
            "SELECT day, network, followers, new_followers, impressions, engagements,"
            " posts, day_end FROM social_daily ORDER BY day"
        )
        == expected
    )


def test_two_answers_of_one_day_keep_two_ids(store: Store) -> None:
    report = load(store, "mapping/avis.csv", mapping=SURVEY)
    assert report.status == "loaded"
    question = SURVEY.columns["nps_score"]
    expected = sorted(
        (
            "SR-"
            # The answer's time as written, the respondent (when given), the score.
            + short_hash(
                r["Horodatage"],
                *([r["Adresse e-mail"]] if r["Adresse e-mail"] else []),
                r[question],
            ),
            "Baromètre 2026",
            datetime.strptime(r["Horodatage"], "%d/%m/%Y %H:%M:%S").date(),
            "member",
            None,
            int(r[question]),
            None,
        )
        for r in rows_of("avis.csv", ";")
    )
    assert (
        store.rows(
            "SELECT response_id, survey, submitted_on, respondent_kind, member_id,"
            " nps_score, vision_agreement FROM survey_responses ORDER BY response_id"
        )
        == expected
    )


def test_contacts_and_organisations_map_too(store: Store) -> None:
    contacts = (
        b"Mail;Liste;Etat\nAna@Example.org;Lettre;abonne\n"
        b"bob@example.org;Lettre;unsubscribed\n"
    )
    mapping = ColumnMapping(
        dataset="contacts",
        columns={"email": "Mail", "list_name": "Liste", "status": "Etat"},
        label="Contacts",
    )
    assert load(store, "contacts.csv", contacts, mapping=mapping).status == "loaded"
    assert sorted(store.rows("SELECT contact_key, list_name, status FROM contacts")) == (
        sorted(
            [
                (hashlib.sha256(b"ana@example.org").hexdigest(), "Lettre", "subscribed"),
                (hashlib.sha256(b"bob@example.org").hexdigest(), "Lettre", "unsubscribed"),
            ]
        )
    )  # fmt: skip
    companies = b"Raison;Web\nLaiterie des Causses;causses.fr\n"
    mapping = ColumnMapping(
        dataset="organisations",
        columns={"name": "Raison", "domain": "Web"},
        label="Sociétés",
    )
    assert load(store, "orgs.csv", companies, mapping=mapping).status == "loaded"
    assert store.rows(
        "SELECT organisation_id, name, domain, sector, country FROM organisations"
    ) == [
        ("ORG-" + short_hash("Laiterie des Causses"), "Laiterie des Causses",
         "causses.fr", None, None)
    ]  # fmt: skip


# What the form says


def test_a_required_field_unmapped_is_named() -> None:
    issues = mapping_issues(
        "email_campaigns", {"title": "T", "sent_at": "D", "audience": "L"}, {}
    )
    assert [(i.code, i.params["field"]) for i in issues] == [
        ("required_unmapped", name)
        for name in ("recipients", "delivered", "unsubscribes", "bounces")
    ]  # fmt: skip
    assert issues[0].message("fr") == (
        "Le champ « recipients » est obligatoire : choisissez la colonne qui le contient."
    )


@pytest.mark.parametrize(
    ("dataset", "values", "columns", "code", "message"),
    [
        ("social_daily", {"network": "linkedin"}, {"network": "Tag"},
         "column_and_value",
         "The field “network” has both a column and a typed value: keep one."),
        ("web_traffic", {"sessions": "12"}, {}, "value_not_allowed",
         "The field “sessions” differs from row to row: choose the column that"
         " holds it."),
        ("attendance", {"attendee": "ana@example.org"}, {}, "value_not_allowed",
         "The field “attendee” differs from row to row: choose the column that"
         " holds it."),
        ("survey_responses", {"respondent_kind": "adherent"}, {}, "value_unknown",
         "The value “adherent” typed for “respondent_kind” is not one of member,"
         " partner, target_company."),
        ("survey_responses", {"submitted_text": "x"}, {}, "unknown_field",
         "The field “submitted_text” does not exist in the dataset"
         " “survey_responses”."),
    ],
    ids=[
        "column-and-value",
        "a-count",
        "an-identity",
        "unknown-category",
        "twin-not-pickable",
    ],
)  # fmt: skip
def test_a_typed_value_must_fit_its_field(
    dataset: str,
    values: dict[str, str],
    columns: dict[str, str],
    code: str,
    message: str,
) -> None:
    issues = [
        i
        for i in mapping_issues(dataset, columns, {}, None, values)
        if i.code != "required_unmapped"
    ]
    assert [(i.code, i.message("en")) for i in issues] == [(code, message)]


def test_a_required_text_field_may_be_typed_instead_of_mapped() -> None:
    untyped = mapping_issues("social_daily", {"day": "Tag"}, {}, ("Tag",))
    assert [(i.code, i.params) for i in untyped] == [
        ("required_unmapped", {"field": "network"})
    ]
    typed = mapping_issues(
        "social_daily", {"day": "Tag"}, {}, ("Tag",), {"network": "mastodon"}
    )
    assert typed == []


# Names


def test_a_name_is_unique_across_file_shapes(store: Store) -> None:
    save_mapping(store, ("Giorno", "Sessioni"), WEB.model_copy(
        update={"columns": {"day": "Giorno", "sessions": "Sessioni"}}))  # fmt: skip
    before = snapshot(store, "column_mappings")
    other = ("Tag", "Reichweite", "Interaktionen", "Neue Follower")
    with pytest.raises(MappingNameTaken) as raised:
        save_mapping(store, other, SOCIAL.model_copy(update={"label": "GA4 italiano"}))
    assert raised.value.message("en") == (
        "The name “GA4 italiano” is already used by another mapping: choose another"
        " name."
    )
    assert snapshot(store, "column_mappings") == before


def test_a_mapping_is_found_renamed_and_deleted_by_name(store: Store) -> None:
    header = ("Giorno", "Sessioni")
    small = WEB.model_copy(
        update={"columns": {"day": "Giorno", "sessions": "Sessioni"}}
    )
    save_mapping(store, header, small)
    assert find_mapping(store, "GA4 italiano").mapping == small
    save_mapping(store, header, small.model_copy(update={"label": "  Web IT "}))
    assert [m.name for m in list_mappings(store)] == ["Web IT"]
    assert find_mapping(store, "GA4 italiano") is None
    assert delete_named(store, "nope") is False
    assert delete_named(store, "Web IT") is True
    assert list_mappings(store) == []


def test_a_mapping_needs_a_name() -> None:
    with pytest.raises(ValidationError):
        ColumnMapping(dataset="web_traffic", columns={"day": "d", "sessions": "s"},
                      label="")  # fmt: skip


def test_the_migration_names_old_mappings_from_their_dataset_and_day(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "old.duckdb", apply_migrations=False)
    steps = migrations()
    header = ["Nom de la boîte", "Forme", "Arrivée le"]
    document = (
        '{"header": ["Nom de la boîte", "Forme", "Arrivée le"], "mapping":'
        ' {"dataset": "members", "columns": {"name": "Nom de la boîte",'
        ' "member_type": "Forme", "joined_on": "Arrivée le"}, "label": "Boîtes"}}'
    )
    with store.transaction() as cur:
        for version, _, sql in steps:
            if version < 11:
                cur.execute(sql)
        cur.execute(
            "INSERT INTO column_mappings VALUES"
            " ('a', 'members', ?, TIMESTAMP '2026-03-02 10:00'),"
            " ('b', 'members', ?, TIMESTAMP '2026-03-02 11:00'),"
            " ('c', 'events', ?, TIMESTAMP '2026-03-01 09:00')",
            [document, document, document.replace("members", "events")],
        )
        cur.execute(next(sql for version, _, sql in steps if version == 11))
    assert store.rows("SELECT signature, name FROM column_mappings ORDER BY 1") == [
        ("a", "members 2026-03-02"),
        ("b", "members 2026-03-02 (2)"),
        ("c", "events 2026-03-01"),
    ]
    found = find_mapping(store, "members 2026-03-02 (2)")
    assert (found.signature, found.header, found.mapping.label) == (
        "b",
        tuple(header),
        "members 2026-03-02 (2)",
    )
    store.close()


# The page


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(tmp_path / "app.duckdb", monkeypatch)


def _page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/mappings.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


def _button(at: AppTest, label: str) -> Any:
    [button] = [b for b in at.button if b.label == label]
    return button


def _rows(path: Path, sql: str) -> list[tuple]:
    st.cache_resource.clear()  # release the app's connection before opening the file
    store = Store(path)
    try:
        return store.rows(sql)
    finally:
        store.close()


def test_a_refused_page_export_is_mapped_to_social_named_and_imported(
    app_db: Path,
) -> None:
    at = _page()
    at.file_uploader[0].set_value(
        ("page_stats.csv", (MAPPING / "page_stats.csv").read_bytes(), "text/csv")
    ).run()
    key = (
        "mapping_"
        + header_signature(("Tag", "Reichweite", "Interaktionen", "Neue Follower"))[:12]
    )
    at.selectbox(key=f"{key}_dataset").set_value("social_daily").run()
    prefix = f"{key}_social_daily"
    assert [w.value for w in at.main.warning] == [
        "The field “Day” is required\\: choose the column that holds it\\.",
        "The field “Network” is required\\: choose the column that holds it\\.",
    ]
    for field, column in SOCIAL.columns.items():
        at.selectbox(key=f"{prefix}_{field}").set_value(column)
    at.selectbox(key=f"{prefix}_date_order").set_value("mdy").run()
    at.selectbox(key=f"{prefix}_network_value").set_value("linkedin")
    at.text_input(key=f"{prefix}_label").set_value("Seite LinkedIn").run()
    assert [w.value for w in at.main.warning] == []
    _button(at, "Import with this mapping").click().run()
    assert (list(at.exception), list(at.error)) == ([], [])
    assert [s.value for s in at.success] == ["page\\_stats\\.csv: loaded"]
    expected = [
        (datetime.strptime(r["Tag"], "%m/%d/%Y").date(), "linkedin", None,
         number(r["Neue Follower"]), number(r["Reichweite"]))
        for r in rows_of("page_stats.csv")
    ]  # fmt: skip
    assert (
        _rows(
            app_db,
            "SELECT day, network, followers, new_followers, impressions"
            " FROM social_daily ORDER BY day",
        )
        == expected
    )
    _button(at, "Save mapping").click().run()
    assert _rows(app_db, "SELECT name, dataset FROM column_mappings") == [
        ("Seite LinkedIn", "social_daily")
    ]
    assert [c.value for c in at.caption][-1] == (
        "Columns\\: Tag → Day, Neue Follower → New followers, Reichweite →"
        " Impressions, Interaktionen → Engagements, Network \\= linkedin"
    )


def test_a_saved_mapping_is_chosen_by_name_for_a_file_of_another_shape(
    app_db: Path,
) -> None:
    st.cache_resource.clear()
    store = Store(app_db)
    save_mapping(store, ("Giorno", "Sessioni"), WEB.model_copy(
        update={"columns": {"day": "Giorno", "sessions": "Sessioni"}}))  # fmt: skip
    store.close()
    at = _page()
    at.file_uploader[0].set_value(
        ("breve.csv", (MAPPING / "web_giorni_breve.csv").read_bytes(), "text/csv")
    ).run()
    key = "mapping_" + header_signature(("Giorno", "Sessioni", "Visualizzazioni"))[:12]
    at.selectbox(key=f"{key}_saved_pick").set_value("GA4 italiano").run()
    chosen = f"{key}_{header_signature(['GA4 italiano'])[:8]}"
    assert at.selectbox(key=f"{chosen}_dataset").value == "web_traffic"
    assert {
        field: at.selectbox(key=f"{chosen}_web_traffic_{field}").value
        for field in ("day", "sessions", "pageviews")
    } == {"day": "Giorno", "sessions": "Sessioni", "pageviews": ""}
    _button(at, "Import with this mapping").click().run()
    assert (list(at.exception), list(at.error)) == ([], [])
    [row] = rows_of("web_giorni_breve.csv")
    assert _rows(app_db, "SELECT day, sessions, pageviews FROM web_traffic") == [
        (date.fromisoformat(row["Giorno"]), int(row["Sessioni"]), None)
    ]


def test_a_name_already_taken_is_refused_on_the_page(app_db: Path) -> None:
    st.cache_resource.clear()
    store = Store(app_db)
    save_mapping(store, ("Giorno", "Sessioni"), WEB.model_copy(
        update={"columns": {"day": "Giorno", "sessions": "Sessioni"}}))  # fmt: skip
    store.close()
    at = _page()
    at.file_uploader[0].set_value(
        ("avis.csv", (MAPPING / "avis.csv").read_bytes(), "text/csv")
    ).run()
    key = "mapping_" + header_signature(tuple(rows_of("avis.csv", ";")[0]))[:12]
    at.selectbox(key=f"{key}_dataset").set_value("survey_responses").run()
    prefix = f"{key}_survey_responses"
    for field, column in SURVEY.columns.items():
        at.selectbox(key=f"{prefix}_{field}").set_value(column)
    at.text_input(key=f"{prefix}_survey_value").set_value("Baromètre 2026")
    at.selectbox(key=f"{prefix}_respondent_kind_value").set_value("member")
    at.text_input(key=f"{prefix}_label").set_value("GA4 italiano").run()
    _button(at, "Save mapping").click().run()
    assert [e.value for e in at.error] == [
        "The name “GA4 italiano” is already used by another mapping\\: choose another"
        " name\\."
    ]
    assert _rows(app_db, "SELECT name, dataset FROM column_mappings") == [
        ("GA4 italiano", "web_traffic")
    ]


def test_a_file_refused_for_its_columns_points_to_the_mapping_page(
    app_db: Path,
) -> None:
    at = AppTest.from_file(str(ROOT / "cockpit.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/upload.py").run()
    roster = b"Nom;Type\nLaiterie des Causses;PME\n"
    at.file_uploader[0].set_value([("adherents.csv", roster, "text/csv")]).run()
    _button(at, "Check").click().run()
    assert [e.value for e in at.error] == [
        "adherents\\.csv: rejected, nothing was loaded"
    ]
    assert [(link.proto.label, link.proto.page) for link in at.get("page_link")] == [
        ("Map this file's columns", "mappings")
    ]
