"""A process killed in the middle of an import leaves the database exactly as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from clusterkpi.store import Store, migrations
from tests.demo_db import ROOT

SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from clusterkpi.imports.importer import ImportOptions, import_file
from clusterkpi.store import Store
store = Store(sys.argv[1])
options = ImportOptions(on_progress=lambda fraction, phase: print(phase, flush=True))
import_file(store, "big.csv", Path(sys.argv[2]).read_bytes(), options, date(2026, 11, 26))
print("done", flush=True)
"""


def _big_file(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("Identifiant;Date;Type;Organisation;Entreprise cible\n")
        for i in range(rows):
            out.write(
                f"IN{i:07d};{1 + i % 28:02d}/{1 + i % 12:02d}/2025;Appel;E{i % 97};oui\n"
            )


def test_sigkill_during_an_import_loses_and_half_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.duckdb"
    Store(db).close()
    big = tmp_path / "big.csv"
    _big_file(big, 600_000)
    child = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(db), str(big)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    # "check" is printed inside the import's transaction, before the rows are parsed.
    assert [child.stdout.readline(), child.stdout.readline()] == ["read\n", "check\n"]
    time.sleep(0.2)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert child.stdout.read() == ""  # killed before the import finished
    store = Store(db)
    assert store.rows("SELECT count(*) FROM interactions") == [(0,)]
    assert store.rows("SELECT count(*) FROM imports WHERE status = 'loaded'") == [(0,)]
    assert store.schema_version() == migrations()[-1][0]
    store.close()
