"""What every desk view shares: the application's parts, the operator of a request, who
may see which complaint, and the audit line every change and unmasked view writes."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from aiohttp import web

from bot.desk.security import LoginThrottle
from bot.domain.cells import write_csv
from bot.domain.i18n import Translator, translator
from bot.domain.messages import Language
from bot.service.database import StoreRunner
from storage.base import ComplaintRecord, Store
from storage.desk_base import DeskStore, Operator

T = TypeVar("T")
LANGUAGE_COOKIE = "desk_lang"
SESSION_COOKIE = "desk_session"
LOGIN_CSRF_COOKIE = "desk_login_csrf"


class Backend(Store, DeskStore, Protocol):
    """A store that serves both the bot and the desk (`SqliteStore`, `PostgresStore`)."""


@dataclass(frozen=True, slots=True)
class DeskConfig:
    evidence_dir: Path
    cookie_secure: bool = False
    session_minutes: int = 480


@dataclass(slots=True)
class Desk:
    """The desk's long-lived parts, one per application."""

    store: Backend
    runner: StoreRunner  # the store's, so the desk waits for the bot's lock asynchronously
    clock: Callable[[], datetime]
    config: DeskConfig
    throttle: LoginThrottle

    async def read(self, work: Callable[[Backend], T]) -> T:
        """`work(store)` in one transaction, waiting (asynchronously) while the bot
        holds the write lock."""
        return await self.runner.transaction(lambda _: work(self.store))


DESK: web.AppKey[Desk] = web.AppKey("desk", Desk)


def desk_of(request: web.Request) -> Desk:
    return request.app[DESK]


@dataclass(frozen=True, slots=True)
class Session:
    operator: Operator
    csrf: str


# The session of the request being handled: aiohttp runs each request in its own task,
# so a context variable set by the middleware is the handler's alone. (Request storage
# with string keys warns in aiohttp 3.14, and web.RequestKey is missing before 3.13.)
SESSION: ContextVar[Session | None] = ContextVar("desk_session", default=None)


def session_of(request: web.Request) -> Session | None:
    return SESSION.get()


def operator_of(request: web.Request) -> Operator:
    session = SESSION.get()
    if session is None:  # the session middleware guarantees one on every private page
        raise web.HTTPSeeOther("/login")
    return session.operator


def language_of(request: web.Request) -> Language:
    return Language.HI if request.cookies.get(LANGUAGE_COOKIE) == "hi" else Language.EN


def t_of(request: web.Request) -> Translator:
    return translator(language_of(request))


def address_of(request: web.Request) -> str:
    """The client's address as this server sees it (a proxy in front must be trusted
    and pass its own; the desk is meant for an internal network)."""
    return request.remote or ""


def may_see(operator: Operator, district: str | None) -> bool:
    """An admin sees every complaint; an officer only those of their districts."""
    if operator.is_admin:
        return True
    return district is not None and district.casefold() in {
        d.casefold() for d in operator.districts
    }


def scope_of(operator: Operator) -> tuple[str, ...] | None:
    return None if operator.is_admin else operator.districts


async def visible_complaint(request: web.Request, reference: str) -> ComplaintRecord:
    """The complaint, or 404 for an unknown one and for one of another district alike
    (an officer must not learn that it exists)."""
    record = await desk_of(request).read(lambda store: store.get_complaint(reference))
    if record is None or not may_see(operator_of(request), record.get("district")):
        raise web.HTTPNotFound(text="Not found")
    return record


def audit_now(
    store: DeskStore, request: web.Request, action: str, reference: str | None, detail: str = ""
) -> None:
    """One audit line (inside the caller's transaction): who, what, when, from where."""
    store.audit(
        desk_of(request).clock(),
        operator_of(request).name,
        action,
        reference=reference,
        detail=detail,
        address=address_of(request),
    )


def form_text(form: Any, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def csv_response(
    header: list[str],
    rows: Iterable[Sequence[object]],
    filename: str,
    identifiers: frozenset[str] = frozenset(),
) -> web.Response:
    """A CSV download whose cells a spreadsheet shows and never runs."""
    out = io.StringIO()
    write_csv(out, header, rows, identifiers)
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
