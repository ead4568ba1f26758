"""Event ticketing tools: the Eventbrite attendee report of one event."""

from __future__ import annotations

from clusterkpi.imports.fields import Adapter, FieldMap, Kind

F = FieldMap

# 'Attending': registered, not (yet) checked in. Refunded, deleted or transferred
# tickets are no registration at all: the row filter leaves them out.
ATTENDEE_STATUSES = {"Attending": "attending", "Checked In": "checked_in"}

EVENTBRITE_ATTENDEES = Adapter(
    name="eventbrite_attendees",
    label="Eventbrite — liste des participants / attendee report",
    dataset="attendance",
    signature=("Order #", "Attendee Status"),
    needs_event=True,
    row_filter=(("Attendee Status",), tuple(ATTENDEE_STATUSES)),
    fields=(
        F("event_id"),  # no column: the event the animator picks
        F("email", ("Email",)),
        F("attendee_number", ("Attendee #",)),
        F("organisation", ("Company", "Entreprise", "Société")),
        F("status", ("Attendee Status",), Kind.CATEGORY, required=True,
          categories=ATTENDEE_STATUSES),
    ),
    # Members are recognised later by e-mail. Several tickets bought with one address
    # are one attendee, present if any of them was checked in.
    post="""SELECT event_id, attendee_key, NULL::VARCHAR AS member_id,
           max(organisation) AS organisation,
           false AS is_member, true AS registered,
           bool_or(status = 'checked_in') AS attended
    FROM (SELECT *, coalesce(lower(email), 'EB-' || attendee_number) AS attendee_key
          FROM {parsed})
    WHERE attendee_key IS NOT NULL
    GROUP BY event_id, attendee_key""",
)  # fmt: skip

EVENT_SOURCES = (EVENTBRITE_ATTENDEES,)
