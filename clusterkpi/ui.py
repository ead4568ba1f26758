"""Streamlit glue: the only clusterkpi module importing streamlit (setup, caching, cards)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePath
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

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
from clusterkpi.imports.encoding import ImportFileError
from clusterkpi.imports.fields import Adapter, FieldMap, Kind, normalize
from clusterkpi.imports.history import (
    events_for_attendance,
    import_history,
    undoable_imports,
)
from clusterkpi.imports.importer import EventChoice, ImportOptions, import_file
from clusterkpi.imports.loading import undo_import
from clusterkpi.imports.mapping import (
    TEMPLATE_FOR,
    ColumnMapping,
    MappingIssue,
    delete_mapping,
    header_signature,
    list_mappings,
    mapping_issues,
    mapping_label,
    read_sample,
    save_mapping,
)
from clusterkpi.imports.report import ImportReport
from clusterkpi.imports.template_files import template_csv, template_headers
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
                        source=source_label(ctx, table.source),
                        read=table.rows_read,
                        valid=table.rows_valid,
                    )
                )
            if any(p.reason == "unrecognised" for p in table.problems):
                mapping_link(ctx)
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


# Column mapping (pages/mappings.py). The form's widget keys carry the header's
# signature and the dataset, so another file shape or dataset starts afresh.
_EDITING = "mapping_editing"  # signature of the saved mapping loaded into the form
_FLASH = "mapping_flash"
_MAX_VALUES = 50
_PREVIEW_ROWS = 5


@dataclass(frozen=True)
class MappingSample:
    """An uploaded sample file, read as the importer reads it (its first table)."""

    name: str
    raw: bytes
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]

    @property
    def signature(self) -> str:
        """The signature of the sample's header."""
        return header_signature(self.header)


@dataclass(frozen=True)
class MappingTarget:
    """What the mapping form works on: a header, its sample if any, its saved mapping."""

    signature: str
    header: tuple[str, ...]
    sample: MappingSample | None
    saved: ColumnMapping | None
    default_label: str


def source_label(ctx: PageContext, source: str) -> str:
    """Return how an import result's source is shown: an adapter's or a mapping's label."""
    if source in ADAPTERS:
        return ADAPTERS[source].display_label(ctx.lang)
    label = mapping_label(ctx.store, source)
    return ctx.t("mapping.source", label=label) if label else ctx.t("mapping.unsaved")


def mapping_link(ctx: PageContext) -> None:
    """Point to the column-mapping page."""
    try:
        st.page_link(
            "pages/mappings.py",
            label=ctx.t("mapping.link"),
            icon=":material/table_convert:",
        )
    except StreamlitPageNotFoundError:
        # The page ran without app.py's navigation (fresh server, AppTest): no link.
        st.caption(ctx.t("mapping.link_hint"))


def mapping_sample(ctx: PageContext) -> MappingSample | None:
    """Read the uploaded sample file; show its header and first rows."""
    uploaded = st.file_uploader(
        ctx.t("mapping.file"),
        key="mapping_file",
        type=["csv", "tsv", "txt", "xlsx", "xls", "zip"],
        on_change=_stop_editing,
    )
    if uploaded is None:
        return None
    limit = config.get_settings().max_upload_mb
    if uploaded.size > limit * 1024 * 1024:
        st.error(ctx.t("upload.too_large", name=uploaded.name, limit=limit))
        return None
    try:
        table = read_sample(uploaded.name, uploaded.getvalue())[0]
    except ImportFileError as exc:
        st.error(exc.message(ctx.lang))
        return None
    columns = " · ".join(table.header)
    st.caption(plain(ctx.t("mapping.header", count=len(table.header), columns=columns)))
    st.markdown(f"**{plain(ctx.t('mapping.preview', table=table.name))}**")
    st.dataframe(_preview(table.header, table.rows[:_PREVIEW_ROWS]), hide_index=True)
    return MappingSample(uploaded.name, uploaded.getvalue(), table.header, table.rows)


