"""Overview: the board scorecard, where to act first, then every objective and KPI card."""

from __future__ import annotations

import streamlit as st

from clusterkpi import ui
from clusterkpi.catalog import ObjectiveGroup

ctx = ui.setup_page("nav.overview")
card = ui.scorecard(ctx)
ui.positioning_header(ctx, card)
ui.scorecard_summary(ctx, card)
if not ui.has_data(ctx):
    st.info(ctx.t("overview.empty_db"))
ui.where_to_act(ctx, card)
ui.objectives_table(ctx, card)
for group in ObjectiveGroup:
    st.header(ctx.t(f"group.{group.value}"))
    for block in card.blocks:
        if block.group is group:
            ui.objective_block(ctx, block)
st.caption(ctx.t("footer.catalog", version=card.catalog_version))
