"""The CLI: import FILE --mapping NAME, and mappings list | show | delete."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from clusterkpi.cli import main
from clusterkpi.imports.mapping import ColumnMapping, save_mapping
from clusterkpi.store import Store
from tests.demo_db import TODAY
from tests.import_helpers import DATA, snapshot

MAPPING = DATA / "mapping"
WEB_HEADER = (
    "Giorno",
    "Sessioni",
    "Sessioni con engagement",
    "Utenti attivi",
    "Visualizzazioni",
)
WEB = ColumnMapping(
    dataset="web_traffic",
    columns={
        "day": "Giorno",
        "sessions": "Sessioni",
        "users": "Utenti attivi",
        "pageviews": "Visualizzazioni",
    },
    label="GA4 italiano",
)
BOITES_HEADER = ("Nom de la boîte", "Forme", "Arrivée le", "Ville")


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERKPI_TODAY", TODAY.isoformat())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding two saved mappings."""
    path = tmp_path / "cli.duckdb"
    store = Store(path)
    save_mapping(store, WEB_HEADER, WEB)
    boites = ColumnMapping.model_validate_json(
        (MAPPING / "boites_mapping.json").read_text(encoding="utf-8")
    )
    save_mapping(store, BOITES_HEADER, boites)
    store.execute(
        "UPDATE column_mappings SET updated_at = CASE name WHEN 'GA4 italiano'"
        " THEN TIMESTAMP '2026-03-05 09:30' ELSE TIMESTAMP '2026-02-01 16:00' END"
    )
    store.close()
    return path


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def stored(db: Path) -> dict[str, list[tuple]]:
    store = Store(db)
    try:
        return snapshot(store, "column_mappings")
    finally:
        store.close()


def test_list_gives_name_dataset_columns_and_date(db: Path, capsys) -> None:
    assert run(db, "mappings", "list", "--lang", "en") == 0
    assert capsys.readouterr().out.splitlines() == [
        "GA4 italiano — Web traffic — columns: Giorno, Sessioni, Utenti attivi,"
        " Visualizzazioni — changed 2026-03-05 09:30",
        "Boîtes adhérentes — Member roster — columns: Nom de la boîte, Forme,"
        " Arrivée le — changed 2026-02-01 16:00",
    ]
    assert run(db, "mappings", "list") == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "GA4 italiano — Fréquentation du site — colonnes : Giorno, Sessioni,"
        " Utenti attivi, Visualizzazioni — modifiée le 2026-03-05 09:30"
    )


def test_list_says_when_there_is_none(tmp_path: Path, capsys) -> None:
    assert run(tmp_path / "empty.duckdb", "mappings", "list", "--lang", "en") == 0
    assert capsys.readouterr().out == "No mapping saved yet.\n"


def test_show_gives_each_column_its_field_translations_and_order(
    db: Path, capsys
) -> None:
    assert run(db, "mappings", "show", "Boîtes adhérentes", "--lang", "en") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Boîtes adhérentes — Member roster — changed 2026-02-01 16:00",
        "  Nom de la boîte → Name",
        "  Forme → Member type",
        "  Arrivée le → Joined",
        "  Member type: “Labo public” is read as research_lab",
        "  Member type: “Grosse boîte” is read as large_company",
        "Day / month order of dates: day/month (31/12)",
    ]


def test_show_and_delete_refuse_an_unknown_name(db: Path, capsys) -> None:
    before = stored(db)
    assert run(db, "mappings", "show", "Nope", "--lang", "en") == 1
    assert run(db, "mappings", "delete", "Nope") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "No saved mapping is named “Nope” (see: python -m clusterkpi mappings list).",
        "Aucune correspondance enregistrée ne s'appelle « Nope » (voir : python -m"
        " clusterkpi mappings list).",
    ]
    assert stored(db) == before


def test_delete_removes_only_that_mapping(db: Path, capsys) -> None:
    assert run(db, "mappings", "delete", "GA4 italiano", "--lang", "en") == 0
    assert capsys.readouterr().out == "Mapping “GA4 italiano” deleted.\n"
    assert run(db, "mappings", "list", "--lang", "en") == 0
    assert [line.split(" — ")[0] for line in capsys.readouterr().out.splitlines()] == [
        "Boîtes adhérentes"
    ]


def test_import_with_a_named_mapping_reads_a_file_of_another_shape(
    db: Path, tmp_path: Path, capsys
) -> None:
    # The file has a column more than the shape the mapping was saved for.
    text = (MAPPING / "web_giorni.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    wider = tmp_path / "giorni_plus.csv"
    with wider.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*rows[0], "Paese"])
        writer.writerows([*r, "IT"] for r in rows[1:])
    assert run(db, "import", str(wider), "--mapping", "GA4 italiano") == 0
    capsys.readouterr()
    expected = [
        (
            date.fromisoformat(r[0]),
            int(r[1]),
            None,  # engaged sessions: not mapped, no data
            int(r[3]) if r[3] else None,
            int(r[4]),
        )
        for r in rows[1:]
    ]
    store = Store(db)
    assert (
        store.rows(
            "SELECT day, sessions, engaged_sessions, users, pageviews FROM web_traffic"
            " ORDER BY day"
        )
        == expected
    )
    store.close()


def test_import_refuses_a_file_lacking_mapped_columns_and_writes_nothing(
    db: Path, capsys
) -> None:
    before = stored(db)
    short = str(MAPPING / "web_giorni_breve.csv")
    assert run(db, "import", short, "--mapping", "GA4 italiano", "--lang", "en") == 1
    assert capsys.readouterr().err == (
        "web_giorni_breve.csv: not imported: the mapping “GA4 italiano” reads columns"
        " this file lacks: Utenti attivi. Nothing was written.\n"
    )
    both = [str(MAPPING / "web_giorni.csv"), short]
    assert run(db, "import", *both, "--mapping", "GA4 italiano") == 1
    assert capsys.readouterr().err == (
        "web_giorni_breve.csv : non importé : la correspondance « GA4 italiano » lit"
        " des colonnes absentes de ce fichier : Utenti attivi. Rien n'a été écrit.\n"
    )
    assert stored(db) == before


def test_import_refuses_an_unknown_mapping_name(db: Path, capsys) -> None:
    before = stored(db)
    path = str(MAPPING / "web_giorni.csv")
    assert run(db, "import", path, "--mapping", "GA4", "--lang", "en") == 1
    assert capsys.readouterr().err == (
        "No saved mapping is named “GA4” (see: python -m clusterkpi mappings list).\n"
    )
    assert stored(db) == before


def test_a_mapping_and_a_forced_source_exclude_each_other(db: Path, capsys) -> None:
    path = str(MAPPING / "web_giorni.csv")
    with pytest.raises(SystemExit) as raised:
        run(db, "import", path, "--mapping", "GA4 italiano", "--source", "ga4_daily")
    assert raised.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "error: argument --source: not allowed with argument --mapping"
    )
