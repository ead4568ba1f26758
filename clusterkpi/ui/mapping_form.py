"""Column-mapping form: dataset, column picks, date order, category translations."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from clusterkpi.imports.adapters.targets import (
    TYPED_VALUES,
    field_names,
    pickable_fields,
)
from clusterkpi.imports.fields import (
    Adapter,
    FieldMap,
    Kind,
    category_values,
    normalize,
)
from clusterkpi.imports.mapping import (
    TARGET_FOR,
    ColumnMapping,
    MappingIssue,
    mapping_issues,
)
from clusterkpi.labels import category_label
from clusterkpi.ui.context import PageContext, plain
from clusterkpi.ui.mappings import MappingTarget

# The form's widget keys carry the header's signature and the dataset, so another
# file shape or dataset starts afresh.
_MAX_VALUES = 50  # distinct values shown per category column


def mapping_form(ctx: PageContext, target: MappingTarget) -> ColumnMapping | None:
    """Show the mapping form; return the mapping, or None while it has issues."""
    dataset = _dataset_pick(ctx, target)
    template = TARGET_FOR[dataset]
    saved = target.saved if target.saved and target.saved.dataset == dataset else None
    prefix = f"{target.key_prefix}_{dataset}"
    names = field_names(template, ctx.lang)
    columns, values = _column_picks(ctx, target, template, saved, prefix)
    orders: list[Literal["auto", "dmy", "mdy"]] = ["auto", "dmy", "mdy"]
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
    issues = mapping_issues(dataset, columns, translations, target.header, values)
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
        values=values,
        label=label.strip() or target.default_label,
    )


def _dataset_pick(ctx: PageContext, target: MappingTarget) -> str:
    datasets = list(TARGET_FOR)
    default = (
        target.saved.dataset
        if target.saved
        else max(datasets, key=lambda d: TARGET_FOR[d].score(target.header))
    )
    return st.selectbox(
        ctx.t("mapping.dataset"),
        datasets,
        index=datasets.index(default),
        format_func=lambda d: TARGET_FOR[d].display_label(ctx.lang),
        key=f"{target.key_prefix}_dataset",
    )


def _column_picks(
    ctx: PageContext,
    target: MappingTarget,
    template: Adapter,
    saved: ColumnMapping | None,
    prefix: str,
) -> tuple[dict[str, str], dict[str, str]]:
    """Show a column pick per field; return the picks and the values typed instead."""
    st.markdown(f"**{ctx.t('mapping.columns')}**")
    options = ["", *dict.fromkeys(target.header)]
    found = template.column_index(target.header)  # alias matches are preselected
    names = field_names(template, ctx.lang)
    picked, typed = {}, {}
    typed_ok = TYPED_VALUES.get(template.dataset or "", frozenset())
    cols = st.columns(3)
    for index, spec in enumerate(pickable_fields(template)):
        if saved is not None:
            default = _spelled_as(saved.columns.get(spec.target, ""), target.header)
        else:
            position = found.get(spec.target)
            default = "" if position is None else target.header[position]
        label = names[spec.target]
        needed = spec.required and spec.default is None
        if needed:
            label = ctx.t("mapping.field_required", label=label)
        column = cols[index % 3]
        choice = column.selectbox(
            label,
            options,
            index=options.index(default),
            format_func=lambda c: c or "—",
            key=f"{prefix}_{spec.target}",
        )
        if choice:
            picked[spec.target] = choice
        elif spec.target in typed_ok:  # e.g. the network of a page export
            value = _typed_value(ctx, column, spec, label, saved, prefix)
            if value:
                typed[spec.target] = value
    return picked, typed


def _typed_value(
    ctx: PageContext,
    column: DeltaGenerator,
    spec: FieldMap,
    label: str,
    saved: ColumnMapping | None,
    prefix: str,
) -> str:
    """Show the input of one value for every row of a field no column holds."""
    default = saved.values.get(spec.target, "") if saved else ""
    text = ctx.t("colmap.value_for", label=label)
    key = f"{prefix}_{spec.target}_value"
    if spec.kind is Kind.CATEGORY:
        choices = ["", *category_values(spec)]
        return column.selectbox(
            text,
            choices,
            index=choices.index(default) if default in choices else 0,
            format_func=lambda c: category_label(c, ctx.lang) if c else "—",
            key=key,
        )
    return column.text_input(text, value=default, key=key).strip()


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
                options=category_values(spec),
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
