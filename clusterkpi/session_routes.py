"""HTTP routes that put a login session into an HttpOnly cookie and take it out again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from clusterkpi import sessions
from clusterkpi.store import Store

OPEN_PATH = "/session/open"
CLOSE_PATH = "/session/close"
# Sec-Fetch-Site values of a request the app's own page (or the user typing) made.
# Another site may not log a browser in to an account of its choosing, nor out.
_OWN_SITE = {"same-origin", "none"}


def session_routes(store: Callable[[], Store]) -> list[Route]:
    """Return the two routes, reading the database through ``store``.

    ``GET /session/open?ticket=…&next=…`` redeems a login ticket
    (sessions.redeem_ticket), sets the session cookie and sends the browser on to
    ``next``; ``GET /session/close?next=…`` ends the cookie's session and removes
    the cookie. Both answer 303 to a path of this site only.
    """

    def open_session(request: Request) -> Response:
        if not _from_own_site(request):
            return _refused()
        token = sessions.redeem_ticket(
            store(), request.query_params.get("ticket"), datetime.now()
        )
        response = _redirect(request)
        if token is not None:
            response.set_cookie(
                sessions.COOKIE_NAME,
                token,
                path="/",
                secure=is_https(request),
                httponly=True,
                samesite="strict",
            )
        return response

    def close_session(request: Request) -> Response:
        if not _from_own_site(request):
            return _refused()
        sessions.close_session(store(), request.cookies.get(sessions.COOKIE_NAME))
        response = _redirect(request)
        response.delete_cookie(
            sessions.COOKIE_NAME,
            path="/",
            secure=is_https(request),
            httponly=True,
            samesite="strict",
        )
        return response

    return [
        Route(OPEN_PATH, open_session, methods=["GET"]),
        Route(CLOSE_PATH, close_session, methods=["GET"]),
    ]


def local_path(target: str | None) -> str:
    r"""Return ``target`` if it is a path of this site (query kept), else "/".

    Refuses what a browser would take to another site: a scheme, a host,
    ``//host`` and ``/\\host``, and control characters.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def is_https(request: Request) -> bool:
    """Tell whether the browser reached the app over HTTPS (directly or via a proxy)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    first = forwarded.split(",")[0].strip().lower()
    return request.url.scheme == "https" or first == "https"


def _from_own_site(request: Request) -> bool:
    # Browsers too old to send Sec-Fetch-Site are let through: SameSite=Strict and
    # the one-time ticket remain.
    site = request.headers.get("sec-fetch-site")
    return site is None or site in _OWN_SITE


def _redirect(request: Request) -> RedirectResponse:
    response = RedirectResponse(local_path(request.query_params.get("next")), 303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refused() -> PlainTextResponse:
    return PlainTextResponse("Forbidden", status_code=403)
