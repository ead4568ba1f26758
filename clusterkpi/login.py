"""Signing in: password checks slowed and locked after failures, and SSO role rules."""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from argon2 import PasswordHasher

from clusterkpi import accounts
from clusterkpi.accounts import (
    USER_COLUMNS,
    User,
    name_key,
    user_from_row,
    verify_password,
)
from clusterkpi.audit import AuditAction, record
from clusterkpi.roles import Role
from clusterkpi.store import Cursor, Store

# The throttle, per login name (known or not), counting consecutive failures n:
# - the first FREE_FAILURES failures cost nothing;
# - from the FREE_FAILURES-th on, the next attempt must wait 2^(n - FREE_FAILURES) s,
#   at most MAX_DELAY_SECONDS (1, 2, 4, 8, 16, 32, 60 s after failures 3 to 9);
# - the LOCK_AFTER-th failure locks the name for LOCK_DURATION, and so does every
#   further failure once the lock has ended, until a success;
# - a success, or an admin setting a new password, clears the streak; a streak with
#   no failure for FAILURE_MEMORY is forgotten.
# Attempts refused for waiting check no password, count no failure and are not
# audited (they cost an attacker nothing, so logging them could flood the log).
FREE_FAILURES = 3
MAX_DELAY_SECONDS = 60
LOCK_AFTER = 10
LOCK_DURATION = timedelta(minutes=15)
FAILURE_MEMORY = timedelta(hours=24)
# Audit name for failures on names without an account: the typed text may be a
# password typed in the wrong field.
UNKNOWN_USER = "?"


class LoginStatus(StrEnum):
    """The outcome of a login attempt."""

    OK = "ok"
    WRONG = "wrong"  # wrong name or password: never says which
    TOO_SOON = "too_soon"  # a delay after failures runs: retry after ``retry_after`` s
    LOCKED = "locked"  # locked until ``locked_until`` (by this failure or before)


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt gave; the UI shows the wait, the function never sleeps."""

    status: LoginStatus
    user: User | None = None  # set when OK
    retry_after: int = 0  # seconds before another attempt will be considered
    locked_until: datetime | None = None  # set when LOCKED


def retry_delay(failures: int) -> int:
    """Return the seconds to wait after ``failures`` consecutive failures (lock aside)."""
    if failures < FREE_FAILURES:
        return 0
    # Annotated: typeshed types int ** int as Any (a negative exponent gives a float).
    delay: int = 2 ** (failures - FREE_FAILURES)
    return min(delay, MAX_DELAY_SECONDS)


def naive_local(moment: datetime) -> datetime:
    """Return a time as the database stores it: naive local time."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def authenticate(
    store: Store, username: str, password: str, now: datetime
) -> LoginResult:
    """Check a name and password under the throttle; record the outcome and audit it.

    Unknown names, disabled and SSO-only accounts are answered WRONG after hashing
    against a dummy hash, so the answer and its timing do not tell which names exist.
    """
    now = naive_local(now)
    name, key = username.strip().lower(), name_key(username)
    # One transaction, password check included: attempts on one name run one after the
    # other, so parallel guesses cannot slip past the delay.
    with store.transaction() as cur:
        streak = cur.execute(
            "SELECT failures, last_failure, locked_until FROM login_failures"
            " WHERE name_hash = ? AND last_failure > ?",
            [key, now - FAILURE_MEMORY],
        ).fetchone()
        failures, last, locked = streak or (0, now, None)
        if locked is not None and now < locked:
            return LoginResult(LoginStatus.LOCKED, None, _seconds(locked - now), locked)
        wait = last + timedelta(seconds=retry_delay(failures)) - now
        if failures and wait > timedelta(0):
            return LoginResult(LoginStatus.TOO_SOON, retry_after=_seconds(wait))
        row = cur.execute(
            f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = ?",
            [name],
        ).fetchone()
        user, stored = None, None
        if row is not None:
            user = user_from_row(row[:-1])
            stored = None if user.disabled else row[-1]
        # Verified first, whoever the name is: skipping it would answer faster.
        matches = verify_password(stored or _dummy_hash(accounts.HASHER), password)
        if matches and user and stored:
            return _succeed(cur, key, user, stored, password, now)
        return _fail(
            cur, key, user.username if user else UNKNOWN_USER, failures + 1, now
        )


def _succeed(
    cur: Cursor, key: str, user: User, stored: str, password: str, now: datetime
) -> LoginResult:
    cur.execute("DELETE FROM login_failures WHERE name_hash = ?", [key])
    if accounts.HASHER.check_needs_rehash(stored):  # the cost parameters were raised
        cur.execute(
            "UPDATE users SET password_hash = ? WHERE username = ?",
            [accounts.HASHER.hash(password), user.username],
        )
    record(cur, user.username, AuditAction.LOGIN_OK, user.username, at=now)
    return LoginResult(LoginStatus.OK, user)


def _fail(cur: Cursor, key: str, who: str, failures: int, now: datetime) -> LoginResult:
    locked = now + LOCK_DURATION if failures >= LOCK_AFTER else None
    cur.execute(
        "INSERT OR REPLACE INTO login_failures VALUES (?, ?, ?, ?)",
        [key, failures, now, locked],
    )
    # Streaks of names probed once and never again would otherwise pile up.
    cur.execute(
        "DELETE FROM login_failures WHERE last_failure <= ?", [now - FAILURE_MEMORY]
    )
    action = AuditAction.LOGIN_FAILED if locked is None else AuditAction.LOGIN_LOCKED
    detail: dict[str, Any] = {"failures": failures}
    if locked is not None:
        detail["locked_until"] = locked.isoformat(sep=" ")
    record(cur, who, action, who, detail, at=now)
    if locked is not None:
        return LoginResult(LoginStatus.LOCKED, None, _seconds(locked - now), locked)
    return LoginResult(LoginStatus.WRONG, retry_after=retry_delay(failures))


def _seconds(delta: timedelta) -> int:
    return math.ceil(delta.total_seconds())


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    # Verified when there is no real hash, so an unknown name costs the same time.
    return hasher.hash(secrets.token_urlsafe(16))


def role_for_email(email: str, rules: Mapping[str, Role | str]) -> Role | None:
    """Return the role an SSO e-mail address gets, or None when no rule matches.

    ``rules`` maps exact addresses (``"ceo@example.org"``) or whole domains
    (``"@example.org"``; sub-domains do not match) to roles; an exact address wins
    over its domain. Case and surrounding spaces are ignored. Pass only addresses
    the identity provider has verified. Raises AccountError for a rule naming an
    unknown role.
    """
    address = email.strip().lower()
    local, at, domain = address.rpartition("@")
    if not (local and at and domain):
        return None
    table = {key.strip().lower(): value for key, value in rules.items()}
    for key in (address, f"@{domain}"):
        if key in table:
            return accounts.parse_role(table[key])
    return None
