"""How Telegram updates reach the channel: long polling, or a webhook on our HTTP app.

Both hand each update to the same handler. Polling keeps its offset before an update whose
handling failed, so it is fetched again a few times (as Telegram retries a webhook that
answered an error); only then is it skipped, and the person asked to send it again.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.service.backoff import POLL_RETRY, UPDATE_RETRY

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UPDATE_ATTEMPTS = 3

Handle = Callable[[Update], Awaitable[None]]
GiveUp = Callable[[Update], None]


async def poll(
    bot: Bot, handle: Handle, give_up: GiveUp, stop: asyncio.Event, *, timeout: int
) -> None:
    """Long polling until `stop`; a failing getUpdates (an HTML error page, a reset, a
    5xx) is retried with back-off and never ends the loop."""
    offset: int | None = None
    failures = 0
    attempts: dict[int, int] = {}
    while not stop.is_set():
        try:
            updates = await bot.get_updates(
                offset=offset,
                timeout=timeout,
                allowed_updates=ALLOWED_UPDATES,
                request_timeout=timeout + 10,
            )
            failures = 0
        except TelegramRetryAfter as error:
            await asyncio.sleep(error.retry_after)
            continue
        except Exception as error:
            failures += 1
            log.warning("getUpdates failed (%s: %s); retrying", type(error).__name__, error)
            await asyncio.sleep(POLL_RETRY.delay(failures - 1))
            continue
        for update in updates:
            try:
                await handle(update)
            except Exception:
                tries = attempts[update.update_id] = attempts.get(update.update_id, 0) + 1
                log.exception("update %d failed (attempt %d)", update.update_id, tries)
                if tries < UPDATE_ATTEMPTS:
                    await asyncio.sleep(UPDATE_RETRY.delay(tries - 1))
                    break  # fetch it again from the same offset
                give_up(update)
            attempts.pop(update.update_id, None)
            offset = update.update_id + 1


def webhook_handler(bot: Bot, handle: Handle, secret: str) -> Callable[[web.Request], Any]:
    """The aiohttp handler for Telegram's POSTs: the secret header or 401, an Update
    object or 400, then the update is handled before Telegram gets its 200."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return web.json_response({"error": "wrong secret token"}, status=401)
        try:
            data = json.loads(await request.read())
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.model_validate(data, context={"bot": bot})
        except (ValueError, UnicodeDecodeError, ValidationError):
            return web.json_response({"error": "malformed update"}, status=400)
        await handle(update)
        return web.json_response({})

    return receive
