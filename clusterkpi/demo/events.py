"""Events: workshops, webinars, trade shows and the members' assemblies."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import pick_one
from clusterkpi.demo.timeline import month_lengths, month_of, month_starts, to_day
from clusterkpi.demo.vocabulary import CITIES, TOPICS

# fmt: off
_EVENT_KINDS = ("workshop", "webinar", "conference", "networking", "training",
                "b2b_meeting", "trade_show")
_EVENT_P = (0.27, 0.22, 0.08, 0.12, 0.14, 0.10, 0.07)
_EVENT_TITLES = {
    "workshop": ("Atelier {topic}", "Atelier pratique : {topic}"),
    "webinar": ("Webinaire {topic}", "Webinaire : {topic}"),
    "conference": ("Conférence : {topic}", "Rencontres Agrinov : {topic}"),
    "networking": ("Afterwork des adhérents – {city}",
                   "Petit-déjeuner réseau : {topic}"),
    "training": ("Formation {topic}", "Formation courte : {topic}"),
    "b2b_meeting": ("Rendez-vous d'affaires : {topic}",
                    "Convention d'affaires agroalimentaire – {city}"),
    "trade_show": ("Stand collectif Agrinov – {show} {year}",),
}
_SHOWS = ("SIAL Paris", "Salon international de l'agriculture", "Wine Paris", "Natexpo",
          "Sirha Lyon", "Fruit Logistica", "ProWein", "Anuga", "CFIA Rennes")

# The general assembly in June and a members' plenary in each other quarter, so that
# the assembly KPI has a value every quarter: month, earliest day, title, turnout.
_ASSEMBLIES = (
    (3, 10, "Assemblée plénière des adhérents – printemps {year}", 0.58),
    (6, 12, "Assemblée générale {year}", 0.78),
    (9, 12, "Assemblée plénière de rentrée {year}", 0.55),
    (12, 1, "Assemblée plénière de fin d'année {year}", 0.6),
)
# fmt: on


def _event_title(rng: np.random.Generator, kind: str, year: int) -> str:
    return pick_one(rng, _EVENT_TITLES[kind]).format(
        topic=pick_one(rng, TOPICS),
        city=pick_one(rng, CITIES[:10]),
        show=pick_one(rng, _SHOWS),
        year=year,
    )


def _assemblies(run: Run, rng: np.random.Generator, year: int) -> pd.DataFrame:
    """The year's general assembly and members' plenaries, on Thursdays."""
    rows = []
    for month, day, title, turnout in _ASSEMBLIES:
        first = to_day(f"{year}-{month:02d}-{day:02d}")
        held = np.busday_offset(first, rng.integers(2), roll="forward", weekmask="Thu")
        if held >= run.first(year):
            rows.append((title.format(year=year), "general_assembly", held, turnout))
    return pd.DataFrame(rows, columns=["title", "kind", "held_on", "turnout"])


def _event_block(run: Run, year: int) -> pd.DataFrame:
    """Events of a year: 2–4 a month (1 in August) × activity, and the assemblies."""
    rng = run.rng("events", year)
    starts = month_starts(run.first(year), to_day(f"{year + 1}-01-01"))
    august = month_of(starts) == 8
    base = np.where(august, 1, rng.integers(2, 5, len(starts)))
    counts = np.maximum(1, np.round(base * run.scale.activity)).astype(np.int64)
    month = np.repeat(starts, counts)
    days = month + (rng.random(len(month)) * month_lengths(month)).astype(np.int64)
    held = np.busday_offset(days, 0, roll="forward")
    held = np.where(month_of(held) == month_of(days), held, days - 2)
    held = np.maximum(held, run.first(year))
    kind = rng.choice(_EVENT_KINDS, len(held), p=_EVENT_P)
    summer = rng.choice(["webinar", "networking"], len(held))
    kind = np.where(np.repeat(august, counts), summer, kind)
    titles = [_event_title(rng, k, year) for k in kind]
    frame = pd.DataFrame(
        {"title": titles, "kind": kind, "held_on": held, "turnout": 0.0}
    )
    frame = pd.concat([frame, _assemblies(run, rng, year)], ignore_index=True)
    return frame.sort_values("held_on", kind="stable", ignore_index=True)


def generate_events(run: Run) -> pd.DataFrame:
    """All events, numbered in date order."""
    return number_rows([_event_block(run, y) for y in run.years], "event_id", "E")
