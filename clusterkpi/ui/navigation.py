"""The app's pages and menu, declared once: each page with the action it needs."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from clusterkpi.i18n import t
from clusterkpi.roles import Action
from clusterkpi.ui.auth import Viewer

# (section key, [(script, title key, icon, url path, action)]): the first is the default.
MENU = (
    (
        "nav.section.dashboards",
        (
            (
                "pages/overview.py",
                "nav.overview",
                ":material/dashboard:",
                "overview",
                Action.READ,
            ),
            (
                "pages/internal.py",
                "nav.internal",
                ":material/diversity_3:",
                "internal",
                Action.READ,
            ),
            (
                "pages/external.py",
                "nav.external",
                ":material/campaign:",
                "external",
                Action.READ,
            ),
            (
                "pages/membership.py",
                "nav.membership",
                ":material/groups:",
                "membership",
                Action.READ,
            ),
            ("pages/kpi.py", "nav.kpi", ":material/query_stats:", "kpi", Action.READ),
            (
                "pages/snapshots.py",
                "nav.snapshots",
                ":material/inventory_2:",
                "snapshots",
                Action.READ,
            ),
        ),
    ),
    (
        "nav.section.data",
        (
            (
                "pages/upload.py",
                "nav.upload",
                ":material/upload_file:",
                "upload",
                Action.IMPORT,
            ),
            (
                "pages/strategy.py",
                "nav.strategy",
                ":material/flag:",
                "strategy",
                Action.EDIT_STRATEGY,
            ),
            (
                "pages/mappings.py",
                "mapping.nav",
                ":material/table_convert:",
                "mappings",
                Action.IMPORT,
            ),
        ),
    ),
    (
        "nav.section.admin",
        (
            (
                "pages/accounts.py",
                "nav.accounts",
                ":material/manage_accounts:",
                "accounts",
                Action.MANAGE_ACCOUNTS,
            ),
            (
                "pages/audit.py",
                "nav.audit",
                ":material/policy:",
                "audit",
                Action.READ_AUDIT,
            ),
        ),
    ),
)
HOME = "pages/home.py"
PAGE_ACTIONS = {
    HOME: Action.READ,
    **{script: action for _, pages in MENU for script, *_, action in pages},
}


def navigation(lang: str, viewer: Viewer | None) -> StreamlitPage:
    """Register every page; the menu lists those the viewer may open.

    The others are registered hidden, so that their URL reaches the page and its own
    check refuses it in words (a link shared by an animator, opened by a board
    member) instead of a bare "page not found". Nobody logged in: no menu at all,
    and every page shows the login form, then itself.
    """
    shown = {script for _, pages in permitted_menu(viewer) for script, *_ in pages}
    sections = {
        t(section, lang): [
            st.Page(
                script,
                title=t(title, lang),
                icon=icon,
                url_path=url,
                visibility="visible" if script in shown else "hidden",
            )
            for script, title, icon, url, _ in pages
        ]
        for section, pages in MENU
    }
    # Streamlit serves the default page at "/" and not at its own path: a hidden home
    # page takes that place and opens the Overview, which keeps /overview.
    home = st.Page(
        HOME, title=t("nav.overview", lang), default=True, visibility="hidden"
    )
    first = next(iter(sections))
    sections[first] = [home, *sections[first]]
    return st.navigation(sections, position="sidebar" if viewer else "hidden")


def permitted_menu(
    viewer: Viewer | None,
) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """Return the menu's sections with the pages the viewer may open (none if None)."""
    menu = []
    for section, pages in MENU:
        kept = [
            (script, title, icon, url)
            for script, title, icon, url, action in pages
            if viewer is not None and viewer.may(action)
        ]
        if kept:
            menu.append((section, kept))
    return menu
