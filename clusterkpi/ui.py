"""Streamlit glue: the only clusterkpi module importing streamlit (setup, caching, cards)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import streamlit as st

from clusterkpi import config, engine
from clusterkpi.catalog import Catalog, Direction, load_catalog
from clusterkpi.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    STATUS_ICONS,
    format_day,
    format_delta,
    format_ratio,
    format_value,
    number_locale,
    t,
)
from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.adapters.vocabulary import EVENT_KIND_CODES
from clusterkpi.imports.history import (
    events_for_attendance,
    import_history,
    undoable_imports,
)
from clusterkpi.imports.importer import EventChoice, ImportOptions, import_file
from clusterkpi.imports.loading import undo_import
from clusterkpi.imports.report import ImportReport
from clusterkpi.imports.template_files import template_csv
from clusterkpi.periods import Grain, Period, last_complete, parse_period, period_of
from clusterkpi.progress import Status, Thresholds
from clusterkpi.scorecard import KpiCard, ObjectiveBlock, Scorecard, build_scorecard
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, Strategy, read_strategy

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


@dataclass(frozen=True)
class PageContext:
    """What every page needs: language, formats, data and the sidebar's choices."""

    lang: str
    locale: str
    store: Store
    catalog: Catalog
    strategy: Strategy | None
    period: Period
    horizon: Horizon
    today: date
    user: str = "animator"

    def t(self, key: str, **values: object) -> str:
        """Return a UI string in the page's language."""
        return t(key, self.lang, **values)


@st.cache_resource
def open_store(path: str) -> Store:
    """Return the process-wide store (one root connection; cursors per use)."""
    return Store(path)


@st.cache_resource
def catalog(path: str) -> Catalog:
    """Return the validated KPI catalogue."""
    return load_catalog(path)


def current_language() -> str:
    """Return the chosen language: URL, then session, then the browser's, then French."""
    lang = st.query_params.get("lang") or st.session_state.get("lang")
    if lang in LANGUAGES:
        return lang
    browser = (st.context.locale or "").lower()
    return "en" if browser.startswith("en") else DEFAULT_LANGUAGE


def setup_page(title_key: str, scorecard_controls: bool = True) -> PageContext:
    """Set up a page: language, store, catalogue, strategy and the sidebar choices.

    Every page calls this first, so that it works even when opened directly on a
    fresh server before app.py ever ran.
    """
    settings = config.get_settings()
    today = config.today()
    store = open_store(str(settings.db))
    cat = catalog(str(settings.catalog))
    lang = _language_picker()
    st.set_page_config(page_title=f"{t(title_key, lang)} · clusterkpi", layout="wide")
    strategy = read_strategy(store, today)
    if scorecard_controls:
        period = _period_picker(store, cat, lang, today)
        horizon = _horizon_picker(
            strategy, lang, number_locale(lang, st.context.locale)
        )
    else:
        period, horizon = last_complete(today), Horizon.SHORT
    return PageContext(
        lang,
        number_locale(lang, st.context.locale),
        store,
        cat,
        strategy,
        period,
        horizon,
        today,
    )


def _language_picker() -> str:
    lang = current_language()
    chosen = st.sidebar.segmented_control(
        "Langue / Language",
        LANGUAGES,
        default=lang,
        key="lang_picker",
        format_func=lambda code: t(f"lang.{code}", code),
    )
    lang = chosen or lang
    st.session_state["lang"] = lang
    st.query_params["lang"] = lang
    return lang


def period_options(store: Store, cat: Catalog, today: date) -> list[Period]:
    """Return the quarters a user may pick, newest first."""
    span = engine.data_span(store, cat)
    last = period_of(today, Grain.QUARTER)
    first = period_of(span[0], Grain.QUARTER) if span else last.shift(-7)
    first = max(first, last.shift(-59))
    count = (last.start.year - first.start.year) * 4 + (
        last.start.month - first.start.month
    ) // 3
    return [last.shift(-i) for i in range(count + 1)]


def _period_picker(store: Store, cat: Catalog, lang: str, today: date) -> Period:
    options = [p.label for p in period_options(store, cat, today)]
    default = last_complete(today).label
    wanted = st.query_params.get("period", default)
    if wanted not in options:
        wanted = default if default in options else options[0]
    label = st.sidebar.selectbox(
        t("sidebar.period", lang),
        options,
        index=options.index(wanted),
        key="period_picker",
    )
    st.query_params["period"] = label
    return parse_period(label)


