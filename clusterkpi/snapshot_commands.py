"""The snapshot commands of the CLI: create, list, show, approve, request changes, export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from clusterkpi import config
from clusterkpi.catalog import Catalog, load_catalog
from clusterkpi.errors import ClusterKpiError, SnapshotError
from clusterkpi.progress import Thresholds
from clusterkpi.snapshot_model import Restatement, ReviewKind, Snapshot
from clusterkpi.snapshots import (
    approve_snapshot,
    create_snapshot,
    list_snapshots,
    read_snapshot,
    request_changes,
    restatements,
)
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon

FORMATS = ("pdf", "xlsx", "csv", "parquet")


def add_commands(commands: Any) -> None:
    """Register ``snapshot`` and its actions on the CLI's subparsers."""
    snapshot = commands.add_parser(
        "snapshot",
        help="freeze, list, show, approve, review and export quarterly board snapshots",
        description="Quarterly board snapshots: a quarter frozen as of its last "
        "day, approved once, never changed.",
    )
    actions = snapshot.add_subparsers(dest="action", required=True)
    create = actions.add_parser(
        "create",
        help="freeze a quarter that has ended",
        description="Freeze every KPI value, target, status and forecast of a "
        "quarter that has ended, with the strategy in force and your commentary.",
    )
    create.add_argument("quarter", metavar="QUARTER", help="e.g. 2026Q3")
    create.add_argument("--user", default="cli", help="who freezes (recorded)")
    create.add_argument(
        "--comment",
        action="append",
        type=_comment,
        default=[],
        metavar="OBJECTIVE_ID=TEXT",
        help="commentary on one objective (repeat for several)",
    )
    listing = actions.add_parser(
        "list", help="list the snapshots", description="List every snapshot."
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = actions.add_parser(
        "show",
        help="show a snapshot and its restatements",
        description="Show a frozen quarter, and every KPI that data imported "
        "since would change (restatements).",
    )
    show.add_argument("quarter", metavar="QUARTER")
    show.add_argument("--json", action="store_true", help="print JSON")
    approve = actions.add_parser(
        "approve",
        help="record the board's approval of a snapshot",
        description="Record, once, who approved a snapshot and when.",
    )
    approve.add_argument("quarter", metavar="QUARTER")
    approve.add_argument("--user", required=True, help="who approves (recorded)")
    approve.add_argument(
        "--comment",
        default="",
        metavar="TEXT",
        help="the approver's comment, printed in the board pack (optional)",
    )
    changes = actions.add_parser(
        "request-changes",
        help="ask the animators to change a snapshot before approving it",
        description="Record a board member's request for changes to a snapshot not "
        "yet approved; the animators see it on the snapshots page.",
    )
    changes.add_argument("quarter", metavar="QUARTER")
    changes.add_argument("--user", required=True, help="who asks (recorded)")
    changes.add_argument(
        "--comment", required=True, metavar="TEXT", help="what should change"
    )
    export = actions.add_parser(
        "export",
        help="export a snapshot (board pack, spreadsheet, data files)",
        description="Write a snapshot as a PDF board pack, an XLSX workbook, "
        "CSV or Parquet.",
    )
    export.add_argument("quarter", metavar="QUARTER")
    export.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    export.add_argument("--lang", choices=["fr", "en"], default="fr")
    export.add_argument("--out", required=True, type=Path, metavar="PATH")


def _comment(text: str) -> tuple[str, str]:
    objective, sep, comment = text.partition("=")
    if not sep or not objective.strip():
        raise argparse.ArgumentTypeError(
            f"'{text}' is not OBJECTIVE_ID=TEXT (e.g. credibility='Press up 20 %')"
        )
    return objective.strip(), comment


def run_snapshot(args: argparse.Namespace) -> int:
    """Run one snapshot action; exit 1 with the reason when it is refused."""
    try:
        return _ACTIONS[args.action](args)
    except SnapshotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


@contextmanager
def _opened() -> Iterator[tuple[Store, Catalog]]:
    settings = config.get_settings()
    if not Path(settings.db).exists():
        raise ClusterKpiError(
            f"{settings.db} does not exist: run 'init' or 'demo' first."
        )
    store = Store(settings.db)
    try:
        yield store, load_catalog(settings.catalog)
    finally:
        store.close()


def _create(args: argparse.Namespace) -> int:
    commentary: dict[str, str] = {}
    for objective, text in args.comment:
        if objective in commentary:
            raise SnapshotError(f"Commentary for {objective} is given twice.")
        commentary[objective] = text
    settings = config.get_settings()
    with _opened() as (store, catalog):
        snapshot = create_snapshot(
            store,
            catalog,
            args.quarter,
            args.user,
            commentary,
            today=config.today(),
            thresholds=Thresholds(settings.on_track_ratio, settings.at_risk_ratio),
        )
    print(
        f"{snapshot.quarter} frozen as of {snapshot.as_of}: snapshot"
        f" {snapshot.snapshot_id}, {len(snapshot.kpis)} KPIs, by {snapshot.created_by}."
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    with _opened() as (store, _):
        summaries = list_snapshots(store)
    if args.json:
        print(_dumps([{**asdict(s), "approved": s.approved} for s in summaries]))
        return 0
    if not summaries:
        print("No snapshot yet.")
    for s in summaries:
        state = (
            f"approved {s.approved_at:%Y-%m-%d %H:%M} by {s.approved_by}"
            if s.approved
            else "not approved"
        )
        print(
            f"{s.quarter}  #{s.snapshot_id}  created {s.created_at:%Y-%m-%d %H:%M}"
            f" by {s.created_by}  {state}"
        )
    return 0


def _show(args: argparse.Namespace) -> int:
    with _opened() as (store, catalog):
        snapshot = read_snapshot(store, args.quarter)
        changed = restatements(store, catalog, snapshot)
    if args.json:
        print(_dumps(snapshot_json(snapshot, changed)))
    else:
        print("\n".join(_show_lines(snapshot, changed)))
    return 0


def _approve(args: argparse.Namespace) -> int:
    with _opened() as (store, _):
        snapshot = approve_snapshot(store, args.quarter, args.user, args.comment)
    print(
        f"{snapshot.quarter} approved by {snapshot.approved_by}"
        f" on {snapshot.approved_at:%Y-%m-%d %H:%M}."
    )
    return 0


def _request_changes(args: argparse.Namespace) -> int:
    with _opened() as (store, _):
        snapshot = request_changes(store, args.quarter, args.user, args.comment)
    asked = snapshot.change_requests[-1]
    print(
        f"{snapshot.quarter}: changes requested by {asked.author}"
        f" on {asked.at:%Y-%m-%d %H:%M}."
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    # Imported here: the exports need heavy libraries that no other command uses.
    try:
        from clusterkpi.exports import export_snapshot
    except ImportError as exc:
        missing = exc.name or "clusterkpi.exports"
        if missing.startswith("clusterkpi"):
            raise SnapshotError(
                "Snapshot exports are not available: the clusterkpi.exports module"
                " is missing from this installation."
            ) from None
        raise SnapshotError(
            f"The {args.fmt} export needs the Python package '{missing}', which is"
            " not installed: install the requirements."
        ) from None
    with _opened() as (store, catalog):
        snapshot = read_snapshot(store, args.quarter)
        written = export_snapshot(
            store, catalog, snapshot, args.fmt, args.lang, args.out
        )
    print(f"{snapshot.quarter} exported as {args.fmt}: {written}")
    return 0


def snapshot_json(snapshot: Snapshot, changed: list[Restatement]) -> dict[str, Any]:
    """Return a snapshot and its restatements as JSON-ready data."""
    return {
        "id": snapshot.snapshot_id,
        "quarter": snapshot.quarter,
        "as_of": snapshot.as_of,
        "created_at": snapshot.created_at,
        "created_by": snapshot.created_by,
        "catalog_version": snapshot.catalog_version,
        "approved_at": snapshot.approved_at,
        "approved_by": snapshot.approved_by,
        "reviews": [
            {"kind": r.kind.value, "author": r.author, "at": r.at, "comment": r.comment}
            for r in snapshot.reviews
        ],
        "horizons": {h.value: d for h, d in snapshot.horizon_dates.items()},
        "objectives": [
            {
                "id": o.objective_id,
                "group": o.group.value,
                "status": {h.value: s.value for h, s in o.status.items()},
                "progress": {h.value: p for h, p in o.progress.items()},
                "commentary": o.commentary,
            }
            for o in snapshot.objectives
        ],
        "kpis": [
            {
                "id": k.kpi_id,
                "objective": k.objective_id,
                "value": k.value,
                "previous": k.previous,
                "targets": {f.horizon.value: f.target for f in k.horizons},
                "status": {f.horizon.value: f.status.value for f in k.horizons},
            }
            for k in snapshot.kpis
        ],
        "restatements": [
            {
                "kpi": r.kpi_id,
                "frozen": r.frozen,
                "current": r.current,
                "imports": [
                    {"id": i, "file_name": name, "imported_at": at}
                    for i, name, at in r.imports
                ],
            }
            for r in changed
        ],
    }


def _show_lines(snapshot: Snapshot, changed: list[Restatement]) -> list[str]:
    approval = (
        f"approved {snapshot.approved_at:%Y-%m-%d %H:%M} by {snapshot.approved_by}"
        if snapshot.approved
        else "not approved"
    )
    lines = [
        f"{snapshot.quarter} as of {snapshot.as_of} (snapshot {snapshot.snapshot_id},"
        f" created {snapshot.created_at:%Y-%m-%d %H:%M} by {snapshot.created_by},"
        f" catalogue version {snapshot.catalog_version}), {approval}",
        "horizons: "
        + ", ".join(f"{h.value} {d}" for h, d in snapshot.horizon_dates.items()),
    ]
    for o in snapshot.objectives:
        statuses = " / ".join(o.status[h].value for h in Horizon)
        lines.append(f"\n{o.objective_id}: {statuses}")
        if o.commentary:
            lines.append(f"  « {o.commentary} »")
        for k in snapshot.kpis_of(o.objective_id):
            kpi_statuses = " / ".join(f.status.value for f in k.horizons)
            lines.append(f"  {k.kpi_id:<34} {_number(k.value):>12}  {kpi_statuses}")
    lines += _review_lines(snapshot)
    lines.append(f"\nrestatements (data imported since): {len(changed)}")
    for r in changed:
        files = ", ".join(f"{name} (import {i})" for i, name, _ in r.imports)
        lines.append(
            f"  {r.kpi_id}: frozen {_number(r.frozen)}, now {_number(r.current)}"
            f" — {files or 'no later import feeds it'}"
        )
    return lines


def _review_lines(snapshot: Snapshot) -> list[str]:
    if not snapshot.reviews:
        return []
    lines = [f"\nreviews: {len(snapshot.reviews)}"]
    for r in snapshot.reviews:
        said = "approved" if r.kind is ReviewKind.APPROVE else "requested changes"
        comment = f": « {r.comment} »" if r.comment else ""
        lines.append(f"  {r.at:%Y-%m-%d %H:%M} {r.author} {said}{comment}")
    return lines


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


_ACTIONS = {
    "create": _create,
    "list": _list,
    "show": _show,
    "approve": _approve,
    "request-changes": _request_changes,
    "export": _export,
}
