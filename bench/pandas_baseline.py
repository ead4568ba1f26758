"""Benchmark baseline: every KPI recomputed from the raw tables with pandas, no SQL engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from clusterkpi.catalog import Aggregation
from clusterkpi.periods import Period
from clusterkpi.store import Store

Tables = dict[str, pd.DataFrame]
Arrays = tuple[np.ndarray, ...]
Span = tuple[np.datetime64, np.datetime64] | None
Manual = dict[tuple[str, date, date], float]

# The catalogue's sources with their date columns (the coverage rule reads them), and
# the other tables a KPI over that source joins.
SOURCE_DATES = {
    "members": "joined_on",
    "events": "held_on",
    "email_campaigns": "sent_at",
    "web_traffic": "day",
    "social_daily": "day",
    "press_mentions": "published_on",
    "projects": "launched_on",
    "survey_responses": "submitted_on",
    "interactions": "occurred_on",
    "materials": "produced_on",
    "partnerships": "signed_on",
}
_JOINED = {
    "members": ("positioning",),
    "events": ("attendance",),
    "projects": ("project_members",),
}


@dataclass(frozen=True)
class Bounds:
    """The requested periods as arrays: ``start`` inclusive, ``end`` exclusive."""

    start: np.ndarray
    end: np.ndarray

    @classmethod
    def of(cls, periods: Sequence[Period]) -> Bounds:
        """Return the bounds of the given periods (datetime64[us], as pandas reads DATE)."""
        return cls(
            np.array([p.start for p in periods], dtype="datetime64[us]"),
            np.array([p.end for p in periods], dtype="datetime64[us]"),
        )


Compute = Callable[[Tables, Bounds], Arrays]


@dataclass(frozen=True)
class KpiSpec:
    """One KPI in pandas: its sources, its aggregation, and its formula.

    ``compute`` returns (numerator, denominator) for a ratio, (value,) otherwise: one
    float per period, NaN where SQL would give NULL.
    """

    sources: tuple[str, ...]
    aggregation: Aggregation
    compute: Compute


# --- primitives: one row per record, one column per period ---------------------


def _days(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype="datetime64[us]")


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


def _count(days: np.ndarray, b: Bounds) -> np.ndarray:
    """Rows whose day falls in each period."""
    ordered = np.sort(days)
    hi, lo = np.searchsorted(ordered, b.end), np.searchsorted(ordered, b.start)
    return (hi - lo).astype(float)


def _total(days: np.ndarray, values: np.ndarray, b: Bounds) -> np.ndarray:
    """SQL sum(values) per period: NaN where the period holds no non-null value."""
    order = np.argsort(days, kind="stable")
    ordered, vals = days[order], values[order]
    known = ~np.isnan(vals)
    sums = np.concatenate([[0.0], np.cumsum(np.where(known, vals, 0.0))])
    seen = np.concatenate([[0], np.cumsum(known)])
    lo, hi = np.searchsorted(ordered, b.start), np.searchsorted(ordered, b.end)
    return np.where(seen[hi] > seen[lo], sums[hi] - sums[lo], np.nan)


def _within(days: np.ndarray, b: Bounds) -> np.ndarray:
    return (days[:, None] >= b.start) & (days[:, None] < b.end)


def _alive(born: np.ndarray, died: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Born before the date and not ended before it (NaT: not ended)."""
    return (born[:, None] < at) & (np.isnat(died)[:, None] | (died[:, None] >= at))


def _share(rows: np.ndarray, flag: np.ndarray) -> Arrays:
    """Flagged rows among the given ones, per period (flag: per row or per row × period)."""
    flags = flag if flag.ndim == 2 else flag[:, None]
    return (rows & flags).sum(0).astype(float), rows.sum(0).astype(float)


def _by_id(ids: pd.Index, keys: pd.Series, mask: np.ndarray) -> np.ndarray:
    """Unique ids × periods: some row of the id is flagged in the period (NULL keys: none)."""
    codes = ids.get_indexer(keys)
    rows, cols = np.nonzero(mask & (codes >= 0)[:, None])
    out = np.zeros((len(ids), mask.shape[1]), dtype=bool)
    out[codes[rows], cols] = True
    return out


def _counted(table: str, *where: str) -> Compute:
    """count(*) of the rows dated in each period, one count per filter (none: all rows)."""

    def compute(t: Tables, b: Bounds) -> Arrays:
        frame, days = t[table], _days(t[table], SOURCE_DATES[table])
        masks = [_mask(frame, w) for w in where]
        return tuple(_count(days[mask], b) for mask in masks or [slice(None)])

    return compute