def _preview(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> pd.DataFrame:
    seen: Counter[str] = Counter()
    names = []
    for cell in header:  # a table needs unique column names: repeats get a number
        seen[cell] += 1
        names.append(cell if seen[cell] == 1 else f"{cell} ({seen[cell]})")
    width = len(header)
    cells = [tuple(r[:width]) + ("",) * (width - len(r)) for r in rows]
    return pd.DataFrame(cells, columns=names, dtype="str")


def mapping_target(
    ctx: PageContext, sample: MappingSample | None
) -> MappingTarget | None:
    """Return what the form works on: the saved mapping being edited, else the sample."""
    saved = {m.signature: m for m in list_mappings(ctx.store)}
    editing = st.session_state.get(_EDITING)
    if editing in saved:
        item = saved[editing]
        st.info(ctx.t("mapping.editing", label=plain(item.mapping.label)))
        st.button(ctx.t("mapping.cancel"), key="mapping_cancel", on_click=_stop_editing)
        fits = sample is not None and sample.signature == editing
        return MappingTarget(
            editing,
            item.header,
            sample if fits else None,
            item.mapping,
            item.mapping.label,
        )
    if sample is None:
        return None
    known = saved.get(sample.signature)
    if known is not None:
        st.info(ctx.t("mapping.known", label=plain(known.mapping.label)))
    return MappingTarget(
        sample.signature,
        sample.header,
        sample,
        known.mapping if known else None,
        PurePath(sample.name).stem or sample.name,
    )


def mapping_form(ctx: PageContext, target: MappingTarget) -> ColumnMapping | None:
    """Show the mapping form; return the mapping, or None while it has issues."""
    dataset = _dataset_pick(ctx, target)
    template = TEMPLATE_FOR[dataset]
    saved = target.saved if target.saved and target.saved.dataset == dataset else None
    prefix = f"mapping_{target.signature[:12]}_{dataset}"
    names = _field_names(template, ctx.lang)
    columns = _column_picks(ctx, target, template, saved, prefix)
    orders = ["auto", "dmy", "mdy"]
    order = st.selectbox(
        ctx.t("mapping.date_order"),
        orders,
        index=orders.index(saved.date_order or "auto") if saved else 0,
        format_func=lambda k: ctx.t(f"upload.date_order.{k}"),
        key=f"{prefix}_date_order",
    )
    translations = {}
    for spec in template.fields:
        if spec.kind is Kind.CATEGORY and spec.target in columns:
            chosen = _translation_editor(
                ctx,
                target,
                spec,
                names[spec.target],
                columns[spec.target],
                saved,
                prefix,
            )
            if chosen:
                translations[spec.target] = chosen
    label = st.text_input(
        ctx.t("mapping.label"), value=target.default_label, key=f"{prefix}_label"
    )
    issues = mapping_issues(dataset, columns, translations, target.header)
    for issue in issues:  # fields named as the form shows them
        shown = {**issue.params, "field": names.get(issue.params.get("field", ""), "")}
        st.warning(plain(MappingIssue(issue.code, shown).message(ctx.lang)))
    if issues:
        return None
    return ColumnMapping(
        dataset=dataset,
        columns=columns,
        date_order=None if order == "auto" else order,
        translations=translations,
        label=label.strip() or target.default_label,
    )


def _field_names(template: Adapter, lang: str) -> dict[str, str]:
    headers = template_headers(template, lang)
    return {f.target: name for f, name in zip(template.fields, headers, strict=True)}


def _dataset_pick(ctx: PageContext, target: MappingTarget) -> str:
    datasets = list(TEMPLATE_FOR)
    default = (
        target.saved.dataset
        if target.saved
        else max(datasets, key=lambda d: TEMPLATE_FOR[d].score(target.header))
    )
    return st.selectbox(
        ctx.t("mapping.dataset"),
        datasets,
        index=datasets.index(default),
        format_func=lambda d: TEMPLATE_FOR[d].display_label(ctx.lang),
        key=f"mapping_{target.signature[:12]}_dataset",
    )


def _column_picks(
    ctx: PageContext,
    target: MappingTarget,
    template: Adapter,
    saved: ColumnMapping | None,
    prefix: str,
) -> dict[str, str]:
    st.markdown(f"**{ctx.t('mapping.columns')}**")
    options = ["", *dict.fromkeys(target.header)]
    found = template.column_index(target.header)  # alias matches are preselected
    names = _field_names(template, ctx.lang)
    picked = {}
    cols = st.columns(3)
    for index, spec in enumerate(template.fields):
        if saved is not None:
            default = _spelled_as(saved.columns.get(spec.target, ""), target.header)
        else:
            position = found.get(spec.target)
            default = "" if position is None else target.header[position]
        label = names[spec.target]
        if spec.required and spec.default is None:
            label = ctx.t("mapping.field_required", label=label)
        choice = cols[index % 3].selectbox(
            label,
            options,
            index=options.index(default),
            format_func=lambda c: c or "—",
            key=f"{prefix}_{spec.target}",
        )
        if choice:
            picked[spec.target] = choice
    return picked


def _spelled_as(cell: str, header: tuple[str, ...]) -> str:
    """Return the header's own spelling of a cell (case and accents aside), or ''."""
    wanted = normalize(cell)
    return next((h for h in header if cell and normalize(h) == wanted), "")


def _translation_editor(
    ctx: PageContext,
    target: MappingTarget,
    spec: FieldMap,
    name: str,
    column: str,
    saved: ColumnMapping | None,
    prefix: str,
) -> dict[str, str]:
    """Show a category column's values beside clusterkpi's; return the user's choices.

    Only choices that differ from the automatic reading are returned.
    """
    position = [normalize(h) for h in target.header].index(normalize(column))
    known = saved.translations.get(spec.target, {}) if saved else {}
    values = _distinct_values(target, position, known)
    if not values:
        return {}
    automatic = {normalize(k): v for k, v in spec.categories.items()}
    preset = {**automatic, **{normalize(k): v for k, v in known.items()}}
    frame = pd.DataFrame(
        {"value": values, "canonical": [preset.get(normalize(v)) for v in values]},
        dtype="object",
    )
    st.markdown(f"**{plain(ctx.t('mapping.translations', field=name))}**")
    edited = st.data_editor(
        frame,
        hide_index=True,
        disabled=["value"],
        column_config={
            "value": st.column_config.TextColumn(ctx.t("mapping.value")),
            "canonical": st.column_config.SelectboxColumn(
                ctx.t("mapping.canonical"),
                options=sorted(set(spec.categories.values())),
                help=ctx.t("mapping.translations.help"),
            ),
        },
        key=f"{prefix}_{spec.target}_{position}_values",
    )
    return {
        raw: value
        for raw, value in zip(edited["value"], edited["canonical"], strict=True)
        if isinstance(value, str) and value and automatic.get(normalize(raw)) != value
    }


def _distinct_values(
    target: MappingTarget, position: int, known: dict[str, str]
) -> list[str]:
    """Return a column's distinct values (first spelling, up to 50), then saved ones."""
    rows = target.sample.rows if target.sample else []
    found: dict[str, str] = {}
    for row in rows:
        cell = row[position].strip() if position < len(row) else ""
        if cell and normalize(cell) not in found and len(found) < _MAX_VALUES:
            found[normalize(cell)] = cell
    for raw in known:
        found.setdefault(normalize(raw), raw)
    return list(found.values())


def check_mapping_sample(
    ctx: PageContext, sample: MappingSample, mapping: ColumnMapping
) -> ImportReport:
    """Check the sample with the mapping being built: a dry run that loads nothing."""
    options = ImportOptions(dry_run=True, mapping=mapping, user=ctx.user)
    return import_file(ctx.store, sample.name, sample.raw, options, ctx.today)


def save_column_mapping(
    ctx: PageContext, target: MappingTarget, mapping: ColumnMapping
) -> None:
    """Save the mapping under its header's signature and say so."""
    save_mapping(ctx.store, target.header, mapping)
    st.success(ctx.t("mapping.saved_ok", label=plain(mapping.label)))


def saved_mappings(ctx: PageContext) -> None:
    """List the saved mappings, each with its dataset, columns and date; edit or delete."""
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    items = list_mappings(ctx.store)
    if not items:
        st.caption(ctx.t("mapping.list.empty"))
    for item in items:
        template = TEMPLATE_FOR[item.mapping.dataset]
        names = _field_names(template, ctx.lang)
        columns = ", ".join(
            f"{cell} → {names[field]}" for field, cell in item.mapping.columns.items()
        )
        key = item.signature[:12]
        with st.container(border=True, key=f"mapping_item_{key}"):
            heading = ctx.t(
                "mapping.list.item",
                label=item.mapping.label,
                dataset=template.display_label(ctx.lang),
                date=format_day(item.updated_at.date(), ctx.locale),
            )
            st.markdown(f"**{plain(heading)}**")
            st.caption(plain(ctx.t("mapping.list.columns", columns=columns)))
            edit, delete = st.columns(2)
            edit.button(
                ctx.t("mapping.edit"),
                key=f"mapping_edit_{key}",
                on_click=_start_editing,
                args=(item.signature,),
            )
            delete.button(
                ctx.t("mapping.delete"),
                key=f"mapping_delete_{key}",
                on_click=_delete_saved,
                args=(ctx, item.signature, item.mapping.label),
            )


def _start_editing(signature: str) -> None:
    # Fresh widgets: the saved mapping's values become their defaults again.
    prefix = f"mapping_{signature[:12]}_"
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    st.session_state[_EDITING] = signature


def _stop_editing() -> None:
    st.session_state.pop(_EDITING, None)


def _delete_saved(ctx: PageContext, signature: str, label: str) -> None:
    delete_mapping(ctx.store, signature)
    if st.session_state.get(_EDITING) == signature:
        _stop_editing()
    st.session_state[_FLASH] = ctx.t("mapping.deleted", label=plain(label))
