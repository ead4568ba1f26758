"""Tests that parse the source (AST) to hold the dependency and module rules."""

from __future__ import annotations

import ast
import re
import sys
from functools import cache
from pathlib import Path

import clusterkpi

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "clusterkpi"
SKIPPED_DIRS = {".venv", ".git", "node_modules", "__pycache__", ".ruff_cache"}
SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE)\b")


def python_files() -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py"))
    found += sorted((ROOT / "pages").glob("*.py"))
    found += [p for p in (ROOT / "app.py", ROOT / "cockpit.py") if p.exists()]
    found += sorted((ROOT / "bench").rglob("*.py"))
    return found


def page_files() -> list[Path]:
    return sorted((ROOT / "pages").glob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def tree_of(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_modules(path: Path) -> set[str]:
    """Return the full dotted names a file imports (absolute imports only)."""
    names = set()
    for node in ast.walk(tree_of(path)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def importers_of(package: str) -> list[str]:
    return [
        rel(path)
        for path in python_files()
        if any(name.split(".")[0] == package for name in imported_modules(path))
    ]


def test_the_scan_covers_the_package_pages_and_app() -> None:
    scanned = {rel(p) for p in python_files()}
    assert {
        "clusterkpi/store.py",
        "clusterkpi/ui/__init__.py",
        "app.py",
        "cockpit.py",
    } <= scanned
    assert {rel(p) for p in page_files()} <= scanned


def test_only_the_store_imports_duckdb() -> None:
    assert [p for p in importers_of("duckdb") if p != "clusterkpi/store.py"] == []


def test_only_the_charts_module_imports_plotly() -> None:
    allowed = re.compile(r"^clusterkpi/(charts\.py|charts/.+\.py)$")
    assert [p for p in importers_of("plotly") if not allowed.match(p)] == []


def test_only_ui_app_and_pages_import_streamlit() -> None:
    # Benchmarks drive the pages through AppTest, as the tests do.
    allowed = re.compile(
        r"^(clusterkpi/ui/.+\.py|app\.py|pages/[^/]+\.py|bench/.+\.py)$"
    )
    assert [p for p in importers_of("streamlit") if not allowed.match(p)] == []


def test_pages_import_only_streamlit_clusterkpi_and_the_standard_library() -> None:
    allowed = {"streamlit", "clusterkpi", *sys.stdlib_module_names}
    foreign = {
        rel(path): sorted(
            n for n in imported_modules(path) if n.split(".")[0] not in allowed
        )
        for path in page_files()
    }
    assert {page: names for page, names in foreign.items() if names} == {}


def test_pages_use_no_relative_imports() -> None:
    relative = [
        rel(path)
        for path in page_files()
        for node in ast.walk(tree_of(path))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert relative == []


def test_pages_hold_no_sql() -> None:
    sql = {
        rel(path): [
            node.value
            for node in ast.walk(tree_of(path))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_WORD.search(node.value)
        ]
        for path in page_files()
    }
    assert {page: found for page, found in sql.items() if found} == {}


def test_every_package_module_opens_with_a_one_line_docstring() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        body = tree_of(path).body
        first = body[0] if body else None
        is_docstring = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        if not is_docstring or "\n" in first.value.value.strip():
            offenders.append(rel(path))
    assert offenders == []


def test_every_package_module_postpones_annotations() -> None:
    missing = [
        rel(path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if not any(
            isinstance(node, ast.ImportFrom)
            and node.module == "__future__"
            and any(alias.name == "annotations" for alias in node.names)
            for node in tree_of(path).body
        )
    ]
    assert missing == []


def test_no_module_is_named_utils() -> None:
    found = [
        rel(path)
        for path in ROOT.rglob("utils.py")
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
    ]
    assert found == []


def test_the_version_is_the_changelog_s_latest() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    latest = re.search(r"^## (\d+\.\d+\.\d+) — ", changelog, re.MULTILINE)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert latest is not None
    assert clusterkpi.__version__ == latest.group(1)
    assert f'version = "{clusterkpi.__version__}"' in pyproject
