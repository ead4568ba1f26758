"""The app's pages and menu, declared once for app.py and for pages opened directly."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from clusterkpi.i18n import t

# (section key, [(script, title key, icon, url path)]): the first page is the default.
MENU = (
    (
        "nav.section.dashboards",
        (
            ("pages/overview.py", "nav.overview", ":material/dashboard:", "overview"),
            ("pages/internal.py", "nav.internal", ":material/diversity_3:", "internal"),
            ("pages/external.py", "nav.external", ":material/campaign:", "external"),
            (
                "pages/membership.py",
                "nav.membership",
                ":material/groups:",
                "membership",
            ),
            ("pages/kpi.py", "nav.kpi", ":material/query_stats:", "kpi"),
            (
                "pages/snapshots.py",
                "nav.snapshots",
                ":material/inventory_2:",
                "snapshots",
            ),
        ),
    ),
    (
        "nav.section.data",
        (
            ("pages/upload.py", "nav.upload", ":material/upload_file:", "upload"),
            ("pages/strategy.py", "nav.strategy", ":material/flag:", "strategy"),
            (
                "pages/mappings.py",
                "mapping.nav",
                ":material/table_convert:",
                "mappings",
            ),
        ),
    ),
)


def navigation(lang: str) -> StreamlitPage:
    """Register the menu in ``lang`` and return the page the URL asks for."""
    first = MENU[0][1][0][0]
    return st.navigation(
        {
            t(section, lang): [
                st.Page(
                    script,
                    title=t(title, lang),
                    icon=icon,
                    url_path=url,
                    default=script == first,
                )
                for script, title, icon, url in pages
            ]
            for section, pages in MENU
        }
    )
