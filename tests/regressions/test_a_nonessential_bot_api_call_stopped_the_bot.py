"""Regression (issue 11, item 5): a Bot API server not written by us answered setMyCommands
with a non-standard error body; aiogram raised ClientDecodeError, which the "quietly"
helper did not catch, and start-up failed: no polling, no webhook, no bot.

Calls the bot works without (setMyCommands, deleteWebhook, answerCallbackQuery,
editMessageReplyMarkup) must never stop it, whatever the server answers. setWebhook is
essential: when it fails, start-up stops with a message naming the settings."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from support.fake_telegram import TOKEN, FakeTelegram
from support.person import Person
from support.processes import BotProcess
from support.telegram import SECRET, WEBHOOK_URL, Telegram, telegram_person
from support.timing import until

from bot.domain.errors import ConfigurationError
from bot.service.conversation import ConversationService

Failure = Callable[[FakeTelegram, str, int], None]

# What servers and proxies answer instead of the Bot API's JSON.
FAILURES: dict[str, Failure] = {
    "an HTML page": lambda fake, method, n: fake.fail_next_raw(
        method, n, 200, "<html><body>It works!</body></html>"
    ),
    "plain text": lambda fake, method, n: fake.fail_next_raw(
        method, n, 200, "OK", content_type="text/plain"
    ),
    "a 404": lambda fake, method, n: fake.fail_next(method, n, 404, "Not Found: no such method"),
    "a non-standard error body": lambda fake, method, n: fake.fail_next_raw(
        method, n, 400, '{"error": "method not implemented"}', content_type="application/json"
    ),
    "a 501 page": lambda fake, method, n: fake.fail_next_raw(
        method, n, 501, "<h1>501 Not Implemented</h1>"
    ),
    "a connection reset": lambda fake, method, n: fake.reset_next(method, n),
}


@pytest.fixture
async def channels(
    bot_api: FakeTelegram, service: ConversationService, tmp_path: Path
) -> AsyncIterator[Callable[[str], Telegram]]:
    """Channels made on demand (so the fake is scripted before their setup), closed after."""
    made: list[Telegram] = []

    def make(mode: str) -> Telegram:
        made.append(Telegram(mode, bot_api, service, tmp_path / "evidence"))
        return made[-1]

    yield make
    for tg in made:
        await tg.close()


def warned(caplog: pytest.LogCaptureFixture, method: str) -> bool:
    return any(
        record.levelno == logging.WARNING and f"non-essential {method} failed" in record.message
        for record in caplog.records
    )


async def answers(person: Person) -> None:
    await person.send("नमस्ते")
    person.sees("1930")


# deleteWebhook is called in polling mode only; setMyCommands in both (here: webhook).
SETUP_MODES = {"setMyCommands": "webhook", "deleteWebhook": "polling"}


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("method", SETUP_MODES)
async def test_a_failing_setup_call_does_not_stop_the_start(
    channels: Callable[[str], Telegram],
    bot_api: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    method: str,
    failure: str,
) -> None:
    FAILURES[failure](bot_api, method, 2)  # setMyCommands is called twice (en, hi)
    tg = channels(SETUP_MODES[method])
    await tg.start()
    assert warned(caplog, method.replace("set", "Set").replace("delete", "Delete"))
    await answers(telegram_person(tg, 5551100))


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("method", ["answerCallbackQuery", "editMessageReplyMarkup"])
async def test_a_failing_button_acknowledgement_is_only_logged(
    channels: Callable[[str], Telegram],
    bot_api: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    method: str,
    failure: str,
) -> None:
    tg = channels("polling")
    await tg.start()
    person = telegram_person(tg, 5551101)
    await answers(person)
    FAILURES[failure](bot_api, method, 1)
    await person.press("ठगी की शिकायत")  # acknowledged and retired in the background
    assert any("UPI" in choice.label for choice in person.choices)
    name = method[0].upper() + method[1:]
    await until(lambda: warned(caplog, name))
    await until(lambda: not tg.channel._tasks)  # the background calls ended, none crashed
    await person.press("UPI से भुगतान")  # and the bot goes on
    assert person.text


@pytest.mark.parametrize("failure", ["an HTML page", "a 404", "a connection reset"])
async def test_a_failing_set_webhook_stops_the_start_naming_the_setting(
    channels: Callable[[str], Telegram], bot_api: FakeTelegram, failure: str
) -> None:
    FAILURES[failure](bot_api, "setWebhook", 1)
    tg = channels("webhook")
    with pytest.raises(ConfigurationError, match="TELEGRAM_WEBHOOK_URL") as refused:
        await tg.start()
    assert SECRET not in str(refused.value)
    assert WEBHOOK_URL not in bot_api.webhook.get("url", "")


@pytest.mark.slow
async def test_python_bot_py_stops_with_one_clear_line_when_set_webhook_fails(
    bot_api: FakeTelegram, tmp_path: Path
) -> None:
    bot_api.fail_next("setWebhook", 1, 400, "Bad Request: bad webhook: Failed to resolve host")
    bot = await BotProcess.start(
        tmp_path / "bot.db",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=bot_api.url,
        TELEGRAM_WEBHOOK_URL=WEBHOOK_URL,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
    )
    try:
        code = await asyncio.wait_for(bot.process.wait(), 90)
    finally:
        await bot.kill()
    output = bot.output()
    assert code == 2, output
    assert "Cannot start" in output and "TELEGRAM_WEBHOOK_URL" in output
    assert "Failed to resolve host" in output  # what the server said
    assert "Traceback" not in output
    assert TOKEN not in output and SECRET not in output
