"""Recognition by best match: vintages, runner-ups, and tools never read as templates."""

from __future__ import annotations

import csv

import pytest

from clusterkpi.catalog import Catalog
from clusterkpi.imports.recognition import CLOSE, rank, recognise
from clusterkpi.store import Store
from tests.import_helpers import DATA, kpi, load

NEWER = "mailchimp/campaigns_audience_no_opens.csv"


def test_a_campaign_list_with_audience_and_no_opens_loads(
    store: Store, catalog: Catalog
) -> None:
    report = load(store, NEWER)
    assert (report.status, [t.source for t in report.tables]) == (
        "loaded",
        ["mailchimp_campaigns"],
    )
    with (DATA / NEWER).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = [
        (
            r["Unique Id"],
            r["Audience"],
            int(r["Successful Deliveries"].replace(",", "")),
        )
        for r in rows
    ]
    assert (
        store.rows(
            "SELECT campaign_id, audience, delivered FROM email_campaigns"
            " WHERE unique_opens IS NULL AND unique_clicks IS NULL ORDER BY sent_at"
        )
        == expected
    )
    # No open column: the open rate is no data, never 0 %.
    assert kpi(store, catalog, "newsletter_open_rate", "2026Q3") is None


def test_the_open_rate_counts_only_campaigns_that_report_opens(
    store: Store, catalog: Catalog
) -> None:
    load(store, "mailchimp/campaigns_2026Q3.csv")
    load(store, NEWER)
    with (DATA / "mailchimp/campaigns_2026Q3.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    opens = sum(int(r["Unique Opens"].replace(",", "")) for r in rows)
    delivered = sum(int(r["Successful Deliveries"].replace(",", "")) for r in rows)
    assert kpi(store, catalog, "newsletter_open_rate", "2026Q3") == pytest.approx(
        opens / delivered
    )


@pytest.mark.parametrize(
    "header",
    [
        ["Title", "Subject", "Audience", "Send Date", "Total Recipients", "Unique Id"],
        ["Title", "Subject", "List", "Send Date", "Successful Deliveries", "Unique Id",
         "Open Rate"],
    ],
)  # fmt: skip
def test_every_mailchimp_vintage_is_mailchimp_never_a_template(
    header: list[str],
) -> None:
    best, _ = recognise(header)
    assert best is not None and best.name == "mailchimp_campaigns"
    assert all(not m.adapter.name.startswith("template_") for m in rank(header))


def test_a_tool_missing_a_signature_column_is_named_not_taken_for_a_template(
    store: Store,
) -> None:
    # Neither 'Total Recipients' nor 'Successful Deliveries': still Mailchimp, refused
    # with the columns it lacks, never read as a press-clippings template.
    header = ["Title", "Subject", "List", "Send Date", "Unique Id", "Unique Opens"]
    ranked = rank(header)
    assert [(m.adapter.name, m.complete) for m in ranked] == [
        ("mailchimp_campaigns", False)
    ]
    raw = ",".join(header) + '\nLettre,Objet,Adhérents,"Jan 15, 2026 09:30 am",a1,12\n'
    report = load(store, "campaigns.csv", raw=raw.encode(), lang="en")
    assert [(t.source, [p.message("en") for p in t.problems]) for t in report.tables] == [
        (
            "mailchimp_campaigns",
            ["Required columns missing: Total Recipients, Successful Deliveries,"
             " Unsubscribes, Total Bounces."],
        )
    ]  # fmt: skip


def test_the_runner_up_is_shown_when_close() -> None:
    # A hand-made sheet that two templates read alike.
    header = ["Date", "Titre", "Type"]
    rows = [["2026-03-02", "Portrait d'adhérent", "vidéo"]]
    ranked = rank(header, (), rows)
    best, second = recognise(header, (), rows)
    other = next(
        m for m in ranked[1:] if m.adapter.dataset != ranked[0].adapter.dataset
    )
    assert (best, second) == (ranked[0].adapter, other.adapter)
    assert ranked[0].score - other.score <= CLOSE


def test_a_clear_winner_has_no_runner_up() -> None:
    header = ["Title", "Subject", "List", "Send Date", "Total Recipients", "Unique Id"]
    assert recognise(header)[1] is None


def test_values_that_do_not_fit_lower_a_reading() -> None:
    header = ["Date", "Titre", "Type"]
    good = {
        m.adapter.name: m.score for m in rank(header, (), [["2026-03-02", "x", "y"]])
    }
    bad = {m.adapter.name: m.score for m in rank(header, (), [["demain", "x", "y"]])}
    assert good.keys() == bad.keys()
    assert all(bad[name] < good[name] for name in good)
