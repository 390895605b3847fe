"""What only the PostgreSQL store has to show: migrations applied once however many
workers start together, message ids and complaint numbers safe between connections,
leadership that moves when its holder goes, send slots shared by every worker, the
health check, and `bot.py db check` / `db copy`."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from aiohttp.test_utils import TestClient, TestServer
from support.processes import run_bot
from support.storage_contract import NOW, SUNITA, registered_state

from bot.service.database import runner_for
from bot.web import create_app
from storage.desk_base import DebitMoney
from storage.pg_migrations import LATEST, MIGRATIONS
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore


@pytest.fixture
def store(url: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(url, threads=2)
    yield opened
    opened.close()


def test_workers_starting_together_migrate_once(url: str) -> None:
    """Eight stores opened at the same instant: one migrates, the others wait for it."""
    start = threading.Barrier(8)

    def open_one() -> PostgresStore:
        start.wait()
        return PostgresStore(url, threads=1)

    with ThreadPoolExecutor(8) as pool:
        stores = list(pool.map(lambda _: open_one(), range(8)))
    for opened in stores:
        opened.close()
    with psycopg.connect(url) as conn:
        applied = conn.execute("select id from schema_migrations order by id").fetchall()
    assert [row[0] for row in applied] == [number for number, _, _ in MIGRATIONS]
    assert applied[-1][0] == LATEST


def test_a_message_claimed_by_an_open_transaction_is_refused_once_it_commits(
    url: str, store: PostgresStore
) -> None:
    """The duplicate reaches a second worker while the first is still applying it: the
    second waits for the first's commit, then finds the id taken."""
    other = PostgresStore(url, threads=1)
    claimed = threading.Event()
    release = threading.Event()
    results: list[bool] = []

    def first() -> None:
        with store.transaction():
            results.append(store.claim_message("telegram", "42", NOW))
            claimed.set()
            release.wait(10)

    def second() -> None:
        claimed.wait(10)
        with other.transaction():
            results.append(other.claim_message("telegram", "42", NOW))

    try:
        with ThreadPoolExecutor(2) as pool:
            done = [pool.submit(first), pool.submit(second)]
            claimed.wait(10)
            assert results == [True]  # the second is waiting, not answered
            release.set()
            for future in done:
                future.result(timeout=10)
    finally:
        other.close()
    assert results == [True, False]


def test_complaint_numbers_are_unique_across_connections(url: str, store: PostgresStore) -> None:
    def draw(_: int) -> int:
        with store.transaction():
            return store.next_reference_sequence(2026)

    with ThreadPoolExecutor(2) as pool:
        drawn = list(pool.map(draw, range(200)))
    assert sorted(drawn) == list(range(1, 201))


def test_leadership_moves_when_its_holder_goes(url: str, store: PostgresStore) -> None:
    other = PostgresStore(url, threads=1)
    try:
        assert store.try_lead("background") is True
        assert store.try_lead("background") is True  # still, and asked again
        assert other.try_lead("background") is False
        assert other.role_taken("background") is True
        assert other.try_lead("telegram-polling") is True  # roles are independent
        store.close()  # the holder's connection ends (as it does when killed)
        assert other.try_lead("background") is True
    finally:
        other.close()


def test_send_slots_are_shared_by_every_store(url: str, store: PostgresStore) -> None:
    """Two workers asking in turn get starts an interval apart, as one queue would."""
    other = PostgresStore(url, threads=1)
    starts = []
    try:
        for n in range(20):
            asked = time.monotonic()
            wait = (store if n % 2 else other).reserve_send(
                "telegram", str(n % 3), per_second=10, per_chat_per_second=100, chat_burst=1
            )
            starts.append(asked + wait)
    finally:
        other.close()
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # 10 a second, whichever worker asked: two separate schedules would give pairs of
    # starts together (gaps near 0). Each start is measured here, after a round trip that
    # a loaded machine stretches, so single gaps are judged loosely, the whole run exactly.
    assert min(gaps) > 0.05, gaps
    assert 19 * 0.095 < starts[-1] - starts[0] < 1.95


def test_a_chat_gets_its_burst_then_its_rate(store: PostgresStore) -> None:
    waits = [
        store.reserve_send("telegram", "7", per_second=1000, per_chat_per_second=1, chat_burst=3)
        for _ in range(5)
    ]
    assert max(waits[:3]) < 0.05  # three at once, as one queue's bucket allows
    assert 0.9 < waits[3] < 1.05 and 1.9 < waits[4] < 2.05


async def test_health_check_answers_503_when_the_database_does_not(url: str) -> None:
    store = PostgresStore(url, threads=1)
    runner = runner_for(store)
    app = create_app(runner=runner, clock=lambda: NOW, callback_secret=None, on_notice=lambda: None)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        assert (await client.get("/healthz")).status == 200
        store.pool.close()  # as when the server is gone
        response = await client.get("/healthz")
        assert response.status == 503
        assert "database" in str(await response.json())
    runner.close()
    store.close()


