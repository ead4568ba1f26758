"""Local accounts: users, roles and argon2id password hashes, with their audit trail."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clusterkpi.audit import AuditAction, record
from clusterkpi.errors import ClusterKpiError
from clusterkpi.roles import Role
from clusterkpi.store import Cursor, Store, single_row

PASSWORD_MIN_LENGTH = 10
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,63}$")
# argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, 64 MiB,
# p=4). Tests swap in a cheaper hasher; stored hashes carry their own parameters.
HASHER = PasswordHasher()

# The columns user_from_row reads, in its order: never the password hash.
USER_COLUMNS = (
    "username, display_name, role, created_at, created_by, disabled,"
    " password_hash IS NOT NULL"
)


class AccountError(ClusterKpiError):
    """An account change or lookup is refused; ``code`` names why (for translation)."""

    def __init__(self, message: str, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class User:
    """An account as shown to people: never its password hash."""

    username: str
    display_name: str
    role: Role
    created_at: datetime
    created_by: str
    disabled: bool
    has_password: bool  # False: signs in through SSO only


def normalise_username(name: str) -> str:
    """Return a user name in its stored form (trimmed, lower-case), or raise AccountError."""
    clean = name.strip().lower()
    if not USERNAME_PATTERN.match(clean):
        raise AccountError(
            f"'{name}' is not a valid user name: use 1 to 64 letters, digits and"
            " . _ @ + -, starting with a letter or a digit.",
            "invalid_username",
            name=name,
        )
    return clean


def check_password(password: str) -> None:
    """Raise AccountError when a password breaks the rules (at least 10 characters)."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(
            f"A password needs at least {PASSWORD_MIN_LENGTH} characters"
            f" (this one has {len(password)}).",
            "password_too_short",
            minimum=PASSWORD_MIN_LENGTH,
        )


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password that follows the rules."""
    check_password(password)
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Tell whether a password matches an argon2 hash (False for a malformed hash)."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def parse_role(role: Role | str) -> Role:
    """Return the Role a value names, or raise AccountError listing the roles."""
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise AccountError(
            f"'{role}' is not a role: choose {choices}.", "invalid_role", role=role
        ) from None


def user_from_row(row: tuple[Any, ...]) -> User:
    """Build a User from a row selected as ``USER_COLUMNS``."""
    name, display, role, created_at, created_by, disabled, has_password = row
    return User(
        name, display, Role(role), created_at, created_by, disabled, has_password
    )


def get_user(store: Store, username: str) -> User | None:
    """Return one account, or None when no account has this name."""
    try:
        name = normalise_username(username)
    except AccountError:
        return None
    rows = store.rows(f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", [name])
    return user_from_row(rows[0]) if rows else None


def list_users(store: Store) -> list[User]:
    """Return every account, by name."""
    rows = store.rows(f"SELECT {USER_COLUMNS} FROM users ORDER BY username")
    return [user_from_row(r) for r in rows]


def has_accounts(store: Store) -> bool:
    """Tell whether any account exists (disabled ones too): if so, login is required."""
    return bool(store.scalar("SELECT count(*) FROM users"))


def add_user(
    store: Store,
    username: str,
    role: Role | str,
    password: str | None,
    display_name: str | None = None,
    by: str = "cli",
) -> User:
    """Create an account and return it; ``password`` None makes an SSO-only account.

    Raises AccountError for a taken or invalid name, an unknown role, a short
    password, or a first account that is not an admin.
    """
    name, chosen = normalise_username(username), parse_role(role)
    hashed = None if password is None else hash_password(password)
    with store.transaction() as cur:
        _require_absent(cur, name)
        cur.execute(
            "INSERT INTO users (username, display_name, role, password_hash, created_by)"
            " VALUES (?, ?, ?, ?, ?)",
            [name, (display_name or "").strip(), chosen.value, hashed, by],
        )
        _require_an_admin(cur)
        detail = {"role": chosen.value, "sso_only": hashed is None}
        record(cur, by, AuditAction.USER_ADDED, name, detail)
        return _require_present(cur, name)


def remove_user(store: Store, username: str, by: str = "cli") -> None:
    """Delete an account and end its sessions; the last admin cannot go while others stay."""
    name = normalise_username(username)
    with store.transaction() as cur:
        old = _require_present(cur, name)
        cur.execute("DELETE FROM users WHERE username = ?", [name])
        _end_sessions(cur, name)
        _require_an_admin(cur)
        record(cur, by, AuditAction.USER_REMOVED, name, {"role": old.role.value})


def set_password(store: Store, username: str, password: str, by: str = "cli") -> None:
    """Replace a password, lift the failed-login lock and end the account's sessions.

    Every session ends, the caller's own too: a stolen session must not outlive the
    password change. The UI opens a new session for a user who changed their own.
    """
    name = normalise_username(username)
    hashed = hash_password(password)
    with store.transaction() as cur:
        _require_present(cur, name)
        cur.execute(
            "UPDATE users SET password_hash = ? WHERE username = ?", [hashed, name]
        )
        cur.execute("DELETE FROM login_failures WHERE name_hash = ?", [name_key(name)])
        _end_sessions(cur, name)
        record(cur, by, AuditAction.USER_PASSWORD_CHANGED, name)


def set_role(store: Store, username: str, role: Role | str, by: str = "cli") -> None:
    """Change an account's role (effective at the next page load of its sessions)."""
    name, chosen = normalise_username(username), parse_role(role)
    with store.transaction() as cur:
        old = _require_present(cur, name)
        if old.role == chosen:
            return
        cur.execute(
            "UPDATE users SET role = ? WHERE username = ?", [chosen.value, name]
        )
        _require_an_admin(cur)
        detail = {"old": old.role.value, "new": chosen.value}
        record(cur, by, AuditAction.USER_ROLE_CHANGED, name, detail)


def set_disabled(store: Store, username: str, disabled: bool, by: str = "cli") -> None:
    """Disable (ending its sessions) or re-enable an account."""
    name = normalise_username(username)
    with store.transaction() as cur:
        old = _require_present(cur, name)
        if old.disabled == disabled:
            return
        cur.execute(
            "UPDATE users SET disabled = ? WHERE username = ?", [disabled, name]
        )
        if disabled:
            _end_sessions(cur, name)
        _require_an_admin(cur)
        action = AuditAction.USER_DISABLED if disabled else AuditAction.USER_ENABLED
        record(cur, by, action, name)


def name_key(name: str) -> str:
    """Return the key of a login name in ``login_failures`` (a SHA-256, never the text)."""
    return hashlib.sha256(name.strip().lower().encode()).hexdigest()


def _require_absent(cur: Cursor, name: str) -> None:
    if cur.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchone():
        raise AccountError(f"The user {name} already exists.", "user_exists", name=name)


def _require_present(cur: Cursor, name: str) -> User:
    row = cur.execute(
        f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", [name]
    ).fetchone()
    if row is None:
        raise AccountError(f"There is no user {name}.", "unknown_user", name=name)
    return user_from_row(row)


def _require_an_admin(cur: Cursor) -> None:
    # Checked after the change, inside its transaction (raising rolls it back): with
    # accounts but no enabled admin, no one could manage accounts from the app.
    users, admins = single_row(
        cur,
        "SELECT count(*), count(*) FILTER (WHERE role = 'admin' AND NOT disabled)"
        " FROM users",
    )
    if users and not admins:
        raise AccountError(
            "This would leave no enabled admin: add or enable another admin first"
            " (the first account must be an admin).",
            "last_admin",
        )


def _end_sessions(cur: Cursor, name: str) -> None:
    cur.execute("DELETE FROM sessions WHERE username = ?", [name])
