"""Interactions: meetings, calls and requests with the organisations targeted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.names import other_organisations
from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import take_strings
from clusterkpi.demo.timeline import draw_days

_INTERACTIONS = ("meeting", "call", "b2b_meeting", "event_contact", "inbound_request")


def _interaction_block(run: Run, year: int, organisations: int) -> pd.DataFrame:
    """One year of exchanges with targets (60–100 a quarter, growing), and requests."""
    rng = run.rng("interactions", year)
    parts = []
    for first, end in run.quarters(year):
        grow = run.growth(first, 0.08).item() * run.volume
        exchanges = round(rng.integers(60, 100) * grow)
        inbound = max(1, round(rng.integers(10, 25) * grow))
        other = round(0.1 * exchanges)  # meetings and calls with non-targets
        kind = np.concatenate(
            [
                rng.choice(4, exchanges, p=[0.35, 0.3, 0.15, 0.2]),
                np.full(inbound, 4),
                rng.choice(2, other),
            ]
        )
        order = rng.permutation(len(kind))
        part = {
            "occurred_on": draw_days(rng, first, end, len(kind)),
            "kind": kind[order],
            "organisation": rng.integers(0, organisations, len(kind)),
            "is_target": (np.arange(len(kind)) < exchanges + inbound)[order],
        }
        parts.append(pd.DataFrame(part))
    return pd.concat(parts, ignore_index=True)


def generate_interactions(run: Run) -> pd.DataFrame:
    """All interactions up to ``until``, numbered in date order."""
    organisations = other_organisations(run)
    blocks = [_interaction_block(run, y, len(organisations)) for y in run.years]
    frame = pd.concat(blocks, ignore_index=True)
    frame = frame[frame.occurred_on <= np.datetime64(run.until)]  # spare their strings
    frame = frame.reset_index(drop=True)
    frame["kind"] = take_strings(_INTERACTIONS, frame.kind.to_numpy())
    frame["organisation"] = take_strings(organisations, frame.organisation.to_numpy())
    return number_rows([frame], "interaction_id", "I", 6)
