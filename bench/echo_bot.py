"""The baseline: a bare aiogram echo bot behind the same kind of webhook.

`python bench/echo_bot.py PORT API_BASE SECRET` (PORT 0: any) serves POST /tg with aiogram's own
SimpleRequestHandler and echoes every text message through the Bot API at API_BASE.
"""

from __future__ import annotations

import sys

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from fake_bot_api import serve

TOKEN = "123456:BENCHMARKBENCHMARKBENCHMARK_abcdef"


def main() -> None:
    port, api_base, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if "--pin-generics" in sys.argv:
        # The same workaround our bot uses (bot/channels/telegram.py), for a like-for-like
        # comparison: keep aiogram's Response[T] classes from being rebuilt after GC.
        from aiogram.methods import AnswerCallbackQuery, SendMessage  # noqa: PLC0415
        from aiogram.methods.base import Response  # noqa: PLC0415

        pinned = [Response[m.__returning__] for m in (SendMessage, AnswerCallbackQuery)]  # type: ignore[name-defined]
        sys.modules[__name__].__dict__["_PINNED"] = pinned
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_base)))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    @dispatcher.callback_query()
    async def pressed(query: object) -> None:
        return None

    app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=secret).register(
        app, path="/tg"
    )
    setup_application(app, dispatcher, bot=bot)
    serve(app, port)


if __name__ == "__main__":
    main()
