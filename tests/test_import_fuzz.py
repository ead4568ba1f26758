"""Property tests: whatever bytes arrive, an import never crashes and never half-writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterkpi.imports.importer import ImportOptions, import_file
from clusterkpi.imports.loading import KEYS
from clusterkpi.store import Store

TODAY = date(2026, 11, 26)
SEED = (
    Path(__file__).parent / "data" / "imports" / "templates" / "adherents.csv"
).read_bytes()
STORE = Store(":memory:")


def _counts() -> dict[str, int]:
    return {t: STORE.scalar(f"SELECT count(*) FROM {t}") for t in [*KEYS, "imports"]}


def _check(name: str, raw: bytes) -> None:
    before = _counts()
    report = import_file(STORE, name, raw, ImportOptions(dry_run=True), TODAY)
    assert report.status in {"checked", "rejected", "unrecognised", "duplicate"}
    assert _counts() == before  # a dry run, accepted or not, writes nothing
    report = import_file(STORE, name, raw, ImportOptions(), TODAY)
    after = _counts()
    if report.status != "loaded":
        assert after == before
    else:
        added = {t: after[t] - before[t] for t in KEYS}
        assert sum(added.values()) == report.rows_added
        assert after["imports"] == before["imports"] + 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.xlsx", "x.zip", "x.xls"]))
def test_random_bytes_never_crash_an_import_nor_write_partially(
    raw: bytes, name: str
) -> None:
    _check(name, raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(SEED)), st.binary(max_size=8)), max_size=6),
    st.integers(0, len(SEED)),
)
def test_mutated_rosters_load_whole_or_not_at_all(
    edits: list[tuple[int, bytes]], cut: int
) -> None:
    raw = bytearray(SEED)
    for position, chunk in edits:
        raw[position : position + len(chunk)] = chunk
    _check("adherents.csv", bytes(raw[: max(cut, 1)]))