def _mask(frame: pd.DataFrame, where: str) -> np.ndarray:
    return frame.eval(where, engine="python").to_numpy(dtype=bool)


def _in_force(table: str, ended: str, where: str | None = None) -> Compute:
    """count(*) of the rows started before each period's end and not ended by then."""

    def compute(t: Tables, b: Bounds) -> Arrays:
        rows = t[table] if where is None else t[table][_mask(t[table], where)]
        born = _days(rows, SOURCE_DATES[table])
        return (_alive(born, _days(rows, ended), b.end).sum(0).astype(float),)

    return compute


def _summed(table: str, *values: str) -> Compute:
    """sum(value) of the rows dated in each period, one sum per value column."""

    def compute(t: Tables, b: Bounds) -> Arrays:
        days = _days(t[table], SOURCE_DATES[table])
        return tuple(_total(days, _floats(t[table], v), b) for v in values)

    return compute


# --- members and projects -----------------------------------------------------


def _members_at(t: Tables, at: np.ndarray) -> np.ndarray:
    return _alive(_days(t["members"], "joined_on"), _days(t["members"], "left_on"), at)


def _cohort(stayed: bool) -> Compute:
    """Members the day before the period: share still in at its end, or gone by then."""

    def compute(t: Tables, b: Bounds) -> Arrays:
        # `left_on < period_end` is false for a NULL left_on in SQL, as it is for NaT.
        gone = _days(t["members"], "left_on")[:, None] < b.end
        return _share(_members_at(t, b.start), ~gone if stayed else gone)

    return compute


def _sme_share(t: Tables, b: Bounds) -> Arrays:
    sme = t["members"]["member_type"].isin(["sme", "startup"]).to_numpy()
    return _share(_members_at(t, b.end), sme)


def _international_share(t: Tables, b: Bounds) -> Arrays:
    home = t["positioning"]["home_country"].dropna()
    country = t["members"]["country"]
    abroad = country.notna() & (country != (home.iloc[0] if len(home) else "FR"))
    return _share(_members_at(t, b.end), abroad.to_numpy())


def _project_rows(t: Tables, b: Bounds) -> tuple[pd.Series, np.ndarray]:
    """Project members, and whether their project is active in each period."""
    rows = t["project_members"].merge(t["projects"], on="project_id")
    ended = _days(rows, "ended_on")
    running = np.isnat(ended)[:, None] | (ended[:, None] >= b.start)
    return rows["member_id"], (_days(rows, "launched_on")[:, None] < b.end) & running


def _attendance(t: Tables, where: str, *columns: str) -> pd.DataFrame:
    """The attendance rows kept by ``where`` (some columns), with their event's date."""
    rows = t["attendance"].loc[_mask(t["attendance"], where), ["event_id", *columns]]
    return rows.merge(t["events"][["event_id", "held_on"]], on="event_id")


def _participation(t: Tables, b: Bounds) -> Arrays:
    ids = pd.Index(t["members"]["member_id"].unique())
    active = _by_id(ids, t["members"]["member_id"], _members_at(t, b.end))
    came = _attendance(t, "attended", "member_id")
    busy = _by_id(ids, came["member_id"], _within(_days(came, "held_on"), b))
    return _share(active, busy | _by_id(ids, *_project_rows(t, b)))


def _in_projects(t: Tables, b: Bounds) -> Arrays:
    codes, ids = pd.factorize(t["members"]["member_id"])
    involved = _by_id(pd.Index(ids), *_project_rows(t, b))
    return _share(_members_at(t, b.end), involved[codes])


# --- events ---------------------------------------------------------------------


def _event_attendance(t: Tables, b: Bounds) -> Arrays:
    rows = _attendance(t, "registered", "attended")
    days = _days(rows, "held_on")
    return _count(days[rows["attended"].to_numpy()], b), _count(days, b)


def _assembly_attendance(t: Tables, b: Bounds) -> Arrays:
    """Per assembly: distinct members present, members on its date; pooled per period."""
    ev = t["events"].query("kind == 'general_assembly'").reset_index(drop=True)
    m, held = t["members"], _days(ev, "held_on")
    joined, left = _days(m, "joined_on"), _days(m, "left_on")
    on_date = (joined[:, None] <= held) & (
        np.isnat(left)[:, None] | (left[:, None] > held)
    )
    att = t["attendance"]
    keep = _mask(att, "attended") & att["event_id"].isin(ev["event_id"]).to_numpy()
    came = att.loc[keep, ["event_id", "member_id"]]
    pairs = ev.reset_index(names="row")[["row", "event_id", "held_on"]]
    pairs = pairs.merge(came, on="event_id").merge(
        m[["member_id", "joined_on", "left_on"]], on="member_id"
    )
    pairs = pairs[
        (pairs["joined_on"] <= pairs["held_on"])
        & (pairs["left_on"].isna() | (pairs["left_on"] > pairs["held_on"]))
    ].drop_duplicates(["row", "member_id"])
    present = np.bincount(pairs["row"], minlength=len(ev)).astype(float)
    return _total(held, present, b), _total(held, on_date.sum(0).astype(float), b)


