"""clusterkpi entrypoint: the Streamlit server running cockpit.py, and the session routes.

`streamlit run app.py` finds ``app`` and serves it: cockpit.py for the pages, plus
the routes that set and remove the login cookie (a page script cannot set one).
"""

from __future__ import annotations

import streamlit as st

from clusterkpi import config
from clusterkpi.session_routes import session_routes
from clusterkpi.store import Store


def _store() -> Store:
    """Return the pages' own store: one DuckDB connection and write lock per process."""
    # Imported on first use: imported before the runtime starts, the page module's
    # caches would each log a "No runtime found" warning.
    from clusterkpi.ui.context import open_store

    return open_store(str(config.get_settings().db))


app = st.App("cockpit.py", routes=session_routes(_store))
