"""Upload: animators import the files their tools export, check them, undo imports."""

from __future__ import annotations

import streamlit as st

from clusterkpi import ui

ctx = ui.setup_page("nav.upload", scorecard_controls=False, action=ui.Action.IMPORT)
st.title(ctx.t("upload.title"))
st.write(ctx.t("upload.intro"))
ui.template_downloads(ctx)
files = ui.upload_files(ctx)
options = ui.import_options(ctx, files)
surveys = ui.survey_choices(ctx, files)
check, load = st.columns(2)
reports = []
if check.button(ctx.t("upload.check"), disabled=not files, width="stretch"):
    reports = ui.run_imports(ctx, files, ui.dry_run(options), surveys)
if load.button(
    ctx.t("upload.import"), type="primary", disabled=not files, width="stretch"
):
    reports = ui.run_imports(ctx, files, options, surveys)
for report in reports:
    ui.import_report(ctx, report)
st.subheader(ctx.t("upload.history"))
history = st.container()
ui.undo_form(ctx)
with history:  # filled after the undo form: an import undone now shows as undone
    ui.import_history_table(ctx)
