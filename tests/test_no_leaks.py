"""Every page in French and English shows words: no raw code, no word of the other language.

Each page runs through AppTest on the demo database after a few imports, an undo and
account changes, signed in as an admin; every visible text is collected (titles,
Markdown, captions, messages, widget labels and options, table headers and cells).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from clusterkpi import accounts, sessions
from clusterkpi.imports.importer import EventChoice, ImportOptions, import_file
from clusterkpi.imports.loading import undo_import
from clusterkpi.store import Store
from clusterkpi.ui.auth import TOKEN_KEY
from tests.demo_db import ROOT, TODAY
from tests.import_helpers import DATA, app_env

PAGES = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if p.stem != "home"
)
# Codes that must never reach a page, in either language.
RAW = re.compile(
    r"\b(None|nan|NaT|true|false|True|False|workshop|b2b_meeting|trade_show"
    r"|general_assembly|system|local|cli|eventbrite_attendees|brevo_contacts"
    r"|template_members)\b|\{\""
)
# English words of the interface that once showed on French pages.
ENGLISH = re.compile(
    r"\b(loaded|undone|Upload|Download|Yes|No|Loaded|Undone|Workshop|Webinar"
    r"|Training|B2B meeting|changes|rows added|Comment|Role|Import no|per file"
    r"|Drag and drop|Browse)\b"
)
# French words of the interface that must not show on English pages.
FRENCH = re.compile(
    r"\b(chargé|annulé|Système|Rôle|lignes ajoutées|modifications|Commentaire"
    r"|Oui|Données de démonstration|Ligne de commande)\b"
)
ADMIN = "alice"


@pytest.fixture(scope="module")
def busy_demo(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo after an attendee list (new event), two imports, an undo, accounts."""
    path = tmp_path_factory.mktemp("leaks") / "demo.duckdb"
    shutil.copy(demo_path, path)
    store = Store(path)
    accounts.add_user(store, ADMIN, "admin", "correct horse battery", by="cli")
    accounts.add_user(store, "bob", "animator", "correct horse battery", by=ADMIN)
    accounts.set_role(store, "bob", "board", by=ADMIN)
    for rel, event in (
        ("eventbrite/attendees.csv", EventChoice(None, "RDV", TODAY, "b2b_meeting")),
        ("templates/adherents.csv", None),
        ("brevo/contacts_fr.csv", None),
    ):
        raw = (DATA / rel).read_bytes()
        options = ImportOptions(event=event, user="bob", load_valid_rows=True)
        report = import_file(store, Path(rel).name, raw, options, TODAY)
        assert report.status == "loaded", report.to_dict("en")
    undo_import(store, report.import_id, ADMIN)
    store.close()
    return path


@pytest.fixture
def leaks_env(busy_demo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from app_env(busy_demo, monkeypatch)


def _signed_in(db: Path, script: str, lang: str) -> AppTest:
    st.cache_resource.clear()
    store = Store(db)
    token = sessions.open_session(store, ADMIN, datetime.now())
    store.close()
    at = AppTest.from_file(str(ROOT / script), default_timeout=90)
    at.query_params["lang"] = lang
    at.session_state[TOKEN_KEY] = token
    return at


def visible_texts(at: AppTest) -> list[str]:
    """Every text a user reads on the page, one entry per element, label or cell."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text"):
        texts += [e.value for e in getattr(at, kind)]
    for kind in ("info", "warning", "error", "success"):
        texts += [e.value for e in getattr(at, kind)]
    for kind in ("selectbox", "radio", "multiselect", "segmented_control"):
        for widget in getattr(at, kind):
            texts += [widget.label, *map(str, widget.options)]
    for kind in ("button", "text_input", "date_input", "checkbox", "toggle"):
        texts += [w.label for w in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    texts += [e.label for e in at.expander]
    for frame in [d.value for d in at.dataframe] + [t.value for t in at.table]:
        texts += [str(c) for c in frame.columns]
        texts += [_cell(v) for col in frame.columns for v in frame[col].tolist()]
    return [t for t in texts if t]


def _cell(value: object) -> str:
    # A table shows a missing value as "None"; numbers, dates and tick boxes say no word.
    if isinstance(value, str):
        return value
    return "None" if value is None or pd.isna(value) else ""


def _leaks(texts: list[str], lang: str) -> list[str]:
    other = ENGLISH if lang == "fr" else FRENCH
    return sorted({t for t in texts if RAW.search(t) or other.search(t)})


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("script", PAGES)
def test_a_page_shows_no_raw_code_and_no_other_language(
    leaks_env: Path, script: str, lang: str
) -> None:
    at = _signed_in(leaks_env, script, lang).run()
    assert list(at.exception) == []
    texts = visible_texts(at)
    assert len(texts) > 5  # the page did show itself
    assert _leaks(texts, lang) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_new_event_form_shows_event_types_in_words(
    leaks_env: Path, lang: str
) -> None:
    at = _signed_in(leaks_env, "pages/upload.py", lang).run()
    at = at.selectbox(key="event_pick").set_value("new").run()
    kinds = at.selectbox(key="event_kind").options
    assert kinds[:2] == (
        ["Atelier", "Webinaire"] if lang == "fr" else ["Workshop", "Webinar"]
    )
    assert _leaks(visible_texts(at), lang) == []


def test_the_detector_finds_the_known_leaks() -> None:
    shown = [
        "loaded", "None", "true", "workshop", "b2b_meeting", '{"changes": 221}',
        "system", "local", "Upload", "50MB per file", "Yes",
    ]  # fmt: skip
    assert _leaks(shown, "fr") == sorted(shown)
    assert _leaks(["chargé", "Système", "Oui"], "en") == ["Oui", "Système", "chargé"]
    assert _leaks(["Démo locale", "Atelier IA", "N° 3", "Nombre"], "fr") == []
