"""clusterkpi entrypoint: registers every page explicitly and runs the navigation."""

from __future__ import annotations

import streamlit as st

from clusterkpi import ui

lang = ui.current_language()
pages = {
    ui.t("nav.section.dashboards", lang): [
        st.Page(
            "pages/overview.py",
            title=ui.t("nav.overview", lang),
            icon=":material/dashboard:",
            url_path="overview",
            default=True,
        ),
    ],
    ui.t("nav.section.data", lang): [
        st.Page(
            "pages/upload.py",
            title=ui.t("nav.upload", lang),
            icon=":material/upload_file:",
            url_path="upload",
        ),
        st.Page(
            "pages/mappings.py",
            title=ui.t("mapping.nav", lang),
            icon=":material/table_convert:",
            url_path="mappings",
        ),
    ],
}
st.navigation(pages).run()
