"""Attendance: who registered to each event, and who came."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkpi.demo.members import Members
from clusterkpi.demo.names import other_organisations
from clusterkpi.demo.run import Run
from clusterkpi.demo.text import take_strings
from clusterkpi.demo.timeline import years_since

_KEY_SPACE = 2**28  # attendee numbers: non-member contacts below, members' above

# fmt: off
# kind: registrations (low, high), share of members, attendance rate of registrants
_EVENT_SHAPE = {
    "workshop": (20, 45, 0.6, 0.72), "webinar": (50, 150, 0.45, 0.45),
    "conference": (70, 150, 0.4, 0.7), "networking": (25, 60, 0.55, 0.68),
    "training": (15, 30, 0.7, 0.78), "b2b_meeting": (30, 70, 0.4, 0.74),
    "trade_show": (20, 40, 0.8, 0.8),
}
# fmt: on


def _attendee(member: np.ndarray, contact: np.ndarray) -> np.ndarray:
    """Attendee number: a member's contact (0–2) above _KEY_SPACE, else a non-member."""
    return np.where(member >= 0, _KEY_SPACE + member * 4 + contact, contact)


def _first_rows(
    event: np.ndarray, member: np.ndarray, contact: np.ndarray
) -> np.ndarray:
    """Index of the first row of each (event, attendee) pair, in row order."""
    pair = event.astype(np.int64) * 2**32 + _attendee(member, contact)
    return np.sort(np.unique(pair, return_index=True)[1])


def _ordinary_attendance(
    run: Run, rng: np.random.Generator, events: pd.DataFrame, members: Members
) -> dict[str, np.ndarray]:
    """Registrations and presence at one year's events (assemblies aside)."""
    shape = np.array([_EVENT_SHAPE[k] for k in events.kind]).reshape(-1, 4)
    days = events.held_on.to_numpy("datetime64[D]")
    size = shape[:, 0] + rng.random(len(days)) * (shape[:, 1] - shape[:, 0])
    counts = (size * run.growth(days, 0.05) * run.reach).astype(np.int64)
    event = np.repeat(np.arange(len(days)), counts)
    member = np.full(len(event), -1)
    wanted = rng.random(len(event)) < shape[event, 2]
    member[wanted] = members.pick(rng, days[event[wanted]])
    # Non-member contacts: a pool growing with time, where regulars come back often.
    grown = 1 + 0.2 * np.maximum(years_since(days, run.scale.start), 0)
    pool = 1500 * run.volume * grown
    other = (pool[event] * rng.random(len(event)) ** 1.6).astype(np.int64)
    contact = np.where(member >= 0, rng.choice(3, len(event), p=[0.6, 0.3, 0.1]), other)
    keep = _first_rows(event, member, contact)
    event, member, contact = event[keep], member[keep], contact[keep]
    rate = np.clip(shape[:, 3] + rng.normal(0, 0.04, len(days)), 0.2, 0.95)
    registered = rng.random(len(event)) < 0.97  # the others walked in
    attended = ~registered | (rng.random(len(event)) < rate[event])
    return _rows(events, event, member, contact, registered, attended)


def _assembly_attendance(
    run: Run, rng: np.random.Generator, events: pd.DataFrame, members: Members
) -> dict[str, np.ndarray]:
    """Members registered to each assembly (the keen more often), and a few guests."""
    event_parts: list[np.ndarray] = []
    member_parts: list[np.ndarray] = []
    contact_parts: list[np.ndarray] = []
    for i, (day, turnout) in enumerate(
        zip(events.held_on, events.turnout, strict=True)
    ):
        active = members.active(np.datetime64(day, "D"))
        keen = np.argsort(np.argsort(members.weight[active])) / len(active)
        chance = np.minimum(turnout * (0.4 + 1.2 * keen), 0.97)
        present = active[rng.random(len(active)) < chance]
        guests = rng.choice(
            int(1500 * run.volume), int(rng.integers(8, 20) * run.reach)
        )
        event_parts.append(np.full(len(present) + len(guests), i))
        member_parts.append(np.append(present, np.full(len(guests), -1)))
        contact_parts.append(np.append(np.zeros(len(present), np.int64), guests))
    parts = (event_parts, member_parts, contact_parts)
    event, member, contact = (np.concatenate(a) for a in parts)
    keep = _first_rows(event, member, contact)
    event, member, contact = event[keep], member[keep], contact[keep]
    registered = np.ones(len(event), dtype=bool)
    attended = rng.random(len(event)) < 0.72
    return _rows(events, event, member, contact, registered, attended)


def _rows(
    events: pd.DataFrame, event: np.ndarray, *columns: np.ndarray
) -> dict[str, np.ndarray]:
    """Attendance rows as arrays, ``event`` turned into positions in all events."""
    names = ("member", "contact", "registered", "attended")
    return {
        "event": events.index.to_numpy()[event],
        **dict(zip(names, columns, strict=True)),
    }


def generate_attendance(
    run: Run, events: pd.DataFrame, members: Members
) -> pd.DataFrame:
    """Attendance of every event up to ``until``; strings are made once, at the end."""
    year = events.held_on.dt.year.to_numpy()
    assembly = (events.kind == "general_assembly").to_numpy()
    parts = []
    for y in run.years:
        rng = run.rng("attendance", y)
        parts.append(
            _ordinary_attendance(run, rng, events[(year == y) & ~assembly], members)
        )
        if ((year == y) & assembly).any():
            chosen = events[(year == y) & assembly]
            parts.append(_assembly_attendance(run, rng, chosen, members))
    held = events.held_on.to_numpy("datetime64[D]")
    rows = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    rows = {
        k: v[held[rows["event"]] <= np.datetime64(run.until)] for k, v in rows.items()
    }
    member, contact = rows["member"], rows["contact"]
    keys, key_index = np.unique(_attendee(member, contact), return_inverse=True)
    others = other_organisations(run)
    names = np.concatenate([members.frame.name.to_numpy(object), others])
    org = np.where(member >= 0, member, len(members.frame) + contact // 3 % len(others))
    return pd.DataFrame(
        {
            "event_id": take_strings(events.event_id, rows["event"]),
            "attendee_key": take_strings(_hashed(keys, run.seed), key_index),
            "member_id": take_strings(members.frame.member_id, member),
            "organisation": take_strings(names, org),
            "is_member": member >= 0,
            "registered": rows["registered"],
            "attended": rows["attended"],
        }
    )


def _hashed(keys: np.ndarray, salt: int) -> list[str]:
    """Pseudonymous attendee keys: a bijection of 32-bit numbers, written in hex."""
    return [f"{(int(k) * 2654435761 + salt) & 0xFFFFFFFF:08x}" for k in keys]
