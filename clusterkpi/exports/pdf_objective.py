"""A board-pack page per objective: roll-up, KPI table, KPI charts and commentary."""

from __future__ import annotations

from datetime import date

from fpdf.fonts import FontFace

from clusterkpi.catalog import Catalog, Unit
from clusterkpi.exports.pdf_charts import chart_series, draw_chart, shown_until
from clusterkpi.exports.pdf_document import (
    MUTED,
    STATUS_FILLS,
    PackDocument,
)
from clusterkpi.exports.pdf_legend import draw_legend
from clusterkpi.i18n import format_day, format_ratio, format_value, t
from clusterkpi.periods import parse_period
from clusterkpi.snapshot_model import FrozenKpi, FrozenObjective, Snapshot
from clusterkpi.strategy import Horizon

# KPI, value, previous, weight, then one column per horizon.
_WIDTHS = (43, 16.5, 16.5, 13, 31, 31, 31)
_ALIGN = ("LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "LEFT", "LEFT")
_GAP = 4.0
CHART_HEIGHT = 56.0  # mm, across the page width
LEGEND_ROOM = 12.0  # mm: the key takes two lines at most


def draw_objective(
    pdf: PackDocument,
    catalog: Catalog,
    snapshot: Snapshot,
    objective: FrozenObjective,
    baseline_days: dict[str, date],
) -> None:
    """Draw one objective's page (more pages only if its commentary runs long)."""
    lang = pdf.lang
    known = catalog.objectives.get(objective.objective_id)
    label = known.label.get(lang) if known else objective.objective_id
    pdf.begin_section(label)
    pdf.font(7.5, grey=MUTED)
    pdf.cell(0, 4, t(f"group.{objective.group.value}", lang).upper())
    pdf.ln(5)
    pdf.heading(label, 15)
    if known:
        pdf.paragraph(known.description.get(lang), 8.5, grey=MUTED)
    pdf.ln(2.5)
    _roll_up(pdf, snapshot, objective)
    kpis = snapshot.kpis_of(objective.objective_id)
    _kpi_table(pdf, catalog, snapshot, kpis)
    _charts(pdf, catalog, snapshot, kpis, baseline_days)
    pdf.ln(3)
    pdf.heading(t("export.commentary", lang), 10)
    text = objective.commentary.strip()
    if text:
        pdf.paragraph(text, 9)
    else:
        pdf.paragraph(t("export.commentary.none", lang), 8.5, grey=MUTED)


def _roll_up(pdf: PackDocument, snapshot: Snapshot, objective: FrozenObjective) -> None:
    lang, locale = pdf.lang, pdf.locale_code
    width = (pdf.width - 2 * _GAP) / 3
    top = pdf.get_y()
    for rank, horizon in enumerate(Horizon):
        status = objective.status[horizon]
        x = pdf.l_margin + rank * (width + _GAP)
        pdf.set_draw_color(MUTED)
        pdf.set_line_width(0.2)
        pdf.set_fill_color(STATUS_FILLS.get(status, 255))
        pdf.rect(x, top, width, 15, style="DF")
        day = snapshot.horizon_dates.get(horizon)
        head = t(f"horizon.{horizon.value}", lang)
        if day:
            head = t("horizon.with_date", lang, name=head, date=format_day(day, locale))
        pdf.font(7, grey=MUTED)
        pdf.text(x + 2, top + 4, head)
        pdf.font(10, bold=True)
        pdf.text(x + 2, top + 9, pdf.status_text(status))
        pdf.font(7.5)
        progress = format_ratio(objective.progress.get(horizon), locale)
        pdf.text(x + 2, top + 13, t("export.progress", lang, value=progress))
    pdf.set_y(top + 15 + _GAP)


def _kpi_table(
    pdf: PackDocument, catalog: Catalog, snapshot: Snapshot, kpis: list[FrozenKpi]
) -> None:
    lang, locale = pdf.lang, pdf.locale_code
    period = parse_period(snapshot.quarter)
    headings = [
        t("export.col.kpi", lang),
        t("export.col.value_in", lang, period=period.label),
        t("export.col.value_in", lang, period=period.previous().label),
        t("export.col.weight", lang),
        *(_horizon_head(pdf, snapshot, h) for h in Horizon),
    ]
    pdf.table_defaults(7)
    with pdf.table(
        col_widths=_WIDTHS,
        text_align=_ALIGN,
        line_height=3.3,
        padding=(1, 1.2),
        borders_layout="HORIZONTAL_LINES",
        headings_style=FontFace(emphasis="BOLD", fill_color=235),
        v_align="TOP",
    ) as table:
        table.row(headings)
        for kpi in kpis:
            known = catalog.kpis.get(kpi.kpi_id)
            unit = known.unit if known else Unit.COUNT
            name = known.label.get(lang) if known else kpi.kpi_id
            if not kpi.tracked:
                name += "\n" + t("export.kpi.untracked", lang)
            row = table.row()
            row.cell(name)
            row.cell(format_value(kpi.value, unit, locale))
            row.cell(format_value(kpi.previous, unit, locale))
            row.cell(_weight(kpi, locale))
            for horizon in Horizon:
                frozen = kpi.at(horizon)
                target = format_value(frozen.target, unit, locale)
                fill = STATUS_FILLS.get(frozen.status)
                row.cell(
                    f"{target}\n{pdf.status_text(frozen.status)}",
                    style=FontFace(fill_color=fill) if fill else None,
                )
    pdf.ln(_GAP)


def _horizon_head(pdf: PackDocument, snapshot: Snapshot, horizon: Horizon) -> str:
    head = t(f"export.col.target.{horizon.value}", pdf.lang)
    day = snapshot.horizon_dates.get(horizon)
    return f"{head}\n{format_day(day, pdf.locale_code)}" if day else head


def _weight(kpi: FrozenKpi, locale: str) -> str:
    if not kpi.tracked:
        return "—"
    return format_value(kpi.weight, Unit.COUNT, locale)


def _charts(
    pdf: PackDocument,
    catalog: Catalog,
    snapshot: Snapshot,
    kpis: list[FrozenKpi],
    baseline_days: dict[str, date],
) -> None:
    # One chart across the page: at least half its width, so that the 8 pt text and
    # the lines read once printed; a chart never splits over two pages.
    until = shown_until(snapshot.horizon_dates, snapshot.as_of)
    if pdf.get_y() + LEGEND_ROOM + CHART_HEIGHT > pdf.page_break_trigger:
        pdf.add_page()
    used = draw_legend(pdf, pdf.l_margin, pdf.get_y(), pdf.width)
    y = pdf.get_y() + used + 2.5
    for kpi in kpis:
        if y + CHART_HEIGHT > pdf.page_break_trigger:
            pdf.add_page()
            y = pdf.get_y()
        known = catalog.kpis.get(kpi.kpi_id)
        series = chart_series(
            kpi,
            known.label.get(pdf.lang) if known else kpi.kpi_id,
            known.unit if known else Unit.COUNT,
            baseline_days.get(kpi.kpi_id),
            until,
        )
        draw_chart(pdf, series, (pdf.l_margin, y, pdf.width, CHART_HEIGHT))
        y += CHART_HEIGHT + _GAP
    pdf.set_xy(pdf.l_margin, y - _GAP)
