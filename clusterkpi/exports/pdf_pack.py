"""The PDF board pack of a snapshot: cover, scorecard, a page per objective, appendix."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from fpdf.fonts import FontFace

from clusterkpi.catalog import Catalog, ObjectiveGroup
from clusterkpi.exports.pdf_appendix import draw_appendix
from clusterkpi.exports.pdf_document import (
    MUTED,
    STATUS_FILLS,
    STATUS_MARKS,
    PackDocument,
)
from clusterkpi.exports.pdf_objective import draw_objective
from clusterkpi.i18n import format_day, format_ratio, number_locale, t
from clusterkpi.progress import Status
from clusterkpi.snapshot_model import Snapshot
from clusterkpi.strategy import Horizon

_POSITIONING = ("mission", "identity", "values")
_AMBITIONS = ("ambition_5y", "ambition_10y", "ambition_15y")


def write_pack(catalog: Catalog, snapshot: Snapshot, lang: str, out: Path) -> Path:
    """Write the board pack of ``snapshot`` in ``lang`` (fr or en) to ``out``."""
    locale = number_locale(lang)
    name = _cluster(snapshot, lang)
    pdf = PackDocument(lang, locale, f"{name} · {snapshot.quarter}")
    _cover(pdf, snapshot, name)
    _scorecard(pdf, catalog, snapshot)
    days = baseline_days(snapshot)
    for objective in snapshot.objectives:
        draw_objective(pdf, catalog, snapshot, objective, days)
    draw_appendix(pdf, catalog, snapshot)
    pdf.output(str(out))
    return out


def baseline_days(snapshot: Snapshot) -> dict[str, date]:
    """Return each KPI's baseline date from the strategy frozen with the snapshot.

    The frozen KPI keeps the baseline value only; its date, needed to place the
    baseline and the pace lines in time, is read from ``strategy_json``. A KPI
    without one is charted without baseline and pace.
    """
    try:
        targets = json.loads(snapshot.strategy_json or "{}").get("targets") or {}
    except (ValueError, AttributeError):
        return {}
    days = {}
    for kpi_id, target in targets.items():
        raw = target.get("baseline_date") if isinstance(target, dict) else None
        try:
            days[kpi_id] = date.fromisoformat(str(raw)[:10])
        except ValueError:
            continue
    return days


def _cluster(snapshot: Snapshot, lang: str) -> str:
    if snapshot.positioning:
        return snapshot.positioning.cluster_name
    return t("export.cluster", lang)


def _cover(pdf: PackDocument, snapshot: Snapshot, name: str) -> None:
    lang, locale = pdf.lang, pdf.locale_code
    pdf.begin_section(name)
    pdf.ln(8)
    pdf.paragraph(t("export.title", lang).upper(), 9, bold=True, grey=MUTED)
    pdf.ln(2)
    pdf.paragraph(name, 24, bold=True)
    pdf.ln(2)
    as_of = format_day(snapshot.as_of, locale)
    pdf.paragraph(t("export.quarter", lang, quarter=snapshot.quarter, date=as_of), 13)
    pdf.ln(4)
    state = _approval(snapshot, lang, locale)
    pdf.font(10.5, bold=True)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.4)
    pdf.set_fill_color(255 if snapshot.approved else 235)
    pdf.multi_cell(
        0, 6, state, border=1, fill=True, padding=2, new_x="LMARGIN", align="L"
    )
    pdf.ln(3)
    created = format_day(snapshot.created_at.date(), locale)
    pdf.paragraph(
        t(
            "export.created",
            lang,
            id=snapshot.snapshot_id,
            date=created,
            by=snapshot.created_by,
            version=snapshot.catalog_version,
        ),
        8,
        grey=MUTED,
    )
    horizons = " · ".join(
        t(
            "horizon.with_date",
            lang,
            name=t(f"horizon.{h.value}", lang),
            date=format_day(day, locale),
        )
        for h, day in sorted(snapshot.horizon_dates.items(), key=lambda i: i[1])
    )
    pdf.paragraph(t("export.horizons", lang, horizons=horizons), 8, grey=MUTED)
    pdf.ln(6)
    _positioning(pdf, snapshot)


def _approval(snapshot: Snapshot, lang: str, locale: str) -> str:
    if not (snapshot.approved and snapshot.approved_at):
        return t("export.draft", lang)
    when = format_day(snapshot.approved_at.date(), locale)
    by = snapshot.approved_by or "—"
    if snapshot.approval_comment:
        return t(
            "review.pack.approved_comment",
            lang,
            date=when,
            by=by,
            comment=snapshot.approval_comment,
        )
    return t("export.approved", lang, date=when, by=by)


def _positioning(pdf: PackDocument, snapshot: Snapshot) -> None:
    lang = pdf.lang
    pdf.heading(t("overview.positioning", lang), 13)
    positioning = snapshot.positioning
    if positioning is None:
        pdf.paragraph(t("export.no_positioning", lang), 9, grey=MUTED)
        return
    for key in _POSITIONING:
        _field(pdf, t(f"overview.{key}", lang), getattr(positioning, key))
    pdf.paragraph(t("overview.ambitions", lang), 10, bold=True)
    pdf.ln(1)
    for key in _AMBITIONS:
        _field(pdf, t(f"overview.{key}", lang), getattr(positioning, key), 9)


def _field(pdf: PackDocument, label: str, text: str, size: float = 10) -> None:
    pdf.paragraph(label, size - 1, bold=True, grey=MUTED)
    pdf.paragraph(text.strip() or "—", 9.5)
    pdf.ln(2.5)


def _scorecard(pdf: PackDocument, catalog: Catalog, snapshot: Snapshot) -> None:
    lang, locale = pdf.lang, pdf.locale_code
    title = t("export.scorecard", lang)
    pdf.begin_section(title)
    pdf.heading(title, 16)
    as_of = format_day(snapshot.as_of, locale)
    pdf.paragraph(t("export.quarter", lang, quarter=snapshot.quarter, date=as_of), 9)
    pdf.ln(2)
    key = "   ".join(pdf.status_text(s) for s in STATUS_MARKS)
    pdf.paragraph(key, 8)
    pdf.paragraph(t("export.scorecard.note", lang), 7.5, grey=MUTED)
    pdf.ln(3)
    heads = [t("export.col.objective", lang)]
    for h in Horizon:
        day = snapshot.horizon_dates.get(h)
        heads.append(
            t(f"horizon.{h.value}", lang)
            + (f"\n{format_day(day, locale)}" if day else "")
        )
    pdf.table_defaults(8)
    with pdf.table(
        col_widths=(64, 39, 39, 39),
        text_align="LEFT",
        line_height=3.8,
        padding=(1.3, 1.5),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=225),
    ) as table:
        table.row(heads)
        for group in ObjectiveGroup:
            members = [o for o in snapshot.objectives if o.group is group]
            if not members:
                continue
            table.row().cell(
                t(f"group.{group.value}", lang),
                colspan=4,
                style=FontFace(emphasis="BOLD", fill_color=245),
            )
            for objective in members:
                known = catalog.objectives.get(objective.objective_id)
                row = table.row()
                row.cell(known.label.get(lang) if known else objective.objective_id)
                for h in Horizon:
                    status = objective.status[h]
                    fill = STATUS_FILLS.get(status)
                    progress = format_ratio(objective.progress.get(h), locale)
                    row.cell(
                        f"{pdf.status_text(status)}\n{progress}",
                        style=FontFace(fill_color=fill) if fill else None,
                    )
    pdf.ln(5)
    _status_counts(pdf, snapshot)


def _status_counts(pdf: PackDocument, snapshot: Snapshot) -> None:
    lang = pdf.lang
    pdf.heading(t("export.counts", lang, count=len(snapshot.kpis)), 10)
    pdf.table_defaults(8)
    with pdf.table(
        col_widths=(64, 39, 39, 39),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=3.8,
        padding=(1, 1.5),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=225),
    ) as table:
        table.row(
            [t("export.col.status", lang)]
            + [t(f"horizon.{h.value}", lang) for h in Horizon]
        )
        for status in Status:
            row = table.row()
            row.cell(pdf.status_text(status))
            for h in Horizon:
                found = sum(1 for k in snapshot.kpis if k.at(h).status is status)
                row.cell(str(found))
    pdf.paragraph(t("export.counts.note", lang), 7.5, grey=MUTED)
