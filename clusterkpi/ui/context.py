"""Page context: setup, sidebar pickers, cached store and catalogue, Markdown escaping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.pages_manager import PagesManager

from clusterkpi import config, engine
from clusterkpi.catalog import Catalog, load_catalog
from clusterkpi.engine import KpiPoint
from clusterkpi.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_day, number_locale, t
from clusterkpi.periods import Grain, Period, last_complete, parse_period, period_of
from clusterkpi.roles import Action
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, Strategy, read_strategy
from clusterkpi.trajectory import trajectory_periods
from clusterkpi.ui.auth import (
    OPEN_VIEWER,
    Viewer,
    current_viewer,
    login_form,
    logout,
    record_login,
    refuse,
)

# Re-exported (the "as" form): views, pages and tests reach plain() through this module.
from clusterkpi.ui.plain_text import plain as plain


@dataclass(frozen=True)
class PageContext:
    """What every page needs: language, formats, data and the sidebar's choices."""

    lang: str
    locale: str
    store: Store
    catalog: Catalog
    strategy: Strategy | None
    period: Period
    horizon: Horizon
    today: date
    user: str = "local"
    viewer: Viewer = OPEN_VIEWER
    # The data and strategy as this run found them: one query per run, not per chart.
    data_version: str = ""

    def t(self, key: str, **values: object) -> str:
        """Return a UI string in the page's language."""
        return t(key, self.lang, **values)


@st.cache_resource
def open_store(path: str) -> Store:
    """Return the process-wide store (one root connection; cursors per use)."""
    return Store(path)


@st.cache_resource
def catalog(path: str) -> Catalog:
    """Return the validated KPI catalogue."""
    return load_catalog(path)


def current_language() -> str:
    """Return the chosen language: picker, URL, session, the browser's, then French.

    The picker's new value comes first: the menu is built before the page runs the
    picker, and would otherwise keep the old language for one run after a switch.
    """
    lang = (
        st.session_state.get("lang_picker")
        or st.query_params.get("lang")
        or st.session_state.get("lang")
    )
    if lang in LANGUAGES:
        return lang
    browser = (st.context.locale or "").lower()
    return "en" if browser.startswith("en") else DEFAULT_LANGUAGE


def setup_page(
    title_key: str, scorecard_controls: bool = True, action: Action = Action.READ
) -> PageContext:
    """Set up a page: who is there, language, data and the sidebar choices.

    Every page calls this first, so that it works even when opened directly on a
    fresh server before app.py ever ran. Nobody logged in (once accounts exist): the
    login form, and the page stops. A role that may not perform ``action``: a
    refusal, and the page stops — whatever the menu showed or the URL asked.
    """
    _leave_legacy_pages()
    settings = config.get_settings()
    today = config.today()
    store = open_store(str(settings.db))
    cat = catalog(str(settings.catalog))
    lang = _language_picker()
    st.set_page_config(page_title=f"{t(title_key, lang)} · clusterkpi", layout="wide")
    viewer = current_viewer(store)
    if viewer is None:
        login_form(store, lang)
        st.stop()
    _viewer_sidebar(store, viewer, lang)
    if not viewer.may(action):
        refuse(lang, action)
    strategy = read_strategy(store, today)
    version = store.data_version()
    if scorecard_controls:
        period = _period_picker(version, lang, today)
        horizon = _horizon_picker(
            strategy, lang, number_locale(lang, st.context.locale)
        )
    else:
        period, horizon = last_complete(today), Horizon.SHORT
    return PageContext(
        lang,
        number_locale(lang, st.context.locale),
        store,
        cat,
        strategy,
        period,
        horizon,
        today,
        viewer.username,
        viewer,
        version,
    )


def app_viewer() -> Viewer | None:
    """Return who is using the app (for app.py's menu)."""
    return current_viewer(open_store(str(config.get_settings().db)))


def _viewer_sidebar(store: Store, viewer: Viewer, lang: str) -> None:
    if viewer.how == "open":
        st.sidebar.warning(t("auth.open_mode", lang), icon=":material/lock_open:")
        return
    record_login(store, viewer)
    with st.sidebar:
        st.caption(
            t(
                "auth.signed_in",
                lang,
                name=plain(viewer.display_name),
                role=t(f"role.{viewer.role.value}", lang),
            )
        )
        if st.button(t("auth.logout", lang), icon=":material/logout:", key="logout"):
            logout(store)
            st.rerun()


