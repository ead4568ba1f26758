"""clusterkpi's page script: the menu of the pages the viewer may open, then the page."""

from __future__ import annotations

from clusterkpi import ui

ui.navigation(ui.current_language(), ui.app_viewer()).run()
