"""Communication materials: newsletters, brochures, videos, success stories."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.members import Members
from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import pick_one
from clusterkpi.demo.timeline import draw_days, month_of, month_starts
from clusterkpi.demo.vocabulary import MONTHS, TOPICS

# fmt: off
_MATERIALS = {  # kind: (weight, chance of being co-produced with members, title)
    "brochure": (0.12, 0.3, "Brochure « {topic} »"),
    "video": (0.18, 0.5, "Vidéo : {member} témoigne"),
    "press_release": (0.22, 0.25, "Communiqué : {topic}"),
    "success_story": (0.15, 0.7, "Success story : {member}"),
    "case_study": (0.1, 0.7, "Étude de cas : {topic} chez {member}"),
    "article": (0.2, 0.4, "{Topic} : où en sont les entreprises occitanes ?"),
    "report": (0.03, 0.2, "Synthèse : {topic}"),
}
# fmt: on


def _material_quarter(
    rng: np.random.Generator,
    first: np.datetime64,
    end: np.datetime64,
    members: Members,
) -> pd.DataFrame:
    """A quarter's materials: monthly newsletters and 3–9 other supports."""
    letters = month_starts(first, end)
    letters = np.maximum(letters[month_of(letters) != 8], first)
    n = int(rng.integers(3, 10))
    kinds = list(_MATERIALS)
    weight, shared, _ = zip(*_MATERIALS.values(), strict=True)
    kind = rng.choice(len(kinds), n, p=weight)
    joint = rng.random(n) < np.array(shared)[kind]
    joint[0] |= not joint.any()  # a joint publication every quarter
    day = draw_days(rng, first, end, n)
    who = members.frame.name.to_numpy(object)[members.pick(rng, day)]
    titles = []
    for k, member in zip(kind, who, strict=True):
        topic = pick_one(rng, TOPICS)
        title = _MATERIALS[kinds[k]][2]
        titles.append(
            title.format(topic=topic, Topic=topic[0].upper() + topic[1:], member=member)
        )
    months = [MONTHS[m - 1] for m in month_of(letters)]
    return pd.DataFrame(
        {
            "produced_on": np.concatenate([letters, day]),
            "kind": ["newsletter"] * len(letters) + [kinds[k] for k in kind],
            "title": [
                f"La Lettre Agrinov – {m} {first.astype(object).year}" for m in months
            ]
            + titles,
            "co_produced": np.append(np.zeros(len(letters), bool), joint),
        }
    )


def generate_materials(run: Run, members: Members) -> pd.DataFrame:
    """All communication materials, numbered in date order."""
    blocks = []
    for year in run.years:
        rng = run.rng("materials", year)
        quarters = [
            _material_quarter(rng, a, b, members) for a, b in run.quarters(year)
        ]
        frame = pd.concat(quarters, ignore_index=True)
        blocks.append(
            frame.sort_values("produced_on", kind="stable", ignore_index=True)
        )
    return number_rows(blocks, "material_id", "MAT")
