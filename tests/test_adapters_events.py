"""The Eventbrite attendee report, end to end: attendance of the event the animator picks."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.importer import EventChoice
from clusterkpi.imports.report import Problem
from clusterkpi.store import Store
from tests.import_helpers import counts, every_table, kpi, load

WORKSHOP = EventChoice(title="Atelier IA et agroalimentaire", held_on=date(2026, 2, 12))
EVENT_ID = (
    "EV-" + hashlib.sha256(b"Atelier IA et agroalimentaire|2026-02-12").hexdigest()[:12]
)


def attendance(store: Store) -> list[tuple]:
    return store.rows(
        "SELECT * EXCLUDE (import_id) FROM attendance ORDER BY event_id, attendee_key"
    )


def row(key: str, organisation: str, attended: bool) -> tuple:
    return (EVENT_ID, key, None, organisation, False, True, attended)


ATTENDEES = [
    row("claire.martin@agro-sud.fr", "Agro Sud", True),
    row("export@agrotech.es", "Agrotech Iberia, S.L.", False),
    row("jean.rey@legumes-bio.fr", "Légumes Bio Occitanie", False),
    row("luc.bernard@groupe-laitier.fr", "Groupe Laitier", True),
    row("paul.durand@novaferm.be", "NovaFerm", True),
    row("rd@biotech-ouest.fr", "Biotech Ouest Lab", True),
    row("sophie.leroy@biotech-ouest.fr", "Biotech Ouest Lab", True),
]


def test_an_eventbrite_report_gives_the_attendance_of_the_chosen_event(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, "eventbrite/attendees.csv", event=WORKSHOP)
    assert report.status == "loaded"
    # 10 tickets: a refunded and a deleted one are left out; Paul's 2 tickets are one
    # attendee, present because one of them was checked in.
    assert counts(report) == [("eventbrite_attendees", 10, 8, (7, 0, 0))]
    assert store.rows("SELECT event_id, title, kind, held_on FROM events") == [
        (EVENT_ID, "Atelier IA et agroalimentaire", "workshop", date(2026, 2, 12))
    ]
    assert attendance(store) == ATTENDEES
    assert kpi(store, catalog, "event_attendance_rate", "2026Q1") == pytest.approx(
        5 / 7
    )
    assert kpi(store, catalog, "non_member_event_participants", "2026Q1") == 5


def test_the_report_after_the_event_updates_who_came(
    store: Store, catalog: Catalog
) -> None:
    load(store, "eventbrite/attendees.csv", event=WORKSHOP)
    report = load(
        store,
        "eventbrite/attendees_after_event.csv",
        event=EventChoice(event_id=EVENT_ID),
    )
    assert counts(report) == [("eventbrite_attendees", 11, 9, (1, 1, 6))]
    assert attendance(store) == [
        *ATTENDEES[:2],
        row("jean.rey@legumes-bio.fr", "Légumes Bio Occitanie", True),
        *ATTENDEES[3:6],
        ATTENDEES[6],
        row("t.garcia@agrotech.es", "Agrotech Iberia, S.L.", True),
    ]
    assert kpi(store, catalog, "event_attendance_rate", "2026Q1") == pytest.approx(
        7 / 8
    )


def test_an_attendee_report_without_an_event_is_refused(store: Store) -> None:
    before = every_table(store)
    report = load(store, "eventbrite/attendees.csv")
    assert report.status == "rejected"
    assert [p for _, p in report.problems] == [Problem("needs_event")]
    assert every_table(store) == before


def test_the_same_report_twice_adds_nothing(store: Store) -> None:
    first = load(store, "eventbrite/attendees.csv", event=WORKSHOP)
    before = every_table(store)
    again = load(store, "eventbrite/attendees.csv", event=WORKSHOP)
    assert (again.status, again.import_id, again.rows_added) == (
        "duplicate",
        first.import_id,
        0,
    )
    assert every_table(store) == before
