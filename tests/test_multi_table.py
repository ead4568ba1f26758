"""Report files of several tables: each table found, loaded or refused for its own reason."""

from __future__ import annotations

import csv

import pytest

from clusterkpi.imports.adapters import ADAPTERS
from clusterkpi.imports.layout import find_tables
from clusterkpi.imports.reading import RawTable, read_file
from clusterkpi.imports.report import Problem, accounting
from clusterkpi.imports.report_tables import unloaded_table
from clusterkpi.store import Store
from tests.import_helpers import DATA, every_table, load, snapshot

SCHEDULED = "matomo/scheduled_report_month_en.csv"


def known(cells: list[str]) -> bool:
    """Any registered format's header, as the importer recognises headers."""
    return any(adapter.matches(cells) for adapter in ADAPTERS.values())


def blocks(text: str) -> list[tuple[str, tuple[str, ...], int]]:
    """(title, header, rows) of each report of a Matomo scheduled report, by hand.

    renderReport writes the report's name, its header (or "No data available")
    and its rows, then a blank line.
    """
    found = []
    for block in text.strip("\n").split("\n\n"):
        (title,), header, *rows = csv.reader(block.split("\n"))
        found.append((title, tuple(header), len(rows)))
    return found


@pytest.mark.parametrize(
    ("name", "count", "lines", "empty"),
    [
        (SCHEDULED, 68, 317, 25),
        ("matomo/scheduled_report_week_ecommerce_en.csv", 80, 479, 23),
    ],
)
def test_every_report_of_a_matomo_scheduled_report_is_its_own_table(
    name: str, count: int, lines: int, empty: int
) -> None:
    raw = (DATA / name).read_bytes()
    expected = blocks(raw.decode("utf-8"))
    tables = read_file("report.csv", raw, known)
    assert [(t.title, t.header, len(t.rows)) for t in tables] == expected
    assert len(expected) == count
    # Every non-blank line is a title, a header or a row.
    assert sum(rows for _, _, rows in expected) == lines - 2 * count
    # The tables said to be empty hold 0 rows; none with rows is "no data".
    no_data = [t for t in tables if t.header == ("No data available",)]
    assert (len(no_data), sum(len(t.rows) for t in no_data)) == (empty, 0)


def test_a_tab_separated_scheduled_report_splits_the_same_way() -> None:
    text = (DATA / SCHEDULED).read_bytes().decode("utf-8")
    tables = read_file("report.tsv", text.replace(",", "\t").encode(), known)
    assert [(t.title, t.header, len(t.rows)) for t in tables] == blocks(text)


def test_a_scheduled_report_gives_one_reason_per_table_and_changes_nothing(
    store: Store,
) -> None:
    before = snapshot(store)
    report = load(store, SCHEDULED, lang="en")
    assert report.status == "rejected"
    assert snapshot(store) == before
    text = (DATA / SCHEDULED).read_bytes().decode("utf-8")
    reasons = [(t.rows_read, [p.reason for p in t.problems]) for t in report.tables]
    expected_rows = [rows for _, _, rows in blocks(text)]
    assert [rows for rows, _ in reasons] == expected_rows
    # Each table has exactly one reason of its own; "no data" only for empty ones.
    assert all(len(problems) == 1 for _, problems in reasons)
    assert [rows for rows, problems in reasons if problems == ["no_data"]] == [0] * 25
    assert all(problems != ["no_data"] for rows, problems in reasons if rows)


REPORT = (
    "Visits Summary\n"
    "Date,Visits,Actions,Bounces\n"
    "2026-04-01,5,9,2\n"
    "2026-04-02,7,11,3\n"
    "\n"
    "Browser Plugins\n"
    "label,nb_visits_percentage\n"
    "Pdf,60%\n"
    "Cookie,40%\n"
    "\n"
    "User IDs\n"
    "No data available\n"
)


def test_a_table_no_kpi_reads_leaves_the_others_their_own_outcome(
    store: Store,
) -> None:
    report = load(store, "report.csv", raw=REPORT.encode())
    assert report.status == "loaded"
    assert [
        (t.name, t.rows_read, t.rows_written, t.rows_refused, t.skips)
        for t in report.tables
    ] == [
        ("report.csv › 1", 2, 2, 0, {}),
        ("report.csv › 2", 2, 0, 0, {"not_usable": 2}),
        ("report.csv › 3", 0, 0, 0, {"not_usable": 0}),
    ]
    # Each left-out table keeps its own reason, as a warning.
    assert [t.problems for t in report.tables] == [[], [], []]
    assert [t.warnings for t in report.tables] == [
        [],
        [
            Problem(
                "table_not_loaded",
                params={
                    "name": "report.csv › 2",
                    "title": "Browser Plugins",
                    "columns": "label, nb_visits_percentage",
                    "rows": 2,
                },
            )
        ],
        [Problem("no_data", params={"name": "report.csv › 3"})],
    ]
    assert accounting(report.tables[1], "en") == (
        "Rows read: 2 — added: 0, updated: 0, unchanged: 0, refused: 0, skipped: 2."
        " Not loaded, as this table of the report gives nothing a KPI reads (see why"
        " below; the file's other tables are loaded): 2."
    )
    assert store.rows(
        "SELECT day::VARCHAR, sessions FROM web_traffic ORDER BY day"
    ) == [
        ("2026-04-01", 5),
        ("2026-04-02", 7),
    ]


