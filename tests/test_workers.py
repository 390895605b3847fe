"""Three `python bot.py` workers on one PostgreSQL: 300 people complain at once in Hindi
and English, every update reaching two workers; then one worker is killed with -9 under
load and the others carry on. Every complaint ends complete and correct, numbers are
distinct, no message is applied twice, each push reaches the reporting system once
per version."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from support.fake_reporting import FakeReportingSystem
from support.fake_telegram import FakeTelegram
from support.timing import until
from support.workers import ENGLISH, HINDI, Balancer, complain, start_workers, updates_for

pytestmark = pytest.mark.slow

PEOPLE = int(os.environ.get("TEST_WORKERS_PEOPLE", "300"))
AFTER_KILL = 60  # people who complain while one worker dies under them


@pytest.fixture
async def reporting() -> AsyncIterator[FakeReportingSystem]:
    fake = FakeReportingSystem()
    await fake.start()
    yield fake
    await fake.close()


def rows(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query.encode()).fetchall()


def people(bot_api: FakeTelegram, first: int, count: int) -> list[list[dict[str, object]]]:
    return [
        updates_for(bot_api, chat, HINDI if chat % 2 else ENGLISH, "hi" if chat % 2 else "en")
        for chat in range(first, first + count)
    ]


async def test_three_workers_apply_each_update_once_and_survive_a_kill(
    tmp_path: Path, url: str, bot_api: FakeTelegram, reporting: FakeReportingSystem
) -> None:
    workers = await start_workers(
        3,
        tmp_path,
        url,
        bot_api,
        REPORTING_URL=reporting.url,
        REPORTING_TOKEN=reporting.token,
        TELEGRAM_RATE_PER_SECOND="1000",
        TELEGRAM_PER_CHAT_PER_SECOND="100",
    )
    urls = [await worker.http_url() for worker in workers]
    balancer = Balancer(urls, duplicates=True)
    try:
        # What one person hears for one complaint, delivered once: in each language.
        alone = Balancer(urls, duplicates=False)
        for control in people(bot_api, 600_000, 2):
            await complain(alone, control)
        await alone.close()
        expected = {chat % 2: await _settled(bot_api, chat) for chat in (600_000, 600_001)}
        first = people(bot_api, 700_000, PEOPLE)
        await asyncio.gather(*(complain(balancer, updates) for updates in first))
        # Had a duplicate been applied, its replies would be on top of these.
        chats = range(700_000, 700_000 + PEOPLE)
        await until(lambda: all(_heard(bot_api, c) >= expected[c % 2] for c in chats), 60)
        assert {c: _heard(bot_api, c) for c in chats} == {c: expected[c % 2] for c in chats}
        later = people(bot_api, 800_000, AFTER_KILL)
        load = asyncio.gather(*(complain(balancer, updates) for updates in later))
        await until(lambda: _complete(url) >= 2 + PEOPLE + AFTER_KILL // 3, timeout=120)
        victim = workers[0]
        os.kill(victim.process.pid, signal.SIGKILL)  # mid-load: its requests fail
        balancer.drop(balancer.urls[0])
        await load
        everyone = first + later
        await until(lambda: _pushed(reporting) >= 2 * (len(everyone) + 2), timeout=60)
    finally:
        await balancer.close()
        for worker in workers:
            await worker.kill()

    _check_complaints(url, len(everyone))
    assert rows(url, "select count(*) from processed_messages") == [
        (sum(len(updates) for updates in everyone) + 2 * len(HINDI),)
    ]
    for (reference,) in rows(url, "select reference from complaints"):
        assert reporting.versions(str(reference)) == [1, 2]
        for version in (1, 2):
            taken = [r for r in reporting.posts(str(reference), version) if r.status < 300]
            assert len(taken) == 1, (reference, version)
    assert victim.process.returncode == -signal.SIGKILL
    for worker in workers:
        assert "Traceback" not in worker.output(), worker.output()


def _heard(bot_api: FakeTelegram, chat: int) -> int:
    """Messages to `chat`, not counting the "✔" that takes a contact keyboard away: which
    worker knows that the keyboard is showing is a matter of chance (see the report in
    docs/ARCHITECTURE.md, "Several workers")."""
    return sum(1 for text in bot_api.texts(chat) if text != "✔")


async def _settled(bot_api: FakeTelegram, chat: int) -> int:
    """How many messages `chat` got, once no more arrive for a while."""
    heard = -1
    while heard != _heard(bot_api, chat) or heard == 0:
        heard = _heard(bot_api, chat)
        await asyncio.sleep(0.5)
    return heard


def _complete(url: str) -> int:
    [(count,)] = rows(url, "select count(*) from complaints where stage = 'complete'")
    return int(str(count))


def _pushed(reporting: FakeReportingSystem) -> int:
    return len({(r.key, r.version) for r in reporting.posts() if r.status < 300})


def _check_complaints(url: str, count: int) -> None:
    """Every person one complete complaint with exactly what they typed, once."""
    found = rows(
        url,
        "select c.reference, c.user_id, c.stage, c.total_amount, c.mobile, c.language,"
        " count(t.position), min(t.transaction_id), min(t.amount)"
        " from complaints c join transactions t using (reference) group by c.reference",
    )
    assert len(found) == count + 2  # and the two control complaints
    assert len({row[1] for row in found}) == count + 2  # one complaint per person
    for reference, user, stage, total, mobile, language, debits, utr, amount in found:
        assert (stage, debits, utr, mobile) == ("complete", 1, "631845002917", "9876543210")
        assert Decimal(str(total)) == Decimal(str(amount)) == Decimal("2604000.00")
        assert language == ("hi" if int(str(user)) % 2 else "en"), reference
    [(suspects,)] = rows(url, "select count(*) from suspect_identifiers")
    assert suspects == count + 2
