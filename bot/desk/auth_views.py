"""Logging in and out, and the language switch.

The login form is protected like every other form: its CSRF token is a random cookie
of its own (there is no session yet) repeated in a hidden field. A failed login says
the same for an unknown name and a wrong password, and takes the same time.
"""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from bot.desk.common import (
    LANGUAGE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Backend,
    address_of,
    desk_of,
    form_text,
    t_of,
)
from bot.desk.pages import render
from bot.desk.security import new_token, token_hash, verify_password

_SAFE_NEXT_DEFAULT = "/"


def login_csrf(request: web.Request) -> str:
    return request.cookies.get(LOGIN_CSRF_COOKIE, "")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another one."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return _SAFE_NEXT_DEFAULT
    return target


def _cookie(response: web.StreamResponse, request: web.Request, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="Strict",
        secure=desk_of(request).config.cookie_secure,
        path="/",
    )


def _login_page(request: web.Request, *, error: str = "", status: int = 200) -> web.Response:
    token = login_csrf(request) or new_token()
    response = render(
        "login.html",
        request,
        {"login_csrf": token, "error": error, "next": safe_next(request.query.get("next"))},
        status=status,
    )
    _cookie(response, request, LOGIN_CSRF_COOKIE, token)
    return response


async def login_form(request: web.Request) -> web.Response:
    return _login_page(request)


async def login(request: web.Request) -> web.Response:
    desk = desk_of(request)
    form = await request.post()
    name, password = form_text(form, "name", 100), form_text(form, "password", 1000)
    address = address_of(request)
    t = t_of(request)
    if desk.throttle.blocked(name, address):
        await desk.read(lambda s: s.audit(desk.clock(), name, "login-throttled", address=address))
        return _login_page(request, error=t("desk.login.throttled"), status=429)
    operator = await desk.read(lambda store: store.operator_named(name))
    good = verify_password(operator.password_hash if operator else None, password)
    if operator is None or operator.disabled or not good:
        desk.throttle.failed(name, address)
        await desk.read(lambda s: s.audit(desk.clock(), name, "login-failed", address=address))
        return _login_page(request, error=t("desk.login.wrong"), status=401)
    token, csrf, now = new_token(), new_token(), desk.clock()
    expires = now + timedelta(minutes=desk.config.session_minutes)

    def start(store: Backend) -> None:
        store.purge_sessions(now)
        store.create_session(token_hash(token), operator.id, csrf, now, expires)
        store.audit(now, operator.name, "login", address=address)

    await desk.read(start)
    response = web.HTTPSeeOther(safe_next(form_text(form, "next", 2000)))
    _cookie(response, request, SESSION_COOKIE, token)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


async def logout(request: web.Request) -> web.Response:
    desk = desk_of(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    await desk.read(lambda store: store.end_session(token_hash(token)))
    response = web.HTTPSeeOther("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


async def language(request: web.Request) -> web.Response:
    """English or Hindi for this browser; back to the page it was switched on."""
    code = "hi" if request.match_info["code"] == "hi" else "en"
    response = web.HTTPSeeOther(safe_next(request.query.get("next")))
    _cookie(response, request, LANGUAGE_COOKIE, code)
    raise response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/lang/{code}", language)
