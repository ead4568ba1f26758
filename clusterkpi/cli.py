"""The ``python -m clusterkpi`` command line: init, demo, kpis, import, undo, snapshot, users."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from clusterkpi import config
from clusterkpi.backup_commands import add_commands as add_backup_commands
from clusterkpi.backup_commands import run_backup, run_restore
from clusterkpi.catalog import Catalog, load_catalog
from clusterkpi.demo import load_demo
from clusterkpi.errors import ClusterKpiError
from clusterkpi.imports.commands import add_commands as add_import_commands
from clusterkpi.imports.commands import run_history, run_import, run_undo
from clusterkpi.imports.mapping_commands import add_commands as add_mapping_commands
from clusterkpi.imports.mapping_commands import run_mappings
from clusterkpi.periods import parse_period
from clusterkpi.scorecard import Scorecard, build_scorecard, history
from clusterkpi.snapshot_commands import add_commands as add_snapshot_commands
from clusterkpi.snapshot_commands import run_snapshot
from clusterkpi.store import Store
from clusterkpi.strategy import (
    Horizon,
    load_strategy_file,
    read_strategy,
    save_strategy,
)
from clusterkpi.user_commands import add_commands as add_user_commands
from clusterkpi.user_commands import run_users
from clusterkpi.vocabulary_commands import add_commands as add_vocabulary_commands
from clusterkpi.vocabulary_commands import run_vocabulary


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # noqa: D102 (argparse hook)
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command and its help."""
    parser = _Parser(
        prog="python -m clusterkpi",
        description="clusterkpi: communication KPIs of a business cluster.",
    )
    parser.add_argument(
        "--db", help="DuckDB file (default: $CLUSTERKPI_DB or data/clusterkpi.duckdb)"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser
    )
    commands.add_parser(
        "init",
        help="create the database and apply schema migrations",
        description="Create the database file if needed and bring its "
        "schema up to date.",
    )
    demo = commands.add_parser(
        "demo",
        help="load the demo cluster into the database",
        description="Load the demo cluster (members, activity, "
        "strategy and targets) into the database.",
    )
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the database already holds data",
    )
    kpis = commands.add_parser(
        "kpis",
        help="compute every KPI for a period",
        description="Compute every KPI of the catalogue for one "
        "period, with targets and status at a horizon.",
    )
    kpis.add_argument(
        "--period",
        required=True,
        help="quarter (2026Q2), month (2026-05) or year (2026)",
    )
    kpis.add_argument(
        "--horizon",
        choices=[h.value for h in Horizon],
        default="short",
        help="target horizon for the status (default: short)",
    )
    kpis.add_argument(
        "--json", action="store_true", help="print JSON instead of a table"
    )
    add_import_commands(commands)
    add_mapping_commands(commands)
    add_snapshot_commands(commands)
    add_backup_commands(commands)
    add_user_commands(commands)
    add_vocabulary_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = build_parser().parse_args(argv)
    if args.db:
        os.environ["CLUSTERKPI_DB"] = args.db
        config.get_settings.cache_clear()
    try:
        return _COMMANDS[args.command](args)
    except ClusterKpiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _init(args: argparse.Namespace) -> int:
    store = Store(config.get_settings().db)
    print(f"{store.path}: schema version {store.schema_version()}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    settings = config.get_settings()
    store = Store(settings.db)
    if args.if_empty and store.scalar("SELECT count(*) FROM imports"):
        print(f"{store.path} already holds data: demo not loaded.")
        return 0
    if store.scalar("SELECT count(*) FROM imports"):
        raise ClusterKpiError(
            f"{store.path} already holds data; the demo loads only into "
            "an empty database (use another --db)."
        )
    catalog = load_catalog(settings.catalog)
    strategy = load_strategy_file(settings.demo_strategy, catalog, config.today())
    counts = load_demo(store, config.today())
    save_strategy(store, strategy)
    print(f"{store.path}: demo cluster loaded ({sum(counts.values()):,} rows).")
    return 0


def _kpis(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    settings = config.get_settings()
    if not Path(settings.db).exists():
        raise ClusterKpiError(
            f"{settings.db} does not exist: run 'init' or 'demo' first."
        )
    store = Store(settings.db)
    catalog = load_catalog(settings.catalog)
    strategy = read_strategy(store, config.today())
    series = history(store, catalog, period)
    cards = {
        h: build_scorecard(store, catalog, strategy, period, h, series=series)
        for h in Horizon
    }
    report = scorecard_json(catalog, cards, Horizon(args.horizon))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for row in report["kpis"]:
            value = "—" if row["value"] is None else f"{row['value']:.4g}"
            print(f"{row['id']:<34} {value:>12}  {row['status'][args.horizon]}")
    return 0


def scorecard_json(
    catalog: Catalog, cards: dict[Horizon, Scorecard], horizon: Horizon
) -> dict[str, Any]:
    """Return the JSON report: the period and, per KPI, value, targets and statuses."""
    chosen = cards[horizon]
    kpis = []
    for block in chosen.blocks:
        for c in block.cards:
            kpis.append(
                {
                    "id": c.kpi_id,
                    "objective": block.objective_id,
                    "value": c.value,
                    "unit": catalog.kpis[c.kpi_id].unit.value,
                    "targets": {
                        h.value: sc.card(c.kpi_id).target for h, sc in cards.items()
                    },
                    "status": {
                        h.value: sc.card(c.kpi_id).assessment.status.value
                        for h, sc in cards.items()
                    },
                }
            )
    return {"period": chosen.period.label, "horizon": horizon.value, "kpis": kpis}


_COMMANDS = {
    "init": _init,
    "demo": _demo,
    "kpis": _kpis,
    "import": run_import,
    "imports": run_history,
    "undo": run_undo,
    "mappings": run_mappings,
    "snapshot": run_snapshot,
    "backup": run_backup,
    "restore": run_restore,
    "users": run_users,
    "vocabulary": run_vocabulary,
}
