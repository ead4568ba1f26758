"""clusterkpi: communication-KPI cockpit for business clusters."""

from __future__ import annotations

__version__ = "0.4.0"
