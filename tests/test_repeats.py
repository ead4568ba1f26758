"""Rows that share an id: repeated rows, damaged id columns, and the row accounting."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from clusterkpi.imports.importer import EventChoice
from clusterkpi.imports.report import ImportReport, Problem, TableResult, accounting
from clusterkpi.store import Store
from tests.import_helpers import DATA, load

RESAVED = "x/resaved_tweet_activity_scientific_ids.csv"


def balance(table: TableResult) -> int:
    """read - (added + updated + unchanged + refused + skipped + held): always 0."""
    return table.rows_read - (
        table.rows_written + table.rows_refused + table.rows_skipped + table.rows_held
    )


def per_day(path: Path) -> dict[date, tuple[int, int, int]]:
    """Impressions, engagements and distinct tweets per day, by hand from the file."""
    seen: set[tuple[str, ...]] = set()
    days: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            whole = tuple(row.values())
            if whole in seen:  # the same row twice is one tweet
                continue
            seen.add(whole)
            total = days[date.fromisoformat(row["time"][:10])]
            total[0] += int(row["impressions"])
            total[1] += int(row["engagements"])
            total[2] += 1
    return {d: (v[0], v[1], v[2]) for d, v in days.items()}


def test_a_resaved_export_with_rounded_ids_keeps_every_tweet(store: Store) -> None:
    report = load(store, RESAVED)
    assert report.status == "loaded"
    stored = store.rows(
        "SELECT day, impressions, engagements, posts FROM social_daily ORDER BY day"
    )
    expected = per_day(DATA / RESAVED)
    assert stored == [(d, *expected[d]) for d in sorted(expected)]
    (table,) = report.tables
    assert (table.rows_read, table.rows_refused, table.skips) == (
        11,
        0,
        {"duplicate_row": 1, "combined": 6},
    )
    assert balance(table) == 0
    assert table.warnings == [
        Problem(
            "damaged_key",
            column="Tweet id",
            value="6.49E+17",
            params={
                "column": "Tweet id",
                "groups": 1,
                "example": "6.49E+17",
                "how": "scientific",
            },
        )
    ]


def test_the_damage_is_said_in_the_users_language(store: Store) -> None:
    (table,) = load(store, RESAVED).tables
    assert (
        table.warnings[0]
        .message("en")
        .startswith(
            "The column “Tweet id” does not identify rows: 1 of its values (such as"
            " “6.49E+17”) stand for several different rows, because a spreadsheet wrote"
            " the long numbers in scientific notation"
        )
    )
    assert accounting(table, "fr") == (
        "Lignes lues : 11 — ajoutées : 4, mises à jour : 0, inchangées : 0,"
        " refusées : 0, écartées : 7. Répétant mot pour mot une ligne du fichier"
        " (gardée une fois) : 1. Regroupées avec d'autres lignes du même jour (un"
        " total par jour) : 6."
    )


def test_the_resaved_export_imported_again_adds_nothing(store: Store) -> None:
    load(store, RESAVED)
    raw = (DATA / RESAVED).read_bytes() + b"\n"  # another file, the same rows
    report = load(store, RESAVED, raw=raw)
    assert [(t.counts.added, t.counts.updated, t.counts.unchanged) for t in
            report.tables if t.counts] == [(0, 0, 4)]  # fmt: skip


def test_an_eventbrite_report_accounts_for_every_row(store: Store) -> None:
    report = load(
        store,
        "eventbrite/attendees.csv",
        event=EventChoice(title="Atelier", held_on=date(2026, 2, 12)),
    )
    (table,) = report.tables
    with (DATA / "eventbrite/attendees.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if r["Attendee Status"] in ("Attending", "Checked In")]
    attendees = {r["Email"].lower() for r in kept}
    assert (table.rows_read, table.counts.added if table.counts else None) == (
        len(rows),
        len(attendees),
    )
    assert table.skips == {
        "filtered": len(rows) - len(kept),
        "combined": len(kept) - len(attendees),
    }
    assert table.filter_column == "Attendee Status"
    assert table.filtered == [("Deleted", 1), ("Refunded", 1)]
    assert balance(table) == 0
    assert accounting(table, "en") == (
        "Rows read: 10 — added: 7, updated: 0, unchanged: 0, refused: 0, skipped: 3."
        " Left out on purpose (Attendee Status: “Deleted” ×1, “Refunded” ×1): 2."
        " Combined with another ticket of the same attendee: 1."
    )


def test_a_refused_file_holds_back_its_valid_rows(store: Store) -> None:
    report: ImportReport = load(store, "mailchimp/campaigns_bad_opens.csv")
    assert report.status == "rejected"
    for table in report.tables:
        assert table.rows_written == 0
        assert table.rows_held == table.rows_valid
        assert balance(table) == 0


def test_a_cell_of_ten_megabytes_is_refused_with_its_line(store: Store) -> None:
    before = store.rows("SELECT count(*) FROM imports")
    raw = (
        "Date,Média,Titre,URL\n2026-01-05,Le Monde," + "x" * (10 * 1024 * 1024)
        + ",https://a.example\n"
    ).encode()  # fmt: skip
    report = load(store, "revue.csv", raw=raw)
    assert (report.status, report.file_problems) == (
        "rejected",
        [Problem("read_cell_too_long", params={"line": 2, "limit": 128,
                                               "name": "revue.csv"})],
    )  # fmt: skip
    assert report.file_problems[0].message("en") == (
        "Line 2 of the file revue.csv holds a cell longer than 128 KB, which no"
        " export writes: the file is damaged or is not an export. Please download"
        " the export again."
    )
    assert store.rows("SELECT count(*) FROM imports") == before


def test_a_quote_never_closed_is_still_told_apart(store: Store) -> None:
    raw = ('Date,Média,Titre\n2026-01-05,"Le Monde,T\n' + "ligne\n" * 40000).encode()
    report = load(store, "revue.csv", raw=raw)
    assert [p.reason for p in report.file_problems] == ["read_bad_csv"]


def test_the_cli_refuses_a_huge_cell_with_exit_1_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from clusterkpi import config
    from clusterkpi.cli import main

    source = tmp_path / "revue.csv"
    source.write_text("Date,Titre\n2026-01-05," + "x" * (300 * 1024) + "\n")
    database = tmp_path / "cli.duckdb"
    try:
        code = main(["--db", str(database), "import", "--lang", "en", str(source)])
    finally:
        config.get_settings.cache_clear()
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        "revue.csv: rejected, nothing was loaded — 0 rows added, 0 updated, 0 refused",
        "  - revue.csv: Line 2 of the file revue.csv holds a cell longer than 128 KB,"
        " which no export writes: the file is damaged or is not an export. Please"
        " download the export again.",
    ]
    assert Store(database).rows("SELECT count(*) FROM imports") == [(0,)]


def test_a_linkedin_workbook_accounts_for_every_sheet(store: Store) -> None:
    report = load(store, "linkedin/clusterkpi_followers_1775260800.xls")
    assert [
        (t.name.split(" › ")[1], t.rows_read, t.rows_written, t.skips)
        for t in report.tables
    ] == [
        ("New followers", 7, 7, {}),
        *((sheet, 3, 0, {"not_read": 3}) for sheet in (
            "Location", "Job function", "Seniority", "Industry", "Company size")),
    ]  # fmt: skip
    assert all(balance(t) == 0 for t in report.tables)
