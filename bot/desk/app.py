"""The desk's aiohttp application: templates, security headers, sessions and CSRF.

Every page but the login form needs a session; a request without one is sent to the
login page (and a POST without one, or without its form's CSRF token, is refused), so a
view cannot forget to check. Responses carry a Content-Security-Policy that allows no
script at all (the desk is plain HTML forms), may not be framed, and personal pages are
never cached by the browser or a proxy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.desk import admin_views, auth_views, complaint_views, queue_views, results_views
from bot.desk.common import DESK, SESSION, SESSION_COOKIE, Backend, Desk, DeskConfig, Session
from bot.desk.security import LoginThrottle, same, token_hash
from bot.desk.suspects import suspects_page
from bot.service.database import runner_for

HERE = Path(__file__).resolve().parent
_PUBLIC_PREFIXES = ("/static/", "/lang/")
_PUBLIC_PATHS = frozenset({"/login"})
MAX_FORM_BYTES = 64 * 1024
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
        " frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "public, max-age=3600"
    else:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Sets the request's `SESSION` from the session cookie; sends a
    request without a live session to the login page; refuses a POST whose form does
    not carry the session's (or the login page's) CSRF token."""
    public = request.path in _PUBLIC_PATHS or request.path.startswith(_PUBLIC_PREFIXES)
    if not public:
        desk = request.app[DESK]
        token = request.cookies.get(SESSION_COOKIE, "")
        now = desk.clock()
        found = await desk.read(lambda store: store.session(token_hash(token), now))
        if found is None:
            raise web.HTTPSeeOther(f"/login?next={quote(request.path_qs, safe='')}")
        SESSION.set(Session(*found))
    else:
        SESSION.set(None)
    if request.method == "POST":
        form = await request.post()
        session = SESSION.get()
        expected = session.csrf if session else auth_views.login_csrf(request)
        given = form.get("csrf")
        if not expected or not isinstance(given, str) or not same(given, expected):
            raise web.HTTPForbidden(text="The form has expired: reload the page and try again.")
    return await handler(request)


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _decimal(value: str | None) -> Decimal:
    return Decimal(value or "0")


def _plain(value: Decimal) -> str:
    """An amount as an input field shows it: digits only, empty for nothing."""
    return "" if not value else f"{value.normalize():f}"


def create_desk_app(
    store: Backend,
    *,
    clock: Callable[[], datetime],
    config: DeskConfig,
    throttle: LoginThrottle | None = None,
) -> web.Application:
    app = web.Application(middlewares=[session_middleware], client_max_size=MAX_FORM_BYTES)
    app[DESK] = Desk(store, runner_for(store), clock, config, throttle or LoginThrottle())
    env = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(moment=_moment, decimal=_decimal, plain=_plain)
    app.on_response_prepare.append(_headers)
    app.router.add_static("/static/", HERE / "static", name="static")
    auth_views.add_routes(app)
    queue_views.add_routes(app)
    complaint_views.add_routes(app)
    results_views.add_routes(app)
    admin_views.add_routes(app)
    app.router.add_get("/suspects", suspects_page)
    return app
