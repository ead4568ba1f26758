"""Column mappings: signature, validation, storage, import of unknown files, the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from clusterkpi.imports.adapters.templates import MEMBERS
from clusterkpi.imports.adapters.vocabulary import MEMBER_TYPES
from clusterkpi.imports.fields import Kind
from clusterkpi.imports.mapping import (
    ColumnMapping,
    SavedMapping,
    delete_mapping,
    header_signature,
    list_mappings,
    load_mapping,
    mapped_adapter,
    mapping_for,
    mapping_issues,
    mapping_label,
    read_sample,
    save_mapping,
)
from clusterkpi.imports.report import Problem
from clusterkpi.store import Store
from tests.demo_db import ROOT
from tests.import_helpers import DATA, app_env, load, snapshot

MAPPING = DATA / "mapping"
HEADER = ("Nom de la boîte", "Forme", "Arrivée le", "Ville")
SIGNATURE = "b0f5892a3ca8a6383b7dd5f03bcedb269920b20d6f93eb3493ce43d9f5c689cf"
SOURCE = "mapping:b0f5892a3ca8"
CATEGORIES = (
    "association, funder, large_company, public_body, research_lab, sme, startup,"
    " training_centre"
)


def boites_mapping(**changes: Any) -> ColumnMapping:
    """The mapping of tests/data/imports/mapping/boites.csv, parsed by the real model."""
    mapping = ColumnMapping.model_validate_json(
        (MAPPING / "boites_mapping.json").read_text(encoding="utf-8")
    )
    return mapping.model_copy(update=changes)


def members(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT name, member_type, country, joined_on FROM members ORDER BY name"
    )


# Signature


def test_the_signature_is_the_sha256_of_the_normalised_cells() -> None:
    assert header_signature(HEADER) == SIGNATURE
    assert header_signature(list(HEADER)) == SIGNATURE


def test_case_accents_spaces_and_trailing_empty_cells_keep_the_signature() -> None:
    assert (
        header_signature((" NOM DE LA BOITE ", "forme", "Arrivee le", "VILLE", "", " "))
        == SIGNATURE
    )


@pytest.mark.parametrize(
    "header",
    [
        ("Forme", "Nom de la boîte", "Arrivée le", "Ville"),
        ("Nom de la boîte", "Forme", "Arrivée le"),
        ("Nom de la boîte", "Forme", "Arrivée le", "Ville", "Secteur"),
        ("Nom de la boîte", "Statut", "Arrivée le", "Ville"),
        ("Nom de la boîte", "Forme", "", "Arrivée le", "Ville"),
    ],
    ids=["moved", "removed", "added", "renamed", "blank-inserted"],
)
def test_another_shape_has_another_signature(header: tuple[str, ...]) -> None:
    assert header_signature(header) != SIGNATURE


def test_the_sample_is_read_with_the_importers_header() -> None:
    [table] = read_sample("boites.csv", (MAPPING / "boites.csv").read_bytes())
    assert (table.header, table.rows[0]) == (
        HEADER,
        ("Fromagerie du Larzac", "PME", "05/03/2024", "Millau"),
    )


# The model


def test_the_fixture_mapping_parses_and_fits_its_header() -> None:
    mapping = ColumnMapping.model_validate(
        boites_mapping().model_dump(), context={"header": list(HEADER)}
    )
    assert mapping.model_dump() == {
        "dataset": "members",
        "columns": {
            "name": "Nom de la boîte",
            "member_type": "Forme",
            "joined_on": "Arrivée le",
        },
        "date_order": "dmy",
        "translations": {
            "member_type": {
                "Labo public": "research_lab",
                "Grosse boîte": "large_company",
            }
        },
        "values": {},
        "label": "Boîtes adhérentes",
    }


GOOD = {
    "dataset": "members",
    "columns": {
        "name": "Nom de la boîte",
        "member_type": "Forme",
        "joined_on": "Arrivée le",
    },
    "label": "Boîtes",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dataset": "adherents"},
         "Unknown dataset “adherents”: choose one of members, events, attendance,"
         " press_mentions, interactions, materials, partnerships, projects,"
         " project_members, observations, email_campaigns, web_traffic, social_daily,"
         " survey_responses, contacts, organisations."),
        ({"columns": {**GOOD["columns"], "birthday": "Ville"}},
         "The field “birthday” does not exist in the dataset “members”."),
        ({"columns": {"name": "Nom de la boîte", "joined_on": "Arrivée le"}},
         "The field “member_type” is required: choose the column that holds it."),
        ({"columns": {**GOOD["columns"], "member_type": "Statut"}},
         "The field “member_type” is mapped to the column “Statut”, which is not in the"
         " file's header."),
        ({"translations": {"member_type": {"Labo public": "laboratory"}}},
         "The field “member_type” cannot take the value “laboratory” (for “Labo public”):"
         f" choose one of {CATEGORIES}."),
        ({"translations": {"region": {"Occ.": "Occitanie"}}},
         "The field “region” is not a category: its values are not translated."),
        ({"translations": {"colour": {"bleu": "blue"}}},
         "The field “colour” does not exist in the dataset “members”."),
        ({"columns": {"name": "Nom de la boîte", "region": "Ville"},
          "translations": {"member_type": {"PME": "small"}}},
         "The field “member_type” is required: choose the column that holds it.\n"
         "The field “joined_on” is required: choose the column that holds it.\n"
         "The field “member_type” cannot take the value “small” (for “PME”):"
         f" choose one of {CATEGORIES}."),
    ],
    ids=[
        "unknown-dataset",
        "unknown-field",
        "required-unmapped",
        "not-in-header",
        "value-not-allowed",
        "not-a-category",
        "unknown-translated-field",
        "every-issue-at-once",
    ],
)  # fmt: skip
def test_an_invalid_mapping_is_refused_with_a_message_naming_the_field(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ColumnMapping.model_validate(
            {**GOOD, **changes}, context={"header": list(HEADER)}
        )
    assert [e["msg"] for e in raised.value.errors()] == [f"Value error, {message}"]


def test_without_a_header_the_columns_are_not_checked_against_a_file() -> None:
    mapping = ColumnMapping.model_validate(
        {**GOOD, "columns": {**GOOD["columns"], "member_type": "Statut"}}
    )
    assert mapping.columns["member_type"] == "Statut"


def test_a_header_cell_matches_whatever_its_case_and_accents() -> None:
    header = ["NOM DE LA BOITE", "forme", "Arrivee le", "Ville"]
    assert mapping_issues("members", GOOD["columns"], {}, header) == []


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"comment": "x"}, ("extra_forbidden", ("comment",))),
        ({"date_order": "ymd"}, ("literal_error", ("date_order",))),
        ({"label": ""}, ("string_too_short", ("label",))),
    ],
)
def test_the_shape_is_strict(
    changes: dict[str, Any], error: tuple[str, tuple[str, ...]]
) -> None:
    with pytest.raises(ValidationError) as raised:
        ColumnMapping.model_validate({**GOOD, **changes})
    assert [(e["type"], e["loc"]) for e in raised.value.errors()] == [error]


def test_issues_read_in_french_too() -> None:
    issues = mapping_issues(
        "members",
        {"name": "Nom de la boîte", "joined_on": "Arrivée le", "member_type": "Statut"},
        {"member_type": {"Labo public": "labo"}},
        HEADER,
    )
    assert [i.message("fr") for i in issues] == [
        "Le champ « member_type » est associé à la colonne « Statut », absente de"
        " l'en-tête du fichier.",
        "Le champ « member_type » ne peut pas prendre la valeur « labo » (pour"
        f" « Labo public ») : choisissez parmi {CATEGORIES}.",
    ]


# The adapter a mapping gives


def test_the_mapped_adapter_is_the_template_reading_only_the_mapped_cells() -> None:
    adapter = mapped_adapter(boites_mapping(), HEADER)
    assert (adapter.name, adapter.label, adapter.dataset) == (
        SOURCE,
        "Boîtes adhérentes",
        "members",
    )
    assert (adapter.key, adapter.key_target, adapter.key_prefix, adapter.post) == (
        MEMBERS.key,
        MEMBERS.key_target,
        MEMBERS.key_prefix,
        MEMBERS.post,
    )
    assert [(f.target, f.columns, f.kind, f.required) for f in adapter.fields] == [
        ("member_id", (), Kind.TEXT, False),
        ("name", ("Nom de la boîte",), Kind.TEXT, True),
        ("member_type", ("Forme",), Kind.CATEGORY, True),
        ("country", (), Kind.CATEGORY, False),
        ("region", (), Kind.TEXT, False),
        ("sector", (), Kind.TEXT, False),
        ("joined_on", ("Arrivée le",), Kind.DATE, True),
        ("left_on", (), Kind.DATE, False),
    ]
    member_type = adapter.fields[2]
    assert member_type.categories == {
        **MEMBER_TYPES,
        "Labo public": "research_lab",
        "Grosse boîte": "large_company",
    }
    assert adapter.column_index(HEADER) == {"name": 0, "member_type": 1, "joined_on": 2}


# Storage


def test_save_load_list_and_delete_round_trip(store: Store) -> None:
    mapping = boites_mapping()
    assert save_mapping(store, HEADER, mapping) == SIGNATURE
    assert load_mapping(store, HEADER) == mapping
    assert load_mapping(store, ("NOM DE LA BOITE", "forme", "Arrivee le", "Ville")) == (
        mapping
    )
    assert load_mapping(store, ("Raison sociale", "Type")) is None
    [(signature, dataset, document)] = store.rows(
        "SELECT signature, dataset, mapping FROM column_mappings"
    )
    assert (signature, dataset, json.loads(document)) == (
        SIGNATURE,
        "members",
        {"header": list(HEADER), "mapping": mapping.model_dump()},
    )
    [saved] = list_mappings(store)
    assert (saved.signature, saved.header, saved.mapping) == (
        SIGNATURE,
        HEADER,
        mapping,
    )
    assert isinstance(saved, SavedMapping) and isinstance(saved.updated_at, datetime)
    assert delete_mapping(store, SIGNATURE) is True
    assert (list_mappings(store), load_mapping(store, HEADER)) == ([], None)
    assert delete_mapping(store, SIGNATURE) is False


def test_saving_again_replaces_the_mapping_of_that_header(store: Store) -> None:
    save_mapping(store, HEADER, boites_mapping())
    save_mapping(store, HEADER, boites_mapping(label="Roster v2", date_order="mdy"))
    assert [
        (m.signature, m.mapping.label, m.mapping.date_order)
        for m in list_mappings(store)
    ] == [(SIGNATURE, "Roster v2", "mdy")]


def test_a_mapping_that_does_not_fit_the_header_is_not_saved(store: Store) -> None:
    with pytest.raises(ValidationError) as raised:
        save_mapping(store, ("Nom", "Type", "Date"), boites_mapping())
    assert [e["msg"] for e in raised.value.errors()] == [
        "Value error, The field “name” is mapped to the column “Nom de la boîte”, which"
        " is not in the file's header.\n"
        "The field “member_type” is mapped to the column “Forme”, which is not in the"
        " file's header.\n"
        "The field “joined_on” is mapped to the column “Arrivée le”, which is not in the"
        " file's header."
    ]
    assert store.rows("SELECT * FROM column_mappings") == []


def test_an_import_names_the_mapping_by_its_label(store: Store) -> None:
    save_mapping(store, HEADER, boites_mapping())
    assert [mapping_label(store, s) for s in (SOURCE, "mapping:000000000000")] == [
        "Boîtes adhérentes",
        None,
    ]
    assert mapping_label(store, "template_members") is None


def test_a_mapping_being_built_applies_only_to_a_header_it_fits(store: Store) -> None:
    building = boites_mapping(label="En cours")
    assert mapping_for(store, HEADER, building) == building
    assert mapping_for(store, ("Raison sociale", "Type de structure"), building) is None
    save_mapping(store, HEADER, boites_mapping())
    assert mapping_for(store, HEADER) == boites_mapping()


# Importing an unknown file


def test_an_unknown_roster_is_refused_then_maps_itself_once_saved(store: Store) -> None:
    before = snapshot(store, "column_mappings")
    refused = load(store, "mapping/boites.csv")
    assert (refused.status, [p for _, p in refused.problems]) == (
        "unrecognised",
        [Problem("unrecognised", params={"name": "boites.csv"})],
    )
    assert snapshot(store, "column_mappings") == before

    checked = load(store, "mapping/boites.csv", dry_run=True, mapping=boites_mapping())
    assert checked.status == "checked"
    assert [
        (t.source, t.dataset, t.rows_read, t.rows_valid, t.date_order)
        for t in checked.tables
    ] == [(SOURCE, "members", 4, 4, "dmy")]
    assert snapshot(store, "column_mappings") == before

    save_mapping(store, HEADER, boites_mapping())
    loaded = load(store, "mapping/boites.csv")
    assert (loaded.status, loaded.rows_added, loaded.rows_rejected) == ("loaded", 4, 0)
    # The file gives no country: unknown (NULL), never a default 'FR'.
    assert members(store) == [
        ("Conserverie Rouquette", "sme", None, date(2022, 11, 28)),
        ("Fromagerie du Larzac", "sme", None, date(2024, 3, 5)),
        ("Groupe Occitan Agro", "large_company", None, date(2019, 2, 1)),
        ("Labo Agro-Sud", "research_lab", None, date(2021, 9, 17)),
    ]

    again = load(store, "mapping/boites_2026.csv")
    assert (again.status, again.rows_added, again.rows_updated) == ("loaded", 1, 0)
    assert [(t.source, t.dataset, t.counts.unchanged) for t in again.tables] == [
        (SOURCE, "members", 1)
    ]
    assert members(store)[3:] == [
        ("Labo Agro-Sud", "research_lab", None, date(2021, 9, 17)),
        ("Saveurs du Causse", "research_lab", None, date(2026, 4, 3)),
    ]
    assert store.rows(
        "SELECT file_name, source, dataset, rows_added, status FROM imports"
        " ORDER BY import_id"
    ) == [
        ("boites.csv", SOURCE, "members", 4, "loaded"),
        ("boites_2026.csv", SOURCE, "members", 1, "loaded"),
    ]


def test_a_mapped_file_with_untranslated_values_is_rejected_and_changes_nothing(
    store: Store,
) -> None:
    save_mapping(store, HEADER, boites_mapping(translations={}))
    before = snapshot(store, "column_mappings")
    report = load(store, "mapping/boites.csv")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [
        Problem("unknown_category", 3, "Forme", "Labo public"),
        Problem("unknown_category", 5, "Forme", "Grosse boîte"),
    ]
    assert snapshot(store, "column_mappings") == before


@pytest.mark.parametrize(
    ("chosen", "order", "dates"),
    [
        (None, "mdy", [date(2024, 5, 3), date(2026, 3, 4)]),
        ("dmy", "dmy", [date(2024, 3, 5), date(2026, 4, 3)]),
    ],
    ids=["saved-order", "animators-choice-wins"],
)
def test_the_saved_date_order_applies_when_the_animator_chose_none(
    store: Store, chosen: str | None, order: str, dates: list[date]
) -> None:
    save_mapping(store, HEADER, boites_mapping(date_order="mdy"))
    report = load(store, "mapping/boites_2026.csv", date_order=chosen)
    assert [(t.date_order, t.date_order_ambiguous) for t in report.tables] == [
        (order, True)
    ]
    assert [r[3] for r in members(store)] == dates


def test_a_forced_source_ignores_the_saved_mapping(store: Store) -> None:
    save_mapping(store, HEADER, boites_mapping())
    report = load(store, "mapping/boites.csv", source="template_members")
    assert (report.status, [p for _, p in report.problems]) == (
        "rejected",
        [Problem("missing_columns", params={"columns": "Nom, Type, Date d'adhésion"})],
    )


# The page


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(tmp_path / "app.duckdb", monkeypatch)


def _page(script: str = "pages/mappings.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


def _values(editor: Any) -> list[tuple[str, str | None]]:
    """The rows of a translation editor, an empty choice as None."""
    frame = editor.value
    return [
        (raw, value if isinstance(value, str) else None)
        for raw, value in zip(frame["value"], frame["canonical"], strict=True)
    ]


def _button(at: AppTest, label: str) -> Any:
    [button] = [b for b in at.button if b.label == label]
    return button


def _stored(path: Path) -> list[tuple[str, str, dict[str, Any]]]:
    st.cache_resource.clear()  # release the app's connection before opening the file
    store = Store(path)
    rows = store.rows("SELECT signature, dataset, mapping FROM column_mappings")
    store.close()
    return [(s, d, json.loads(m)) for s, d, m in rows]


def _with_mapping(path: Path, mapping: ColumnMapping) -> None:
    st.cache_resource.clear()
    store = Store(path)
    save_mapping(store, HEADER, mapping)
    store.close()


KEY = f"mapping_{SIGNATURE[:12]}"


def test_the_page_renders_empty_in_both_languages(app_db: Path) -> None:
    for lang, title, empty in (
        ("fr", "Correspondance des colonnes", "Aucune correspondance enregistrée."),
        ("en", "Column mapping", "No mapping saved yet."),
    ):
        at = AppTest.from_file(str(ROOT / "pages/mappings.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        assert (list(at.exception), list(at.error)) == ([], [])
        assert [t.value for t in at.title] == [title]
        assert [c.value for c in at.caption] == [empty]


def test_a_sample_is_mapped_checked_and_saved_from_the_page(app_db: Path) -> None:
    at = _page()
    at.file_uploader[0].set_value(
        ("boites.csv", (MAPPING / "boites.csv").read_bytes(), "text/csv")
    ).run()
    assert at.selectbox(key=f"{KEY}_dataset").value == "members"
    assert [w.value for w in at.main.warning] == [
        "The field “Name” is required\\: choose the column that holds it\\.",
        "The field “Member type” is required\\: choose the column that holds it\\.",
        "The field “Joined” is required\\: choose the column that holds it\\.",
    ]
    assert _button(at, "Save mapping").disabled is True
    at.selectbox(key=f"{KEY}_members_name").set_value("Nom de la boîte")
    at.selectbox(key=f"{KEY}_members_member_type").set_value("Forme")
    at.selectbox(key=f"{KEY}_members_joined_on").set_value("Arrivée le")
    at.selectbox(key=f"{KEY}_members_date_order").set_value("dmy").run()
    [editor] = at.data_editor
    assert _values(editor) == [
        ("PME", "sme"),
        ("Labo public", None),
        ("Grosse boîte", None),
    ]
    at.session_state[f"{KEY}_members_member_type_1_values"] = {
        "edited_rows": {
            1: {"canonical": "research_lab"},
            2: {"canonical": "large_company"},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    at.text_input(key=f"{KEY}_members_label").set_value("Boîtes adhérentes").run()
    assert [w.value for w in at.main.warning] == []

    _button(at, "Check").click().run()
    assert (list(at.exception), list(at.error)) == ([], [])
    assert [s.value for s in at.success] == [
        "boites\\.csv: checked (dry run), nothing was loaded"
    ]
    assert (
        "boites\\.csv recognised as “the mapping being built” — rows read: 4, valid: 4."
        in [m.value for m in at.markdown]
    )
    assert _stored(app_db) == []

    _button(at, "Save mapping").click().run()
    assert [s.value for s in at.success] == [
        "Mapping “Boîtes adhérentes” saved: the next files of this shape will be read"
        " with it."
    ]
    assert _stored(app_db) == [
        (
            SIGNATURE,
            "members",
            {"header": list(HEADER), "mapping": boites_mapping().model_dump()},
        )
    ]


def test_a_saved_mapping_is_listed_edited_and_deleted(app_db: Path) -> None:
    _with_mapping(app_db, boites_mapping())
    at = _page()
    assert [c.value for c in at.caption] == [
        "Columns\\: Nom de la boîte → Name, Forme → Member type, Arrivée le → Joined"
    ]
    _button(at, "Edit").click().run()
    assert [i.value for i in at.info] == ["Editing the mapping “Boîtes adhérentes”."]
    assert {
        name: at.selectbox(key=f"{KEY}_members_{name}").value
        for name in ("name", "member_type", "joined_on", "country", "date_order")
    } == {
        "name": "Nom de la boîte",
        "member_type": "Forme",
        "joined_on": "Arrivée le",
        "country": "",
        "date_order": "dmy",
    }
    assert _values(at.data_editor[0]) == [
        ("Labo public", "research_lab"),
        ("Grosse boîte", "large_company"),
    ]
    assert [c.value for c in at.caption][0] == (
        "Upload a sample file to check the mapping."
    )
    at.selectbox(key=f"{KEY}_members_date_order").set_value("mdy")
    at.text_input(key=f"{KEY}_members_label").set_value("Roster v2").run()
    _button(at, "Save mapping").click().run()
    assert [
        (s, d, m["mapping"]["label"], m["mapping"]["date_order"])
        for s, d, m in _stored(app_db)
    ] == [(SIGNATURE, "members", "Roster v2", "mdy")]

    at = _page()
    _button(at, "Delete").click().run()
    assert [s.value for s in at.success] == ["Mapping “Roster v2” deleted."]
    assert [c.value for c in at.caption] == ["No mapping saved yet."]
    assert _stored(app_db) == []


def test_a_sample_of_a_known_shape_loads_its_saved_mapping(app_db: Path) -> None:
    _with_mapping(app_db, boites_mapping())
    at = _page()
    at.file_uploader[0].set_value(
        ("b.csv", (MAPPING / "boites_2026.csv").read_bytes(), "text/csv")
    ).run()
    assert [i.value for i in at.info] == [
        "A mapping is already saved for files of this shape (“Boîtes adhérentes”): it is"
        " loaded below."
    ]
    assert at.selectbox(key=f"{KEY}_members_name").value == "NOM DE LA BOITE"
    assert _values(at.data_editor[0]) == [
        ("PME", "sme"),
        ("Labo public", "research_lab"),
        ("Grosse boîte", "large_company"),
    ]


def test_the_upload_report_of_an_unknown_file_points_to_the_mapping_page(
    app_db: Path,
) -> None:
    at = _page("cockpit.py")
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value(
        [("boites.csv", (MAPPING / "boites.csv").read_bytes(), "text/csv")]
    ).run()
    _button(at, "Check").click().run()
    assert [e.value for e in at.error] == [
        "boites\\.csv: unrecognised format, nothing was loaded"
    ]
    assert [(link.proto.label, link.proto.page) for link in at.get("page_link")] == [
        ("Map this file's columns", "mappings")
    ]


def test_the_mapping_page_is_registered_after_the_upload_page(app_db: Path) -> None:
    at = _page("cockpit.py")
    at.switch_page("pages/mappings.py").run()
    assert [t.value for t in at.title] == ["Column mapping"]
