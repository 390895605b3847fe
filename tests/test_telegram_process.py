"""`python bot.py` as an operator starts it with a Telegram token, against the fake Bot API
(TELEGRAM_API_BASE) in this test's event loop: long polling, then webhook mode behind a
proxy. Each start pays aiogram's import (~10 s here), so there are only two."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any

import aiohttp
import pytest
from bot_process import REPO, bot_env
from fake_telegram import TOKEN, FakeTelegram

SECRET = "process-Hook_secret_0123456789"
WEBHOOK_URL = "https://bot.example/tg/hook"
STARTUP_SECONDS = 45.0  # generous: aiogram's import is slow on a loaded machine
GREETING = "1930"
MENU = "🚨 ठगी की शिकायत"


class BotProcess:
    """A running `python bot.py`, its output in files (nothing can fill a pipe)."""

    def __init__(self, process: asyncio.subprocess.Process, log: IO[bytes], path: Path) -> None:
        self.process = process
        self.log = log
        self.path = path

    def output(self) -> str:
        self.log.flush()
        return self.path.read_text(encoding="utf-8", errors="replace")

    async def terminate(self) -> int:
        """SIGTERM, as systemd or docker stop sends; the exit code within 15 s."""
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 15)

    async def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        self.log.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def start_bot(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[Callable[..., Any]]:
    """Starts `python bot.py` with a clean environment plus the given variables."""
    started: list[BotProcess] = []

    async def start(**env: str) -> BotProcess:
        path = tmp_path / f"bot-{len(started)}.log"
        log = path.open("wb")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(REPO / "bot.py"),
            cwd=REPO,
            env=bot_env(
                tmp_path / "bot.db",
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE=fake.url,
                TELEGRAM_POLL_TIMEOUT="1",
                **env,
            ),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
        bot = BotProcess(process, log, path)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        await bot.kill()


async def started(bot: BotProcess, fake: FakeTelegram, method: str) -> None:
    """Waits until the bot has called `method` (it does so once set up)."""
    try:
        await fake.wait_for(method, timeout=STARTUP_SECONDS)
    except TimeoutError:
        raise AssertionError(f"bot.py never called {method}:\n{bot.output()}") from None


async def greeted(fake: FakeTelegram, chat: int) -> list[str]:
    """The greeting and the menu, once the bot has sent both."""
    async with asyncio.timeout(10):
        while len(fake.texts(chat)) < 2:
            await asyncio.sleep(0.05)
    return fake.texts(chat)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_long_polling_answers_a_greeting(
    start_bot: Callable[..., Any], fake: FakeTelegram
) -> None:
    bot: BotProcess = await start_bot()
    await started(bot, fake, "getUpdates")
    assert fake.calls_of("deleteWebhook") and len(fake.calls_of("setMyCommands")) == 2

    chat = 7770001
    fake.inject(fake.text_update(chat, "नमस्ते"))
    texts = await greeted(fake, chat)
    assert GREETING in texts[0]
    labels = [label for row in fake.last_inline_keyboard(chat) for label, _ in row]
    assert MENU in labels

    assert await bot.terminate() == 0, bot.output()
    assert "Traceback" not in bot.output()


async def test_webhook_mode_serves_the_hook_path(
    start_bot: Callable[..., Any], fake: FakeTelegram
) -> None:
    port = free_port()
    bot: BotProcess = await start_bot(
        TELEGRAM_WEBHOOK_URL=WEBHOOK_URL,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
    )
    await started(bot, fake, "setWebhook")
    [hook] = fake.calls_of("setWebhook")
    assert hook.params["url"] == WEBHOOK_URL
    assert hook.params["secret_token"] == SECRET
    assert fake.calls_of("getUpdates") == []

    chat = 7770002
    update = fake.stamp(fake.text_update(chat, "नमस्ते"))
    url = f"http://127.0.0.1:{port}/tg/hook"
    async with aiohttp.ClientSession() as http:
        # The HTTP server starts right after setWebhook: retry until it listens.
        async with asyncio.timeout(10):
            while True:
                try:
                    async with http.post(
                        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
                    ) as response:
                        assert response.status == 401
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
        async with http.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as response:
            assert response.status == 200, await response.text()
    texts = await greeted(fake, chat)
    assert GREETING in texts[0]

    assert await bot.terminate() == 0, bot.output()
    assert "Traceback" not in bot.output()
