"""Upload page widgets: template downloads, import options, imports, history and undo."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from clusterkpi import config
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
from clusterkpi.roles import Action
from clusterkpi.ui.context import PageContext, plain
from clusterkpi.ui.survey_picker import survey_picker


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
        lang=ctx.lang,
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


def survey_choices(
    ctx: PageContext, files: list[Any] | None
) -> dict[str, tuple[str, ...] | None]:
    """Show a survey picker for each uploaded survey export holding several surveys."""
    return {f.name: survey_picker(ctx, f.name, f.getvalue()) for f in files or []}


def run_imports(
    ctx: PageContext,
    files: list[Any],
    options: ImportOptions,
    surveys: dict[str, tuple[str, ...] | None] | None = None,
) -> list[ImportReport]:
    """Import (or check) the uploaded files one by one, with a progress bar."""
    if not ctx.viewer.may(Action.IMPORT):  # checked again when the button is pressed
        st.error(ctx.t("auth.refused"))
        return []
    limit = config.get_settings().max_upload_mb
    bar = st.progress(0.0)
    reports = []
    for index, uploaded in enumerate(files, start=1):

        def show(
            fraction: float, phase: str, name: str = uploaded.name, index: int = index
        ) -> None:
            bar.progress(
                min(1.0, (index - 1 + fraction) / len(files)),
                text=ctx.t(
                    f"upload.phase.{phase}", name=name, index=index, total=len(files)
                ),
            )

        show(0.0, "read")
        if uploaded.size > limit * 1024 * 1024:
            st.error(ctx.t("upload.too_large", name=plain(uploaded.name), limit=limit))
            continue
        reports.append(
            import_file(
                ctx.store,
                uploaded.name,
                uploaded.getvalue(),
                replace(
                    options,
                    on_progress=show,
                    surveys=(surveys or {}).get(uploaded.name),
                ),
                ctx.today,
            )
        )
    bar.progress(1.0)
    bar.empty()
    return reports


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
            if not ctx.viewer.may(Action.UNDO):
                st.error(ctx.t("auth.refused"))
                return
            removed = undo_import(ctx.store, picked, ctx.user)
            st.success(ctx.t("upload.undo.done", id=picked, rows=sum(removed.values())))


def import_history_table(ctx: PageContext) -> None:
    """Show the import history with headers in the user's language."""
    frame = import_history(ctx.store)
    labels = {c: ctx.t(f"history.{c}") for c in frame.columns}
    st.dataframe(frame.rename(columns=labels), hide_index=True, width="stretch")
