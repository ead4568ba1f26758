"""Press mentions: outlets, tones and reach, and whether the outlet is a partner."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.members import Members
from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.partnerships import Agreements
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import pick_one
from clusterkpi.demo.timeline import draw_days
from clusterkpi.demo.vocabulary import CITIES, TOPICS

# fmt: off
_OUTLETS = {  # outlet: (weight, lowest reach, highest reach)
    "La Dépêche du Midi": (0.17, 150_000, 600_000),
    "Midi Libre": (0.11, 100_000, 400_000),
    "Les Échos": (0.03, 80_000, 300_000),
    "L'Usine Nouvelle": (0.05, 30_000, 150_000),
    "Agra Alimentation": (0.09, 5_000, 20_000),
    "Process Alimentaire": (0.09, 10_000, 40_000),
    "France 3 Occitanie": (0.06, 80_000, 500_000),
    "Toulouse Infos": (0.08, 5_000, 30_000),
    "Objectif News": (0.07, 5_000, 25_000),
    "Le Journal des Entreprises": (0.06, 10_000, 50_000),
    "RIA – Revue de l'industrie agroalimentaire": (0.05, 8_000, 30_000),
    "L'Indépendant": (0.05, 40_000, 150_000),
    "Centre Presse Aveyron": (0.03, 15_000, 40_000),
    "ici Occitanie": (0.06, 50_000, 200_000),
}
# fmt: on

_TONES = ("positive", "neutral", "negative")
_PRESS_TITLES = (
    "{Topic} : le Pôle Agrinov Occitanie mobilise ses adhérents",
    "{member} rejoint le Pôle Agrinov Occitanie",
    "Agroalimentaire en Occitanie : cap sur « {topic} »",
    "À {city}, industriels et chercheurs réunis par le Pôle Agrinov",
    "Innovation alimentaire : le Pôle Agrinov accompagne {member}",
    "{member}, adhérent du Pôle Agrinov, mise sur l'innovation",
)
_NEGATIVE_TITLES = (
    "{Topic} : des adhérents du Pôle Agrinov s'interrogent",
    "Aides à l'innovation : le Pôle Agrinov critiqué par des industriels",
    "Un projet du Pôle Agrinov prend du retard",
)


def _press_title(rng: np.random.Generator, tone: str, member: str) -> str:
    options = _NEGATIVE_TITLES if tone == "negative" else _PRESS_TITLES
    topic = pick_one(rng, TOPICS)
    return pick_one(rng, options).format(
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        member=member,
        city=pick_one(rng, CITIES),
    )


def _press_block(
    run: Run, year: int, members: Members, agreements: Agreements
) -> pd.DataFrame:
    """One year's press mentions: 8–15 a quarter, growing; 5 % have a negative tone."""
    rng = run.rng("press_mentions", year)
    days = []
    for first, end in run.quarters(year):
        n = rng.integers(8, 16) * run.growth(first, 0.06).item() * run.scale.activity
        days.append(draw_days(rng, first, end, max(1, round(n))))
    day = np.concatenate(days)
    n = len(day)
    weight = np.array([w for w, _, _ in _OUTLETS.values()])
    outlet = rng.choice(list(_OUTLETS), n, p=weight / weight.sum())
    low, high = np.array([_OUTLETS[o][1:] for o in outlet]).reshape(n, 2).T
    tone = rng.choice(_TONES, n, p=[0.6, 0.35, 0.05])
    who = members.frame.name.to_numpy(object)[members.pick(rng, day)]
    return pd.DataFrame(
        {
            "published_on": day,
            "outlet": outlet,
            "title": [_press_title(rng, t, m) for t, m in zip(tone, who, strict=True)],
            "tone": tone,
            "reach": np.exp(rng.uniform(np.log(low), np.log(high))).astype(np.int64),
            "media_partner": agreements.media_on(outlet, day),
        }
    )


def generate_press(run: Run, members: Members, agreements: Agreements) -> pd.DataFrame:
    """All press mentions, numbered in date order."""
    blocks = [_press_block(run, y, members, agreements) for y in run.years]
    return number_rows(blocks, "mention_id", "P")
