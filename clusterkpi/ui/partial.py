"""The 'partial (x %)' note of a KPI value that counts period rows only in part."""

from __future__ import annotations

from babel.numbers import format_percent

from clusterkpi import config
from clusterkpi.engine import KpiPoint
from clusterkpi.i18n import t
from clusterkpi.scorecard import HISTORY
from clusterkpi.ui.context import PageContext, cached_points


def partial_text(point: KpiPoint, lang: str, locale: str) -> str | None:
    """Return 'partiel (76 %)' / 'partial (76%)' for a partial point, else None."""
    if point.covered_share is None or point.value is None:
        return None
    share = format_percent(point.covered_share, locale=locale)
    return t("periods.partial", lang, share=share)


def partial_note(ctx: PageContext, kpi_id: str) -> str | None:
    """Return the note of the page's period for one KPI, from the scorecard's points."""
    settings = config.get_settings()
    first = ctx.period.shift(1 - HISTORY).label
    points = cached_points(
        str(settings.db),
        str(settings.catalog),
        ctx.data_version,
        first,
        ctx.period.label,
    )
    found = [p for p in points.get(kpi_id, []) if p.period == ctx.period]
    return partial_text(found[-1], ctx.lang, ctx.locale) if found else None
