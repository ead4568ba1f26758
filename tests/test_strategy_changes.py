"""Tests for clusterkpi.ui.strategy_changes: history items and values in words."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.i18n import t
from clusterkpi.strategy import StrategyChange
from clusterkpi.ui.strategy_changes import change_row, item_text, value_text

NBSP = "\u00a0"


def _ctx(catalog: Catalog, lang: str) -> SimpleNamespace:
    locale = {"fr": "fr_FR", "en": "en_GB"}[lang]
    return SimpleNamespace(
        lang=lang,
        locale=locale,
        catalog=catalog,
        t=lambda key, **values: t(key, lang, **values),
    )


@pytest.mark.parametrize(
    ("item", "text", "fr", "en"),
    [
        ("target.newsletter_open_rate.long", "0.35", f"35,0{NBSP}%", "35.0%"),
        ("target.newsletter_click_rate.short", "0.032", f"3,20{NBSP}%", "3.20%"),
        ("target.website_sessions.short", "25000.0", "25\u202f000", "25,000"),
        ("target.new_partners.short", "2.5", "2,5", "2.5"),
        ("target.member_nps.long", "45.0", "+45", "+45"),
        ("target.new_partners.baseline_date", "2024-12-31", "31 déc. 2024", "31 Dec 2024"),
        ("target.new_partners.tracked", "true", "oui", "yes"),
        ("target.new_partners.weight", "1.5", "1,5", "1.5"),
        ("horizon.short", "2027-12-31", "31 déc. 2027", "31 Dec 2027"),
        ("positioning.mission", "Relier", "Relier", "Relier"),
        ("target.new_partners.short", None, "—", "—"),
    ],
)  # fmt: skip
def test_stored_values_read_in_the_locale(
    catalog: Catalog, item: str, text: str | None, fr: str, en: str
) -> None:
    assert value_text(_ctx(catalog, "fr"), item, text) == fr
    assert value_text(_ctx(catalog, "en"), item, text) == en


def test_items_name_the_kpi_and_what_changed(catalog: Catalog) -> None:
    ctx = _ctx(catalog, "fr")
    assert [
        item_text(ctx, i)
        for i in ("target.new_partners.short", "horizon.long", "positioning.mission")
    ] == ["Nouveaux partenaires — cible à court terme", "Long terme", "Mission"]


def test_a_row_names_the_application_and_people_apart(catalog: Catalog) -> None:
    ctx = _ctx(catalog, "en")
    at = datetime(2026, 11, 26, 14, 30)
    change = StrategyChange(1, at, "system", "target.new_partners.long", "3.0", "4.0")
    assert change_row(ctx, change, "26 Nov 2026") == {
        "When": "26 Nov 2026",
        "By": "System",
        "What": "New partners — long term target",
        "Before": "3",
        "After": "4",
    }
    person = StrategyChange(2, at, "claire", "target.new_partners.long", None, "4.0")
    assert change_row(ctx, person, "")["By"] == "claire"
