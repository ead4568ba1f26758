"""Social networks: each network's daily followers, impressions and posts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.run import Run
from clusterkpi.demo.timeline import ANCHOR, weekday_of, years_since

# network: weekday posts, impressions per follower (base, per post), engagement rate
_NETWORKS = {
    "linkedin": (0.75, 0.02, 0.15, 0.03),
    "x": (0.6, 0.03, 0.25, 0.012),
    "facebook": (0.35, 0.015, 0.1, 0.018),
}


def _follower_target(network: str, days: np.ndarray) -> np.ndarray:
    """Expected followers: LinkedIn 2,500 → 7,000 over 2021–2026; X fades from 2023."""
    t = years_since(days, ANCHOR)
    if network == "linkedin":
        return 2500 * (7000 / 2500) ** (t / 6)
    if network == "x":
        return 1800 * np.where(t < 2.5, 1.03**t, 1.03**2.5 * 0.93 ** (t - 2.5))
    return 900 + 8 * t


def _network_days(
    run: Run, rng: np.random.Generator, network: str, days: np.ndarray
) -> pd.DataFrame:
    """One network's days: followers follow the target; posts make impressions."""
    rate, base, per_post, engaging = _NETWORKS[network]
    target = _follower_target(network, days) * run.reach
    drift = target - _follower_target(network, days - 1) * run.reach
    churn = 0.0002 * target
    new = rng.poisson(np.maximum(drift, 0) + churn)
    lost = rng.poisson(np.maximum(-drift, 0) + churn)
    posts = np.minimum(rng.poisson(np.where(weekday_of(days) < 5, rate, 0.05)), 2)
    noise = rng.lognormal(0, 0.3, len(days))
    impressions = rng.poisson(target * (base + per_post * posts) * noise)
    engaged = np.minimum(engaging * rng.lognormal(0, 0.25, len(days)), 1)
    return pd.DataFrame(
        {
            "day": days,
            "network": network,
            "net": new - lost,
            "start": target[0],
            "new_followers": new,
            "impressions": impressions,
            "engagements": rng.binomial(impressions, engaged),
            "posts": posts,
        }
    )


def generate_social(run: Run) -> pd.DataFrame:
    """Daily figures of the three networks; followers = first level + net gains."""
    blocks = []
    for year in run.years:
        rng = run.rng("social_daily", year)
        blocks += [_network_days(run, rng, n, run.days(year)) for n in _NETWORKS]
    frame = pd.concat(blocks, ignore_index=True)
    frame = frame.sort_values(["network", "day"], kind="stable", ignore_index=True)
    first = frame.groupby("network").start.transform("first").round().astype("int64")
    frame["followers"] = first + frame.groupby("network").net.cumsum()
    return frame.sort_values(["day", "network"], ignore_index=True)
