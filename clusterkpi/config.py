"""Settings read from the environment (CLUSTERKPI_*), with project-relative defaults."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


class Settings(BaseSettings):
    """Runtime settings; every field can be set as CLUSTERKPI_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="CLUSTERKPI_", extra="ignore")

    db: Path = Field(default=DATA_DIR / "clusterkpi.duckdb")
    catalog: Path = Field(default=DATA_DIR / "kpis.yaml")
    demo_strategy: Path = Field(default=DATA_DIR / "demo_strategy.yaml")
    # Pins "today" (period defaults, horizon defaults) for reproducible demos and tests.
    today: date | None = None
    # Largest file an animator may upload (also Streamlit's server.maxUploadSize).
    max_upload_mb: int = 50
    # Status thresholds, as fractions of the expected progress (UpRaise-style ratios).
    on_track_ratio: float = 0.95
    at_risk_ratio: float = 0.75


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (tests reset with ``get_settings.cache_clear()``)."""
    return Settings()


def today() -> date:
    """Return the configured 'today', or the system date."""
    return get_settings().today or date.today()
