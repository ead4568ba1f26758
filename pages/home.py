"""Root URL: opens the Overview, so that /overview stays an address people can share."""

from __future__ import annotations

import streamlit as st

# Streamlit serves the default page at "/" only: the Overview is a page of its own.
st.switch_page("pages/overview.py", query_params=st.query_params.to_dict())
