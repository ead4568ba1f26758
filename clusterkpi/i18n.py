"""UI strings in French and English, and locale-aware number and date formatting."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.numbers import (
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
)

from clusterkpi.catalog import Unit

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# Number and date formats when the browser does not tell a finer locale.
_DEFAULT_LOCALE = {"fr": "fr_FR", "en": "en_GB"}
# Material Symbols (bundled with Streamlit's frontend: no emoji font needed) and a
# colour per status; the word is always shown too, never the colour alone.
STATUS_ICONS = {
    "achieved": ("verified", "blue"),
    "on_track": ("check_circle", "green"),
    "at_risk": ("warning", "orange"),
    "off_track": ("error", "red"),
    "no_data": ("help", "gray"),
}


# libyaml's parser when PyYAML has it: ten times faster than the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def strings(lang: str) -> dict[str, str]:
    """Return every UI string of one language.

    The strings live in ``locales/<lang>.yaml`` plus one file per feature in
    ``locales/<lang>/``; a key defined twice is an error, not a silent override.
    """
    files = [LOCALES_DIR / f"{lang}.yaml", *sorted((LOCALES_DIR / lang).glob("*.yaml"))]
    merged: dict[str, str] = {}
    for path in files:
        part = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader) or {}  # noqa: S506
        twice = sorted(set(part) & set(merged))
        if twice:
            raise ValueError(f"{path.name}: keys already defined: {', '.join(twice)}")
        merged.update(part)
    return merged


def t(key: str, lang: str, **values: object) -> str:
    """Return the UI string ``key`` in ``lang``, formatted with ``values``."""
    text = strings(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text


def number_locale(lang: str, browser_locale: str | None = None) -> str:
    """Return the formatting locale: the browser's when it speaks ``lang``."""
    if browser_locale:
        try:
            parsed = Locale.parse(browser_locale, sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            parsed = None
        if parsed is not None and parsed.language == lang and parsed.territory:
            return f"{parsed.language}_{parsed.territory}"
    return _DEFAULT_LOCALE.get(lang, _DEFAULT_LOCALE[DEFAULT_LANGUAGE])


def format_value(value: float | None, unit: Unit, locale: str) -> str:
    """Format a KPI value for display ('—' when there is none)."""
    if value is None:
        return "—"
    if unit is Unit.RATE:
        # Small rates (click, unsubscribe) need a second decimal to tell values apart.
        digits = "0.00" if abs(value) < 0.1 else "0.0"
        return format_percent(value, _percent_pattern(locale, digits), locale=locale)
    if unit is Unit.SCORE:
        return format_decimal(value, "+#,##0;-#,##0", locale=locale)
    if abs(value) < 100 and value != int(value):
        return format_decimal(value, "#,##0.#", locale=locale)
    return format_decimal(value, "#,##0", locale=locale)


def format_delta(delta: float | None, unit: Unit, locale: str) -> str | None:
    """Format a change between two values (rates in percentage points)."""
    if delta is None:
        return None
    if unit is Unit.RATE:
        pattern = "+#,##0.00;-#,##0.00" if abs(delta) < 0.001 else "+#,##0.0;-#,##0.0"
        return f"{format_decimal(delta * 100, pattern, locale=locale)} pt"
    if delta != int(delta) and abs(delta) < 100:
        return format_decimal(delta, "+#,##0.#;-#,##0.#", locale=locale)
    return format_decimal(delta, "+#,##0;-#,##0", locale=locale)


def format_ratio(value: float | None, locale: str) -> str:
    """Format a progress fraction as a whole percentage."""
    if value is None:
        return "—"
    return format_percent(value, _percent_pattern(locale, "0"), locale=locale)


def format_percent_tick(value: float, digits: int, locale: str) -> str:
    """Format a rate's axis tick with ``digits`` decimals of percent (e.g. 0,5 %)."""
    decimals = "0." + "0" * digits if digits else "0"
    return format_percent(value, _percent_pattern(locale, decimals), locale=locale)


def format_moment(moment: datetime, locale: str) -> str:
    """Format a date and time for history tables (e.g. 26 nov. 2026 14:30)."""
    return f"{format_day(moment.date(), locale)} {moment:%H:%M}"


def format_day(day: date, locale: str) -> str:
    """Format a date in the locale's medium form (e.g. 31 déc. 2027)."""
    return babel_format_date(day, "medium", locale=locale)


@cache
def _percent_pattern(locale: str, digits: str) -> str:
    # Keep the locale's own percent layout (French puts a narrow space before %).
    # babel's format tables are untyped: the pattern is a string.
    pattern: str = Locale.parse(locale).percent_formats[None].pattern
    return pattern.replace("#,##0", "#,##" + digits, 1)


def plotly_separators(locale: str) -> str:
    """Return plotly's ``layout.separators`` for a locale: decimal mark, then group mark."""
    return get_decimal_symbol(locale) + get_group_symbol(locale)
