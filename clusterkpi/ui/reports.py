"""Import report view: one file's outcome, its recognised sources and every problem."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.mapping import mapping_label
from clusterkpi.imports.report import ImportReport, accounting
from clusterkpi.ui.context import PageContext, plain

# Sources the import history records that are no tool: the demo data, an unread file.
_OWN_SOURCES = ("demo", "unknown")
# Up to this many problems, a table that wraps each reason; beyond, a scrolling one.
WRAPPED_PROBLEMS = 100


def source_label(ctx: PageContext, source: str) -> str:
    """Return how an import result's source is shown: an adapter's or a mapping's label."""
    if source in ADAPTERS:
        return ADAPTERS[source].display_label(ctx.lang)
    if source in _OWN_SOURCES:  # recorded by the application, not read from a file
        return ctx.t(f"labels.source.{source}")
    label = mapping_label(ctx.store, source)
    return (
        ctx.t("mapping.source", label=plain(label))
        if label
        else ctx.t("mapping.unsaved")
    )


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


def import_report(ctx: PageContext, report: ImportReport) -> None:
    """Show one file's report: what it was recognised as, counts, every problem."""
    status = ctx.t(f"import.status.{report.status}")
    show = (
        st.success if report.status in ("loaded", "duplicate", "checked") else st.error
    )
    with st.container(border=True):
        # File, table and mapping names come from the user: shown as typed, never
        # as Markdown (a name may hold links, images or emphasis).
        show(
            ctx.t("upload.result", file=plain(report.file_name), status=status),
            icon=None,
        )
        for table in report.tables:
            if table.source:
                st.write(
                    ctx.t(
                        "upload.recognised",
                        table=plain(table.name),
                        source=source_label(ctx, table.source),
                        read=table.rows_read,
                        valid=table.rows_valid,
                    )
                )
                st.caption(plain(accounting(table, ctx.lang)))
                if table.runner_up in ADAPTERS:
                    st.caption(
                        ctx.t(
                            "upload.runner_up",
                            source=ADAPTERS[table.runner_up].display_label(ctx.lang),
                        )
                    )
            for warning in table.warnings:
                st.warning(plain(warning.message(ctx.lang)), icon=None)
            # Refused for its columns: a column mapping to any dataset lets it in.
            if any(
                p.reason in ("unrecognised", "missing_columns") for p in table.problems
            ):
                mapping_link(ctx)
            if table.date_order_ambiguous:
                st.warning(
                    ctx.t(
                        "upload.ambiguous",
                        table=plain(table.name),
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
                {ctx.t(f"import.csv.{k}"): _shown(p[src]) for k, src in columns}
                for p in problems
            ]
            if len(rows) <= WRAPPED_PROBLEMS:  # every reason whole, wrapped
                # st.table renders its cells as Markdown: values come from the file.
                st.table([{k: _cell(v) for k, v in row.items()} for row in rows])
            else:  # a long list scrolls; the CSV below holds every problem whole
                st.dataframe(rows, hide_index=True, width="stretch")
            st.download_button(
                ctx.t("upload.problems_csv"),
                data=report.problems_csv(ctx.lang).encode("utf-8-sig"),
                file_name=f"problems_{PurePath(report.file_name).stem}.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"problems_{report.sha256[:12]}",
            )


def _shown(value: object) -> object:
    # A problem about a whole file or table has no line, column or value: show blank.
    return "" if value is None else value


def _cell(value: object) -> object:
    # st.table renders text cells as Markdown; numbers stay numbers.
    return plain(value) if isinstance(value, str) else value
