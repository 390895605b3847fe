"""A campaign to 2,000 subscribers in two languages, sent by `python bot.py` through the
fake Bot API with a rate cap, killed with SIGKILL part-way and started again: every
subscriber gets exactly one message, in their language; those who opted out get none;
no one-second window ever holds more than the cap."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot_process import REPO, bot_env
from conftest import max_in_any_second
from fake_telegram import TOKEN, Call, FakeTelegram
from test_awareness import queue_campaign, subscribe

from storage.sqlite import SqliteStore

# Messages per second, at the fake and in TELEGRAM_RATE_PER_SECOND. Slow enough that each
# request is answered before the next starts, so only the one the kill interrupts is on
# the wire (more may be when the platform is slower than the pace: see ARCHITECTURE.md).
CAP = 100
SUBSCRIBERS = range(9_100_000, 9_102_000)
OPTED_OUT = range(9_200_000, 9_200_100)
KILL_AFTER = 700  # messages accepted before the kill
ENGLISH = "Never share an OTP, PIN or CVV."
HINDI = "OTP, PIN या CVV कभी किसी को न बताएँ।"


def seed(db: Path) -> None:
    store = SqliteStore(db)
    try:
        subscribe(store, (*SUBSCRIBERS, *OPTED_OUT), opted_out=OPTED_OUT)
        queue_campaign(store, text_en=ENGLISH, text_hi=HINDI)
    finally:
        store.close()


def counts(db: Path) -> Counter[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return Counter(
            {
                status: n
                for status, n in conn.execute(
                    "select status, count(*) from deliveries group by status"
                )
            }
        )


async def start_bot(db: Path, fake: FakeTelegram, log: Path) -> asyncio.subprocess.Process:
    handle = log.open("ab")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            str(REPO / "bot.py"),
            cwd=REPO,
            env=bot_env(
                db,
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE=fake.url,
                TELEGRAM_RATE_PER_SECOND=str(CAP),
                TELEGRAM_POLL_TIMEOUT="1",
                AWARENESS_EVERY_DAYS="0",
            ),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=handle,
            stderr=asyncio.subprocess.STDOUT,
        )
    finally:
        handle.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(cap_per_second=CAP)
    await server.start()
    yield server
    await server.stop()


async def test_killed_mid_campaign_every_subscriber_gets_exactly_one(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    db, log = tmp_path / "bot.db", tmp_path / "bot.log"
    seed(db)
    first = await start_bot(db, fake, log)
    killed = asyncio.Event()

    def kill_midway(call: Call) -> bool:
        if killed.is_set() or call.method.lower() != "sendmessage" or len(fake.sent) < KILL_AFTER:
            return False
        os.kill(first.pid, signal.SIGKILL)  # while this request is on the wire
        killed.set()
        return True  # ...so the platform never processed it

    fake.on_request = kill_midway
    try:
        async with asyncio.timeout(90):
            await killed.wait()
            await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
    fake.on_request = None
    assert first.returncode == -signal.SIGKILL
    midway = counts(db)
    assert midway["sent"] >= KILL_AFTER - 1 and midway["pending"] > 0, midway

    second = await start_bot(db, fake, log)
    try:
        async with asyncio.timeout(90):
            while counts(db)["pending"]:
                await asyncio.sleep(0.2)
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 15) == 0, log.read_text(errors="replace")
    finally:
        if second.returncode is None:
            second.kill()

    per_chat = Counter(sent.chat_id for sent in fake.sent)
    assert [c for c in SUBSCRIBERS if per_chat[c] != 1] == []  # nobody missed, nobody twice
    assert [c for c in OPTED_OUT if per_chat[c]] == []
    for sent in fake.sent:
        expected = HINDI if sent.chat_id % 2 else ENGLISH
        assert sent.text.startswith(expected), (sent.chat_id, sent.text[:40])
    accepted = [call.at for call in fake.calls_of("sendMessage") if call.error_code is None]
    assert max_in_any_second(accepted) <= CAP
    assert counts(db) == Counter({"sent": len(SUBSCRIBERS)})
    assert "Traceback" not in log.read_text(errors="replace")
