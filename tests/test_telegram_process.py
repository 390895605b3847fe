"""`python bot.py` as an operator starts it with a Telegram token, against the fake Bot API
(TELEGRAM_API_BASE) in this test's event loop: long polling, then webhook mode behind a
proxy. Each start pays aiogram's import (~10 s here), so there are only two."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from support.fake_telegram import TOKEN, FakeTelegram
from support.processes import BotProcess
from support.timing import until

pytestmark = pytest.mark.slow

SECRET = "process-Hook_secret_0123456789"
WEBHOOK_URL = "https://bot.example/tg/hook"
STARTUP_SECONDS = 45.0  # generous: aiogram's import is slow on a loaded machine
GREETING = "1930"
MENU = "🚨 ठगी की शिकायत"


@pytest.fixture
async def start_bot(tmp_path: Path, bot_api: FakeTelegram) -> AsyncIterator[Callable[..., Any]]:
    """Starts `python bot.py` with a clean environment plus the given variables."""
    started: list[BotProcess] = []

    async def start(**env: str) -> BotProcess:
        bot = await BotProcess.start(
            tmp_path / "bot.db",
            log_path=tmp_path / f"bot-{len(started)}.log",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE=bot_api.url,
            TELEGRAM_POLL_TIMEOUT="1",
            **env,
        )
        started.append(bot)
        return bot

    yield start
    for bot in started:
        await bot.kill()


async def started(bot: BotProcess, bot_api: FakeTelegram, method: str) -> None:
    """Waits until the bot has called `method` (it does so once set up)."""
    try:
        await bot_api.wait_for(method, timeout=STARTUP_SECONDS)
    except TimeoutError:
        raise AssertionError(f"bot.py never called {method}:\n{bot.output()}") from None


async def greeted(bot_api: FakeTelegram, chat: int) -> list[str]:
    """The greeting and the menu, once the bot has sent both."""
    await until(lambda: len(bot_api.texts(chat)) >= 2)
    return bot_api.texts(chat)


async def test_long_polling_answers_a_greeting(
    start_bot: Callable[..., Any], bot_api: FakeTelegram
) -> None:
    bot: BotProcess = await start_bot()
    await started(bot, bot_api, "getUpdates")
    assert bot_api.calls_of("deleteWebhook") and len(bot_api.calls_of("setMyCommands")) == 2

    chat = 7770001
    bot_api.inject(bot_api.text_update(chat, "नमस्ते"))
    texts = await greeted(bot_api, chat)
    assert GREETING in texts[0]
    labels = [label for row in bot_api.last_inline_keyboard(chat) for label, _ in row]
    assert MENU in labels

    assert await bot.stop() == 0, bot.output()
    assert "Traceback" not in bot.output()


async def test_webhook_mode_serves_the_hook_path(
    start_bot: Callable[..., Any], bot_api: FakeTelegram
) -> None:
    bot: BotProcess = await start_bot(
        TELEGRAM_WEBHOOK_URL=WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET=SECRET
    )
    await started(bot, bot_api, "setWebhook")
    [hook] = bot_api.calls_of("setWebhook")
    assert hook.params["url"] == WEBHOOK_URL
    assert hook.params["secret_token"] == SECRET
    assert bot_api.calls_of("getUpdates") == []

    chat = 7770002
    update = bot_api.stamp(bot_api.text_update(chat, "नमस्ते"))
    url = await bot.http_url() + "/tg/hook"
    async with aiohttp.ClientSession() as http:
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        async with http.post(url, json=update, headers=wrong) as response:
            assert response.status == 401
        right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with http.post(url, json=update, headers=right) as response:
            assert response.status == 200, await response.text()
    texts = await greeted(bot_api, chat)
    assert GREETING in texts[0]

    assert await bot.stop() == 0, bot.output()
    assert "Traceback" not in bot.output()