def _horizon_picker(strategy: Strategy | None, lang: str, locale: str) -> Horizon:
    names = [h.value for h in Horizon]
    wanted = st.query_params.get("horizon", Horizon.SHORT.value)
    if wanted not in names:
        wanted = Horizon.SHORT.value

    def label(name: str) -> str:
        text = t(f"horizon.{name}", lang)
        if strategy and Horizon(name) in strategy.horizons:
            day = format_day(strategy.horizons[Horizon(name)], locale)
            return t("horizon.with_date", lang, name=text, date=day)
        return text

    chosen = st.sidebar.radio(
        t("sidebar.horizon", lang),
        names,
        index=names.index(wanted),
        format_func=label,
        key="horizon_picker",
    )
    st.query_params["horizon"] = chosen
    return Horizon(chosen)


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _cached_scorecard(
    db_path: str,
    catalog_path: str,
    data_version: str,
    period: str,
    horizon: str,
    today: date,
) -> Scorecard:
    store = open_store(db_path)
    settings = config.get_settings()
    return build_scorecard(
        store,
        catalog(catalog_path),
        read_strategy(store, today),
        parse_period(period),
        Horizon(horizon),
        Thresholds(settings.on_track_ratio, settings.at_risk_ratio),
    )


def scorecard(ctx: PageContext) -> Scorecard:
    """Return the scorecard for the page's choices (cached until the data change)."""
    settings = config.get_settings()
    return _cached_scorecard(
        str(settings.db),
        str(settings.catalog),
        ctx.store.data_version(),
        ctx.period.label,
        ctx.horizon.value,
        ctx.today,
    )


def has_data(ctx: PageContext) -> bool:
    """Tell whether any source table holds data."""
    return engine.data_span(ctx.store, ctx.catalog) is not None


def plain(text: str) -> str:
    """Escape Markdown so that text from data is shown as typed, never as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def status_text(ctx: PageContext, status: str) -> str:
    """Return a status as coloured Markdown: icon and word, never colour alone."""
    icon, colour = STATUS_ICONS[status]
    return f":{colour}[:material/{icon}: {t(f'status.{status}', ctx.lang)}]"


def positioning_header(ctx: PageContext, card: Scorecard) -> None:
    """Show the scorecard title and the cluster's positioning."""
    pos = card.positioning
    st.title(ctx.t("overview.title"))
    horizon_name = ctx.t(f"horizon.{card.horizon.value}").lower()
    st.caption(
        plain(
            ctx.t(
                "overview.subtitle",
                cluster=pos.cluster_name if pos else "—",
                period=card.period.label,
                horizon=horizon_name,
                date=format_day(card.horizon_date, ctx.locale),
            )
        )
    )
    if pos is None:
        st.info(ctx.t("overview.no_strategy"))
        return
    with st.expander(ctx.t("overview.positioning"), expanded=False):
        left, right = st.columns(2)
        for key, text in (
            ("mission", pos.mission),
            ("identity", pos.identity),
            ("values", pos.values),
        ):
            left.markdown(f"**{ctx.t(f'overview.{key}')}** — {plain(text)}")
        right.markdown(f"**{ctx.t('overview.ambitions')}**")
        for key in ("ambition_5y", "ambition_10y", "ambition_15y"):
            right.markdown(
                f"- *{ctx.t(f'overview.{key}')}* : {plain(getattr(pos, key))}"
            )


def scorecard_summary(ctx: PageContext, card: Scorecard) -> None:
    """Show the board's at-a-glance view: KPI counts per status, objectives' standing."""
    counts = Counter(
        c.assessment.status.value for b in card.blocks for c in b.cards if c.tracked
    )
    st.markdown(
        "  ·  ".join(
            f"{status_text(ctx, s.value)} **{counts.get(s.value, 0)}**" for s in Status
        )
    )
    rows = [
        {
            ctx.t("summary.objective"): ctx.catalog.objectives[
                b.objective_id
            ].label.get(ctx.lang),
            ctx.t("summary.group"): ctx.t(f"group.{b.group.value}"),
            ctx.t("summary.status"): ctx.t(f"status.{b.status.value}"),
            ctx.t("summary.progress"): None
            if b.progress is None
            else round(b.progress * 100),
        }
        for b in card.blocks
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=35 * (len(rows) + 1) + 3,  # every objective visible, no inner scrolling
        column_config={
            ctx.t("summary.progress"): st.column_config.ProgressColumn(
                format=ctx.t("summary.progress_format"), min_value=0, max_value=100
            )
        },
    )


