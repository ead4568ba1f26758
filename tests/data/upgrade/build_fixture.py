"""Writes an old-schema database with the code of an old commit (see README.md here)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

# Run from the root of an old worktree: these imports are that commit's code.
from clusterkpi.catalog import load_catalog
from clusterkpi.demo import load_demo
from clusterkpi.store import Store
from clusterkpi.strategy import load_strategy_file, save_strategy

TODAY = date(2026, 11, 26)
IMPORTS = Path("tests/data/imports")
# Files of several sources, two of them re-exported later (updated rows go to the
# history tables), and one imported then undone.
FILES = [
    "templates/adherents.csv",
    "mailchimp/campaigns.csv",
    "mailchimp/campaigns_2026-05.csv",
    "hubspot/contacts_en.csv",
    "hubspot/companies_en.csv",
    "hubspot/companies_en_2026-04.csv",
    "ga4/ga4_traffic_daily.csv",
    "meltwater/meltwater_export.csv",
    "meltwater/meltwater_export_newer.csv",
]
UNDONE = "forms/member_survey_en.csv"


def build(path: Path) -> None:
    """Write the demo cluster and its strategy, then imports if the code has an importer."""
    store = Store(path)
    load_demo(store, TODAY)
    catalog = load_catalog("data/kpis.yaml")
    save_strategy(store, load_strategy_file("data/demo_strategy.yaml", catalog, TODAY))
    if store.schema_version() >= 2:
        _imports(store)
    store.close()


def _imports(store: Store) -> None:
    from clusterkpi.imports.importer import ImportOptions, import_file
    from clusterkpi.imports.loading import undo_import
    from clusterkpi.imports.mapping import ColumnMapping, save_mapping

    for name in [*FILES, UNDONE]:
        raw = (IMPORTS / name).read_bytes()
        report = import_file(store, Path(name).name, raw, ImportOptions(), TODAY)
        print(name, report.status, report.rows_added, report.rows_updated)
    undo_import(store, report.import_id, "fixture")
    mapping_dir = IMPORTS / "mapping"
    mapping = ColumnMapping(
        **json.loads((mapping_dir / "boites_mapping.json").read_text())
    )
    header = (mapping_dir / "boites.csv").read_text().splitlines()[0].split(";")
    save_mapping(store, header, mapping)
    raw = (mapping_dir / "boites.csv").read_bytes()
    report = import_file(store, "boites.csv", raw, ImportOptions(), TODAY)
    print("boites.csv", report.status, report.rows_added, report.rows_updated)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
