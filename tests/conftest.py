"""Fixtures shared by the tests: a real SQLite store in the test's folder, a clock the test
moves, and people talking to the bot in process. Helpers live in `tests/support/`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from support.desk import BACKENDS, open_backend
from support.fake_graph import FakeGraph
from support.fake_telegram import FakeTelegram
from support.person import Person, person_on
from support.postgres import fresh_schema
from support.timing import Clock

from bot.desk.common import Backend
from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture
def url() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a schema of this test's own, dropped after
    (skipped, or failed with REQUIRE_POSTGRES, when no server answers)."""
    with fresh_schema() as schema_url:
        yield schema_url


@pytest.fixture(params=BACKENDS)
def desk_store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Backend]:
    """A store for the desk, once on each backend (a test module that runs on both
    makes it its `store`)."""
    with open_backend(request.param, db_path) as opened:
        yield opened


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(db_path)
    yield store
    store.close()


@pytest.fixture
def service(store: SqliteStore, clock: Clock) -> ConversationService:
    return ConversationService(store, clock=clock)


@pytest.fixture
def user(service: ConversationService) -> Person:
    return person_on(service)


@pytest.fixture
def hindi_user(service: ConversationService) -> Person:
    return person_on(service, "victim-hi")


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeTelegram]:
    """A fake Telegram Bot API on a port of the system's choosing."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    """A fake WhatsApp Graph API on a port of the system's choosing."""
    server = FakeGraph()
    await server.start()
    yield server
    await server.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Skipped PostgreSQL tests are said at the end in red, not only as an "s" among dots."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "PostgreSQL tests SKIPPED" in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{len(skipped)} PostgreSQL tests SKIPPED: no server at TEST_DATABASE_URL "
            "(REQUIRE_POSTGRES=1 makes this a failure, as in CI)",
            red=True,
            bold=True,
        )
