"""Tests for UI strings (fr/en parity) and locale-aware number formatting."""

from __future__ import annotations

from datetime import date
from string import Formatter

import pytest

from clusterkpi.catalog import Unit
from clusterkpi.i18n import (
    STATUS_ICONS,
    format_day,
    format_delta,
    format_ratio,
    format_value,
    number_locale,
    strings,
    t,
)
from clusterkpi.progress import Status

NBSP = "\u00a0"  # CLDR fr: before the percent sign
NNBSP = "\u202f"  # CLDR fr: thousands separator


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def test_french_and_english_have_the_same_keys() -> None:
    fr, en = set(strings("fr")), set(strings("en"))
    assert (sorted(fr - en), sorted(en - fr)) == ([], [])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_string_is_empty(lang: str) -> None:
    empty = [
        k for k, v in strings(lang).items() if not isinstance(v, str) or not v.strip()
    ]
    assert empty == []


def test_placeholders_are_the_same_in_both_languages() -> None:
    fr, en = strings("fr"), strings("en")
    differing = {
        key: (placeholders(fr[key]), placeholders(en[key]))
        for key in sorted(set(fr) & set(en))
        if placeholders(fr[key]) != placeholders(en[key])
    }
    assert differing == {}


def test_every_status_has_an_icon_and_a_label_in_both_languages() -> None:
    keys = [f"status.{s.value}" for s in Status]
    assert sorted(STATUS_ICONS) == sorted(s.value for s in Status)
    assert [k for k in keys if k not in strings("fr") or k not in strings("en")] == []


def test_t_formats_the_placeholders() -> None:
    assert t("horizon.with_date", "en", name="Short term", date="31 Dec 2027") == (
        "Short term (31 Dec 2027)"
    )
    assert t("card.target.short", "fr", value="25 %") == "Cible à court terme : 25 %"


def test_t_without_values_returns_the_string_as_is() -> None:
    assert (t("status.on_track", "fr"), t("status.on_track", "en")) == (
        "En bonne voie",
        "On track",
    )


def test_t_in_an_unknown_language_falls_back_to_french() -> None:
    assert t("status.at_risk", "de") == "À surveiller"


@pytest.mark.parametrize(
    ("value", "unit", "french", "english"),
    [
        (0.253, Unit.RATE, f"25,3{NBSP}%", "25.3%"),
        (0.5, Unit.RATE, f"50,0{NBSP}%", "50.0%"),
        (12.345, Unit.RATE, f"1{NNBSP}234,5{NBSP}%", "1,234.5%"),
        (1234, Unit.COUNT, f"1{NNBSP}234", "1,234"),
        (1234.56, Unit.COUNT, f"1{NNBSP}235", "1,235"),
        (12.5, Unit.COUNT, "12,5", "12.5"),
        (7.0, Unit.COUNT, "7", "7"),
        (42, Unit.SCORE, "+42", "+42"),
        (-17.0, Unit.SCORE, "-17", "-17"),
        (1234, Unit.SCORE, f"+1{NNBSP}234", "+1,234"),
        (None, Unit.RATE, "—", "—"),
    ],
)
def test_format_value_in_french_and_british_english(
    value: float | None, unit: Unit, french: str, english: str
) -> None:
    assert (format_value(value, unit, "fr_FR"), format_value(value, unit, "en_GB")) == (
        french,
        english,
    )


@pytest.mark.parametrize(
    ("delta", "unit", "french", "english"),
    [
        (0.021, Unit.RATE, "+2,1 pt", "+2.1 pt"),
        (-0.034, Unit.RATE, "-3,4 pt", "-3.4 pt"),
        (5, Unit.COUNT, "+5", "+5"),
        (-3.0, Unit.COUNT, "-3", "-3"),
        (2.5, Unit.COUNT, "+2,5", "+2.5"),
        (1500, Unit.COUNT, f"+1{NNBSP}500", "+1,500"),
        (7, Unit.SCORE, "+7", "+7"),
        (None, Unit.COUNT, None, None),
    ],
)
def test_format_delta_in_french_and_british_english(
    delta: float | None, unit: Unit, french: str | None, english: str | None
) -> None:
    assert (format_delta(delta, unit, "fr_FR"), format_delta(delta, unit, "en_GB")) == (
        french,
        english,
    )


@pytest.mark.parametrize(
    ("value", "french", "english"),
    [
        (0.5, f"50{NBSP}%", "50%"),
        (0.876, f"88{NBSP}%", "88%"),
        (1.234, f"123{NBSP}%", "123%"),
        (None, "—", "—"),
    ],
)
def test_format_ratio_is_a_whole_percentage(
    value: float | None, french: str, english: str
) -> None:
    assert (format_ratio(value, "fr_FR"), format_ratio(value, "en_GB")) == (
        french,
        english,
    )


def test_format_day_uses_the_medium_date_form() -> None:
    day = date(2027, 12, 31)
    assert (format_day(day, "fr_FR"), format_day(day, "en_GB")) == (
        "31 déc. 2027",
        "31 Dec 2027",
    )


@pytest.mark.parametrize(
    ("lang", "browser", "expected"),
    [
        ("en", "en-US", "en_US"),
        ("fr", "en-US", "fr_FR"),
        ("fr", "fr-CA", "fr_CA"),
        ("en", None, "en_GB"),
        ("fr", None, "fr_FR"),
        ("en", "en", "en_GB"),
        ("de", None, "fr_FR"),
    ],
)
def test_number_locale_prefers_a_browser_locale_of_the_same_language(
    lang: str, browser: str | None, expected: str
) -> None:
    assert number_locale(lang, browser) == expected


def test_number_locale_ignores_a_browser_locale_babel_does_not_know() -> None:
    # An unknown region would make every format_* call raise UnknownLocaleError.
    assert number_locale("en", "en-XX") == "en_GB"
