"""clusterkpi entrypoint: registers every page explicitly and runs the navigation."""

from __future__ import annotations

from clusterkpi import ui

ui.navigation(ui.current_language()).run()
