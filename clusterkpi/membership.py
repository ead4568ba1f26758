"""Membership figures for the board: members, joins, leaves, retention, type mix, places."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from clusterkpi.engine import period_params
from clusterkpi.periods import Period
from clusterkpi.store import Store

# The values the members table's CHECK constraint allows, in the order figures list them.
MEMBER_TYPES = (
    "sme",
    "startup",
    "large_company",
    "research_lab",
    "training_centre",
    "funder",
    "public_body",
    "association",
)
# As in the sme_share KPI: start-ups count as SMEs, and the share's base is the members
# of known type (member_type NULL: the export did not say; never counted as an SME).
SME_TYPES = ("sme", "startup")
# As in the international_members_share KPI: the positioning's country, else France.
HOME_COUNTRY_SQL = "coalesce((SELECT home_country FROM positioning), 'FR')"

# Membership on day d means joined_on <= d < left_on (left_on is the first day out),
# which is how the catalogue's member KPIs read the table. Every member whose
# membership overlaps a period is joined to it once; each figure is a filtered count.
_FLOWS_SQL = """WITH periods AS (
    SELECT unnest($labels) AS period,
           unnest($starts)::DATE AS period_start,
           unnest($ends)::DATE AS period_end
),
m AS (
    SELECT member_id, joined_on, left_on FROM members
    WHERE $all_types OR list_contains($types::VARCHAR[], member_type)
),
counts AS (
    SELECT p.period, p.period_start, p.period_end,
        count(m.member_id) FILTER (WHERE m.joined_on < p.period_start
            AND (m.left_on IS NULL OR m.left_on >= p.period_start)) AS members_start,
        count(m.member_id) FILTER (WHERE m.joined_on >= p.period_start) AS joins,
        count(m.member_id) FILTER (WHERE m.left_on < p.period_end) AS leaves,
        count(m.member_id) FILTER (
            WHERE m.left_on IS NULL OR m.left_on >= p.period_end) AS members_end,
        count(m.member_id) FILTER (WHERE m.joined_on < p.period_start
            AND (m.left_on IS NULL OR m.left_on >= p.period_end)) AS retained
    FROM periods AS p
    LEFT JOIN m
      ON m.joined_on < p.period_end AND (m.left_on IS NULL OR m.left_on >= p.period_start)
    GROUP BY ALL
)
SELECT period, period_start, period_end, members_start, joins, leaves, members_end,
       retained, members_start - retained AS churned,
       retained / nullif(members_start, 0) AS retention,
       (members_start - retained) / nullif(members_start, 0) AS churn
FROM counts
ORDER BY period_start"""

_MIX_SQL = """SELECT member_type, count(*) AS members
FROM members
WHERE joined_on < $end AND (left_on IS NULL OR left_on >= $end)
  AND ($all_types OR list_contains($types::VARCHAR[], member_type))
GROUP BY member_type"""

# One pass, two groupings: per country, and per (country, region) where a region is set.
_PLACES_SQL = f"""SELECT country, region, grouping(region) AS whole_country,
       count(*) AS members, any_value({HOME_COUNTRY_SQL}) AS home_country
FROM members
WHERE joined_on < $end AND (left_on IS NULL OR left_on >= $end)
  AND ($all_types OR list_contains($types::VARCHAR[], member_type))
GROUP BY GROUPING SETS ((country), (country, region))"""

FLOW_COLUMNS = (
    "period",
    "period_start",
    "period_end",
    "members_start",
    "joins",
    "leaves",
    "members_end",
    "retained",
    "churned",
    "retention",
    "churn",
)


@dataclass(frozen=True)
class TypeCount:
    """Members of one type, and their share of all the members counted."""

    member_type: str
    members: int
    share: float


@dataclass(frozen=True)
class TypeMix:
    """Members by type on a period's last day; ``types`` by decreasing count.

    ``total`` counts every member, ``unknown`` those of unknown type (left out of
    ``types``); shares in ``types`` are over the members of known type, the SME
    share's base, so that the SME and start-up shares add up to it.
    """

    period: Period
    total: int
    sme_members: int
    types: tuple[TypeCount, ...]
    unknown: int = 0

    @property
    def known(self) -> int:
        """Members of known type: the SME share's base."""
        return self.total - self.unknown

    @property
    def sme_share(self) -> float | None:
        """SMEs and start-ups over the members of known type (None without any)."""
        return self.sme_members / self.known if self.known else None


