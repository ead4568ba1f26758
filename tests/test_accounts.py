"""Accounts: argon2id hashes, rules, the failed-login throttle, sessions, SSO roles."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from clusterkpi import accounts, login
from clusterkpi.accounts import (
    AccountError,
    User,
    add_user,
    get_user,
    has_accounts,
    list_users,
    remove_user,
    set_disabled,
    set_password,
    set_role,
    verify_password,
)
from clusterkpi.login import (
    LOCK_DURATION,
    LoginResult,
    LoginStatus,
    authenticate,
    retry_delay,
    role_for_email,
)
from clusterkpi.roles import Role
from clusterkpi.sessions import (
    ABSOLUTE_LIFETIME,
    IDLE_TIMEOUT,
    close_session,
    open_session,
    resolve_session,
)
from clusterkpi.store import Store

T0 = datetime(2026, 11, 26, 9, 0, 0)
GOOD = "correct horse battery"
WRONG = LoginResult(LoginStatus.WRONG)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Still argon2id, with tiny costs: the production cost is checked once, below.
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(accounts, "HASHER", cheap)


@pytest.fixture
def alice(store: Store) -> Store:
    add_user(store, "alice", Role.ADMIN, GOOD, "Alice Martin", by="setup")
    return store


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def stored_hash(store: Store, name: str) -> str:
    return store.scalar("SELECT password_hash FROM users WHERE username = ?", [name])


def database_text(store: Store) -> str:
    return "\n".join(
        repr(store.rows(f"SELECT * FROM {table}")) for table in store.table_names()
    )


def test_passwords_are_stored_as_argon2id_hashes_with_the_default_cost(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher())
    add_user(store, "alice", "admin", GOOD)
    hashed = stored_hash(store, "alice")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(hashed, GOOD) is True
    assert verify_password(hashed, GOOD + "!") is False
    assert verify_password("not a hash", GOOD) is False


def test_a_new_account_reads_back_without_its_hash(alice: Store) -> None:
    [user] = list_users(alice)
    assert (user.username, user.display_name, user.role, user.disabled) == (
        "alice",
        "Alice Martin",
        Role.ADMIN,
        False,
    )
    assert (user.created_by, user.has_password) == ("setup", True)
    assert [f for f in User.__dataclass_fields__ if "hash" in f] == []
    assert get_user(alice, "  ALICE ") == user
    assert get_user(alice, "bob") is None
    assert has_accounts(alice) is True


def test_a_fresh_database_has_no_accounts(store: Store) -> None:
    assert (has_accounts(store), list_users(store)) == (False, [])


def test_names_are_stored_in_lower_case(alice: Store) -> None:
    add_user(alice, " Bob.Durand@Example.ORG ", "board", GOOD)
    assert [u.username for u in list_users(alice)] == [
        "alice",
        "bob.durand@example.org",
    ]


@pytest.mark.parametrize(
    ("call", "code", "message"),
    [
        (lambda s: add_user(s, "bob", "board", "short"), "password_too_short",
         "A password needs at least 10 characters (this one has 5)."),
        (lambda s: add_user(s, "alice", "board", GOOD), "user_exists",
         "The user alice already exists."),
        (lambda s: add_user(s, "bob smith", "board", GOOD), "invalid_username",
         "'bob smith' is not a valid user name: use 1 to 64 letters, digits and"
         " . _ @ + -, starting with a letter or a digit."),
        (lambda s: add_user(s, "bob", "boss", GOOD), "invalid_role",
         "'boss' is not a role: choose board, animator, admin."),
        (lambda s: remove_user(s, "bob"), "unknown_user", "There is no user bob."),
        (lambda s: set_password(s, "alice", "123456789"), "password_too_short",
         "A password needs at least 10 characters (this one has 9)."),
        (lambda s: remove_user(s, "alice"), None, None),
    ],
)  # fmt: skip
def test_refused_account_changes_say_why(alice: Store, call, code, message) -> None:
    if code is None:  # removing the only account is allowed: back to open mode
        call(alice)
        assert has_accounts(alice) is False
        return
    before = database_text(alice)
    with pytest.raises(AccountError) as info:
        call(alice)
    assert (info.value.code, str(info.value)) == (code, message)
    assert database_text(alice) == before


LAST_ADMIN = (
    "This would leave no enabled admin: add or enable another admin first"
    " (the first account must be an admin)."
)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: remove_user(s, "alice"),
        lambda s: set_role(s, "alice", "animator"),
        lambda s: set_disabled(s, "alice", True),
    ],
)
def test_the_last_enabled_admin_cannot_go_while_other_accounts_stay(
    alice: Store, call
) -> None:
    add_user(alice, "bob", "board", GOOD)
    with pytest.raises(AccountError, match=r"^This would leave no enabled admin"):
        call(alice)
    assert [(u.username, u.role, u.disabled) for u in list_users(alice)] == [
        ("alice", Role.ADMIN, False),
        ("bob", Role.BOARD, False),
    ]


def test_the_first_account_must_be_an_admin(store: Store) -> None:
    with pytest.raises(AccountError) as info:
        add_user(store, "bob", "animator", GOOD)
    assert (info.value.code, str(info.value)) == ("last_admin", LAST_ADMIN)
    assert has_accounts(store) is False


def test_an_sso_only_account_has_no_hash_and_cannot_use_a_password(
    alice: Store,
) -> None:
    user = add_user(alice, "carol@example.org", "board", None)
    assert (user.has_password, stored_hash(alice, "carol@example.org")) == (False, None)
    assert authenticate(alice, "carol@example.org", "", at(0)) == WRONG


def test_the_right_password_signs_in(alice: Store) -> None:
    result = authenticate(alice, " Alice ", GOOD, at(0))
    assert result == LoginResult(LoginStatus.OK, get_user(alice, "alice"))


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(
    alice: Store,
) -> None:
    assert authenticate(alice, "alice", "wrong password", at(0)) == WRONG
    assert authenticate(alice, "nobody", GOOD, at(0)) == WRONG


def test_an_unknown_name_is_checked_against_a_dummy_hash(
    alice: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []

    def spy(hashed: str, password: str) -> bool:
        checked.append(hashed)
        return verify_password(hashed, password)

    monkeypatch.setattr(login, "verify_password", spy)
    authenticate(alice, "nobody", GOOD, at(0))
    authenticate(alice, "alice", "wrong password", at(0))
    dummy, real = checked
    assert real == stored_hash(alice, "alice")
    assert dummy.startswith("$argon2id$") and dummy != real


def test_a_disabled_account_cannot_sign_in(alice: Store) -> None:
    add_user(alice, "bob", "board", GOOD)
    set_disabled(alice, "bob", True)
    assert authenticate(alice, "bob", GOOD, at(0)) == WRONG


def test_failures_slow_down_then_lock_the_name(alice: Store) -> None:
    """Failures 1-2 are free; then 1, 2, 4, … 60 s; the 10th locks for 15 minutes."""
    t, seen = 0.0, []
    for _ in range(10):
        result = authenticate(alice, "alice", "wrong password", at(t))
        seen.append((result.status.value, result.retry_after))
        t += result.retry_after
    assert seen == [
        ("wrong", 0), ("wrong", 0), ("wrong", 1), ("wrong", 2), ("wrong", 4),
        ("wrong", 8), ("wrong", 16), ("wrong", 32), ("wrong", 60), ("locked", 900),
    ]  # fmt: skip
    locked_at = at(t - 900)
    assert authenticate(alice, "alice", "wrong password", locked_at) == LoginResult(
        LoginStatus.LOCKED, None, 900, locked_at + LOCK_DURATION
    )
    # The right password does not open a locked name either.
    assert authenticate(alice, "alice", GOOD, at(t - 0.5)) == LoginResult(
        LoginStatus.LOCKED, None, 1, locked_at + LOCK_DURATION
    )
    # Once the lock is over, each further failure locks again…
    again = authenticate(alice, "alice", "wrong password", at(t))
    assert (again.status, again.locked_until) == (
        LoginStatus.LOCKED,
        at(t) + LOCK_DURATION,
    )
    # … and a success after it clears the streak.
    assert authenticate(alice, "alice", GOOD, at(t + 900)).status == LoginStatus.OK
    assert authenticate(alice, "alice", "wrong password", at(t + 901)) == WRONG
    assert alice.rows("SELECT failures FROM login_failures") == [(1,)]


def test_an_attempt_made_too_soon_is_refused_without_counting(alice: Store) -> None:
    for t in (0, 0, 0, 1):
        authenticate(alice, "alice", "wrong password", at(t))
    # The 4th failure (at 1 s) asks for 2 s: even the right password must wait.
    assert authenticate(alice, "alice", GOOD, at(1.5)) == LoginResult(
        LoginStatus.TOO_SOON, retry_after=2
    )
    assert authenticate(alice, "alice", GOOD, at(2.2)) == LoginResult(
        LoginStatus.TOO_SOON, retry_after=1
    )
    assert alice.rows("SELECT failures FROM login_failures") == [(4,)]
    assert authenticate(alice, "alice", GOOD, at(3)).status == LoginStatus.OK
    assert alice.rows("SELECT * FROM login_failures") == []


def test_unknown_names_are_slowed_like_real_ones(alice: Store) -> None:
    results = [authenticate(alice, "mallory", "guess", at(0)) for _ in range(3)]
    assert [r.retry_after for r in results] == [0, 0, 1]
    assert authenticate(alice, "mallory", "guess", at(0)) == LoginResult(
        LoginStatus.TOO_SOON, retry_after=1
    )
    # The name is kept only as a hash: it may be a password typed in the wrong field.
    key = hashlib.sha256(b"mallory").hexdigest()
    assert alice.rows("SELECT name_hash, failures FROM login_failures") == [(key, 3)]
    assert "mallory" not in database_text(alice)


def test_a_streak_is_forgotten_after_a_quiet_day(alice: Store) -> None:
    for _ in range(3):
        authenticate(alice, "alice", "wrong password", at(0))
    day = 24 * 3600
    assert authenticate(alice, "alice", "wrong password", at(day)) == WRONG
    assert alice.rows("SELECT failures FROM login_failures") == [(1,)]


def test_a_new_password_lifts_the_lock(alice: Store) -> None:
    t = 0.0
    for _ in range(10):
        t += authenticate(alice, "alice", "wrong password", at(t)).retry_after
    set_password(alice, "alice", "another good one", by="admin")
    assert authenticate(alice, "alice", "another good one", at(t - 800)).status == (
        LoginStatus.OK
    )


def test_retry_delays_double_then_stay_at_a_minute() -> None:
    assert [retry_delay(n) for n in range(13)] == [
        0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60,
    ]  # fmt: skip


def test_an_aware_time_is_read_as_local_time(alice: Store) -> None:
    moment = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    authenticate(alice, "alice", GOOD, moment)
    token = open_session(alice, "alice", moment)
    assert alice.rows("SELECT created_at FROM sessions") == [
        (moment.astimezone().replace(tzinfo=None),)
    ]
    assert resolve_session(alice, token, moment).username == "alice"


def test_a_session_signs_in_its_user_until_closed(alice: Store) -> None:
    token = open_session(alice, "alice", T0)
    assert resolve_session(alice, token, at(60)) == get_user(alice, "alice")
    close_session(alice, token)
    assert resolve_session(alice, token, at(61)) is None
    assert resolve_session(alice, "forged", at(61)) is None
    assert resolve_session(alice, "", at(61)) is None


def test_a_session_ends_after_two_idle_hours(alice: Store) -> None:
    token = open_session(alice, "alice", T0)
    idle = IDLE_TIMEOUT.total_seconds()
    assert resolve_session(alice, token, at(idle - 1)) is not None
    # That use moved the idle deadline.
    assert resolve_session(alice, token, at(2 * idle - 2)) is not None
    assert resolve_session(alice, token, at(3 * idle - 2)) is None


def test_a_session_ends_twelve_hours_after_it_opened_even_in_use(
    alice: Store,
) -> None:
    token = open_session(alice, "alice", T0)
    hour = 3600
    for h in range(1, 12):
        assert resolve_session(alice, token, at(h * hour)) is not None
    assert resolve_session(alice, token, at(ABSOLUTE_LIFETIME.total_seconds())) is None


@pytest.mark.parametrize(
    "end",
    [
        lambda s: remove_user(s, "bob"),
        lambda s: set_disabled(s, "bob", True),
        lambda s: set_password(s, "bob", "a brand new one"),
    ],
)
def test_a_session_ends_with_its_account(alice: Store, end) -> None:
    add_user(alice, "bob", "animator", GOOD)
    token = open_session(alice, "bob", T0)
    end(alice)
    if get_user(alice, "bob") is not None:
        set_disabled(alice, "bob", False)  # re-enabling does not revive it
    assert resolve_session(alice, token, at(60)) is None


def test_a_role_change_shows_at_the_next_page(alice: Store) -> None:
    add_user(alice, "bob", "board", GOOD)
    token = open_session(alice, "bob", T0)
    set_role(alice, "bob", "animator")
    assert resolve_session(alice, token, at(1)).role == Role.ANIMATOR


def test_no_session_opens_for_a_missing_or_disabled_account(alice: Store) -> None:
    add_user(alice, "bob", "board", GOOD)
    set_disabled(alice, "bob", True)
    for name in ("bob", "nobody"):
        with pytest.raises(AccountError, match=f"^No enabled user {name} "):
            open_session(alice, name, T0)


def test_tokens_are_stored_only_as_hashes(alice: Store) -> None:
    tokens = [open_session(alice, "alice", T0) for _ in range(3)]
    assert len(set(tokens)) == 3
    assert [len(t) for t in tokens] == [43, 43, 43]  # 32 random bytes
    text = database_text(alice)
    assert [t for t in tokens if t in text] == []
    assert sorted(r[0] for r in alice.rows("SELECT token_hash FROM sessions")) == (
        sorted(hashlib.sha256(t.encode()).hexdigest() for t in tokens)
    )


def test_ended_sessions_are_deleted_when_a_new_one_opens(alice: Store) -> None:
    closed = open_session(alice, "alice", T0)
    close_session(alice, closed)
    open_session(alice, "alice", T0)  # idle from T0
    open_session(alice, "alice", T0 + IDLE_TIMEOUT)
    assert alice.scalar("SELECT count(*) FROM sessions") == 1


RULES = {
    "@example.org": "board",
    "Animator@Example.org": "animator",
    "boss@partner.fr": Role.ADMIN,
}


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("someone@example.org", Role.BOARD),
        (" ANIMATOR@example.ORG ", Role.ANIMATOR),
        ("boss@partner.fr", Role.ADMIN),
        ("other@partner.fr", None),
        ("someone@sub.example.org", None),
        ("someone@example.org.evil.com", None),
        ("example.org", None),
        ("@example.org", None),
        ("", None),
    ],
)
def test_sso_roles_come_from_exact_addresses_then_domains(
    email: str, role: Role | None
) -> None:
    assert role_for_email(email, RULES) == role


def test_an_sso_rule_with_an_unknown_role_is_refused() -> None:
    with pytest.raises(AccountError, match="^'chief' is not a role"):
        role_for_email("a@example.org", {"@example.org": "chief"})
