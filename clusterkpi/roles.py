"""Roles and what each may do: declared once, checked by the menu, the pages and actions."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role; each includes what the board may do."""

    BOARD = "board"
    ANIMATOR = "animator"
    ADMIN = "admin"


class Action(StrEnum):
    """Something a page offers that needs a role beyond reading."""

    READ = "read"  # dashboards, KPI detail, snapshots and their exports
    IMPORT = "import"  # upload, check, load, map columns
    UNDO = "undo"
    EDIT_STRATEGY = "edit_strategy"
    CREATE_SNAPSHOT = "create_snapshot"
    APPROVE_SNAPSHOT = "approve_snapshot"
    MANAGE_ACCOUNTS = "manage_accounts"
    READ_AUDIT = "read_audit"


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.READ: frozenset(Role),
    Action.IMPORT: frozenset({Role.ANIMATOR, Role.ADMIN}),
    Action.UNDO: frozenset({Role.ANIMATOR, Role.ADMIN}),
    Action.EDIT_STRATEGY: frozenset({Role.ANIMATOR, Role.ADMIN}),
    Action.CREATE_SNAPSHOT: frozenset({Role.ANIMATOR, Role.ADMIN}),
    # The board approves what the animators prepared; an admin may stand in.
    Action.APPROVE_SNAPSHOT: frozenset({Role.BOARD, Role.ADMIN}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Action.READ_AUDIT: frozenset({Role.ADMIN}),
}


def may(role: Role | None, action: Action) -> bool:
    """Tell whether a role may perform an action (no role: nothing)."""
    return role is not None and role in ALLOWED[action]