def objective_block(ctx: PageContext, block: ObjectiveBlock, columns: int = 3) -> None:
    """Show one objective: status, progress and its KPI cards."""
    objective = ctx.catalog.objectives[block.objective_id]
    with st.container(border=True):
        st.subheader(objective.label.get(ctx.lang))
        progress = (
            ctx.t("objective.progress", value=format_ratio(block.progress, ctx.locale))
            if block.progress is not None
            else ctx.t("objective.progress_none")
        )
        st.markdown(f"**{status_text(ctx, block.status.value)}** · {progress}")
        st.caption(objective.description.get(ctx.lang))
        cols = st.columns(columns)
        for index, card in enumerate(block.cards):
            with cols[index % columns]:
                kpi_card(ctx, card)


def kpi_card(ctx: PageContext, card: KpiCard) -> None:
    """Show one KPI card: value, delta, sparkline, target and status."""
    kpi = ctx.catalog.kpis[card.kpi_id]
    with st.container(border=True, key=f"card_{card.kpi_id}"):
        spark = [v for _, v in card.sparkline if v is not None]
        st.metric(
            kpi.label.get(ctx.lang),
            format_value(card.value, kpi.unit, ctx.locale),
            delta=format_delta(card.delta, kpi.unit, ctx.locale),
            delta_color="inverse" if kpi.direction is Direction.LOWER else "normal",
            help=kpi.description.get(ctx.lang),
            chart_data=spark if len(spark) >= 2 else None,
            chart_type="line",
        )
        if card.value is None:
            exports = ", ".join(
                e for s in kpi.sources for e in ctx.catalog.sources[s].exports
            )
            st.caption(ctx.t("card.no_data", period=ctx.period.label, exports=exports))
        if card.tracked:
            st.markdown(status_text(ctx, card.assessment.status.value))
            st.caption(
                ctx.t(
                    f"card.target.{ctx.horizon.value}",
                    value=format_value(card.target, kpi.unit, ctx.locale),
                )
            )
        else:
            st.caption(ctx.t("card.no_target"))
        if card.manual:
            st.caption(ctx.t("card.manual"))


def template_downloads(ctx: PageContext) -> None:
    """Offer every clusterkpi template for download, in French and English."""
    with st.expander(ctx.t("upload.templates")):
        cols = st.columns(2)
        for index, adapter in enumerate(TEMPLATES):
            for lang in ("fr", "en"):
                label = adapter.display_label(lang)
                cols[index % 2].download_button(
                    ctx.t("upload.template_button", label=label, language=lang.upper()),
                    data=template_csv(adapter.name, lang),
                    file_name=f"{adapter.name.removeprefix('template_')}_{lang}.csv",
                    mime="text/csv",
                    on_click="ignore",
                    key=f"tpl_{adapter.name}_{lang}",
                )


def import_options(ctx: PageContext) -> ImportOptions:
    """Read the import options from their widgets."""
    left, right = st.columns(2)
    policy = left.radio(
        ctx.t("upload.on_errors"),
        ["reject", "load_valid"],
        format_func=lambda k: ctx.t(f"upload.on_errors.{k}"),
        key="on_errors",
    )
    order = left.selectbox(
        ctx.t("upload.date_order"),
        ["auto", "dmy", "mdy"],
        format_func=lambda k: ctx.t(f"upload.date_order.{k}"),
        key="date_order",
    )
    sources = ["auto", *ADAPTERS]
    source = right.selectbox(
        ctx.t("upload.source"),
        sources,
        key="source",
        format_func=lambda k: (
            ctx.t("upload.source.auto")
            if k == "auto"
            else ADAPTERS[k].display_label(ctx.lang)
        ),
    )
    return ImportOptions(
        source=None if source == "auto" else source,
        date_order=None if order == "auto" else order,
        load_valid_rows=policy == "load_valid",
        event=_event_choice(ctx, right),
        user=ctx.user,
    )