def test_db_check_reports_the_schema_version(tmp_path: Path, url: str) -> None:
    PostgresStore(url, threads=1).close()
    result = run_bot(tmp_path / "bot.db", "db", "check", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert f"schema version {LATEST}, current" in result.stdout
    gone = run_bot(tmp_path / "bot.db", "db", "check", DATABASE_URL="postgresql://127.0.0.1:1/x")
    assert gone.returncode == 2
    assert "Database unreachable" in gone.stderr


def test_an_unreachable_database_url_stops_start_up_naming_it(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path / "bot.db", "complaints", "list", DATABASE_URL="postgresql://127.0.0.1:1/x"
    )
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    wrong = run_bot(tmp_path / "bot.db", "complaints", "list", DATABASE_URL="mysql://x/y")
    assert wrong.returncode == 2
    assert "DATABASE_URL" in wrong.stderr


def test_db_copy_moves_every_row_once_and_refuses_a_second_time(tmp_path: Path, url: str) -> None:
    db = tmp_path / "bot.db"
    sqlite = SqliteStore(db)
    with sqlite.transaction():
        sqlite.claim_message("telegram", "1", NOW)
        sqlite.save_conversation(SUNITA, registered_state(), NOW)
        sqlite.save_complaint(SUNITA, registered_state(), NOW, submitted=True)
        sqlite.enqueue_push("261234567890", "complete", {"a": 1}, NOW, NOW - NOW)
        sqlite.set_subscription(SUNITA, subscribed=True, language="hi", how="menu", at=NOW)
        sqlite.queue_notice("telegram", "42", None, "hello", NOW)
    sqlite.close()

    copied = run_bot(db, "db", "copy", "--to", url)
    assert copied.returncode == 0, copied.stderr
    assert "every count matches" in copied.stdout
    target = PostgresStore(url, threads=1)
    try:
        record = target.get_complaint("261234567890")
        assert record is not None and len(record["transactions"]) == 2
        assert target.load_conversation(SUNITA) == registered_state()
        with target.transaction():
            assert target.claim_message("telegram", "1", NOW) is False
            assert target.subscription_language(SUNITA) == "hi"
            new_notice = target.queue_notice("telegram", "42", None, "again", NOW)
        assert new_notice == 2  # ids continue after the copied ones
    finally:
        target.close()

    again = run_bot(db, "db", "copy", "--to", url)
    assert again.returncode == 1
    assert "not empty" in again.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("select count(*) from complaints").fetchone() == (1,)


def test_db_copy_moves_the_desk_too(tmp_path: Path, url: str) -> None:
    """Operators, their sessions, the audit log and the money per debit are copied and
    counted like the bot's tables; new operators and audit lines get new ids."""
    db = tmp_path / "bot.db"
    sqlite = SqliteStore(db)
    money = DebitMoney(1, Decimal("500.00"), "SBI", date(2026, 11, 27))
    with sqlite.transaction():
        sqlite.save_complaint(SUNITA, registered_state(), NOW, submitted=True)
        chief = sqlite.add_operator("chief", "hash", "admin", [], NOW)
        sqlite.add_operator("si", "hash", "officer", ["Raipur"], NOW)
        sqlite.create_session("token", chief, "csrf", NOW, NOW + timedelta(hours=1))
        sqlite.audit(NOW, "chief", "view", reference="261234567890")
        sqlite.set_debit_money("261234567890", money, by="chief", at=NOW)
    sqlite.close()

    copied = run_bot(db, "db", "copy", "--to", url)
    assert copied.returncode == 0, copied.stderr
    counted = {line.split()[0]: line.split()[1:2] for line in copied.stdout.splitlines()}
    for table, rows in (("operators", 2), ("desk_sessions", 1), ("audit_log", 1)):
        assert counted[table] == [str(rows)]
    assert counted["debit_money"] == ["1"]
    target = PostgresStore(url, threads=1)
    try:
        with target.transaction():
            found = target.session("token", NOW)
            assert found is not None and found[0].name == "chief"
            officer = target.operator_named("si")
            assert officer is not None and officer.districts == ("Raipur",)
            assert target.debit_money("261234567890") == {1: money}
            assert target.add_operator("third", "hash", "officer", ["Durg"], NOW) == 3
            target.audit(NOW, "chief", "status")
            assert [e.id for e in target.audit_entries()] == [2, 1]
    finally:
        target.close()


def test_db_copy_refuses_to_leave_a_table_behind(tmp_path: Path, url: str) -> None:
    """A table another part of the bot added to SQLite without a PostgreSQL migration
    (notes of some feature, say) stops the copy instead of being dropped on the way."""
    db = tmp_path / "bot.db"
    sqlite = SqliteStore(db)
    with sqlite.transaction():
        sqlite.db.execute("create table desk_notes (id integer primary key, text text)")
        sqlite.db.execute("insert into desk_notes (text) values ('called the bank')")
        sqlite.save_complaint(SUNITA, registered_state(), NOW, submitted=True)
    sqlite.close()
    refused = run_bot(db, "db", "copy", "--to", url)
    assert refused.returncode == 1
    assert "no table for desk_notes" in refused.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("select count(*) from complaints").fetchone() == (0,)
