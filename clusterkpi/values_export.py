"""A KPI's values over a range: the table shown on its detail page and its CSV download."""

from __future__ import annotations

import csv
import io

from babel.numbers import format_decimal

from clusterkpi.catalog import Kpi
from clusterkpi.i18n import format_value, t
from clusterkpi.imports.report import safe_cell
from clusterkpi.trajectory import Trajectory

# Spreadsheets open a CSV in the user's conventions: French Excel splits on ';' and
# reads a decimal comma, English Excel splits on ','.
_CSV_DIALECT = {"fr": (";", "fr_FR"), "en": (",", "en_GB")}


def values_rows(
    traj: Trajectory, kpi: Kpi, lang: str, locale: str
) -> list[dict[str, str]]:
    """Return one row per period, newest first, with the value formatted for reading."""
    return [
        {
            t("values.col.period", lang): p.label,
            t("values.col.value", lang): format_value(p.value, kpi.unit, locale),
            t("values.col.manual", lang): t("values.manual", lang) if p.manual else "",
        }
        for p in reversed(traj.series)
    ]


def values_csv(traj: Trajectory, kpi: Kpi, lang: str) -> bytes:
    """Return the values as CSV (UTF-8 with BOM, so that Excel reads the accents).

    Numbers are written in full precision, rates as fractions (0.458), with the
    language's decimal mark; no value is an empty cell, never a zero. Text cells that a
    spreadsheet would run as a formula are neutralised.
    """
    delimiter, locale = _CSV_DIALECT.get(lang, _CSV_DIALECT["en"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(
        [
            t("values.col.kpi", lang),
            t("values.col.period", lang),
            t("values.col.start", lang),
            t("values.col.end", lang),
            t("values.col.value", lang),
            t("values.col.unit", lang),
            t("values.col.manual", lang),
        ]
    )
    for p in traj.series:
        writer.writerow(
            [
                safe_cell(kpi.label.get(lang)),
                p.label,
                p.start.isoformat(),
                p.end.isoformat(),
                ""
                if p.value is None
                else format_decimal(p.value, "0.##########", locale=locale),
                t(f"detail.unit.{kpi.unit.value}", lang),
                t("values.manual", lang) if p.manual else "",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
