"""Column-mapping page: the sample file, what the form edits, saved mappings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd
import streamlit as st

from clusterkpi import config
from clusterkpi.i18n import format_day
from clusterkpi.imports.adapters import targets
from clusterkpi.imports.encoding import ImportFileError
from clusterkpi.imports.fields import Adapter
from clusterkpi.imports.importer import ImportOptions, import_file
from clusterkpi.imports.mapping import (
    TARGET_FOR,
    ColumnMapping,
    MappingNameTaken,
    SavedMapping,
    delete_mapping,
    header_signature,
    list_mappings,
    missing_columns,
    read_sample,
    save_mapping,
)
from clusterkpi.imports.report import ImportReport
from clusterkpi.roles import Action
from clusterkpi.ui.context import PageContext, plain

# Session state of the column-mapping page (pages/mappings.py). The form's widget
# keys start with "mapping_<signature[:12]>_" (see mapping_form.py).
_EDITING = "mapping_editing"  # signature of the saved mapping loaded into the form
_FLASH = "mapping_flash"
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
    origin: str = ""  # the name of a saved mapping of another shape, chosen to read it

    @property
    def key_prefix(self) -> str:
        """The start of the form's widget keys: another shape or choice starts afresh."""
        if not self.origin:
            return f"mapping_{self.signature[:12]}"
        chosen = header_signature([self.origin])[:8]
        return f"mapping_{self.signature[:12]}_{chosen}"


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
        st.error(ctx.t("upload.too_large", name=plain(uploaded.name), limit=limit))
        return None
    try:
        table = read_sample(uploaded.name, uploaded.getvalue())[0]
    except ImportFileError as exc:
        st.error(plain(exc.message(ctx.lang)))
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
    stem = PurePath(sample.name).stem or sample.name
    if known is not None:
        st.info(ctx.t("mapping.known", label=plain(known.mapping.label)))
        return MappingTarget(
            sample.signature, sample.header, sample, known.mapping, known.name
        )
    chosen = _saved_pick(ctx, sample, list(saved.values()))
    if chosen is None:
        return MappingTarget(sample.signature, sample.header, sample, None, stem)
    return MappingTarget(
        sample.signature,
        sample.header,
        sample,
        chosen.mapping,
        f"{chosen.name} — {stem}",
        origin=chosen.name,
    )


def _saved_pick(
    ctx: PageContext, sample: MappingSample, saved: list[SavedMapping]
) -> SavedMapping | None:
    """Let the animator read a new file shape with a saved mapping, chosen by name."""
    if not saved:
        return None
    by_name = {item.name: item for item in saved}
    names = ["", *sorted(by_name)]
    picked = st.selectbox(
        ctx.t("colmap.saved_pick"),
        names,
        format_func=lambda n: n or ctx.t("colmap.saved_pick.none"),
        key=f"mapping_{sample.signature[:12]}_saved_pick",
    )
    if not picked:
        return None
    lacking = missing_columns(by_name[picked].mapping.columns, sample.header)
    if lacking:
        columns = ", ".join(lacking.values())
        st.warning(
            plain(ctx.t("colmap.saved_pick.unfit", name=picked, columns=columns))
        )
    return by_name[picked]


def field_names(template: Adapter, lang: str) -> dict[str, str]:
    """Return each of a target's fields as the form names it in the language."""
    return targets.field_names(template, lang)


def check_mapping_sample(
    ctx: PageContext, sample: MappingSample, mapping: ColumnMapping
) -> ImportReport:
    """Check the sample with the mapping being built: a dry run that loads nothing."""
    options = ImportOptions(dry_run=True, mapping=mapping, user=ctx.user, lang=ctx.lang)
    return import_file(ctx.store, sample.name, sample.raw, options, ctx.today)


def save_column_mapping(
    ctx: PageContext, target: MappingTarget, mapping: ColumnMapping
) -> None:
    """Save the mapping under its header's signature and say so."""
    try:
        save_mapping(ctx.store, target.header, mapping)
    except MappingNameTaken as exc:
        st.error(plain(exc.message(ctx.lang)))
        return
    st.success(ctx.t("mapping.saved_ok", label=plain(mapping.label)))


def import_with_mapping(
    ctx: PageContext, sample: MappingSample, mapping: ColumnMapping
) -> ImportReport | None:
    """Import the sample file with the mapping as the form holds it (saved or not)."""
    if not ctx.viewer.may(Action.IMPORT):  # checked again when the button is pressed
        st.error(ctx.t("auth.refused"))
        return None
    options = ImportOptions(mapping=mapping, user=ctx.user, lang=ctx.lang)
    return import_file(ctx.store, sample.name, sample.raw, options, ctx.today)


def mapping_actions(
    ctx: PageContext, target: MappingTarget, mapping: ColumnMapping | None
) -> ImportReport | None:
    """Show check, save and import; return the report of a check or an import."""
    check, save, load = st.columns(3)
    report = None
    if target.sample is None:
        check.caption(ctx.t("mapping.check_needs_file"))
    elif (
        check.button(ctx.t("mapping.check"), disabled=mapping is None, width="stretch")
        and mapping is not None
    ):
        report = check_mapping_sample(ctx, target.sample, mapping)
    # A disabled button never returns True: the "is not None" tests only tell mypy so.
    if (
        save.button(
            ctx.t("mapping.save"),
            type="primary",
            disabled=mapping is None,
            width="stretch",
        )
        and mapping is not None
    ):
        save_column_mapping(ctx, target, mapping)
    if (
        target.sample is not None
        and load.button(
            ctx.t("colmap.import"), disabled=mapping is None, width="stretch"
        )
        and mapping is not None
    ):
        report = import_with_mapping(ctx, target.sample, mapping)
    return report


def saved_mappings(ctx: PageContext) -> None:
    """List the saved mappings, each with its dataset, columns and date; edit or delete."""
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    items = list_mappings(ctx.store)
    if not items:
        st.caption(ctx.t("mapping.list.empty"))
    for item in items:
        template = TARGET_FOR[item.mapping.dataset]
        names = field_names(template, ctx.lang)
        columns = ", ".join(
            [
                *(f"{cell} → {names[f]}" for f, cell in item.mapping.columns.items()),
                *(f"{names[f]} = {value}" for f, value in item.mapping.values.items()),
            ]
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
