"""Issue 11, items 6 and 9: the bot's HTTP server under slow clients, and a database
locked by another process. Both froze every webhook and the health check before: slow
clients were held for ever, and the wait for SQLite's lock ran on the event loop."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from support.fake_telegram import FakeTelegram
from support.telegram import HOOK_PATH, SECRET, runtime_url, start_runtime
from support.timing import until

from bot.app import BotRuntime
from bot.channels.telegram_transport import SECRET_HEADER
from bot.web.guard import quiet_accept_errors


@pytest.fixture
async def runtime(bot_api: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotRuntime]:
    started = await start_runtime(
        "webhook", bot_api, tmp_path, http_header_timeout_seconds=1.0, http_max_connections=20
    )
    yield started
    await started.close()


async def timed_health(url: str) -> tuple[int, float]:
    began = time.monotonic()
    async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
        return response.status, time.monotonic() - began


async def slow_client(host: str, port: int, closed: list[bool]) -> None:
    """Sends a request head a byte at a time, for ever, as the probe's clients did."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for byte in b"POST /tg/hook HTTP/1.1\r\nHost: bot\r\nX-Slow: " + b"a" * 1000:
            writer.write(bytes([byte]))
            await writer.drain()
            if reader.at_eof():
                break
            await asyncio.sleep(0.2)
    except (ConnectionError, OSError):
        pass
    finally:
        closed.append(True)
        writer.close()


async def test_slow_clients_are_cut_off_and_never_crowd_out_the_health_check(
    runtime: BotRuntime,
) -> None:
    url = runtime_url(runtime)
    host, port = url.removeprefix("http://").split(":")
    closed: list[bool] = []
    attackers = [asyncio.create_task(slow_client(host, int(port), closed)) for _ in range(60)]
    try:
        for _ in range(8):  # legitimate traffic throughout the attack
            status, took = await timed_health(url)
            assert status == 200 and took < 3.0, (status, took)
            await asyncio.sleep(0.25)
        await until(lambda: len(closed) == 60, timeout=10)  # every slow client cut off
    finally:
        for task in attackers:
            task.cancel()
        await asyncio.gather(*attackers, return_exceptions=True)


def test_accept_errors_are_logged_at_most_every_ten_seconds(
    caplog: pytest.LogCaptureFixture,
) -> None:
    quiet_accept_errors()
    logger = logging.getLogger("asyncio")
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        for _ in range(5000):
            logger.error("socket.accept() out of system resource")
    assert len(caplog.records) == 1


async def test_a_database_locked_by_another_process_never_freezes_the_loop(
    runtime: BotRuntime, bot_api: FakeTelegram
) -> None:
    url = runtime_url(runtime)
    assert (await timed_health(url))[0] == 200
    blocker = sqlite3.connect(runtime.settings.database_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        update = bot_api.stamp(bot_api.text_update(5550401, "नमस्ते"))
        async with aiohttp.ClientSession() as http:
            webhook = asyncio.create_task(
                http.post(url + HOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
            )
            for _ in range(3):  # the loop answers while the store waits for the lock
                status, took = await timed_health(url)
                assert status == 503 and took < 3.0, (status, took)
            blocker.execute("ROLLBACK")  # the other process lets go
            response = await asyncio.wait_for(webhook, 30)
            assert response.status == 200
            response.release()
    finally:
        blocker.close()
    await until(lambda: bot_api.texts(5550401), timeout=10)  # the person got the answer
    assert (await timed_health(url))[0] == 200
