"""An Eventbrite export's event read from its columns and file name, never invented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clusterkpi.imports.event_guess import EventGuess, guess_event, guess_from_name

DATA = Path(__file__).parent / "data"
ATTENDEES = DATA / "imports" / "eventbrite" / "attendees.csv"
REAL = DATA / "real" / "eventbrite" / "attendee_summary_2024-12-05.csv"
NAME = ("file_name",)


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("Atelier IA 2026-03-12 attendees.csv",
         EventGuess("Atelier IA", date(2026, 3, 12), "workshop", NAME)),
        ("Attendee Summary (Salon Agro Sud).csv",
         EventGuess("Salon Agro Sud", None, "trade_show", NAME)),
        ("attendee_summary_2024-12-05.csv", EventGuess(None, date(2024, 12, 5), None, NAME)),
        ("Webinaire_cybersécurité_12-03-2026.xlsx",
         EventGuess("Webinaire cybersécurité", date(2026, 3, 12), "webinar", NAME)),
        ("Conférence annuelle - 2026-06-30.csv",
         EventGuess("Conférence annuelle", date(2026, 6, 30), "conference", NAME)),
        # Eventbrite's own name holds the time of the export, not of the event.
        ("report-2026-03-12T1030.csv", EventGuess()),
        ("attendees.csv", EventGuess()),
        ("Rencontre 2026-02-30.csv", EventGuess("Rencontre", None, "networking", NAME)),
    ],
)  # fmt: skip
def test_a_file_name_gives_the_title_and_date_it_holds(
    file_name: str, expected: EventGuess
) -> None:
    assert guess_from_name(file_name) == expected


def test_an_export_named_after_its_event_is_read_from_its_name() -> None:
    raw = ATTENDEES.read_bytes()
    assert guess_event("Atelier IA 2026-03-12 attendees.csv", raw) == EventGuess(
        "Atelier IA", date(2026, 3, 12), "workshop", NAME
    )


def test_the_real_export_gives_its_date_and_no_title() -> None:
    assert guess_event(REAL.name, REAL.read_bytes()) == EventGuess(
        None, date(2024, 12, 5), None, NAME
    )


def test_an_export_without_event_columns_or_name_gives_nothing() -> None:
    assert guess_event(ATTENDEES.name, ATTENDEES.read_bytes()) == EventGuess()


def test_the_report_columns_come_before_the_file_name() -> None:
    header, *rows = ATTENDEES.read_text(encoding="utf-8").splitlines()
    # Eventbrite writes a date with a comma: quoted in the CSV.
    extra = ',Formation RGPD,"Mar 19, 2026 9:30 AM"'
    raw = "\n".join([header + ",Event Name,Event Date", *(r + extra for r in rows)])
    assert guess_event(
        "Atelier IA 2026-03-12 attendees.csv", raw.encode("utf-8")
    ) == EventGuess("Formation RGPD", date(2026, 3, 19), "training", ("columns",))


def test_a_file_of_another_tool_gives_none() -> None:
    assert guess_event("members.csv", b"Name,Email\nA,a@b.c\n") is None
    assert guess_event("broken.xlsx", b"not a workbook") is None
