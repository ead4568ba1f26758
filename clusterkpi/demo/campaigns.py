"""E-mail campaigns: newsletters, invitations and prospecting, with their results."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import pick_one
from clusterkpi.demo.timeline import (
    ANCHOR,
    draw_days,
    month_of,
    month_starts,
    to_day,
    years_since,
)
from clusterkpi.demo.vocabulary import MONTHS, TOPICS

_INVITED = ("conference", "trade_show", "b2b_meeting", "general_assembly")
_AUDIENCES = ("members", "all", "prospects")
# per audience: list share, open-rate shift, click and unsubscribe multipliers
_AUDIENCE_SHAPE = np.array(
    [[1.0, 0.02, 1.1, 1.0], [1.3, 0.0, 1.0, 1.2], [0.55, -0.09, 0.55, 1.8]]
)


def _campaign_plan(
    run: Run, rng: np.random.Generator, year: int, events: pd.DataFrame
) -> pd.DataFrame:
    """Sending plan: monthly newsletters (not in August), invitations, prospecting."""
    starts = month_starts(run.first(year), to_day(f"{year + 1}-01-01"))
    starts = starts[month_of(starts) != 8]
    letters = starts + rng.integers(0, 6, len(starts))
    letters = np.busday_offset(letters, 0, roll="forward", weekmask="Tue Thu")
    titles = [f"La Lettre Agrinov – {MONTHS[m - 1]} {year}" for m in month_of(starts)]
    invited = events[events.kind.isin(_INVITED) & (events.held_on.dt.year == year)]
    invited = invited[rng.random(len(invited)) < 0.8]
    sent = invited.held_on.to_numpy("datetime64[D]") - rng.integers(
        10, 22, len(invited)
    )
    titles += [f"Invitation : {t}" for t in invited.title]
    quarters = run.quarters(year)
    prospecting = np.concatenate(
        [draw_days(rng, a, b, 1 + int(rng.random() < 0.4)) for a, b in quarters]
    )
    titles += [
        f"Découvrez le Pôle Agrinov : {pick_one(rng, TOPICS)}" for _ in prospecting
    ]
    audience = np.repeat([0, 1, 2], [len(starts), len(sent), len(prospecting)])
    day = np.concatenate(
        [letters, np.busday_offset(sent, 0, roll="backward"), prospecting]
    )
    plan = pd.DataFrame({"title": titles, "audience": audience, "day": day})
    plan = plan[plan.day.to_numpy("datetime64[D]") >= run.first(year)]
    return plan.sort_values("day", kind="stable", ignore_index=True)


def _open_rates(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Open and click rates; Apple Mail Privacy Protection lifts opens from 09/2021."""
    t = years_since(days, ANCHOR)
    since = years_since(days, date(2021, 9, 20))
    mpp = np.clip(since * 6, 0, 1)  # phased in over two months
    before = 0.24 + 0.003 * np.maximum(-t, 0)
    after = np.maximum(0.33 - 0.008 * since, 0.26)
    clicks = np.where(t < 0, 0.035 - 0.0005 * t, np.maximum(0.035 - 0.0013 * t, 0.02))
    return before + mpp * (after - before), clicks


def _campaign_block(run: Run, year: int, events: pd.DataFrame) -> pd.DataFrame:
    """One year's campaigns, with their delivery and engagement counts."""
    rng = run.rng("email_campaigns", year)
    plan = _campaign_plan(run, rng, year, events)
    n = len(plan)
    days = plan.day.to_numpy("datetime64[D]")
    shape = _AUDIENCE_SHAPE[plan.audience.to_numpy()]
    recipients = rng.poisson(
        1500 * run.reach * 1.096 ** years_since(days, ANCHOR) * shape[:, 0]
    )
    bounces = rng.binomial(recipients, rng.uniform(0.01, 0.02, n))
    delivered = recipients - bounces
    opened, clicked = _open_rates(days)
    opened = np.clip(opened + shape[:, 1] + rng.normal(0, 0.015, n), 0.05, 0.9)
    clicked = clicked * shape[:, 2] * rng.lognormal(0, 0.12, n)
    opens = rng.binomial(delivered, opened)
    unsubscribed = rng.uniform(0.0015, 0.003, n) * shape[:, 3]
    minutes = rng.integers(8 * 60, 11 * 60, n).astype("timedelta64[m]")
    return pd.DataFrame(
        {
            "title": plan.title,
            "audience": np.array(_AUDIENCES)[plan.audience],
            "sent_at": days.astype("datetime64[m]") + minutes,
            "recipients": recipients,
            "delivered": delivered,
            "unique_opens": opens,
            "unique_clicks": rng.binomial(opens, np.minimum(clicked / opened, 1)),
            "unsubscribes": rng.binomial(delivered, unsubscribed),
            "bounces": bounces,
        }
    )


def generate_campaigns(run: Run, events: pd.DataFrame) -> pd.DataFrame:
    """All e-mail campaigns, numbered in sending order."""
    return number_rows(
        [_campaign_block(run, y, events) for y in run.years], "campaign_id", "C"
    )
