"""The whole demo cluster: every table generated, cut at a day, loaded into a store."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from clusterkpi.demo.attendance import generate_attendance
from clusterkpi.demo.campaigns import generate_campaigns
from clusterkpi.demo.events import generate_events
from clusterkpi.demo.interactions import generate_interactions
from clusterkpi.demo.materials import generate_materials
from clusterkpi.demo.members import generate_members
from clusterkpi.demo.partnerships import sign_partnerships
from clusterkpi.demo.press import generate_press
from clusterkpi.demo.projects import generate_projects
from clusterkpi.demo.run import DEFAULT_SCALE, DemoScale, Run
from clusterkpi.demo.social import generate_social
from clusterkpi.demo.surveys import generate_surveys
from clusterkpi.demo.tables import COLUMNS, DATE_COLUMNS, END_COLUMNS
from clusterkpi.demo.timeline import DAY
from clusterkpi.demo.web import generate_web_traffic
from clusterkpi.store import Store, append_frame, single_row


def _truncate(frames: dict[str, pd.DataFrame], until: date) -> dict[str, pd.DataFrame]:
    """Keep the rows dated up to ``until``; end dates after it are not known yet."""
    last = np.datetime64(until, "D") + DAY
    out = {}
    for table, columns in COLUMNS.items():
        frame = frames[table].reindex(columns=list(columns))
        if table in DATE_COLUMNS:
            frame = _where(frame, frame[DATE_COLUMNS[table]] < last)
        if table in END_COLUMNS:
            end = END_COLUMNS[table]
            frame[end] = frame[end].where(frame[end] < last)
        out[table] = frame
    attendance, teams = out["attendance"], out["project_members"]
    out["attendance"] = _where(
        attendance, attendance.event_id.isin(out["events"].event_id)
    )
    out["project_members"] = _where(
        teams, teams.project_id.isin(out["projects"].project_id)
    )
    return out


def _where(frame: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """Return the rows to keep, sparing a copy when all are kept."""
    return frame if keep.all() else frame[keep].reset_index(drop=True)


def generate_demo(
    until: date, seed: int = 2021, scale: DemoScale = DEFAULT_SCALE
) -> dict[str, pd.DataFrame]:
    """Generate the demo cluster, "Pôle Agrinov Occitanie", as one frame per table.

    Pure and deterministic: the same arguments give the same frames, and the rows dated
    up to a day do not depend on ``until`` (each table and year has its own random
    stream). Members who join after ``until`` are left out; end dates after it
    (``left_on``, ``ended_on``) are missing.

    Args:
        until: last day of the history.
        seed: random seed (non-negative).
        scale: size of the cluster and of its activity.

    Returns:
        A DataFrame per canonical table, with the table's columns but ``import_id``;
        ``observations`` is empty.
    """
    run = Run(seed, scale, max(until, scale.start))
    return _truncate(_generate_tables(run), until)


def _generate_tables(run: Run) -> dict[str, pd.DataFrame]:
    """Every table, the rows of the history's last year included in full."""
    members = generate_members(run)
    events = generate_events(run)
    agreements = sign_partnerships(run)
    projects, teams = generate_projects(run, members)
    return {
        "members": members.frame,
        "events": events,
        "attendance": generate_attendance(run, events, members),
        "email_campaigns": generate_campaigns(run, events),
        "web_traffic": generate_web_traffic(run),
        "social_daily": generate_social(run),
        "press_mentions": generate_press(run, members, agreements),
        "projects": projects,
        "project_members": teams,
        "survey_responses": generate_surveys(run, members),
        "interactions": generate_interactions(run),
        "materials": generate_materials(run, members),
        "partnerships": agreements.frame(),
        "observations": pd.DataFrame(columns=list(COLUMNS["observations"])),
    }


def load_demo(
    store: Store,
    until: date,
    seed: int = 2021,
    scale: DemoScale = DEFAULT_SCALE,
) -> dict[str, int]:
    """Generate the demo cluster and insert it into ``store`` as one import.

    Everything is written in one transaction, under one ``imports`` row (source 'demo',
    file name 'demo-cluster', imported by 'demo').

    Args:
        store: the database to fill.
        until: last day of the history (see :func:`generate_demo`).
        seed: random seed (non-negative).
        scale: size of the cluster and of its activity.

    Returns:
        The number of rows inserted, per table.
    """
    frames = generate_demo(until, seed, scale)
    total = sum(len(f) for f in frames.values())
    counts = {}
    with store.transaction() as cur:
        # Numbered like every import: after the last one (see imports.importer).
        import_id = single_row(
            cur,
            "INSERT INTO imports (import_id, source, file_name, imported_by, rows_added)"
            " SELECT coalesce(max(import_id), 0) + 1, 'demo', 'demo-cluster', 'demo', ?"
            " FROM imports RETURNING import_id",
            [total],
        )[0]
        for table in list(frames):
            frame = frames.pop(table)  # let go of each frame once it is stored
            counts[table] = append_frame(cur, table, frame.assign(import_id=import_id))
    return counts
