"""The board pack's appendix: each KPI's definition, with the SQL the engine runs."""

from __future__ import annotations

from typing import cast

from fpdf.enums import XPos, YPos
from fpdf.util import Padding

from clusterkpi.catalog import Catalog, Kpi
from clusterkpi.exports.pdf_document import MONO, MUTED, PackDocument, plain
from clusterkpi.i18n import t
from clusterkpi.lineage import kpi_sql
from clusterkpi.snapshot_model import Snapshot

SQL_SIZE = 6.3
SQL_SHADE = 244


def draw_appendix(pdf: PackDocument, catalog: Catalog, snapshot: Snapshot) -> None:
    """Draw every KPI definition of the snapshot, objective by objective."""
    lang = pdf.lang
    title = t("export.appendix", lang)
    pdf.begin_section(title)
    pdf.heading(title, 16)
    note = t("export.appendix.version", lang, version=catalog.version)
    if snapshot.catalog_version != catalog.version:
        note += " " + t(
            "export.appendix.frozen_version", lang, version=snapshot.catalog_version
        )
    pdf.paragraph(note, 8, grey=MUTED)
    pdf.ln(3)
    for objective in snapshot.objectives:
        for frozen in snapshot.kpis_of(objective.objective_id):
            kpi = catalog.kpis.get(frozen.kpi_id)
            if kpi is None:
                pdf.paragraph(frozen.kpi_id, 9.5, bold=True)
                pdf.paragraph(t("export.appendix.missing", lang), 8, grey=MUTED)
            else:
                _definition(pdf, catalog, kpi)
            pdf.ln(3.5)


def _definition(pdf: PackDocument, catalog: Catalog, kpi: Kpi) -> None:
    lang = pdf.lang
    objective = catalog.objectives[kpi.objective].label.get(lang)
    texts = (
        (kpi.label.get(lang), 9.5, True),
        (
            " · ".join(
                (
                    objective,
                    t(f"detail.unit.{kpi.unit.value}", lang),
                    t(f"detail.direction.{kpi.direction.value}", lang),
                    t(f"detail.grain.{kpi.grain.value}", lang),
                )
            ),
            7.5,
            False,
        ),
        (kpi.description.get(lang), 8.5, False),
    )
    sql = plain(kpi_sql(kpi))
    # A definition is never split across two pages (fpdf2's unbreakable() lost
    # blocks when it moved them, so the block is measured first).
    height = sum(pdf.paragraph_height(text, size, bold) for text, size, bold in texts)
    pdf.set_font(MONO, "", SQL_SIZE)
    height += 2 + 3.5 + _sql_cell(pdf, sql, dry_run=True)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    for rank, (text, size, bold) in enumerate(texts):
        pdf.paragraph(text, size, bold=bold, grey=MUTED if rank == 1 else 0)
    pdf.ln(2)
    pdf.font(7, grey=MUTED)
    pdf.cell(
        0, 3.5, t("export.appendix.sql", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(MONO, "", SQL_SIZE)
    pdf.set_text_color(0)
    pdf.set_fill_color(SQL_SHADE)
    _sql_cell(pdf, sql)


def _sql_cell(pdf: PackDocument, sql: str, dry_run: bool = False) -> float:
    """Draw (or only measure) the formula in a shaded monospace block; return its height."""
    height = pdf.multi_cell(
        0,
        SQL_SIZE * 0.42,
        sql,
        align="L",
        fill=True,
        padding=Padding(top=1.2, right=1.5, bottom=1.2, left=1.5),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        dry_run=dry_run,
        output="HEIGHT",
    )
    # fpdf2 types the result as the union of every output mode; "HEIGHT" is a number.
    return float(cast(float, height))
