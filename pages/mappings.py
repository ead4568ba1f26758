"""Column mapping: teach clusterkpi an export no source recognises, once per file shape."""

from __future__ import annotations

import streamlit as st

from clusterkpi import ui

ctx = ui.setup_page("mapping.nav", scorecard_controls=False, action=ui.Action.IMPORT)
st.title(ctx.t("mapping.title"))
st.write(ctx.t("mapping.intro"))
sample = ui.mapping_sample(ctx)
target = ui.mapping_target(ctx, sample)
if target is not None:
    mapping = ui.mapping_form(ctx, target)
    check, save = st.columns(2)
    if target.sample is None:
        check.caption(ctx.t("mapping.check_needs_file"))
    elif check.button(
        ctx.t("mapping.check"), disabled=mapping is None, width="stretch"
    ):
        ui.import_report(ctx, ui.check_mapping_sample(ctx, target.sample, mapping))
    if save.button(
        ctx.t("mapping.save"), type="primary", disabled=mapping is None, width="stretch"
    ):
        ui.save_column_mapping(ctx, target, mapping)
st.subheader(ctx.t("mapping.list"))
ui.saved_mappings(ctx)
