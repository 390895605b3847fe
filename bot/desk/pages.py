"""Rendering a desk page: every template gets the translator, the formats, the operator
and the CSRF token of the session, besides what its view gives."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import wraps
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.desk.common import SESSION, language_of, t_of
from bot.domain.reference import format_reference

View = Callable[[web.Request], Awaitable[dict[str, Any]]]


def base_context(request: web.Request) -> dict[str, Any]:
    t = t_of(request)
    session = SESSION.get()
    return {
        "t": t,
        "lang": language_of(request).value,
        "operator": session.operator if session else None,
        "csrf": session.csrf if session else "",
        "path": request.path_qs,
        "money": t.money,
        "date": t.date,
        "when": lambda moment: t.when(moment) if isinstance(moment, datetime) else "",
        "ref": format_reference,
    }


def render(
    template: str, request: web.Request, context: dict[str, Any], *, status: int = 200
) -> web.Response:
    return aiohttp_jinja2.render_template(
        template, request, {**base_context(request), **context}, status=status
    )


def page(template: str) -> Callable[[View], Callable[[web.Request], Awaitable[web.Response]]]:
    """A view returning its context becomes a handler rendering `template` with it."""

    def wrap(view: View) -> Callable[[web.Request], Awaitable[web.Response]]:
        @wraps(view)
        async def handler(request: web.Request) -> web.Response:
            return render(template, request, await view(request))

        return handler

    return wrap
