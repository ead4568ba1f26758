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
            icon="📊",
            url_path="overview",
            default=True,
        ),
    ],
}
st.navigation(pages).run()
