"""Partnerships: agreements with media, institutions, research and funders."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clusterkpi.demo.numbering import number_rows
from clusterkpi.demo.run import Run
from clusterkpi.demo.timeline import draw_days, to_day

# fmt: off
_PARTNERS = {
    "media": ("Agra Alimentation", "Process Alimentaire", "Toulouse Infos",
              "Objectif News", "La Dépêche du Midi", "France 3 Occitanie",
              "Le Journal des Entreprises",
              "RIA – Revue de l'industrie agroalimentaire", "Midi Libre",
              "ici Occitanie"),
    "institution": ("Région Occitanie", "AD'OCC", "Bpifrance Occitanie",
                    "CCI Occitanie", "DRAAF Occitanie", "Toulouse Métropole",
                    "Montpellier Méditerranée Métropole",
                    "Team France Export Occitanie", "Chambre régionale d'agriculture",
                    "Agence de l'eau Adour-Garonne", "Département de l'Aveyron",
                    "Département du Tarn", "Albi Agglomération"),
    "research": ("INRAE Occitanie-Toulouse", "Institut Agro Montpellier",
                 "Toulouse INP-ENSAT", "CIRAD Montpellier", "Université de Perpignan",
                 "Centre technique CTCPA", "Université de Montpellier",
                 "IMT Mines Albi", "Université Toulouse III – Paul Sabatier",
                 "Purpan École d'ingénieurs"),
    "training": ("Lycée agricole de Rodez", "CFA agroalimentaire de Toulouse",
                 "IUT Paul Sabatier – génie biologique", "Campus des métiers du goût",
                 "ENSAT Formation continue", "Lycée agricole d'Auch-Beaulieu",
                 "CFPPA du Tarn", "MFR du Lauragais"),
    "funder": ("Bpifrance", "Banque des Territoires", "FEDER Occitanie",
               "Fondation Terroirs & Innovation", "Caisse régionale Sud Agro",
               "Réseau Entreprendre Occitanie", "France Active Occitanie"),
    "other_cluster": ("Cluster Agrofood Catalunya", "Pôle Nutrition Santé Auvergne",
                      "Cluster Vins & Terroirs Nouvelle-Aquitaine",
                      "Food Valley Lombardia", "Cluster Bio Méditerranée",
                      "Wallonie Agro Cluster", "Swiss Food Cluster Léman",
                      "Agrifood Cluster Valencia", "Pôle Aquaculture Méditerranée"),
}
_PARTNER_P = (0.15, 0.2, 0.2, 0.15, 0.12, 0.18)
# Agreements in force at the start: kind, years before the start, never ending.
_FIRST_PARTNERS = (
    ("media", 4, True), ("media", 3, False), ("media", 3, False), ("media", 2, False),
    ("media", 1, False), ("institution", 4, True), ("institution", 2, True),
    ("research", 3, False), ("funder", 1, False),
)
# fmt: on
# partner name, kind, signed on, ended on (None: no end date)
_Agreement = tuple[str, str, np.datetime64, np.datetime64 | None]


@dataclass
class Agreements:
    """Partnerships signed so far, in signing order (names depend on earlier ones)."""

    rows: list[_Agreement] = field(default_factory=list)

    def sign(
        self,
        rng: np.random.Generator,
        kind: str,
        day: np.datetime64,
        origin: np.datetime64,
        lasting: bool = False,
    ) -> None:
        """Sign an agreement on ``day``; a fixed term is counted from ``origin``."""
        years = rng.uniform(2, 6) if kind == "media" else rng.uniform(1, 6)
        lasting = lasting or (kind != "media" and rng.random() < 0.25)
        end = None if lasting else origin + int(years * 365)
        busy = {n for n, k, _, e in self.rows if k == kind and (e is None or e > day)}
        names = [str(n) for n in rng.permutation(_PARTNERS[kind])]
        free = [n for n in names if n not in busy] or names
        self.rows.append((free[0], kind, day, end))

    def media_on(self, outlets: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Tell whether each outlet was a media partner on each day."""
        flag = np.zeros(len(outlets), dtype=bool)
        for name, kind, signed, ended in self.rows:
            if kind == "media":
                end = np.datetime64("9999-12-31") if ended is None else ended
                flag |= (outlets == name) & (days >= signed) & (days < end)
        return flag

    def frame(self) -> pd.DataFrame:
        """Return the partnerships as a table, numbered in signing order."""
        columns = ["partner_name", "kind", "signed_on", "ended_on"]
        frame = pd.DataFrame(self.rows, columns=columns)
        frame["signed_on"] = pd.to_datetime(frame.signed_on).astype("datetime64[s]")
        frame["ended_on"] = pd.to_datetime(frame.ended_on).astype("datetime64[s]")
        frame = frame.sort_values("signed_on", kind="stable", ignore_index=True)
        return number_rows([frame], "partnership_id", "PA")


def sign_partnerships(run: Run) -> Agreements:
    """Partnerships: those in force at the start, then 1–3 signed a quarter."""
    agreements = Agreements()
    rng = run.rng("partnerships", 0)
    start = to_day(run.scale.start)
    for kind, back, lasting in _FIRST_PARTNERS:
        signed = start - back * 365 + int(rng.integers(0, 200))
        agreements.sign(rng, kind, signed, start, lasting)
    for year in run.years:
        rng = run.rng("partnerships", year)
        for first, end in run.quarters(year):
            n = int(rng.integers(1, 4))
            kinds = rng.choice(list(_PARTNERS), n, p=_PARTNER_P)
            for day, kind in zip(draw_days(rng, first, end, n), kinds, strict=True):
                agreements.sign(rng, str(kind), day, day)
    return agreements
