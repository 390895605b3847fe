"""How Telegram updates reach the channel: long polling, or a webhook on our HTTP app.

Both hand each update to the same handler. An update whose handling fails is counted in
the store: polling keeps its offset before it, and the webhook answers 500, so Telegram
delivers it again; after a few failures it is quarantined (kept for an operator), the
person is asked to send it again, and the bot moves on. A poisoned update therefore
never stops the bot nor holds up anyone else.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

from bot.domain.json_body import parse_json_body
from bot.service.backoff import POLL_RETRY, UPDATE_RETRY
from bot.service.database import Busy
from bot.service.http_body import read_capped

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update is a message of at most 4,096 characters plus its envelope: 1 MiB is ample.
MAX_UPDATE_BYTES = 1024 * 1024

Handle = Callable[[Update], Awaitable[None]]
Failed = Callable[[Update, BaseException], Awaitable[bool]]
"""Records that handling an update failed; True once it is quarantined (skip it)."""


async def poll(
    bot: Bot, handle: Handle, failed: Failed, stop: asyncio.Event, *, timeout: int
) -> None:
    """Long polling until `stop`; a failing getUpdates (an HTML error page, a reset, a
    5xx) is retried with back-off and never ends the loop."""
    offset: int | None = None
    failures = 0
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
            except Busy:
                await asyncio.sleep(UPDATE_RETRY.delay(0))
                break  # not the update's fault: fetch it again, uncounted
            except Exception as error:
                if not await failed(update, error):
                    await asyncio.sleep(UPDATE_RETRY.delay(0))
                    break  # fetch it again from the same offset
            offset = update.update_id + 1


def webhook_handler(
    bot: Bot, handle: Handle, failed: Failed, secret: str
) -> Callable[[web.Request], Any]:
    """The aiohttp handler for Telegram's POSTs: the secret header or 401, an Update
    object or 400, then the update is handled before Telegram gets its 200 (a failure:
    500, so Telegram sends it again, until it is quarantined: then 200)."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not given.isascii() or not hmac.compare_digest(given.encode(), secret.encode()):
            return web.json_response({"error": "wrong secret token"}, status=401)
        raw = await read_capped(request, MAX_UPDATE_BYTES)
        if raw is None:
            return web.json_response({"error": "update too large"}, status=413)
        try:
            data = parse_json_body(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            update = Update.model_validate(data, context={"bot": bot})
        except (ValueError, ValidationError):
            return web.json_response({"error": "malformed update"}, status=400)
        try:
            await handle(update)
        except Busy:
            return web.json_response({"error": "busy, send it again later"}, status=503)
        except Exception as error:
            if not await failed(update, error):
                return web.json_response({"error": "try again"}, status=500)
        return web.json_response({})

    return receive
