"""The account commands of the CLI: users add, remove, passwd, role, disable, enable, list."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TextIO

from clusterkpi import config
from clusterkpi.accounts import (
    AccountError,
    add_user,
    check_password,
    list_users,
    remove_user,
    set_disabled,
    set_password,
    set_role,
)
from clusterkpi.roles import Role
from clusterkpi.store import Store

ROLES = [r.value for r in Role]
# Recorded as the author of changes made here: whoever runs the CLI owns the
# database file, so there is no account to name.
CLI_USER = "cli"


def add_commands(commands: Any) -> None:
    """Register ``users`` and its actions on the CLI's subparsers."""
    users = commands.add_parser(
        "users",
        help="manage the accounts that may sign in",
        description="Manage local accounts. Passwords are read from a prompt (or one"
        " line of standard input), never from the command line.",
    )
    actions = users.add_subparsers(dest="action", required=True)
    add = actions.add_parser(
        "add",
        help="create an account (the first one must be an admin)",
        description="Create an account; asks for its password.",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--display-name", default=None, metavar="TEXT")
    add.add_argument(
        "--sso-only",
        action="store_true",
        help="no password: the account signs in through single sign-on only",
    )
    remove = actions.add_parser("remove", help="delete an account")
    remove.add_argument("name", metavar="NAME")
    passwd = actions.add_parser(
        "passwd", help="set a new password (ends the account's sessions)"
    )
    passwd.add_argument("name", metavar="NAME")
    role = actions.add_parser("role", help="change an account's role")
    role.add_argument("name", metavar="NAME")
    role.add_argument("role", choices=ROLES, metavar="ROLE")
    for action, text in (("disable", "disable an account"), ("enable", "re-enable")):
        actions.add_parser(action, help=text).add_argument("name", metavar="NAME")
    listing = actions.add_parser("list", help="list the accounts")
    listing.add_argument("--json", action="store_true", help="print JSON")


def run_users(args: argparse.Namespace) -> int:
    """Run one account action; exit 1 with the reason when it is refused."""
    store = Store(config.get_settings().db)
    try:
        return _ACTIONS[args.action](store, args)
    except AccountError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def read_password(
    stdin: TextIO | None = None, prompt: Callable[[str], str] | None = None
) -> str:
    """Return a new password: typed twice at a terminal, else one line of ``stdin``."""
    stream = sys.stdin if stdin is None else stdin
    if stream.isatty():
        ask = prompt or getpass.getpass  # looked up now: tests replace it
        first = ask("New password: ")
        check_password(first)  # say so before asking again
        if ask("Repeat the password: ") != first:
            raise AccountError("The two passwords differ.", "password_mismatch")
        return first
    line = stream.readline()
    password = line[:-1] if line.endswith("\n") else line
    if not password:
        raise AccountError(
            "No password on standard input (give it as one line).", "password_missing"
        )
    return password.removesuffix("\r")


def _add(store: Store, args: argparse.Namespace) -> int:
    password = None if args.sso_only else read_password()
    user = add_user(store, args.name, args.role, password, args.display_name, CLI_USER)
    print(f"User {user.username} added ({user.role.value}).")
    return 0


def _remove(store: Store, args: argparse.Namespace) -> int:
    remove_user(store, args.name, CLI_USER)
    print(f"User {args.name.strip().lower()} removed.")
    return 0


def _passwd(store: Store, args: argparse.Namespace) -> int:
    set_password(store, args.name, read_password(), CLI_USER)
    print(f"Password of {args.name.strip().lower()} changed; its sessions ended.")
    return 0


def _role(store: Store, args: argparse.Namespace) -> int:
    set_role(store, args.name, args.role, CLI_USER)
    print(f"User {args.name.strip().lower()} is now {args.role}.")
    return 0


def _disable(store: Store, args: argparse.Namespace) -> int:
    disabled = args.action == "disable"
    set_disabled(store, args.name, disabled, CLI_USER)
    print(f"User {args.name.strip().lower()} {args.action}d.")
    return 0


def _list(store: Store, args: argparse.Namespace) -> int:
    users = list_users(store)
    if args.json:
        rows = [{**asdict(u), "role": u.role.value} for u in users]
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return 0
    if not users:
        print("No account: the app runs in open mode (localhost only).")
    for u in users:
        state = "disabled" if u.disabled else "sso only" if not u.has_password else ""
        print(
            f"{u.username:<24} {u.role.value:<9} {u.display_name:<24} {state}".rstrip()
        )
    return 0


_ACTIONS: dict[str, Callable[[Store, argparse.Namespace], int]] = {
    "add": _add,
    "remove": _remove,
    "passwd": _passwd,
    "role": _role,
    "disable": _disable,
    "enable": _disable,
    "list": _list,
}