def _leave_legacy_pages() -> None:
    """Serve a fresh server's first request through app.py's navigation.

    Until a session has run app.py, Streamlit serves a page URL with its legacy
    discovery of pages/: raw file names in the menu and app.py skipped. Turning the
    discovery off and rerunning lets app.py's st.navigation serve the same URL.
    """
    first_run = not st.session_state.get("_navigation_checked")
    st.session_state["_navigation_checked"] = True
    # Only a session's first run: a rerun then cannot swallow a click or an upload.
    if PagesManager.uses_pages_directory and first_run:
        PagesManager.uses_pages_directory = False
        st.rerun()


def _language_picker() -> str:
    lang = current_language()
    chosen = st.sidebar.segmented_control(
        "Langue / Language",
        LANGUAGES,
        default=lang,
        key="lang_picker",
        format_func=lambda code: t(f"lang.{code}", code),
    )
    lang = chosen or lang
    st.session_state["lang"] = lang
    st.query_params["lang"] = lang
    return lang


@st.cache_data(ttl=3600, max_entries=32, show_spinner=False)
def cached_points(
    db_path: str, catalog_path: str, data_version: str, first: str, last: str
) -> dict[str, list[KpiPoint]]:
    """Return every KPI over the periods a chart from ``first`` to ``last`` reads.

    The scorecard of ``last`` reads the same periods as a chart of the twelve
    periods ending there: one computation serves the Overview and the objective pages.
    """
    periods = trajectory_periods(parse_period(first), parse_period(last))
    return engine.evaluate(open_store(db_path), catalog(catalog_path), periods)


def data_span(data_version: str) -> tuple[date, date] | None:
    """Return the dates the data cover, computed once per data version (every rerun asks)."""
    settings = config.get_settings()
    return _cached_span(str(settings.db), str(settings.catalog), data_version)


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_span(
    db_path: str, catalog_path: str, version: str
) -> tuple[date, date] | None:
    return engine.data_span(open_store(db_path), catalog(catalog_path))


def period_options(data_version: str, today: date) -> list[Period]:
    """Return the quarters a user may pick, newest first."""
    span = data_span(data_version)
    last = period_of(today, Grain.QUARTER)
    first = period_of(span[0], Grain.QUARTER) if span else last.shift(-7)
    first = max(first, last.shift(-59))
    count = (last.start.year - first.start.year) * 4 + (
        last.start.month - first.start.month
    ) // 3
    return [last.shift(-i) for i in range(count + 1)]


def _period_picker(data_version: str, lang: str, today: date) -> Period:
    options = [p.label for p in period_options(data_version, today)]
    default = last_complete(today).label
    wanted = st.query_params.get("period", default)
    if wanted not in options:
        wanted = default if default in options else options[0]
    label = st.sidebar.selectbox(
        t("sidebar.period", lang),
        options,
        index=options.index(wanted),
        key="period_picker",
    )
    st.query_params["period"] = label
    return parse_period(label)


def _horizon_picker(strategy: Strategy | None, lang: str, locale: str) -> Horizon:
    names = [h.value for h in Horizon]
    wanted = st.query_params.get("horizon", Horizon.SHORT.value)
    if wanted not in names:
        wanted = Horizon.SHORT.value

    def label(name: str) -> str:
        text = t(f"horizon.{name}", lang)
        if strategy and Horizon(name) in strategy.horizons:
            day = format_day(strategy.horizons[Horizon(name)], locale)
            return t("horizon.with_date", lang, name=text, date=day)
        return text

    chosen = st.sidebar.radio(
        t("sidebar.horizon", lang),
        names,
        index=names.index(wanted),
        format_func=label,
        key="horizon_picker",
    )
    st.query_params["horizon"] = chosen
    return Horizon(chosen)


def has_data(ctx: PageContext) -> bool:
    """Tell whether any source table holds data."""
    return data_span(ctx.data_version) is not None


class LinkPlace(Protocol):
    """Where a link can go: the page itself (the st module) or a column or container."""

    def page_link(
        self, page: str, *, label: str, icon: str, query_params: dict[str, str]
    ) -> object:
        """Show a link to a registered page."""

    def markdown(self, body: str) -> object:
        """Show Markdown."""


def link(
    where: LinkPlace,
    page: str,
    url_path: str,
    label: str,
    icon: str,
    params: dict[str, str],
) -> None:
    """Show a link to another page with query parameters.

    A page opened directly, before app.py registered the navigation (a server's first
    request, AppTest), cannot use page_link: it gets a plain link to the same URL.
    """
    try:
        where.page_link(page, label=label, icon=icon, query_params=params)
    except StreamlitAPIException:
        query = urlencode(params)
        where.markdown(f"{icon} [{plain(label)}](/{url_path}?{query})")


def shared_params() -> dict[str, str]:
    """The query parameters that carry the page's choices to another page."""
    keep = ("lang", "period", "horizon", "grain", "from", "types")
    return {k: st.query_params[k] for k in keep if k in st.query_params}
