"""Survey responses: member barometers and satisfaction, awareness, partner surveys."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterkpi.demo.members import Members
from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import take_strings
from clusterkpi.demo.timeline import ANCHOR, to_day, years_since

# fmt: off
# month, first day, days open, name, respondents, response rate (of the active members)
# or respondents (for the default activity): lowest, highest
_SURVEYS = (
    (3, 2, 21, "Baromètre adhérents {year}-T1", "member", 0.10, 0.18),
    (5, 15, 46, "Enquête de satisfaction adhérents {year}", "member", 0.30, 0.40),
    (9, 10, 21, "Baromètre adhérents {year}-T3", "member", 0.10, 0.18),
    (10, 1, 30, "Notoriété entreprises cibles {year}", "target_company", 100, 160),
    (11, 5, 21, "Baromètre adhérents {year}-T4", "member", 0.10, 0.18),
    (12, 1, 15, "Enquête partenaires {year}", "partner", 10, 20),
)
# fmt: on
_Wave = tuple[int, int, int, str, str, float, float]
_NPS = {"member": (0.45, 0.33), "target_company": (0.22, 0.4), "partner": (0.55, 0.3)}
_VISION_P = (0.04, 0.08, 0.23, 0.41, 0.24)
_DETRACTOR_P = (0.03, 0.02, 0.05, 0.08, 0.12, 0.3, 0.4)


def _stratified(
    rng: np.random.Generator, shares: Sequence[float], n: int
) -> np.ndarray:
    """Draw ``n`` categories in about the given shares: less noise than sampling."""
    counts = np.round(np.array(shares[:-1]) * n).astype(np.int64)
    counts = np.append(counts, max(n - counts.sum(), 0))
    return rng.permutation(np.repeat(np.arange(len(shares)), counts))[:n]


def _scores(rng: np.random.Generator, kind: str, n: int, t: float) -> np.ndarray:
    """NPS answers 0–10; members' NPS rises from about +23 in 2021 to +33 in 2026."""
    promoters, passives = _NPS[kind]
    if kind == "member":
        promoters = min(max(promoters + 0.008 * t, 0.4), 0.5)
    promoters += rng.normal(0, 0.015)
    group = _stratified(rng, (promoters, passives, 1 - promoters - passives), n)
    answers = (9 + rng.integers(0, 2, n), 7 + rng.integers(0, 2, n))
    return np.choose(group, (*answers, rng.choice(7, n, p=_DETRACTOR_P)))


def _survey_wave(
    run: Run, rng: np.random.Generator, year: int, wave: _Wave, members: Members
) -> pd.DataFrame:
    """The responses to one survey."""
    month, day, length, name, kind, low, high = wave
    first = to_day(f"{year}-{month:02d}-{day:02d}")
    if first < run.first(year):
        return pd.DataFrame()
    rate = rng.uniform(low, high)
    who = np.empty(0, np.int64)
    if kind == "member":
        active = members.active(first)
        who = rng.choice(active, round(rate * len(active)), replace=False)
    n = (
        len(who)
        if kind == "member"
        else max(1, round(rate * (run.volume if kind != "partner" else 1)))
    )
    nps = pd.array(
        _scores(rng, kind, n, years_since(first, ANCHOR).item()), dtype="Int64"
    )
    if kind == "target_company":  # only those who know the cluster rate it
        nps[rng.random(n) < 0.45] = pd.NA
    vision = pd.array(_stratified(rng, _VISION_P, n) + 1, dtype="Int64")
    return pd.DataFrame(
        {
            "survey": name.format(year=year),
            "submitted_on": first + (length * rng.beta(1, 2.5, n)).astype(np.int64),
            "respondent_kind": kind,
            "member": np.append(who, np.full(n - len(who), -1)),
            "nps_score": nps,
            "vision_agreement": vision
            if kind == "member"
            else pd.array([pd.NA] * n, "Int64"),
        }
    )


def generate_surveys(run: Run, members: Members) -> pd.DataFrame:
    """Member barometers (Q1, Q3, Q4), the satisfaction survey (May–June), others."""
    blocks = []
    for year in run.years:
        rng = run.rng("survey_responses", year)
        blocks += [_survey_wave(run, rng, year, wave, members) for wave in _SURVEYS]
    frame = pd.concat([b for b in blocks if len(b)], ignore_index=True)
    frame = frame.sort_values("submitted_on", kind="stable", ignore_index=True)
    frame["member_id"] = take_strings(members.frame.member_id, frame.member.to_numpy())
    return number_rows([frame], "response_id", "R", 6)
