"""The event an attendee export is about, read from its columns and its file name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from clusterkpi.imports.adapters.events import EVENTBRITE_ATTENDEES
from clusterkpi.imports.adapters.vocabulary import EVENT_KINDS
from clusterkpi.imports.encoding import ImportFileError
from clusterkpi.imports.reading import RawTable, read_file

# Columns some Eventbrite reports carry (the attendee summary of several events).
TITLE_COLUMNS = ("Event Name", "Event Title", "Nom de l'événement", "Événement")
DATE_COLUMNS = (
    "Event Date",
    "Event Start Date",
    "Event Start",
    "Date Attending",
    "Date de l'événement",
)
# Words of a file name that name the export, not the event.
_NOISE = re.compile(
    r"\b(attendee|attendees|attendee summary|summary|report|export|eventbrite|"
    r"participants?|liste|list|inscrits?|inscriptions?|billets?|tickets?|csv|xlsx?)\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(T\d{2,6})?(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{2})[-_.](\d{2})[-_.](\d{4})(?!\d)")
_TEXT = (".csv", ".tsv", ".txt")
_SIGNATURE = b"Attendee Status"
_BRACKETED = re.compile(r"\(([^()]+)\)\s*$")
_VALUE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",
    "%d/%m/%Y",
)


@dataclass(frozen=True)
class EventGuess:
    """What an attendee export tells of its event; None where it tells nothing."""

    title: str | None = None
    held_on: date | None = None
    kind: str | None = None
    # Where the title or date came from: "columns", "file_name" or both.
    sources: tuple[str, ...] = ()


def guess_from_name(file_name: str) -> EventGuess:
    """Read an event's title and date from an export's file name.

    ``Atelier IA 2026-03-12 attendees.csv`` → ('Atelier IA', 2026-03-12);
    ``Attendee Summary (Salon Agro).csv`` → ('Salon Agro', None). Eventbrite's own
    ``report-2026-03-12T1030.csv`` holds the time of the export, not of the event:
    it gives nothing.
    """
    stem = PurePath(file_name).stem
    bracketed = _BRACKETED.search(stem)
    held_on = None
    iso = _ISO.search(stem)
    if iso and not iso.group(4):
        held_on = _safe_date(int(iso[1]), int(iso[2]), int(iso[3]))
    dmy = None if iso else _DMY.search(stem)
    if dmy:
        held_on = _safe_date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    if bracketed:
        title = bracketed.group(1)
    else:
        title = _ISO.sub(" ", stem) if iso else _DMY.sub(" ", stem)
    title = _tidy(_NOISE.sub(" ", title.replace("_", " ")))
    return _guess(title or None, held_on, "file_name")


def guess_from_table(table: RawTable) -> EventGuess:
    """Read an event's title and date from an export's own columns, when it has them.

    The most frequent value of each column wins (a report of one event repeats it
    on every row).
    """
    title = _common(table, TITLE_COLUMNS)
    day = _common(table, DATE_COLUMNS)
    return _guess(title, _parse_day(day) if day else None, "columns")


def guess_event(file_name: str, raw: bytes) -> EventGuess | None:
    """Return what an Eventbrite attendee export tells of its event; None for other files.

    Its columns come first, its file name fills what they leave out.
    """
    # A text file without Eventbrite's column in its first bytes is no attendee
    # report: not worth reading whole at every new upload.
    if PurePath(file_name).suffix.lower() in _TEXT and _SIGNATURE not in raw[:65536]:
        return None
    try:
        tables = read_file(file_name, raw)
    except ImportFileError:
        return None
    table = next((t for t in tables if EVENTBRITE_ATTENDEES.matches(t.header)), None)
    if table is None:
        return None
    columns, name = guess_from_table(table), guess_from_name(file_name)
    title = columns.title or name.title
    held_on = columns.held_on or name.held_on
    used = [
        g.sources[0]
        for g in (columns, name)
        if (g.title and g.title == title) or (g.held_on and g.held_on == held_on)
    ]
    return EventGuess(title, held_on, _kind(title), tuple(dict.fromkeys(used)))


def _guess(title: str | None, held_on: date | None, source: str) -> EventGuess:
    found = title is not None or held_on is not None
    return EventGuess(title, held_on, _kind(title), (source,) if found else ())


def _kind(title: str | None) -> str | None:
    # "Atelier IA" is a workshop: the title's first words name the kind, if any.
    if not title:
        return None
    lowered = title.lower()
    for word, code in EVENT_KINDS.items():
        if re.match(rf"{re.escape(word.lower())}\b", lowered):
            return code
    return None


def _common(table: RawTable, names: tuple[str, ...]) -> str | None:
    wanted = {n.lower() for n in names}
    index = next((i for i, h in enumerate(table.header) if h.lower() in wanted), None)
    if index is None:
        return None
    values = Counter(
        row[index].strip()
        for row in table.rows
        if index < len(row) and row[index].strip()
    )
    return values.most_common(1)[0][0] if values else None


def _parse_day(text: str) -> date | None:
    for fmt in _VALUE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    iso = _ISO.search(text)
    return _safe_date(int(iso[1]), int(iso[2]), int(iso[3])) if iso else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-–—,;]+\s*$|^\s*[-–—,;]+", "", text)).strip(
        " -–—_,;"
    )
