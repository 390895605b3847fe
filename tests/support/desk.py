"""The police desk in tests: operators, complaints written through the store's own
`save_complaint`, and an HTTP client that logs in and fills forms as a browser does
(reading each form's CSRF token from the page it came from).

Nothing here is a real person: names, numbers and UPI ids are made up.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any

import aiohttp

from bot.desk.app import create_desk_app
from bot.desk.common import Backend, DeskConfig
from bot.desk.security import LoginThrottle, hash_password
from bot.domain.clock import ist_now
from bot.domain.complaint import BankAccount, Draft, Suspect, Transaction
from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey, Language
from bot.domain.parsing.identifiers import PaymentMode
from bot.domain.reference import DEMO_REFERENCE_KEY, make_reference
from bot.service.database import runner_for
from storage.desk_base import DebitMoney
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore
from support.postgres import fresh_schema
from support.servers import serving
from support.timing import Clock

PASSWORD = "a long test password"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
BACKENDS = ("sqlite", "postgresql")


@contextmanager
def open_backend(kind: str, db_path: Path) -> Iterator[Backend]:
    """A desk's store on SQLite (at `db_path`) or PostgreSQL (a schema of its own), run
    as `bot.py desk` runs it: PostgreSQL's calls on the runner's threads."""
    with ExitStack() as stack:
        store: Backend = (
            SqliteStore(db_path)
            if kind == "sqlite"
            else PostgresStore(stack.enter_context(fresh_schema()), threads=2)
        )
        try:
            yield store
        finally:
            runner_for(store).close()
            store.close()


def execute(store: Backend, sql: str, params: list[Any]) -> None:
    """Raw SQL with `?` marks on either backend (in the caller's transaction)."""
    if isinstance(store, SqliteStore):
        store.db.execute(sql, params)
    else:
        assert isinstance(store, PostgresStore)
        store._run(sql.replace("?", "%s"), params)


def query(store: Backend, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts, from SQL with `?` marks, on either backend."""
    if isinstance(store, SqliteStore):
        return list(store.db.query(sql, params or []))
    assert isinstance(store, PostgresStore)
    return store._dicts(sql.replace("?", "%s"), params or [])


def add_operator(
    store: Backend, name: str, role: str = "officer", districts: tuple[str, ...] = ()
) -> None:
    with store.transaction():
        store.add_operator(name, hash_password(PASSWORD), role, list(districts), ist_now())


_sequence = iter(range(1, 10**6))


def new_reference(year: int = 2026) -> str:
    return make_reference(year, next(_sequence), key=DEMO_REFERENCE_KEY)


@dataclass
class Seed:
    """One complaint to write: what the victim gave and when."""

    district: str | None
    amounts: tuple[Decimal, ...]
    created_at: datetime
    lost_minutes_before: float | None = 30.0  # None: the time of the loss unknown
    started_minutes_before: float = 5.0
    name: str = "Test Victim"
    mobile: str = "9000000001"
    description: str = "Someone called pretending to be the bank."
    category: str = "upi"
    utrs: tuple[str, ...] = ()
    upi_ids: tuple[str, ...] = ()
    mobiles: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    language: Language = Language.EN
    user_id: str | None = None


def save_seed(store: Backend, seed: Seed) -> str:
    """Writes the complaint as the conversation service would; returns its reference."""
    reference = new_reference(seed.created_at.year)
    lost_at = (
        seed.created_at - timedelta(minutes=seed.lost_minutes_before)
        if seed.lost_minutes_before is not None
        else None
    )
    draft = Draft(
        category=seed.category,
        lost_at=lost_at,
        transactions=[
            Transaction(
                amount=amount,
                mode=PaymentMode.UPI,
                transaction_id=seed.utrs[i] if i < len(seed.utrs) else f"5{reference[1:]}{i}"[:12],
                bank="SBI",
                occurred_at=lost_at,
            )
            for i, amount in enumerate(seed.amounts)
        ],
        mobile=seed.mobile,
        suspect=Suspect(
            upi_ids=list(seed.upi_ids),
            mobiles=list(seed.mobiles),
            bank_accounts=[BankAccount(account_number=a) for a in seed.accounts],
        ),
        description=seed.description,
        name=seed.name,
        state_code="CG",
        district=seed.district,
        created_at=seed.created_at - timedelta(minutes=seed.started_minutes_before),
    )
    state = Conversation(language=seed.language, draft=draft, reference=reference, step="done")
    key = ConversationKey("console", seed.user_id or f"user-{reference}")
    with store.transaction():
        store.save_complaint(key, state, seed.created_at, submitted=True)
    return reference


def hold(store: Backend, reference: str, position: int, held: str, refunded: str = "0") -> None:
    with store.transaction():
        store.set_debit_money(
            reference,
            DebitMoney(position, held_amount=Decimal(held), refunded_amount=Decimal(refunded)),
            by="seed",
            at=ist_now(),
        )


def desk_app(store: Backend, clock: Clock, evidence: Path, **config: Any) -> Any:
    return create_desk_app(
        store,
        clock=clock,
        config=DeskConfig(evidence_dir=evidence, **config),
        throttle=LoginThrottle(),
    )


class DeskClient:
    """One browser: a cookie jar, the last page, and forms filled from it."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url
        self.page = ""
        self.status = 0

    async def get(self, path: str, **kwargs: Any) -> aiohttp.ClientResponse:
        response = await self.session.get(self.url + path, **kwargs)
        body = await response.read()
        self.status = response.status
        if response.content_type.startswith("text/html"):
            self.page = body.decode()
        return response

    def csrf(self) -> str:
        found = _CSRF.search(self.page)
        assert found, f"no CSRF token on the page:\n{self.page[:2000]}"
        return unescape(found.group(1))

    async def post(
        self, path: str, data: dict[str, str], *, csrf: bool = True, follow: bool = False
    ) -> aiohttp.ClientResponse:
        form = {**data, **({"csrf": self.csrf()} if csrf else {})}
        response = await self.session.post(self.url + path, data=form, allow_redirects=follow)
        body = await response.read()
        self.status = response.status
        if response.content_type.startswith("text/html"):
            self.page = body.decode()
        return response

    async def login(self, name: str, password: str = PASSWORD) -> aiohttp.ClientResponse:
        await self.get("/login")
        return await self.post("/login", {"name": name, "password": password})

    def text(self) -> str:
        """The page's text without tags, entities decoded, spaces collapsed."""
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", self.page)).split())


@asynccontextmanager
async def desk_client(url: str) -> AsyncIterator[DeskClient]:
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1 too
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield DeskClient(session, url)


@asynccontextmanager
async def served_desk(
    store: Backend, clock: Clock, evidence: Path, **config: Any
) -> AsyncIterator[str]:
    async with serving(desk_app(store, clock, evidence, **config)) as url:
        yield url
