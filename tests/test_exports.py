"""Tests for clusterkpi.exports: PDF board pack, XLSX, CSV and Parquet of a snapshot."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from clusterkpi.catalog import Catalog, Unit
from clusterkpi.exports import export_snapshot
from clusterkpi.exports.tables import snapshot_tables
from clusterkpi.i18n import t
from clusterkpi.progress import Status
from clusterkpi.snapshot_model import (
    FrozenHorizon,
    FrozenKpi,
    FrozenObjective,
    Snapshot,
)
from clusterkpi.store import Store
from clusterkpi.strategy import Horizon, KpiTarget, Positioning, Strategy
from tests.demo_db import TODAY, make_demo_db

CLUSTER = "Pôle Essai Méditerranée"
INJECTED = '=HYPERLINK("http://x")\n+1\n-2\n@SUM(A1)\n<script>alert(1)</script>'
HORIZON_DAYS = {
    Horizon.SHORT: date(2027, 12, 31),
    Horizon.MEDIUM: date(2031, 12, 31),
    Horizon.LONG: date(2036, 12, 31),
}
QUARTERS = [f"{y}Q{q}" for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)][:11]
STATUSES = list(Status)
SMALL = {"identity_vision": INJECTED, "joint_messages": "-2 points ce trimestre."}


def frozen_kpi(catalog: Catalog, kpi_id: str, rank: int) -> FrozenKpi:
    """A KPI with a rising history; every third KPI is untracked."""
    scale = 0.01 if catalog.kpi(kpi_id).unit is Unit.RATE else 10.0
    tracked = rank % 3 != 2
    horizons = tuple(
        FrozenHorizon(
            horizon=h,
            day=HORIZON_DAYS[h],
            target=(50 + 10 * j) * scale if tracked else None,
            status=STATUSES[(rank + j) % 4] if tracked else Status.NO_DATA,
            progress=0.2 * (j + 1) if tracked else None,
            forecast=(48 + 6 * j) * scale,
        )
        for j, h in enumerate(Horizon)
    )
    history = tuple((q, (38 + rank + i) * scale) for i, q in enumerate(QUARTERS))
    return FrozenKpi(
        kpi_id=kpi_id,
        objective_id=catalog.kpi(kpi_id).objective,
        value=history[-1][1],
        previous=history[-2][1],
        baseline=40 * scale if tracked else None,
        weight=2.0 if tracked else 0.0,
        tracked=tracked,
        manual=False,
        horizons=horizons,
        history=history,
    )


def make_snapshot(catalog: Catalog, commentary: dict[str, str]) -> Snapshot:
    """A hand-made snapshot of the objectives named in ``commentary``."""
    kpis = tuple(
        frozen_kpi(catalog, kpi_id, rank)
        for rank, kpi_id in enumerate(k for o in commentary for k in catalog.kpis_of(o))
    )
    objectives = tuple(
        FrozenObjective(
            objective_id=o,
            group=catalog.objectives[o].group,
            status={h: STATUSES[(i + j) % 5] for j, h in enumerate(Horizon)},
            progress={h: 0.25 * (j + 1) for j, h in enumerate(Horizon)},
            commentary=text,
        )
        for i, (o, text) in enumerate(commentary.items())
    )
    positioning = Positioning(
        cluster_name=CLUSTER,
        mission="Fédérer les PME <b>innovantes</b> du territoire.",
        identity="Le réseau des entreprises du littoral.",
        values="Coopération, confiance.",
        ambition_5y="Un membre sur deux dans un projet.",
        ambition_10y="Un pôle de référence nationale.",
        ambition_15y="Un pôle de rang européen.",
    )
    strategy = Strategy(
        positioning=positioning,
        horizons=HORIZON_DAYS,
        targets={
            k.kpi_id: KpiTarget(
                baseline_value=k.baseline, baseline_date=date(2024, 12, 31)
            )
            for k in kpis
        },
    )
    return Snapshot(
        snapshot_id=7,
        quarter="2026Q3",
        as_of=date(2026, 9, 30),
        created_at=datetime(2026, 10, 5, 9, 0),
        created_by="animatrice",
        catalog_version=catalog.version,
        positioning=positioning,
        horizon_dates=HORIZON_DAYS,
        objectives=objectives,
        kpis=kpis,
        approved_at=datetime(2026, 10, 20, 18, 0),
        approved_by="présidente",
        strategy_json=strategy.model_dump_json(),
    )


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each page, whitespace collapsed."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def check_pack(pdf: Path, catalog: Catalog, snapshot: Snapshot, lang: str) -> None:
    """Assert what every board pack must hold, page by page."""
    pages = pdf_pages(pdf)
    whole = " ".join(pages)
    labels = [
        catalog.objectives[o.objective_id].label.get(lang) for o in snapshot.objectives
    ]
    kpis = [catalog.kpi(k.kpi_id) for k in snapshot.kpis]
    cluster = snapshot.positioning.cluster_name
    assert [x for x in [cluster, snapshot.quarter, *labels] if x not in whole] == []
    assert [k.label.get(lang) for k in kpis if k.label.get(lang) not in whole] == []
    words = {
        t(f"status.{k.at(h).status.value}", lang)
        for k in snapshot.kpis
        for h in Horizon
    }
    assert [w for w in words if w not in whole] == []
    # Cover, scorecard, each objective from a page of its own (its charts may go on
    # over pages that say so), then the appendix to the end.
    appendix = t("export.appendix", lang)
    assert pages[0].startswith(t("export.title", lang).upper())
    assert pages[1].startswith(t("export.scorecard", lang))
    first = 2
    for label in labels:
        assert label in pages[first]
        first += 1
        while pages[first].startswith(t("export.continued", lang, title=label)):
            first += 1
    assert pages[first].startswith(appendix)
    assert all(
        p.startswith(t("export.continued", lang, title=appendix))
        for p in pages[first + 1 :]
    )
    assert len(pages) == first + sum(1 for p in pages if p.startswith(appendix))
    definitions = " ".join(pages[first:])
    missing = [k.label.get(lang) for k in kpis if k.label.get(lang) not in definitions]
    assert missing == []
    assert [
        n for n, p in enumerate(pages, 1) if f"Page {n} / {len(pages)}" not in p
    ] == []


def test_the_pack_holds_every_label_and_one_page_per_objective(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    snapshot = make_snapshot(catalog, SMALL)
    for lang in ("fr", "en"):
        pdf = export_snapshot(
            store, catalog, snapshot, "pdf", lang, tmp_path / f"{lang}.pdf"
        )
        check_pack(pdf, catalog, snapshot, lang)
        assert len(pdf_pages(pdf)) == 1 + 1 + 2 + 1


def test_the_pack_is_in_french_with_french_numbers(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    pdf = export_snapshot(
        store, catalog, make_snapshot(catalog, SMALL), "pdf", "fr", tmp_path / "p.pdf"
    )
    cover, scorecard, objective = pdf_pages(pdf)[:3]
    assert "Trimestre 2026Q3 — situation au 30 sept. 2026" in cover
    assert "✓ Approuvé par le conseil le 20 oct. 2026 (présidente)" in cover
    assert "Fédérer les PME <b>innovantes</b> du territoire." in cover
    assert "★ Atteint" in scorecard and "✗ En retard" in scorecard
    # Rates: decimal comma and a no-break space before %, which pdftotext keeps.
    assert re.search(r"48,0\s%", objective), objective
    assert "Pôle Essai Méditerranée · 2026Q3" in objective


def test_the_commentary_is_drawn_as_plain_text(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    pdf = export_snapshot(
        store, catalog, make_snapshot(catalog, SMALL), "pdf", "en", tmp_path / "p.pdf"
    )
    page = pdf_pages(pdf)[2]
    assert " ".join(INJECTED.split()) in page


def test_the_pack_embeds_dejavu_and_renders_every_page(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    pdf = export_snapshot(
        store, catalog, make_snapshot(catalog, SMALL), "pdf", "en", tmp_path / "p.pdf"
    )
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    )
    rows = [line.split() for line in fonts.stdout.splitlines()[2:]]
    assert sorted((r[0].split("+")[-1], r[-5]) for r in rows) == [
        ("DejaVuSansBold", "yes"),
        ("DejaVuSansBook", "yes"),
        ("DejaVuSansMonoBook", "yes"),
    ]
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "pg")], check=True
    )
    rendered = sorted(tmp_path.glob("pg-*.png"))
    assert len(rendered) == 5
    assert all(p.stat().st_size > 1000 for p in rendered)


def test_a_pack_of_every_objective_keeps_every_definition(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    snapshot = make_snapshot(catalog, dict.fromkeys(catalog.objectives, "RAS."))
    pdf = export_snapshot(store, catalog, snapshot, "pdf", "fr", tmp_path / "all.pdf")
    check_pack(pdf, catalog, snapshot, "fr")


def test_the_demo_snapshot_makes_a_whole_pack(tmp_path: Path, catalog: Catalog) -> None:
    from clusterkpi.snapshots import create_snapshot

    store = Store(make_demo_db(tmp_path / "demo.duckdb"))
    try:
        snapshot = create_snapshot(
            store, catalog, "2026Q3", "animator", {"credibility": INJECTED}, today=TODAY
        )
        for lang in ("fr", "en"):
            pdf = export_snapshot(
                store, catalog, snapshot, "pdf", lang, tmp_path / f"{lang}.pdf"
            )
            check_pack(pdf, catalog, snapshot, lang)
        book = export_snapshot(
            store, catalog, snapshot, "xlsx", "fr", tmp_path / "d.xlsx"
        )
        assert formula_cells(book) == []
    finally:
        store.close()


def formula_cells(path: Path) -> list[str]:
    """Return the cells stored as formulas or holding unneutralised formula text."""
    book = openpyxl.load_workbook(path)
    start = ("=", "+", "-", "@", "\t", "\r")
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
        or (isinstance(cell.value, str) and cell.value.startswith(start))
    ]


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd", INJECTED],
    ids=["equals", "plus", "minus", "at", "tab", "cr", "all"],
)
def test_xlsx_neutralises_formula_like_commentary(
    tmp_path: Path, catalog: Catalog, store: Store, text: str
) -> None:
    snapshot = make_snapshot(
        catalog, {"identity_vision": text, "joint_messages": "RAS"}
    )
    path = export_snapshot(store, catalog, snapshot, "xlsx", "en", tmp_path / "s.xlsx")
    sheet = openpyxl.load_workbook(path)["Scorecard"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Commentary") + 1)
    # Line endings become LF in every export (a bare CR included, once neutralised).
    assert (cell.value, cell.data_type) == ("'" + text.replace("\r", "\n"), "s")
    assert formula_cells(path) == []


def test_xlsx_sheets_keep_numbers_numeric_and_translate_codes(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    path = export_snapshot(
        store, catalog, make_snapshot(catalog, SMALL), "xlsx", "fr", tmp_path / "s.xlsx"
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Tableau de bord", "Valeurs", "Cibles"]
    scorecard, values, targets = book.worksheets
    assert [c.value for c in scorecard[2]][:7] == [
        CLUSTER, "2026Q3", "identity_vision", "Identité et vision partagées",
        "Communication interne", "Atteint", 0.25,
    ]  # fmt: skip
    assert [c.value for c in values[2]] == [
        CLUSTER, "2026Q3", "identity_vision", "general_assembly_attendance_rate",
        "Participation à l'assemblée générale", "taux (%)", "2024Q1", 0.38,
    ]  # fmt: skip
    assert values.cell(row=2, column=8).number_format == "0.0%"
    assert {c.data_type for c in list(values.iter_cols(min_col=8, min_row=2))[0]} == {
        "n"
    }
    row = [c.value for c in targets[2]]
    assert row[7:15] == [
        True,
        2.0,
        0.4,
        0.48,
        "Court terme",
        datetime(2027, 12, 31),
        0.5,
        "Atteint",
    ]
    assert (scorecard.freeze_panes, values.freeze_panes, targets.freeze_panes) == (
        "A2",
    ) * 3
    assert scorecard.column_dimensions["A"].width > 8


def test_csv_zip_round_trips_the_tables(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    snapshot = make_snapshot(catalog, SMALL)
    path = export_snapshot(store, catalog, snapshot, "csv", "en", tmp_path / "s.zip")
    tables = snapshot_tables(catalog, snapshot, "en")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["scorecard.csv", "values.csv", "targets.csv"]
        for table in tables:
            raw = archive.read(f"{table.name}.csv")
            assert raw.startswith(b"\xef\xbb\xbf")
            read = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
            expected = table.frame()
            for name, kind in table.columns:
                if kind == "date":
                    expected[name] = expected[name].map(date.isoformat)
            pd.testing.assert_frame_equal(read, expected, check_dtype=False)


def test_parquet_zip_round_trips_the_tables(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    snapshot = make_snapshot(catalog, SMALL)
    path = export_snapshot(
        store, catalog, snapshot, "parquet", "fr", tmp_path / "s.zip"
    )
    tables = snapshot_tables(catalog, snapshot, "fr")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [
            "scorecard.parquet",
            "values.parquet",
            "targets.parquet",
        ]
        for table in tables:
            read = pd.read_parquet(io.BytesIO(archive.read(f"{table.name}.parquet")))
            expected = table.frame()
            for name, kind in table.columns:
                if kind == "date":
                    read[name] = [
                        d if isinstance(d, date) else d.date() for d in read[name]
                    ]
            assert list(read.columns) == table.names
            pd.testing.assert_frame_equal(read, expected, check_dtype=False)


def test_the_tables_neutralise_text_and_keep_codes(catalog: Catalog) -> None:
    scorecard, values, targets = snapshot_tables(
        catalog, make_snapshot(catalog, SMALL), "en"
    )
    assert [row[-1] for row in scorecard.rows] == [
        "'" + INJECTED,
        "'-2 points ce trimestre.",
    ]
    assert [row[5] for row in scorecard.rows] == ["achieved", "on_track"]
    assert (len(values.rows), len(targets.rows)) == (3 * len(QUARTERS), 3 * 3)
    untracked = [row for row in targets.rows if row[3] == "joint_publications"]
    assert [(r[7], r[13], r[14]) for r in untracked] == [(False, None, "no_data")] * 3


@pytest.mark.parametrize(("fmt", "lang"), [("docx", "fr"), ("pdf", "de")])
def test_an_unknown_format_or_language_is_refused(
    tmp_path: Path, catalog: Catalog, store: Store, fmt: str, lang: str
) -> None:
    with pytest.raises(ValueError, match="Use one of"):
        export_snapshot(
            store, catalog, make_snapshot(catalog, SMALL), fmt, lang, tmp_path / "x"
        )


def test_a_long_commentary_continues_under_the_objective_title(
    tmp_path: Path, catalog: Catalog, store: Store
) -> None:
    long = "\n".join(f"Point {n} : action menue avec les membres." for n in range(50))
    snapshot = make_snapshot(
        catalog, {"identity_vision": long, "joint_messages": "RAS"}
    )
    pdf = export_snapshot(store, catalog, snapshot, "pdf", "fr", tmp_path / "p.pdf")
    pages = pdf_pages(pdf)
    label = "Identité et vision partagées"
    assert len(pages) == 6
    assert pages[3].startswith(f"{label} (suite) Point ")
    assert "Point 49 : action menue avec les membres." in pages[3]
    assert pages[4].startswith("COMMUNICATION INTERNE Messages conjoints et cohérents")
