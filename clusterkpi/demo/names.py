"""Organisation names: unique names for members, and non-member organisations."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from clusterkpi.demo.run import Run
from clusterkpi.demo.vocabulary import (
    CITIES,
    COINED,
    COINED_TAILS,
    FAMILIES,
    FOREIGN,
    OTHER_FAMILIES,
    OTHER_TYPES,
    PLACES,
    SECTOR_STEMS,
    TECH,
)


@dataclass
class Names:
    """Unique organisation names, drawn from shuffled pools in member order."""

    rng: np.random.Generator
    used: set[str] = field(default_factory=set)
    pools: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    taken: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def pick(self, kind: str, sector: str, country: str) -> str:
        """Return an unused name for an organisation of this kind, sector, country."""
        key = (kind, sector, country)
        if key not in self.pools:
            self.pools[key] = [str(n) for n in self.rng.permutation(_name_bases(*key))]
        pool = self.pools[key]
        while True:
            i = self.taken.get(key, 0)
            self.taken[key] = i + 1
            name = pool[i % len(pool)]
            if i >= len(pool):  # pool used up: homonyms are told apart by their town
                name = f"{name} ({CITIES[(i // len(pool) - 1) % len(CITIES)]})"
                name += f" {i}" if i >= len(pool) * (len(CITIES) + 1) else ""
            if name not in self.used:
                self.used.add(name)
                return name


def _name_bases(kind: str, sector: str, country: str) -> list[str]:
    if country != "FR":
        _, stems, places, legal = FOREIGN[country]
        return [f"{s} {p} {legal}" for s in stems for p in places]
    if kind in OTHER_TYPES:
        return list(OTHER_TYPES[kind])
    if kind == "startup":
        return [f"{c}{t}" for c in COINED for t in COINED_TAILS]
    if not SECTOR_STEMS[sector]:
        a, b, c, d = TECH
        return [f"{w}{x} {y} {z}" for w in a for x in b for y in c for z in d]
    return [f"{s} {p}" for s in SECTOR_STEMS[sector] for p in (*PLACES, *FAMILIES)]


def other_organisations(run: Run) -> np.ndarray:
    """Names of organisations that are not members (prospects, guests)."""
    stems = [s for group in SECTOR_STEMS.values() for s in group]
    names = [f"{s} {f}" for s in stems for f in OTHER_FAMILIES]
    names += [f"{f} {w}" for f in OTHER_FAMILIES for w in ("Conseil", "Négoce", "SAS")]
    return run.rng("organisations", 0).permutation(np.array(names, dtype=object))