def _non_member_participants(t: Tables, b: Bounds) -> Arrays:
    rows = _attendance(t, "attended and not is_member", "attendee_key")
    keys = pd.factorize(rows["attendee_key"])[0]
    row, period = np.nonzero(_within(_days(rows, "held_on"), b))
    pairs = pd.DataFrame({"period": period, "key": keys[row]}).drop_duplicates()
    return (np.bincount(pairs["period"], minlength=len(b.end)).astype(float),)


# --- surveys, social, partnerships -------------------------------------------


def _member_answers(t: Tables, column: str) -> tuple[np.ndarray, np.ndarray]:
    r = t["survey_responses"]
    score = _floats(r, column)
    keep = (r["respondent_kind"] == "member").to_numpy() & ~np.isnan(score)
    return _days(r, "submitted_on")[keep], score[keep]


def _nps(t: Tables, b: Bounds) -> Arrays:
    days, score = _member_answers(t, "nps_score")
    net = _count(days[score >= 9], b) - _count(days[score <= 6], b)
    return 100 * net, _count(days, b)


def _vision(t: Tables, b: Bounds) -> Arrays:
    days, score = _member_answers(t, "vision_agreement")
    return _count(days[score >= 4], b), _count(days, b)


def _followers(t: Tables, b: Bounds) -> Arrays:
    """Per network, the last follower count of the 92 days before the end; summed."""
    s = t["social_daily"].dropna(subset=["followers"]).sort_values("day", kind="stable")
    total, seen = np.zeros(len(b.end)), np.zeros(len(b.end), dtype=bool)
    for _, g in s.groupby("network"):
        days, counts = _days(g, "day"), _floats(g, "followers")
        i = (np.searchsorted(days, b.end) - 1).clip(0)
        ok = (days[i] < b.end) & (days[i] >= b.end - np.timedelta64(92, "D"))
        total, seen = total + np.where(ok, counts[i], 0.0), seen | ok
    return (np.where(seen, total, np.nan),)


R, S, L = Aggregation.RATIO, Aggregation.SUM, Aggregation.LEVEL
MEM, EVT, PRJ, MAT = ("members",), ("events",), ("projects",), ("materials",)
MAIL, SOC, PRESS = ("email_campaigns",), ("social_daily",), ("press_mentions",)
ASK, PART = ("interactions",), ("partnerships",)
_MAIL = "email_campaigns"
_EXCHANGE = "kind in ['meeting', 'call', 'b2b_meeting', 'event_contact']"
K = KpiSpec
KPIS: dict[str, KpiSpec] = {
    "active_members": K(MEM, S, _in_force("members", "left_on")),
    "new_members": K(MEM, S, _counted("members")),
    "member_retention_rate": K(MEM, R, _cohort(stayed=True)),
    "member_churn_rate": K(MEM, R, _cohort(stayed=False)),
    "sme_share": K(MEM, R, _sme_share),
    "international_members_share": K(MEM, R, _international_share),
    "member_participation_rate": K(MEM + EVT + PRJ, R, _participation),
    "members_in_projects_rate": K(MEM + PRJ, R, _in_projects),
    "collaborative_projects_launched": K(PRJ, S, _counted("projects")),
    "event_attendance_rate": K(EVT, R, _event_attendance),
    "general_assembly_attendance_rate": K(EVT + MEM, R, _assembly_attendance),
    "newsletter_open_rate": K(MAIL, R, _summed(_MAIL, "unique_opens", "delivered")),
    "newsletter_click_rate": K(MAIL, R, _summed(_MAIL, "unique_clicks", "delivered")),
    "newsletter_click_to_open_rate": K(
        MAIL, R, _summed(_MAIL, "unique_clicks", "unique_opens")
    ),
    "newsletter_unsubscribe_rate": K(
        MAIL, R, _summed(_MAIL, "unsubscribes", "delivered")
    ),
    "member_nps": K(("survey_responses",), R, _nps),
    "vision_adherence_rate": K(("survey_responses",), R, _vision),
    "joint_publications": K(MAT, S, _counted("materials", "co_produced")),
    "website_sessions": K(("web_traffic",), S, _summed("web_traffic", "sessions")),
    "social_followers": K(SOC, L, _followers),
    "social_new_followers": K(SOC, S, _summed("social_daily", "new_followers")),
    "social_engagement_rate": K(
        SOC, R, _summed("social_daily", "engagements", "impressions")
    ),
    "press_mentions": K(PRESS, S, _counted("press_mentions")),
    "positive_coverage_share": K(
        PRESS, R, _counted("press_mentions", "tone == 'positive'", "tone.notna()")
    ),
    "target_company_exchanges": K(
        ASK, S, _counted("interactions", f"is_target and {_EXCHANGE}")
    ),
    "inbound_requests": K(
        ASK, S, _counted("interactions", "kind == 'inbound_request'")
    ),
    "non_member_event_participants": K(EVT, S, _non_member_participants),
    "materials_produced": K(MAT, S, _counted("materials")),
    "active_media_partnerships": K(
        PART, S, _in_force("partnerships", "ended_on", "kind == 'media'")
    ),
    "new_partners": K(PART, S, _counted("partnerships")),
}


