"""Column mapping: teach clusterkpi an export no source recognises, once per file shape."""

from __future__ import annotations

import streamlit as st

from clusterkpi import ui
from clusterkpi.ui.mappings import mapping_actions

ctx = ui.setup_page("mapping.nav", scorecard_controls=False, action=ui.Action.IMPORT)
st.title(ctx.t("mapping.title"))
st.write(ctx.t("mapping.intro"))
sample = ui.mapping_sample(ctx)
target = ui.mapping_target(ctx, sample)
if target is not None:
    mapping = ui.mapping_form(ctx, target)
    report = mapping_actions(ctx, target, mapping)
    if report is not None:
        ui.import_report(ctx, report)
st.subheader(ctx.t("mapping.list"))
ui.saved_mappings(ctx)
