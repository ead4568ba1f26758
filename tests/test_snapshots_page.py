"""The snapshots page: freeze a quarter, read it, review it, compare two, restatements shown."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi import accounts, sessions
from clusterkpi.catalog import Catalog
from clusterkpi.i18n import STATUS_ICONS, format_moment, format_ratio, format_value
from clusterkpi.roles import Role
from clusterkpi.snapshot_model import Snapshot
from clusterkpi.snapshots import (
    approve_snapshot,
    create_snapshot,
    read_snapshot,
    request_changes,
    restatements,
)
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon
from clusterkpi.ui.auth import TOKEN_KEY
from tests.demo_db import ROOT, TODAY, make_demo_db
from tests.import_helpers import app_env, load


@pytest.fixture
def demo_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(make_demo_db(tmp_path / "demo.duckdb"), monkeypatch)


def _page(lang: str = "en", **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages/snapshots.py"), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _freeze(path: Path, catalog: Catalog, *quarters: str) -> None:
    st.cache_resource.clear()
    store = Store(path)
    try:
        for quarter in quarters:
            create_snapshot(store, catalog, quarter, "marie", today=TODAY)
    finally:
        store.close()
    st.cache_data.clear()


def test_an_empty_list_says_so_and_offers_to_freeze_a_quarter(demo_env: Path) -> None:
    at = _page("fr")
    assert list(at.exception) == []
    assert [i.value for i in at.info] == ["Aucun trimestre n'a encore été figé."]
    assert at.selectbox(key="snapshot_quarter").value == "2026Q3"


def _read(path: Path, quarter: str) -> Snapshot:
    st.cache_resource.clear()
    store = Store(path)
    try:
        return read_snapshot(store, quarter)
    finally:
        store.close()


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    [button] = [b for b in at.button if b.label == label]
    return button


def test_freezing_a_quarter_from_the_page_records_the_commentary(
    demo_env: Path, catalog: Catalog
) -> None:
    at = _page()
    at.selectbox(key="snapshot_quarter").set_value("2026Q2")
    at.text_area(key="comment_credibility").set_value("<b>Bon</b> trimestre =1+1")
    at = _button(at, "Freeze this quarter").click().run()
    assert [s.value for s in at.success] == ["2026Q2 is frozen."]
    snap = _read(demo_env, "2026Q2")
    assert (snap.created_by, snap.approved) == ("local", False)
    texts = {o.objective_id: o.commentary for o in snap.objectives}
    assert texts["credibility"] == "<b>Bon</b> trimestre =1+1"
    assert {t for k, t in texts.items() if k != "credibility"} == {""}


def test_after_freezing_the_page_shows_the_new_snapshot_at_once(
    demo_env: Path,
) -> None:
    at = _page("fr")
    at.selectbox(key="snapshot_quarter").set_value("2026Q2")
    at.text_area(key="comment_credibility").set_value("Bon trimestre")
    at = _button(at, "Figer ce trimestre").click().run()
    assert list(at.exception) == []
    assert [s.value for s in at.success] == ["2026Q2 est figé."]
    assert [i.value for i in at.info] == []
    assert at.selectbox(key="snapshot_picker").value == "2026Q2"
    assert at.query_params["snapshot"] == "2026Q2"
    assert [h.value for h in at.subheader][:2] == ["Instantanés", "Instantané 2026Q2"]
    # The form is empty again and no longer offers the quarter just frozen.
    assert at.selectbox(key="snapshot_quarter").value == "2026Q3"
    assert at.text_area(key="comment_credibility").value == ""
    # The message is shown once: the next click no longer shows it.
    at = at.selectbox(key="snapshot_picker").set_value("2026Q2").run()
    assert [s.value for s in at.success] == []


def test_a_chosen_snapshot_shows_its_frozen_scorecard_and_commentary(
    demo_env: Path, catalog: Catalog
) -> None:
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        create_snapshot(
            store,
            catalog,
            "2026Q3",
            "marie",
            {"credibility": "Presse *en hausse* <b>nette</b>."},
            today=TODAY,
        )
    finally:
        store.close()
    st.cache_data.clear()
    snap = _read(demo_env, "2026Q3")
    at = _page("fr", snapshot="2026Q3")
    assert list(at.exception) == []
    markdown = [m.value for m in at.markdown]
    label = catalog.objectives["credibility"].label.fr
    assert rf"**{label}** — Presse \*en hausse\* \<b\>nette\</b\>\." in markdown
    [table] = [m for m in markdown if m.startswith("| Objectif |")]
    lines = table.splitlines()
    assert lines[0] == (
        r"| Objectif | Court terme \(31 déc\. 2027\) | Moyen terme \(31 déc\. 2031\)"
        r" | Long terme \(31 déc\. 2036\) |"
    )
    assert lines[2:] == [
        "| "
        + " | ".join(
            [catalog.objectives[o.objective_id].label.fr]
            + [
                f"{_status_md(o.status[h].value)} · {format_ratio(o.progress[h], 'fr_FR')}"
                for h in Horizon
            ]
        )
        + " |"
        for o in snap.objectives
    ]
    kpis = at.dataframe[-1].value
    assert list(kpis.columns) == [
        "Objectif",
        "Indicateur",
        "Valeur",
        "Cible",
        "État",
        "Avancement",
    ]
    expected = [
        (
            catalog.objectives[k.objective_id].label.fr,
            catalog.kpis[k.kpi_id].label.fr,
            format_value(k.value, catalog.kpis[k.kpi_id].unit, "fr_FR"),
            format_value(
                k.at(Horizon.SHORT).target, catalog.kpis[k.kpi_id].unit, "fr_FR"
            ),
            _status_fr(k.at(Horizon.SHORT).status.value),
            format_ratio(k.at(Horizon.SHORT).progress, "fr_FR"),
        )
        for k in snap.kpis
    ]
    assert [tuple(r) for r in kpis.itertuples(index=False)] == expected
    at.segmented_control(key="detail_horizon").set_value("long").run()
    kpis = at.dataframe[-1].value
    assert list(kpis["Cible"]) == [
        format_value(k.at(Horizon.LONG).target, catalog.kpis[k.kpi_id].unit, "fr_FR")
        for k in snap.kpis
    ]


def test_two_quarters_side_by_side_show_the_frozen_values(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q2", "2026Q3")
    at = _page("fr")
    table = at.dataframe[-1].value
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        q2, q3 = read_snapshot(store, "2026Q2"), read_snapshot(store, "2026Q3")
    finally:
        store.close()
    assert list(table.columns[:3]) == ["Indicateur", "2026Q2", "2026Q3"]
    expected = [
        (
            catalog.kpis[k.kpi_id].label.fr,
            format_value(k.value, catalog.kpis[k.kpi_id].unit, "fr_FR"),
            format_value(q3.kpi(k.kpi_id).value, catalog.kpis[k.kpi_id].unit, "fr_FR"),
        )
        for k in q2.kpis
    ]
    shown = zip(table.iloc[:, 0], table.iloc[:, 1], table.iloc[:, 2], strict=True)
    assert list(shown) == expected
    labels = [b.label for b in at.download_button]
    assert labels == [
        "Dossier du conseil (PDF)",
        "Classeur (XLSX)",
        "Tables (CSV, ZIP)",
        "Tables (Parquet, ZIP)",
    ]


def _status_fr(status: str) -> str:
    return {
        "achieved": "Atteint",
        "on_track": "En bonne voie",
        "at_risk": "À surveiller",
        "off_track": "En retard",
        "no_data": "Pas de données",
    }[status]


def _status_md(status: str) -> str:
    icon, colour = STATUS_ICONS[status]
    return f":{colour}[:material/{icon}: {_status_fr(status)}]"


def test_approving_first_shows_what_changed_then_records_the_comment(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q3")
    at = _page(snapshot="2026Q3")
    at = at.button(key="approve_2026Q3").click().run()
    assert [i.value for i in at.info] == [
        "No change since freezing: the figures computed today are the ones frozen."
    ]
    assert _read(demo_env, "2026Q3").approved is False
    at.text_area(key="approval_comment_2026Q3").set_value("Good *quarter*.")
    at = at.button(key="confirm_approve_2026Q3").click().run()
    assert list(at.exception) == []
    assert [s.value for s in at.success] == ["2026Q3 is approved."]
    assert [b for b in at.button if b.key in {"approve_2026Q3", "request_2026Q3"}] == []
    snap = _read(demo_env, "2026Q3")
    assert (snap.approved_by, snap.approval_comment) == ("local", "Good *quarter*.")
    assert r"Approval comment\: Good \*quarter\*\." in [m.value for m in at.markdown]


def test_the_approval_step_lists_the_figures_restated_since_freezing(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q3")
    frozen = _read(demo_env, "2026Q3")
    store = Store(demo_env)
    try:
        load(store, "mailchimp/campaigns_2026Q3.csv")
        changed = restatements(store, catalog, frozen)
    finally:
        store.close()
    st.cache_resource.clear()
    st.cache_data.clear()
    at = _page("fr", snapshot="2026Q3")
    at = at.button(key="approve_2026Q3").click().run()
    assert at.warning[0].value == (
        "Ce qui a changé depuis le gel : 4 chiffre(s) calculé(s) aujourd'hui"
        " diffèrent de la valeur figée. L'instantané garde la valeur figée."
    )
    step = at.dataframe[1].value
    assert list(step.columns[:3]) == ["Indicateur", "Valeur figée", "Valeur actuelle"]
    newsletter = [
        "newsletter_open_rate",
        "newsletter_click_rate",
        "newsletter_click_to_open_rate",
        "newsletter_unsubscribe_rate",
    ]
    assert [r.kpi_id for r in changed] == newsletter
    assert list(step["Indicateur"]) == [catalog.kpis[k].label.fr for k in newsletter]
    assert list(step["Valeur figée"]) == [
        format_value(frozen.kpi(k).value, catalog.kpis[k].unit, "fr_FR")
        for k in newsletter
    ]
    assert list(step["Valeur actuelle"]) == [
        format_value(r.current, catalog.kpis[r.kpi_id].unit, "fr_FR") for r in changed
    ]
    at = at.button(key="cancel_approve_2026Q3").click().run()
    assert [b for b in at.button if b.key == "confirm_approve_2026Q3"] == []
    assert _read(demo_env, "2026Q3").approved is False


def test_a_request_for_changes_needs_a_comment_and_is_shown_with_its_author(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q3")
    at = _page(snapshot="2026Q3")
    at = at.button(key="request_2026Q3").click().run()
    at = at.button(key="send_request_2026Q3").click().run()
    assert [e.value for e in at.error] == [
        "Say what should change: the comment is required."
    ]
    assert _read(demo_env, "2026Q3").change_requests == ()
    at.text_area(key="request_comment_2026Q3").set_value("Explain the *web* dip.")
    at = at.button(key="send_request_2026Q3").click().run()
    assert list(at.exception) == []
    assert [s.value for s in at.success] == [
        "Your request for changes to 2026Q3 is recorded."
    ]
    [asked] = _read(demo_env, "2026Q3").change_requests
    assert (asked.author, asked.comment) == ("local", "Explain the *web* dip.")
    when = format_moment(asked.at, "en_GB").replace(":", r"\:")
    assert rf"**Open mode \(no account\), on {when}** — Explain the \*web\* dip\." in [
        m.value for m in at.markdown
    ]
    assert list(at.dataframe[0].value["Approval"]) == [
        "Pending — changes requested (1)"
    ]
    assert [b.key for b in at.button if b.key == "approve_2026Q3"] == ["approve_2026Q3"]


PASSWORD = "correct horse battery"


def test_the_board_reviews_and_the_animators_read_the_requests(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q3")
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        for role in (Role.ADMIN, Role.ANIMATOR, Role.BOARD):
            accounts.add_user(store, f"{role.value}1", role, PASSWORD, by="test")
        request_changes(store, "2026Q3", "board1", "Ajoutez le contexte.")
        tokens = {
            role: sessions.open_session(store, f"{role.value}1", datetime.now())
            for role in Role
        }
    finally:
        store.close()
    st.cache_resource.clear()
    shown = {}
    for role, token in tokens.items():
        at = AppTest.from_file(str(ROOT / "pages/snapshots.py"), default_timeout=60)
        at.query_params["lang"] = "fr"
        at.query_params["snapshot"] = "2026Q3"
        at.session_state[TOKEN_KEY] = token
        at.run()
        assert list(at.exception) == []
        shown[role] = (
            sorted(b.key for b in at.button if b.key and b.key.endswith("_2026Q3")),
            any(m.value.endswith("— Ajoutez le contexte\\.") for m in at.markdown),
        )
    assert shown == {
        Role.ADMIN: (["approve_2026Q3", "request_2026Q3"], True),
        Role.ANIMATOR: ([], True),
        Role.BOARD: (["approve_2026Q3", "request_2026Q3"], True),
    }


def test_an_approval_made_meanwhile_shows_instead_of_the_step(
    demo_env: Path, catalog: Catalog
) -> None:
    _freeze(demo_env, catalog, "2026Q3")
    at = _page("fr", snapshot="2026Q3")
    at = at.button(key="approve_2026Q3").click().run()
    st.cache_resource.clear()
    store = Store(demo_env)
    try:
        approved = approve_snapshot(store, "2026Q3", "lucie")
    finally:
        store.close()
    at = at.button(key="confirm_approve_2026Q3").click().run()
    assert list(at.exception) == []
    assert [b.key for b in at.button if b.key and b.key.endswith("_2026Q3")] == []
    when = format_moment(approved.approved_at, "fr_FR")
    when = when.replace(".", r"\.").replace(":", r"\:")
    assert f"Approuvé par lucie le {when}" in [
        m.value.removeprefix(":blue[:material/verified:] ") for m in at.markdown
    ]
    assert _read(demo_env, "2026Q3").approved_by == "lucie"
