"""Telegram on aiogram 3: updates in (polling or webhook), Bot API calls out.

Transport only: an update becomes an `Inbound`, the conversation service answers, and
the replies are queued on the delivery queue as Bot API calls. The core never sees an
aiogram type.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageReplyMarkup,
    GetFile,
    GetUpdates,
    SendMessage,
    SetMyCommands,
    SetWebhook,
    TelegramMethod,
)
from aiogram.methods.base import Response
from aiogram.types import BotCommand, Message, Update
from aiohttp import web
from pydantic import ValidationError

from bot.channels.delivery import (
    DeliveryQueue,
    Priority,
    RetryLater,
    Unreachable,
    only_if,
)
from bot.channels.evidence import keep_evidence, too_large
from bot.channels.telegram_render import render, split_text
from bot.domain.i18n import translator
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    Command,
    ContactShared,
    ConversationKey,
    Inbound,
    Outbound,
    Payload,
    PhoneRequest,
    Text,
    Unsupported,
)
from bot.domain.statuses import Channel, DeliveryStatus
from bot.service.awareness.broadcaster import SENT, SendResult, Ticket
from bot.service.conversation import ConversationService

log = logging.getLogger(__name__)

# aiogram parametrises `Response[T]` on every call and pydantic caches parametrised
# generics only weakly: after a garbage collection the class is rebuilt, which costs
# ~150 ms on a small machine (15% of CPU under load). Strong references keep them.
_RESPONSE_TYPES = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        AnswerCallbackQuery,
        DeleteWebhook,
        EditMessageReplyMarkup,
        GetFile,
        GetUpdates,
        SendMessage,
        SetMyCommands,
        SetWebhook,
    )
)
CHANNEL = Channel.TELEGRAM
ALLOWED_UPDATES = ["message", "callback_query"]
COMMANDS = ("start", "new", "status", "help", "language", "cancel", "subscribe", "unsubscribe")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_UPDATE_ATTEMPTS = 3


class TelegramChannel:
    def __init__(
        self,
        bot: Bot,
        service: ConversationService,
        delivery: DeliveryQueue,
        *,
        evidence_dir: Path,
        max_attachment_bytes: int,
        poll_timeout: int = 25,
        operators: frozenset[str] = frozenset(),
    ) -> None:
        self.bot = bot
        self.service = service
        self.delivery = delivery
        self.evidence_dir = evidence_dir
        self.max_attachment_bytes = max_attachment_bytes
        self.poll_timeout = poll_timeout
        self.operators = operators
        self._contact_keyboard_shown: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    # --- start-up --------------------------------------------------------------------------

    async def setup(self, webhook_url: str | None, webhook_secret: str | None) -> None:
        """Commands menu in both languages, then webhook or polling mode. Failing
        non-essential calls are logged; only a failing setWebhook stops the start."""
        for language, code in (("en", None), ("hi", "hi")):
            t = translator(language)
            commands = [BotCommand(command=c, description=t(f"command.{c}")) for c in COMMANDS]
            await self._quietly(SetMyCommands(commands=commands, language_code=code))
        if webhook_url:
            await self.bot(
                SetWebhook(
                    url=webhook_url, secret_token=webhook_secret, allowed_updates=ALLOWED_UPDATES
                )
            )
        else:
            await self._quietly(DeleteWebhook(drop_pending_updates=False))

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _quietly(self, method: TelegramMethod[Any]) -> None:
        try:
            await self.bot(method)
        except (TimeoutError, TelegramAPIError, OSError) as error:
            log.warning("non-essential %s failed: %s", type(method).__name__, error)

    # --- updates in ------------------------------------------------------------------------

    async def handle_update(self, update: Update) -> None:
        if update.callback_query is not None:
            query = update.callback_query
            # Acknowledge the press and retire its keyboard without making the person
            # (or Telegram's webhook) wait for these two round trips.
            self._background(self._quietly(AnswerCallbackQuery(callback_query_id=query.id)))
            if isinstance(query.message, Message) and query.message.reply_markup is not None:
                self._background(
                    self._quietly(
                        EditMessageReplyMarkup(
                            chat_id=query.message.chat.id, message_id=query.message.message_id
                        )
                    )
                )
            chat_id = query.message.chat.id if query.message is not None else query.from_user.id
            payload: Payload = ChoicePressed(query.data or "")
            language = query.from_user.language_code
            sender: int | None = query.from_user.id
        elif update.message is not None and update.message.chat.type == "private":
            message = update.message
            chat_id = message.chat.id
            payload = await self._payload(message)
            language = message.from_user.language_code if message.from_user else None
            sender = message.from_user.id if message.from_user else None
        else:
            return  # edited messages, group chats, membership changes: nothing to answer
        inbound = Inbound(
            key=ConversationKey(CHANNEL, str(chat_id)),
            message_id=str(update.update_id),
            payload=payload,
            platform_language=language,
            operator=sender is not None and str(sender) in self.operators,
        )
        self.send_replies(chat_id, self.service.process(inbound))

    async def _payload(self, message: Message) -> Payload:
        if message.text is not None:
            if message.text.startswith("/") and len(message.text) > 1:
                head, _, args = message.text[1:].partition(" ")
                return Command(head.split("@", 1)[0].lower(), args.strip())
            return Text(message.text)
        if message.contact is not None:
            return ContactShared(message.contact.phone_number)
        if message.photo:
            largest = message.photo[-1]
            return await self._fetch(largest.file_id, largest.file_size, "image/jpeg", "photo")
        if message.document is not None:
            document = message.document
            mime = document.mime_type or "application/octet-stream"
            return await self._fetch(document.file_id, document.file_size, mime, "document")
        return Unsupported(message.content_type)

    async def _fetch(self, file_id: str, size: int | None, mime: str, kind: str) -> Attachment:
        """Saves the file under EVIDENCE_DIR named by its SHA-256; a file over the cap is
        not downloaded at all, and the core explains the limit to the person."""
        if size is not None and size > self.max_attachment_bytes:
            return too_large(size, mime, kind)
        file = await self.bot.get_file(file_id)
        downloaded = await self.bot.download_file(file.file_path or "")
        data = downloaded.read() if downloaded is not None else b""
        return keep_evidence(
            self.evidence_dir / CHANNEL, data, mime, kind, self.max_attachment_bytes
        )

    # --- replies out -----------------------------------------------------------------------

    def send_replies(
        self, chat_id: int, replies: list[Outbound], priority: Priority = Priority.REPLY
    ) -> list[asyncio.Future[bool]]:
        futures = []
        for reply in replies:
            remove = chat_id in self._contact_keyboard_shown
            if isinstance(reply, PhoneRequest):
                self._contact_keyboard_shown.add(chat_id)
            elif remove:
                self._contact_keyboard_shown.discard(chat_id)
            for call in render(chat_id, reply, remove_keyboard=remove):
                futures.append(self.delivery.put(str(chat_id), self._sender(call), priority))
        return futures

    def _sender(self, call: TelegramMethod[Any], after: Callable[[], None] | None = None) -> Any:
        async def send() -> None:
            try:
                await self.bot(call)
                if after is not None:
                    after()  # before the queue moves on: see Broadcaster
            except TelegramRetryAfter as error:
                # Flood control is per bot: every chat waits, or the next ones hit it too.
                raise RetryLater(float(error.retry_after), whole_channel=True) from error
            except TelegramForbiddenError as error:
                raise Unreachable(str(error)) from error

        return send

    async def send_notice(self, user_id: str, text: str) -> bool:
        """For the notice dispatcher: a status notice, after conversation replies."""
        futures = [
            self.delivery.put(user_id, self._sender(call), Priority.NOTICE)
            for call in _text_calls(int(user_id), text)
        ]
        return all(await asyncio.gather(*futures))

    async def send_awareness(self, user_id: str, text: str, ticket: Ticket) -> SendResult:
        """For the broadcaster: an awareness message, after replies and notices."""
        calls = _text_calls(int(user_id), text)
        futures = [
            self.delivery.put(
                user_id,
                only_if(
                    ticket.go,
                    self._sender(call, ticket.delivered if n == len(calls) - 1 else None),
                ),
                Priority.BROADCAST,
            )
            for n, call in enumerate(calls)
        ]
        if all(await asyncio.gather(*futures)):
            return SENT
        with self.service.store.transaction():
            blocked = self.service.store.is_unreachable(ConversationKey(CHANNEL, user_id))
        if blocked:
            return SendResult(DeliveryStatus.UNSUBSCRIBED, "blocked the bot (Telegram 403)")
        return SendResult(DeliveryStatus.FAILED, "Telegram refused the message after retries")

    # --- transports ------------------------------------------------------------------------

    async def poll(self, stop: asyncio.Event) -> None:
        """Long polling. An update whose handling fails is fetched again (the offset
        stays before it) a few times, as a webhook retry would; only then is it skipped,
        and the person is asked to send it again."""
        offset: int | None = None
        failures = 0
        attempts: dict[int, int] = {}
        while not stop.is_set():
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                    request_timeout=self.poll_timeout + 10,
                )
                failures = 0
            except TelegramRetryAfter as error:
                await asyncio.sleep(error.retry_after)
                continue
            except Exception as error:  # an HTML error page, a reset, a 5xx: keep polling
                failures += 1
                log.warning("getUpdates failed (%s: %s); retrying", type(error).__name__, error)
                await asyncio.sleep(min(30.0, 0.5 * 2**failures))
                continue
            for update in updates:
                try:
                    await self.handle_update(update)
                except Exception:
                    tries = attempts[update.update_id] = attempts.get(update.update_id, 0) + 1
                    log.exception("update %d failed (attempt %d)", update.update_id, tries)
                    if tries < _UPDATE_ATTEMPTS:
                        await asyncio.sleep(0.5 * 2**tries)
                        break  # fetch it again from the same offset
                    self._ask_to_resend(update)
                attempts.pop(update.update_id, None)
                offset = update.update_id + 1

    def _ask_to_resend(self, update: Update) -> None:
        chat = update.message.chat if update.message is not None else None
        if chat is None or chat.type != "private":
            return
        language = (
            update.message.from_user.language_code
            if update.message and update.message.from_user
            else None
        )
        text = translator("hi" if language == "hi" else "en")("error.try_again")
        for call in _text_calls(chat.id, text):
            self.delivery.put(str(chat.id), self._sender(call))

    def webhook_handler(self, secret: str) -> Any:
        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                return web.json_response({"error": "wrong secret token"}, status=401)
            try:
                data = json.loads(await request.read())
                if not isinstance(data, dict):
                    raise ValueError("not an object")
                update = Update.model_validate(data, context={"bot": self.bot})
            except (ValueError, UnicodeDecodeError, ValidationError):
                return web.json_response({"error": "malformed update"}, status=400)
            await self.handle_update(update)
            return web.json_response({})

        return receive


def _text_calls(chat_id: int, text: str) -> list[TelegramMethod[Any]]:
    return [SendMessage(chat_id=chat_id, text=piece) for piece in split_text(text)]
