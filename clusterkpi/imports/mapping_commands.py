"""The ``mappings`` command of the CLI: list, show and delete saved column mappings."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from clusterkpi import config
from clusterkpi.i18n import t
from clusterkpi.imports.adapters.targets import field_names
from clusterkpi.imports.mapping import (
    TARGET_FOR,
    SavedMapping,
    delete_named,
    find_mapping,
    list_mappings,
)
from clusterkpi.store import Store


def add_commands(commands: Any) -> None:
    """Register ``mappings`` and its actions on the CLI's subparsers."""
    mappings = commands.add_parser(
        "mappings",
        help="list, show and delete saved column mappings",
        description="Column mappings saved for exports no source recognises "
        "(import FILE --mapping NAME reads a file with one).",
    )
    actions = mappings.add_subparsers(dest="action", required=True)
    listing = actions.add_parser(
        "list", help="list the saved mappings", description="List every mapping."
    )
    show = actions.add_parser(
        "show",
        help="show one mapping: column → field, translations, date order",
        description="Show which file column holds each field of a mapping.",
    )
    show.add_argument("name", metavar="NAME")
    delete = actions.add_parser(
        "delete", help="delete one mapping", description="Delete a saved mapping."
    )
    delete.add_argument("name", metavar="NAME")
    for action in (listing, show, delete):
        action.add_argument(
            "--lang", choices=["fr", "en"], default="fr", help="message language"
        )


def run_mappings(args: argparse.Namespace) -> int:
    """Run one ``mappings`` action; exit 1 when the named mapping does not exist."""
    store = Store(config.get_settings().db)
    lang = args.lang
    if args.action == "list":
        print(render_list(list_mappings(store), lang))
        return 0
    if args.action == "delete":
        if not delete_named(store, args.name):
            print(t("colmap.cli.unknown", lang, name=args.name), file=sys.stderr)
            return 1
        print(t("colmap.cli.deleted", lang, name=args.name))
        return 0
    saved = find_mapping(store, args.name)
    if saved is None:
        print(t("colmap.cli.unknown", lang, name=args.name), file=sys.stderr)
        return 1
    print(render_show(saved, lang))
    return 0


def dataset_label(dataset: str, lang: str) -> str:
    """Return a dataset as the user reads it (its target's label)."""
    return TARGET_FOR[dataset].display_label(lang)


def render_list(saved: list[SavedMapping], lang: str) -> str:
    """Return the saved mappings as plain text: name, dataset, columns, updated."""
    if not saved:
        return t("colmap.cli.empty", lang)
    lines = []
    for item in saved:
        lines.append(
            t(
                "colmap.cli.item",
                lang,
                name=item.name,
                dataset=dataset_label(item.mapping.dataset, lang),
                columns=", ".join(item.mapping.columns.values()),
                date=item.updated_at.strftime("%Y-%m-%d %H:%M"),
            )
        )
    return "\n".join(lines)


def render_show(saved: SavedMapping, lang: str) -> str:
    """Return one mapping as plain text: each column and its field, values, order."""
    mapping = saved.mapping
    names = field_names(TARGET_FOR[mapping.dataset], lang)
    lines = [
        t(
            "colmap.cli.show_head",
            lang,
            name=saved.name,
            dataset=dataset_label(mapping.dataset, lang),
            date=saved.updated_at.strftime("%Y-%m-%d %H:%M"),
        )
    ]
    for field, column in mapping.columns.items():
        lines.append(f"  {column} → {names.get(field, field)}")
    for field, value in mapping.values.items():
        shown = names.get(field, field)
        lines.append(t("colmap.cli.value", lang, field=shown, value=value))
    for field, values in mapping.translations.items():
        shown = names.get(field, field)
        for raw, canonical in values.items():
            lines.append(
                t("colmap.cli.translation", lang, field=shown, raw=raw, value=canonical)
            )
    order = mapping.date_order or "auto"
    lines.append(
        t("colmap.cli.date_order", lang, order=t(f"colmap.order.{order}", lang))
    )
    return "\n".join(lines)
