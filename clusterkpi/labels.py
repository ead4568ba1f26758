"""Words for stored codes: authors, event types, import states, yes/no, audit details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from babel import Locale

from clusterkpi.catalog import Unit
from clusterkpi.i18n import format_moment, format_value, t

# Names the application itself records as authors (no person): shown in words.
MACHINE_AUTHORS = ("system", "local", "cli", "demo")
# Turns a source id into its label.
_Source = Callable[[str], str]


def author_label(name: str | None, lang: str) -> str:
    """Return who did something: the application's own names in words, people as typed.

    ``system`` (the demo's strategy), ``local`` (open mode, before any account
    exists), ``cli`` (the command line) and ``demo`` (the demo data) are no person.
    Nobody recorded: '—'.
    """
    if not name:
        return t("labels.none", lang)
    if name in MACHINE_AUTHORS:
        return t(f"labels.author.{name}", lang)
    return name


def event_kind_label(code: str, lang: str) -> str:
    """Return an event type in words (``b2b_meeting`` → 'Rendez-vous d'affaires')."""
    key = f"labels.event_kind.{code}"
    try:
        return t(key, lang)
    except KeyError:
        return code


# Networks are brands: their own spelling in every language.
_NETWORKS = {
    "linkedin": "LinkedIn", "x": "X (Twitter)", "facebook": "Facebook",
    "instagram": "Instagram", "youtube": "YouTube", "mastodon": "Mastodon",
    "bluesky": "Bluesky", "tiktok": "TikTok", "threads": "Threads",
}  # fmt: skip


def category_label(code: str, lang: str) -> str:
    """Return a stored category value in words (an event type, a member type, a network…).

    Countries are ISO codes named by babel; a code without a name is shown as stored.
    """
    if code in _NETWORKS:
        return _NETWORKS[code]
    for key in (
        f"labels.event_kind.{code}",
        f"membership.type.{code}",
        f"category.{code}",
    ):
        try:
            return t(key, lang)
        except KeyError:
            continue
    if len(code) == 2 and code.isupper():
        name = Locale.parse(lang).territories.get(code)
        if name:
            return str(name)
    return code


def yes_no(value: bool | None, lang: str) -> str:
    """Return 'oui'/'non' ('yes'/'no'), or '—' when unknown."""
    if value is None:
        return t("labels.none", lang)
    return t("labels.yes" if value else "labels.no", lang)


def import_state(
    status: str,
    lang: str,
    locale: str,
    undone_at: datetime | None = None,
) -> str:
    """Return the state of a recorded import in words ('annulé le 4 déc. 2026 17:53')."""
    if status == "undone":
        when = format_moment(undone_at, locale) if undone_at else t("labels.none", lang)
        return t("labels.import_state.undone", lang, when=when)
    key = f"labels.import_state.{status}"
    try:
        return t(key, lang)
    except KeyError:
        return t("labels.import_state.other", lang)


def audit_target(action: str, target: str, lang: str) -> str:
    """Return what an audited action was done to ('strategy' in words, names as typed)."""
    if action == "strategy.saved" and target == "strategy":
        return t("labels.target.strategy", lang)
    return target


def _count(key: str, count: int, lang: str, locale: str) -> str:
    # French counts 0 and 1 in the singular, English only 1.
    one = count in (0, 1) if lang == "fr" else count == 1
    number = format_value(count, Unit.COUNT, locale)
    return t(f"{key}_{'one' if one else 'many'}", lang, count=number)


def _role(code: object, lang: str) -> str:
    return t(f"role.{code}", lang)


def _login(d: dict[str, Any], lang: str, locale: str, source: _Source) -> str:
    if "failures" not in d:
        return t("labels.audit.sso", lang) if d.get("via") == "sso" else ""
    text = _count("labels.audit.failures", int(d["failures"]), lang, locale)
    if d.get("locked_until"):
        until = format_moment(datetime.fromisoformat(d["locked_until"]), locale)
        text += " " + t("labels.audit.locked_until", lang, when=until)
    return text


def _user(d: dict[str, Any], lang: str, locale: str, source: _Source) -> str:
    if "new" in d:
        return t(
            "labels.audit.role_changed",
            lang,
            old=_role(d.get("old"), lang),
            new=_role(d["new"], lang),
        )
    text = t("labels.audit.role", lang, role=_role(d.get("role"), lang))
    if d.get("sso_only"):
        text += " " + t("labels.audit.sso_only", lang)
    return text


def _import(d: dict[str, Any], lang: str, locale: str, source: _Source) -> str:
    def count(key: str) -> str:
        return format_value(int(d.get(key) or 0), Unit.COUNT, locale)

    if "rows_removed" in d:
        return t(
            "labels.audit.import_undone",
            lang,
            number=d.get("import_id"),
            removed=count("rows_removed"),
        )
    sources = [s for s in str(d.get("source") or "").split(", ") if s]
    return t(
        "labels.audit.import_loaded",
        lang,
        number=d.get("import_id"),
        source=", ".join(source(s) for s in sources) or t("labels.none", lang),
        added=count("rows_added"),
        updated=count("rows_updated"),
        rejected=count("rows_rejected"),
    )


def _strategy(d: dict[str, Any], lang: str, locale: str, source: _Source) -> str:
    return _count("labels.audit.changes", int(d.get("changes") or 0), lang, locale)


def _snapshot(d: dict[str, Any], lang: str, locale: str, source: _Source) -> str:
    if "kpis" in d:
        return _count("labels.audit.kpis", int(d["kpis"]), lang, locale)
    return (
        t("labels.audit.comment", lang, text=d["comment"]) if d.get("comment") else ""
    )


_DETAILS: dict[str, Callable[[dict[str, Any], str, str, _Source], str]] = {
    "login": _login,
    "user": _user,
    "import": _import,
    "strategy": _strategy,
    "snapshot": _snapshot,
}


def audit_detail(
    action: str,
    detail: dict[str, Any] | None,
    lang: str,
    locale: str,
    source: _Source = str,
) -> str:
    """Return an audit entry's detail as a sentence in ``lang`` ('221 modifications').

    ``source`` turns a source id into its label (the Import page's own labels).
    No detail, or one of an unknown action: an empty string (never raw JSON).
    """
    if not detail:
        return ""
    handler = _DETAILS.get(action.partition(".")[0])
    return handler(detail, lang, locale, source) if handler else ""
