"""The users commands: passwords from a prompt or stdin only, never kept in clear."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from clusterkpi import accounts, user_commands
from clusterkpi.cli import build_parser, main
from clusterkpi.login import LoginStatus, authenticate
from clusterkpi.store import Store

ROOT = Path(__file__).resolve().parent.parent
SECRET = "first long secret"
OTHER = "second long secret"
T0 = datetime(2026, 11, 26, 9, 0)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "users.duckdb"


def run(db: Path, *args: str, stdin: str = "") -> int:
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--db", str(db), "users", *args])
    finally:
        sys.stdin = sys.__stdin__


def database_text(db: Path) -> str:
    store = Store(db)
    try:
        return "\n".join(
            repr(store.rows(f"SELECT * FROM {t}")) for t in store.table_names()
        )
    finally:
        store.close()


def test_add_reads_one_line_of_stdin_and_list_shows_the_account(
    db: Path, capsys
) -> None:
    args = ["add", "Alice", "--role", "admin", "--display-name", "Alice Martin"]
    assert run(db, *args, stdin=f"{SECRET}\n") == 0
    assert capsys.readouterr().out == "User alice added (admin).\n"
    assert run(db, "list") == 0
    assert capsys.readouterr().out == (
        f"{'alice':<24} {'admin':<9} {'Alice Martin':<24}".rstrip() + "\n"
    )
    assert run(db, "list", "--json") == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in listed.items() if k != "created_at"} == {
        "username": "alice",
        "display_name": "Alice Martin",
        "role": "admin",
        "created_by": "cli",
        "disabled": False,
        "has_password": True,
    }
    store = Store(db)
    assert authenticate(store, "alice", SECRET, T0).status == LoginStatus.OK
    store.close()


def test_passwd_role_and_remove(db: Path, capsys) -> None:
    run(db, "add", "alice", "--role", "admin", stdin=f"{SECRET}\n")
    run(db, "add", "bob", "--role", "board", stdin=f"{SECRET}\r\n")
    assert run(db, "passwd", "bob", stdin=f"{OTHER}\n") == 0
    assert run(db, "role", "bob", "animator") == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "Password of bob changed; its sessions ended.",
        "User bob is now animator.",
    ]
    store = Store(db)
    assert authenticate(store, "bob", SECRET, T0).status == LoginStatus.WRONG
    assert authenticate(store, "bob", OTHER, T0).status == LoginStatus.OK
    store.close()
    assert run(db, "remove", "bob") == 0
    assert run(db, "remove", "alice") == 0
    assert run(db, "list") == 0
    assert capsys.readouterr().out.splitlines()[-3:] == [
        "User bob removed.",
        "User alice removed.",
        "No account: the app runs in open mode (localhost only).",
    ]


def test_disable_and_enable(db: Path, capsys) -> None:
    run(db, "add", "alice", "--role", "admin", stdin=f"{SECRET}\n")
    run(db, "add", "bob", "--role", "board", "--sso-only")
    assert run(db, "disable", "bob") == 0
    run(db, "list")
    assert capsys.readouterr().out.splitlines()[-3:] == [
        "User bob disabled.",
        "alice                    admin",
        "bob                      board                              disabled",
    ]
    assert run(db, "enable", "bob") == 0
    run(db, "list")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "bob                      board                              sso only"
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "alice", "--role", "admin"], "short\n",
         "A password needs at least 10 characters (this one has 5)."),
        (["add", "alice", "--role", "admin"], "",
         "No password on standard input (give it as one line)."),
        (["add", "alice", "--role", "admin"], "\n",
         "No password on standard input (give it as one line)."),
        (["add", "alice", "--role", "board"], f"{SECRET}\n",
         "This would leave no enabled admin: add or enable another admin first"
         " (the first account must be an admin)."),
        (["remove", "bob"], "", "There is no user bob."),
        (["passwd", "bob"], f"{SECRET}\n", "There is no user bob."),
    ],
)  # fmt: skip
def test_refusals_exit_1_with_the_reason(
    db: Path, capsys, args: list[str], stdin: str, message: str
) -> None:
    assert run(db, *args, stdin=stdin) == 1
    assert capsys.readouterr() == ("", f"error: {message}\n")
    assert "alice" not in database_text(db)


def test_at_a_terminal_the_password_is_typed_twice(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    typed = iter([SECRET, SECRET])
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr(user_commands.getpass, "getpass", getpass)
    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["--db", str(db), "users", "add", "alice", "--role", "admin"]) == 0
    assert prompts == ["New password: ", "Repeat the password: "]


@pytest.mark.parametrize(
    ("typed", "asked", "message"),
    [
        ([SECRET, OTHER], 2, "The two passwords differ."),
        (["short", "short"], 1,
         "A password needs at least 10 characters (this one has 5)."),
    ],
)  # fmt: skip
def test_at_a_terminal_a_mismatch_or_a_short_password_is_refused(
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
    typed: list[str],
    asked: int,
    message: str,
) -> None:
    answers = iter(typed)
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(user_commands.getpass, "getpass", getpass)
    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["--db", str(db), "users", "add", "alice", "--role", "admin"]) == 1
    assert (len(prompts), capsys.readouterr().err) == (asked, f"error: {message}\n")


def test_no_command_takes_a_password_argument(db: Path, capsys) -> None:
    users = next(
        a.choices["users"]
        for a in build_parser()._actions
        if isinstance(a, argparse._SubParsersAction)
    )
    actions = next(
        a for a in users._actions if isinstance(a, argparse._SubParsersAction)
    )
    options = sorted(
        option
        for sub in actions.choices.values()
        for a in sub._actions
        for option in a.option_strings
    )
    assert options == [
        "--display-name", "--help", "--help", "--help", "--help", "--help",
        "--help", "--help", "--json", "--role", "--sso-only",
        "-h", "-h", "-h", "-h", "-h", "-h", "-h",
    ]  # fmt: skip
    with pytest.raises(SystemExit) as info:
        main(
            ["--db", str(db), "users", "add", "a", "--role", "admin", "--password", "x"]
        )
    assert info.value.code == 2


def test_no_password_is_kept_in_clear_anywhere(db: Path) -> None:
    run(db, "add", "alice", "--role", "admin", stdin=f"{SECRET}\n")
    run(db, "passwd", "alice", stdin=f"{OTHER}\n")
    store = Store(db)
    authenticate(store, "alice", SECRET, T0)  # a failure, audited
    authenticate(store, SECRET, SECRET, T0)  # a password typed as the name
    hashed = store.scalar("SELECT password_hash FROM users")
    actions = [r[0] for r in store.rows("SELECT action FROM audit_log ORDER BY 1")]
    store.close()
    assert hashed.startswith("$argon2id$")
    text = database_text(db).replace(hashed, "")
    assert [p for p in (SECRET, OTHER) if p in text] == []
    assert actions == [
        "login.failed",
        "login.failed",
        "user.added",
        "user.password_changed",
    ]


@pytest.mark.slow
def test_a_password_piped_to_the_real_command_line(db: Path) -> None:
    """``printf 'secret\\n' | python -m clusterkpi users add ...`` with the real hasher."""
    command = [sys.executable, "-m", "clusterkpi", "--db", str(db), "users"]
    added = subprocess.run(
        [*command, "add", "alice", "--role", "admin"],
        input=f"{SECRET}\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert (added.returncode, added.stdout, added.stderr) == (
        0,
        "User alice added (admin).\n",
        "",
    )
    listed = subprocess.run(
        [*command, "list", "--json"], capture_output=True, text=True, cwd=ROOT
    )
    assert [u["username"] for u in json.loads(listed.stdout)] == ["alice"]
    store = Store(db)
    hashed = store.scalar("SELECT password_hash FROM users")
    store.close()
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
