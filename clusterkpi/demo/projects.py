"""Projects: collaborative projects and the members taking part in each."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.members import Members
from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import pick_one
from clusterkpi.demo.timeline import draw_days, to_day
from clusterkpi.demo.vocabulary import TOPICS

_PROJECT_KINDS = ("R&D", "innovation", "europe", "formation")
_ACRONYM = (
    ("BIO", "NUTRI", "LACT", "FERM", "VITI", "CEREA", "OCCI", "AGRO", "TERRA", "PROT"),
    ("PACK", "NOV", "SUD", "LAB", "TECH", "VAL", "OC", "CYCLE", "SENS", "FOOD"),
)


def _project_block(
    run: Run, year: int, members: Members
) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """One year's projects (3–6 a quarter, lasting 1–4 years), with their members."""
    rng = run.rng("projects", year)
    size = run.scale.members / 200
    quarters = run.quarters(year, clip=year >= run.scale.start.year)
    days = [
        draw_days(rng, a, b, max(1, round(rng.integers(3, 7) * size)))
        for a, b in quarters
    ]
    launched = np.concatenate(days)
    n = len(launched)
    name = (pick_one(rng, _ACRONYM[0]) + pick_one(rng, _ACRONYM[1]) for _ in range(n))
    title = [f"{a} – {pick_one(rng, TOPICS)}" for a in name]
    teams = []
    for day in launched:
        active = members.active(day)
        weight = members.weight[active]
        k = min(int(rng.integers(2, 9)), len(active))
        team = (
            rng.choice(active, k, replace=False, p=weight / weight.sum())
            if k
            else active
        )
        teams.append(team)
    kind = rng.choice(_PROJECT_KINDS, n, p=[0.4, 0.3, 0.15, 0.15])
    ended = launched + rng.integers(365, 4 * 365, n)
    frame = pd.DataFrame(
        {"title": title, "kind": kind, "launched_on": launched, "ended_on": ended}
    )
    return frame, teams


def generate_projects(run: Run, members: Members) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Projects, from those still running at the start, and their members."""
    frames, teams = [], []
    start = to_day(run.scale.start)
    for year in range(run.scale.start.year - 4, run.until.year + 1):
        frame, team = _project_block(run, year, members)
        keep = frame.ended_on.to_numpy("datetime64[D]") >= start
        frames.append(frame[keep])
        teams += [t for t, k in zip(team, keep, strict=True) if k]
    projects = number_rows(frames, "project_id", "PR")
    chosen = np.concatenate(teams)
    lead = np.concatenate([np.arange(len(t)) == 0 for t in teams])
    team_frame = pd.DataFrame(
        {
            "project_id": np.repeat(
                projects.project_id.to_numpy(object), [len(t) for t in teams]
            ),
            "member_id": members.frame.member_id.to_numpy(object)[chosen],
            "role": np.where(lead, "lead", "partner"),
        }
    )
    return projects, team_frame