@dataclass(frozen=True)
class PlaceCount:
    """Members in one country (``region`` None) or one region of a country."""

    country: str
    region: str | None
    members: int
    share: float


@dataclass(frozen=True)
class Geography:
    """Members by country and region on a period's last day, by decreasing count.

    ``regions`` leaves out members whose region is not recorded; ``countries``
    leaves out the ``unknown`` members whose country is not recorded. Shares are
    over ``total`` (everyone). ``international`` counts members known to be outside
    ``home_country``.
    """

    period: Period
    home_country: str
    total: int
    international: int
    countries: tuple[PlaceCount, ...]
    regions: tuple[PlaceCount, ...]
    unknown: int = 0

    @property
    def known(self) -> int:
        """Members whose country is known: the international share's base."""
        return self.total - self.unknown

    @property
    def international_share(self) -> float | None:
        """Members outside the home country over those of known country (None: none)."""
        return self.international / self.known if self.known else None


def count_flows(
    store: Store, periods: Sequence[Period], member_types: Sequence[str] | None = None
) -> pd.DataFrame:
    """Return one row per period, in order, with the membership's stock and flows.

    Columns: ``period`` (label), ``period_start``, ``period_end`` (exclusive),
    ``members_start`` (members on the day before the period starts), ``joins``,
    ``leaves`` (left during the period, including members who joined in it),
    ``members_end`` (members on its last day; the active_members KPI),
    ``retained`` (of ``members_start``, still members on its last day),
    ``churned`` (``members_start - retained``), ``retention`` and ``churn``
    (``retained`` and ``churned`` over ``members_start``; NaN when it is 0), as
    the member_retention_rate and member_churn_rate KPIs define them.

    Args:
        store: the database.
        periods: the periods to count, any grain; each appears once in the result.
        member_types: only count these types (see MEMBER_TYPES); None for all.
    """
    unique = list(dict.fromkeys(periods))
    params = {**period_params(unique), **_type_params(member_types)}
    frame = store.query(_FLOWS_SQL, params)
    return frame[list(FLOW_COLUMNS)]


def count_by_type(
    store: Store, period: Period, member_types: Sequence[str] | None = None
) -> TypeMix:
    """Return the members by type on the period's last day, and the SME count."""
    rows = store.rows(_MIX_SQL, {"end": period.end, **_type_params(member_types)})
    total = sum(count for _, count in rows)
    unknown = sum(count for name, count in rows if name is None)
    known = [(name, count) for name, count in rows if name is not None]
    order = {name: i for i, name in enumerate(MEMBER_TYPES)}
    known.sort(key=lambda r: (-r[1], order.get(r[0], len(order)), r[0]))
    base = total - unknown
    return TypeMix(
        period=period,
        total=total,
        sme_members=sum(count for name, count in known if name in SME_TYPES),
        types=tuple(TypeCount(name, count, count / base) for name, count in known),
        unknown=unknown,
    )


def count_by_place(
    store: Store, period: Period, member_types: Sequence[str] | None = None
) -> Geography:
    """Return the members by country and region on the period's last day."""
    rows = store.rows(_PLACES_SQL, {"end": period.end, **_type_params(member_types)})
    home = rows[0][4] if rows else store.scalar(f"SELECT {HOME_COUNTRY_SQL}")
    total = sum(r[3] for r in rows if r[2])
    unknown = sum(r[3] for r in rows if r[2] and r[0] is None)
    countries = [(r[0], r[3]) for r in rows if r[2] and r[0] is not None]
    regions = [
        (r[0], r[1], r[3])
        for r in rows
        if not r[2] and r[0] is not None and r[1] is not None
    ]
    countries.sort(key=lambda r: (-r[1], r[0]))
    regions.sort(key=lambda r: (-r[2], r[0], r[1]))
    return Geography(
        period=period,
        home_country=home,
        total=total,
        international=sum(count for country, count in countries if country != home),
        countries=tuple(PlaceCount(c, None, n, n / total) for c, n in countries),
        regions=tuple(PlaceCount(c, r, n, n / total) for c, r, n in regions),
        unknown=unknown,
    )


def _type_params(member_types: Sequence[str] | None) -> dict[str, Any]:
    if member_types is None:
        return {"all_types": True, "types": []}
    unknown = sorted(set(member_types) - set(MEMBER_TYPES))
    if unknown:
        raise ValueError(
            f"Unknown member types {unknown}: use values of MEMBER_TYPES {MEMBER_TYPES}."
        )
    return {"all_types": False, "types": list(member_types)}
