"""Upload page widgets: template downloads, import options, imports, history and undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import cast

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.uploaded_file_manager import UploadedFile

from clusterkpi import config
from clusterkpi.i18n import format_day, format_moment
from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.adapters.templates import TEMPLATES
from clusterkpi.imports.adapters.vocabulary import EVENT_KIND_CODES
from clusterkpi.imports.event_guess import EventGuess, guess_event
from clusterkpi.imports.history import (
    events_for_attendance,
    import_history,
    undoable_imports,
)
from clusterkpi.imports.importer import EventChoice, ImportOptions, import_file
from clusterkpi.imports.loading import undo_import
from clusterkpi.imports.report import ImportReport
from clusterkpi.imports.template_files import template_csv
from clusterkpi.labels import author_label, event_kind_label, import_state
from clusterkpi.roles import Action
from clusterkpi.ui.context import PageContext, plain
from clusterkpi.ui.reports import source_label
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


# The formats the file picker takes, as the page names them to the user.
FILE_TYPES = ("csv", "tsv", "txt", "xlsx", "xls", "zip")


def upload_files(ctx: PageContext) -> list[UploadedFile]:
    """Show the file picker, with its size limit and formats in the user's language.

    Streamlit's picker shows its own English words ('Upload', 'per file') and offers
    no way to change them (streamlit/streamlit#13500): a caption says the same in
    the page's language, with the limit the server applies.
    """
    limit = config.get_settings().max_upload_mb
    files = st.file_uploader(
        ctx.t("upload.files"),
        accept_multiple_files=True,
        key="files",
        type=list(FILE_TYPES),
        max_upload_size=limit,
    )
    formats = ", ".join(f.upper() for f in FILE_TYPES)
    st.caption(ctx.t("labels.upload.limits", limit=limit, formats=formats))
    return files or []


def import_options(
    ctx: PageContext, files: list[UploadedFile] | None = None
) -> ImportOptions:
    """Read the import options from their widgets (an attendee file prefills its event)."""
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
        event=_event_choice(ctx, right, files or []),
        user=ctx.user,
        lang=ctx.lang,
    )


def _event_choice(
    ctx: PageContext, column: DeltaGenerator, files: list[UploadedFile]
) -> EventChoice | None:
    events = events_for_attendance(ctx.store)
    ids = ["", "new", *(e for e, _ in events)]
    names = dict(events)
    _prefill_event(files, names)
    picked = column.selectbox(
        ctx.t("upload.event"),
        ids,
        key="event_pick",
        format_func=lambda k: (
            "—"
            if not k
            else ctx.t("upload.event.new")
            if k == "new"
            else _event_name(ctx, names[k])
        ),
    )
    if picked == "new":
        st.session_state.setdefault("event_date", None)
        title = column.text_input(ctx.t("upload.event.title"), key="event_title")
        held_on = column.date_input(
            ctx.t("upload.event.date"),
            key="event_date",
            format="DD/MM/YYYY" if ctx.lang == "fr" else "YYYY-MM-DD",
        )
        kind = column.selectbox(
            ctx.t("upload.event.kind"),
            EVENT_KIND_CODES,
            key="event_kind",
            format_func=lambda k: event_kind_label(k, ctx.lang),
        )
        guess = st.session_state.get("_event_guess")
        if guess and guess.sources:
            found = [ctx.t(f"labels.upload.event_guess.{s}") for s in guess.sources]
            column.caption(ctx.t("labels.upload.event_guess", source=" + ".join(found)))
        if not (title.strip() and held_on):
            column.warning(ctx.t("labels.upload.event_missing"), icon=None)
        return EventChoice(title=title.strip() or None, held_on=held_on, kind=kind)
    return EventChoice(event_id=picked) if picked else None


def _event_name(ctx: PageContext, name: str) -> str:
    # events_for_attendance names an event 'YYYY-MM-DD — title': the date as the user reads it.
    day, _, title = name.partition(" — ")
    try:
        return f"{format_day(date.fromisoformat(day), ctx.locale)} — {title}"
    except ValueError:
        return name


def _prefill_event(files: list[UploadedFile], names: dict[str, str]) -> None:
    """Prefill the event widgets once per new set of files holding an Eventbrite list.

    A known event with the same date and title is picked; otherwise a new event with
    the title, date and kind the file tells (an empty date when it tells none, never
    today's). The animator's own changes stay until other files come.
    """
    signature = tuple((f.name, f.size) for f in files)
    if st.session_state.get("_event_guess_for") == signature:
        return
    st.session_state["_event_guess_for"] = signature
    guess = next(
        (g for f in files if (g := guess_event(f.name, f.getvalue())) is not None),
        None,
    )
    st.session_state["_event_guess"] = guess
    if guess is None:
        return
    known = {label: key for key, label in names.items()}
    match = known.get(f"{guess.held_on} — {guess.title}") if guess.title else None
    st.session_state["event_pick"] = match or "new"
    if match is None:
        _fill_new_event(guess)


def _fill_new_event(guess: EventGuess) -> None:
    st.session_state["event_title"] = guess.title or ""
    st.session_state["event_date"] = guess.held_on
    if guess.kind in EVENT_KIND_CODES:
        st.session_state["event_kind"] = guess.kind


def dry_run(options: ImportOptions) -> ImportOptions:
    """Return the same options for a check that loads nothing."""
    return replace(options, dry_run=True)


def survey_choices(
    ctx: PageContext, files: list[UploadedFile] | None
) -> dict[str, tuple[str, ...] | None]:
    """Show a survey picker for each uploaded survey export holding several surveys."""
    return {f.name: survey_picker(ctx, f.name, f.getvalue()) for f in files or []}


def run_imports(
    ctx: PageContext,
    files: list[UploadedFile],
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
                    f"upload.phase.{phase}",
                    name=plain(name),
                    index=index,
                    total=len(files),
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
    """Show the import history in words: dates, authors, sources and states localised."""
    frame = import_history(ctx.store)
    # pandas-stubs type every itertuples field as any scalar; the imports table fixes them:
    # imported_at is a TIMESTAMP NOT NULL (a pandas Timestamp, a datetime), the texts are
    # VARCHAR NOT NULL (str() keeps them as they are).
    rows = [
        {
            ctx.t("history.import_id"): r.import_id,
            ctx.t("history.imported_at"): format_moment(
                cast(datetime, r.imported_at), ctx.locale
            ),
            ctx.t("history.imported_by"): author_label(str(r.imported_by), ctx.lang),
            ctx.t("history.file_name"): r.file_name,
            # The state before the counts: read without scrolling the table sideways.
            ctx.t("history.status"): import_state(
                str(r.status), ctx.lang, ctx.locale, _moment(r.undone_at)
            ),
            ctx.t("history.source"): _sources_text(ctx, str(r.source)),
            ctx.t("history.rows_added"): r.rows_added,
            ctx.t("history.rows_updated"): r.rows_updated,
            ctx.t("history.rows_rejected"): r.rows_rejected,
        }
        for r in frame.itertuples(index=False)
    ]
    if not rows:
        st.caption(ctx.t("labels.upload.no_history"))
        return
    st.dataframe(rows, hide_index=True, width="stretch")


def _sources_text(ctx: PageContext, sources: str | None) -> str:
    # An import of a workbook records each sheet's source, comma-separated.
    return ", ".join(source_label(ctx, s) for s in (sources or "").split(", ") if s)


def _moment(value: object) -> datetime | None:
    # pandas gives NaT for an import never undone, a Timestamp for one undone.
    return value.to_pydatetime() if isinstance(value, pd.Timestamp) else None
