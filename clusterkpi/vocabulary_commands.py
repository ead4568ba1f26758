"""The ``vocabulary`` command of the CLI: list, set and delete tariff terms."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from clusterkpi import config
from clusterkpi.member_vocabulary import (
    VocabularyError,
    delete_term,
    list_terms,
    set_term,
)
from clusterkpi.membership import MEMBER_TYPES
from clusterkpi.store import Store

NO_TYPE = "none"  # the TYPE that says "members with this tariff are of unknown type"


def add_commands(commands: Any) -> None:
    """Register ``vocabulary`` and its actions on the CLI's subparsers."""
    vocabulary = commands.add_parser(
        "vocabulary",
        help="the tariff names that give a member's type at import",
        description="HelloAsso tariff names map to member types through these terms:"
        " a tariff matches a term when its words contain the term's words (case,"
        " accents and punctuation aside), and the longest matching term wins. A"
        " member whose tariff matches no term is of unknown type, never an SME."
        " Changes apply to the next imports.",
    )
    actions = vocabulary.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="list the terms and their types")
    listing.add_argument("--json", action="store_true", help="print JSON")
    put = actions.add_parser(
        "set",
        help="add a term or change its type",
        description="Add TERM, or change the type of the term with the same words.",
    )
    put.add_argument("term", metavar="TERM")
    put.add_argument(
        "member_type",
        metavar="TYPE",
        choices=[*MEMBER_TYPES, NO_TYPE],
        help=f"one of {', '.join(MEMBER_TYPES)}, or '{NO_TYPE}' (type unknown)",
    )
    remove = actions.add_parser("delete", help="delete the term with these words")
    remove.add_argument("term", metavar="TERM")


def run_vocabulary(args: argparse.Namespace) -> int:
    """Run one vocabulary action; exit 1 with the reason when it is refused."""
    store = Store(config.get_settings().db)
    try:
        return _ACTIONS[args.action](store, args)
    except VocabularyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _list(store: Store, args: argparse.Namespace) -> int:
    terms = list_terms(store)
    if args.json:
        print(json.dumps([asdict(t) for t in terms], ensure_ascii=False, indent=2))
        return 0
    width = max((len(t.term) for t in terms), default=4)
    for term in terms:
        print(f"{term.term:<{width}}  {term.member_type or NO_TYPE}")
    return 0


def _set(store: Store, args: argparse.Namespace) -> int:
    kind = None if args.member_type == NO_TYPE else args.member_type
    term = set_term(store, args.term, kind)
    print(f"Term {term.term!r} → {term.member_type or NO_TYPE} (words: {term.words}).")
    return 0


def _delete(store: Store, args: argparse.Namespace) -> int:
    if not delete_term(store, args.term):
        print(f"error: no term has the words of {args.term!r}.", file=sys.stderr)
        return 1
    print(f"Term {args.term!r} deleted.")
    return 0


_ACTIONS = {"list": _list, "set": _set, "delete": _delete}