def _event_choice(ctx: PageContext, column: Any) -> EventChoice | None:
    events = events_for_attendance(ctx.store)
    ids = ["", "new", *(e for e, _ in events)]
    names = dict(events)
    picked = column.selectbox(
        ctx.t("upload.event"),
        ids,
        key="event_pick",
        format_func=lambda k: (
            "—" if not k else ctx.t("upload.event.new") if k == "new" else names[k]
        ),
    )
    if picked == "new":
        title = column.text_input(ctx.t("upload.event.title"), key="event_title")
        held_on = column.date_input(
            ctx.t("upload.event.date"),
            key="event_date",
            format="DD/MM/YYYY" if ctx.lang == "fr" else "YYYY-MM-DD",
        )
        kind = column.selectbox(
            ctx.t("upload.event.kind"), EVENT_KIND_CODES, key="event_kind"
        )
        return EventChoice(title=title.strip() or None, held_on=held_on, kind=kind)
    return EventChoice(event_id=picked) if picked else None


def dry_run(options: ImportOptions) -> ImportOptions:
    """Return the same options for a check that loads nothing."""
    return replace(options, dry_run=True)


def run_imports(
    ctx: PageContext, files: list[Any], options: ImportOptions
) -> list[ImportReport]:
    """Import (or check) the uploaded files one by one, with a progress bar."""
    limit = config.get_settings().max_upload_mb
    bar = st.progress(0.0)
    reports = []
    for index, uploaded in enumerate(files, start=1):
        bar.progress(
            (index - 1) / len(files),
            text=ctx.t(
                "upload.progress", name=uploaded.name, index=index, total=len(files)
            ),
        )
        if uploaded.size > limit * 1024 * 1024:
            st.error(ctx.t("upload.too_large", name=uploaded.name, limit=limit))
            continue
        reports.append(
            import_file(
                ctx.store, uploaded.name, uploaded.getvalue(), options, ctx.today
            )
        )
    bar.progress(1.0)
    bar.empty()
    return reports


def import_report(ctx: PageContext, report: ImportReport) -> None:
    """Show one file's report: what it was recognised as, counts, every problem."""
    status = ctx.t(f"import.status.{report.status}")
    show = (
        st.success if report.status in ("loaded", "duplicate", "checked") else st.error
    )
    with st.container(border=True):
        show(ctx.t("upload.result", file=report.file_name, status=status), icon=None)
        for table in report.tables:
            if table.source:
                st.write(
                    ctx.t(
                        "upload.recognised",
                        table=table.name,
                        source=ADAPTERS[table.source].display_label(ctx.lang),
                        read=table.rows_read,
                        valid=table.rows_valid,
                    )
                )
            if table.date_order_ambiguous:
                st.warning(
                    ctx.t(
                        "upload.ambiguous",
                        table=table.name,
                        order=ctx.t(f"upload.date_order.{table.date_order}"),
                    )
                )
        checked = report.status == "checked"
        st.caption(
            ctx.t(
                "upload.counts_checked" if checked else "upload.counts",
                added=report.rows_added,
                updated=report.rows_updated,
                rejected=report.rows_rejected,
            )
        )
        problems = report.to_dict(ctx.lang)["problems"]
        if problems:
            st.markdown(f"**{ctx.t('upload.problems', count=len(problems))}**")
            columns = (
                ("table", "table"),
                ("line", "line"),
                ("column", "column"),
                ("value", "value"),
                ("reason", "message"),
            )
            rows = [
                {ctx.t(f"import.csv.{k}"): p[src] for k, src in columns}
                for p in problems
            ]
            st.dataframe(rows, hide_index=True, width="stretch")
            st.download_button(
                ctx.t("upload.problems_csv"),
                data=report.problems_csv(ctx.lang).encode("utf-8-sig"),
                file_name=f"problems_{report.file_name}.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"problems_{report.sha256[:12]}",
            )


def undo_form(ctx: PageContext) -> None:
    """Let the animator undo one import."""
    choices = undoable_imports(ctx.store)
    if not choices:
        return
    with st.form("undo_form"):
        st.markdown(f"**{ctx.t('upload.undo')}**")
        names = dict(choices)
        picked = st.selectbox(
            ctx.t("upload.undo.choice"),
            list(names),
            key="undo_choice",
            format_func=lambda i: f"#{i} — {names[i]}",
        )
        if st.form_submit_button(ctx.t("upload.undo.button")):
            removed = undo_import(ctx.store, picked, ctx.user)
            st.success(ctx.t("upload.undo.done", id=picked, rows=sum(removed.values())))


def import_history_table(ctx: PageContext) -> None:
    """Show the import history with headers in the user's language."""
    frame = import_history(ctx.store)
    labels = {c: ctx.t(f"history.{c}") for c in frame.columns}
    st.dataframe(frame.rename(columns=labels), hide_index=True, width="stretch")