# --- the engine's rules: coverage, no-value cases, manual observations ---------


def _span(t: Tables, source: str) -> Span:
    """First day to latest day or import day of a source; None when it holds no row."""
    frame = t[source]
    if frame.empty:
        return None
    days = frame[SOURCE_DATES[source]].dt.floor("D")
    imports = t["imports"]
    imported = imports.loc[imports["import_id"].isin(frame["import_id"]), "imported_at"]
    last = (
        days.max()
        if imported.isna().all()
        else max(days.max(), imported.max().floor("D"))
    )
    return days.min().to_datetime64(), last.to_datetime64()


def _covered(spans: dict[str, Span], sources: Iterable[str], b: Bounds) -> np.ndarray:
    ok = np.ones(len(b.end), dtype=bool)
    for span in (spans[s] for s in sources):
        ok &= False if span is None else (span[0] < b.end) & (b.start <= span[1])
    return ok


def _value(spec: KpiSpec, arrays: Arrays) -> np.ndarray:
    if spec.aggregation is Aggregation.RATIO:
        num, den = arrays
        ok = ~np.isnan(num) & ~np.isnan(den) & (den != 0)
        return np.divide(num, den, out=np.full(num.shape, np.nan), where=ok)
    if spec.aggregation is Aggregation.SUM:
        return np.nan_to_num(arrays[0], nan=0.0)
    return arrays[0]


def _manual(t: Tables) -> Manual:
    obs = t["observations"]
    keys = zip(obs["kpi_id"], obs["period_start"], obs["period_end"], strict=True)
    return {
        (k, s.date(), e.date()): float(v)
        for (k, s, e), v in zip(keys, obs["value"], strict=True)
    }


def _series(
    t: Tables,
    kpi_id: str,
    periods: Sequence[Period],
    spans: dict[str, Span],
    manual: Manual,
) -> list[float | None]:
    spec, b = KPIS[kpi_id], Bounds.of(periods)
    computed = _value(spec, spec.compute(t, b))
    values = np.where(_covered(spans, spec.sources, b), computed, np.nan)
    return [
        manual.get((kpi_id, p.start, p.end), None if np.isnan(v) else float(v))
        for p, v in zip(periods, values, strict=True)
    ]


# --- public API -----------------------------------------------------------------


def tables_for(kpi_ids: Iterable[str]) -> list[str]:
    """Return the raw tables the given KPIs read, with imports and observations."""
    sources = dict.fromkeys(s for k in kpi_ids for s in KPIS[k].sources)
    joined = [j for s in sources for j in _JOINED.get(s, ())]
    return [*sources, *joined, "imports", "observations"]


def load_tables(store: Store, names: Iterable[str] | None = None) -> Tables:
    """Read whole raw canonical tables (by default every table some KPI needs)."""
    wanted = tables_for(KPIS) if names is None else names
    return {name: store.query(f"SELECT * FROM {name}") for name in wanted}


def kpi_series(
    tables: Tables, kpi_id: str, periods: list[Period]
) -> list[float | None]:
    """Compute one KPI for every period, with the engine's coverage and manual rules."""
    spans = {s: _span(tables, s) for s in KPIS[kpi_id].sources}
    return _series(tables, kpi_id, periods, spans, _manual(tables))


def all_series(
    store: Store, kpi_ids: Sequence[str], periods: list[Period]
) -> dict[str, list[float | None]]:
    """(Re)load the raw tables, then compute every requested KPI for every period."""
    tables = load_tables(store, tables_for(kpi_ids))
    spans = {s: _span(tables, s) for s in SOURCE_DATES if s in tables}
    manual = _manual(tables)
    return {k: _series(tables, k, periods, spans, manual) for k in kpi_ids}