def test_a_bad_value_in_one_table_still_refuses_the_report(store: Store) -> None:
    before = every_table(store)
    report = load(
        store,
        "report.csv",
        raw=REPORT.replace("2026-04-02,7", "2026-04-02,sept").encode(),
    )
    assert report.status == "rejected"
    assert [(p.reason, p.line, p.value) for _, p in report.problems] == [
        ("invalid_integer", 4, "sept"),
        ("table_not_loaded", None, None),
        ("no_data", None, None),
    ]
    assert every_table(store) == before


def test_a_report_of_tables_no_kpi_reads_is_refused(store: Store) -> None:
    text = REPORT.split("\n\n", 1)[1]  # without the Visits Summary
    report = load(store, "report.csv", raw=text.encode())
    assert report.status == "rejected"
    assert [p.reason for _, p in report.problems] == ["table_not_loaded", "no_data"]


def raw_table(header: tuple[str, ...], rows: int, title: str | None) -> RawTable:
    return RawTable(
        "r.csv › 4", header, [("x",) * len(header)] * rows, [], (), title, "utf-8", ","
    )


@pytest.mark.parametrize(
    ("header", "alone", "expected"),
    [
        (
            ("City", "Views"),
            True,
            Problem("unrecognised", params={"name": "r.csv › 4"}),
        ),
        (
            ("City", "Sessions"),
            False,
            Problem(
                "table_not_loaded_no_days",
                params={
                    "name": "r.csv › 4",
                    "title": "City",
                    "columns": "City, Sessions",
                    "rows": 3,
                },
            ),
        ),
        (
            tuple(f"c{n}" for n in range(10)),
            False,
            Problem(
                "table_not_loaded",
                params={
                    "name": "r.csv › 4",
                    "title": "City",
                    "columns": "c0, c1, c2, c3, c4, c5, c6, c7, …",
                    "rows": 3,
                },
            ),
        ),
    ],
)
def test_an_unloaded_table_is_named_with_its_own_columns(
    header: tuple[str, ...], alone: bool, expected: Problem
) -> None:
    assert unloaded_table(raw_table(header, 3, "City"), alone) == expected


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "Table “Country” (r.csv › 4, 2 rows) not loaded: it gives label, nb_visits,"
            " no daily sessions (web traffic is kept per day: export the report by"
            " date).",
        ),
        (
            "fr",
            "Tableau « Country » (r.csv › 4, 2 lignes) non chargé : il donne label,"
            " nb_visits, pas de sessions par jour (le trafic web est gardé par jour :"
            " exportez le rapport par date).",
        ),
    ],
)
def test_the_reason_names_the_table_and_its_columns_in_the_user_s_language(
    lang: str, message: str
) -> None:
    problem = unloaded_table(raw_table(("label", "nb_visits"), 2, "Country"), False)
    assert problem.message(lang) == message


def test_a_lone_cell_among_rows_spaced_by_blank_lines_opens_no_table() -> None:
    # Blank lines between groups of rows; a row with a single filled cell right
    # above an all-text row that a blank line follows: still rows of the one table.
    text = (
        "Media,Title,Link\n\nLe Monde,Grand prix,https://a.fr\n\nOuest-France\n"
        "Les Echos,Levée de fonds,https://b.fr\n\nLa Tribune,Salon,https://c.fr\n"
    )
    (only,) = find_tables(text, ",")
    assert (only.header, only.end_line) == (("Media", "Title", "Link"), None)


def test_a_title_right_above_named_columns_and_rows_opens_a_table() -> None:
    text = "Visits Summary\nnb_visits,nb_actions\n11,43\n\nCountry\nlabel,nb_visits\nFrance,3\n"
    spans = find_tables(text, ",")
    assert [(s.title, s.header, s.header_line, s.end_line) for s in spans] == [
        ("Visits Summary", ("nb_visits", "nb_actions"), 2, 4),
        ("Country", ("label", "nb_visits"), 6, None),
    ]
