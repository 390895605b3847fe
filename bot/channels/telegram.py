"""Telegram on aiogram 3: updates in (polling or webhook), Bot API calls out.

Transport only: an update becomes an `Inbound`, the conversation service answers, and
the replies are queued on the delivery queue as Bot API calls. The core never sees an
aiogram type.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
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

from bot.channels.delivery import (
    DeliveryQueue,
    Priority,
    RetryLater,
    Unreachable,
    only_if,
)
from bot.channels.evidence import EvidenceFolder
from bot.channels.inbox import WebhookInbox
from bot.channels.telegram_inbound import UpdateReader
from bot.channels.telegram_render import render, split_text
from bot.channels.telegram_transport import ALLOWED_UPDATES, poll, webhook_handler
from bot.domain.errors import ConfigurationError
from bot.domain.i18n import translator
from bot.domain.messages import (
    ConversationKey,
    Inbound,
    Outbound,
    PhoneRequest,
)
from bot.domain.statuses import Channel, DeliveryStatus
from bot.service.awareness.broadcaster import SENT, SendResult, Ticket
from bot.service.conversation import ConversationService, QueuedReply
from bot.service.replies import ReplyLedger

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
After = Callable[[], Awaitable[None]]  # run once the platform accepted a message
COMMANDS = ("start", "new", "status", "help", "language", "cancel", "subscribe", "unsubscribe")


class TelegramChannel:
    def __init__(
        self,
        bot: Bot,
        service: ConversationService,
        delivery: DeliveryQueue,
        *,
        evidence: EvidenceFolder,
        ledger: ReplyLedger,
        poll_timeout: int = 25,
        operators: frozenset[str] = frozenset(),
    ) -> None:
        self.bot = bot
        self.service = service
        self.delivery = delivery
        self.ledger = ledger
        self.inbox = WebhookInbox(service.runner, CHANNEL, service.clock, self._apply_stored)
        self.reader = UpdateReader(bot, evidence=evidence, wants_file=service.wants_file)
        self.poll_timeout = poll_timeout
        self.operators = operators
        self._contact_keyboard_shown: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    # --- start-up --------------------------------------------------------------------------

    async def setup(self, webhook_url: str | None, webhook_secret: str | None) -> None:
        """Commands menu in both languages, then webhook or polling mode. Failing
        non-essential calls are logged; only a failing setWebhook stops the start, with
        a `ConfigurationError` naming the settings to check."""
        for language, code in (("en", None), ("hi", "hi")):
            t = translator(language)
            commands = [BotCommand(command=c, description=t(f"command.{c}")) for c in COMMANDS]
            await self._quietly(SetMyCommands(commands=commands, language_code=code))
        if webhook_url:
            hook = SetWebhook(
                url=webhook_url, secret_token=webhook_secret, allowed_updates=ALLOWED_UPDATES
            )
            try:
                await self.bot(hook)
            except Exception as error:  # whatever the server answered: no webhook, no bot
                raise ConfigurationError(
                    f"the Bot API refused setWebhook ({type(error).__name__}: {error}); check "
                    "TELEGRAM_WEBHOOK_URL (public HTTPS, port 443, 80, 88 or 8443), "
                    "TELEGRAM_WEBHOOK_SECRET, TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE"
                ) from error
        else:
            await self._quietly(DeleteWebhook(drop_pending_updates=False))

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _quietly(self, method: TelegramMethod[Any]) -> None:
        """A call the bot works without (command menu, webhook removal, acknowledging a
        press, retiring a keyboard): whatever the server answers (an error, HTML, a body
        aiogram cannot decode, a reset), it is logged and the bot goes on."""
        try:
            await self.bot(method)
        except Exception as error:
            name = type(method).__name__
            log.warning("non-essential %s failed (%s): %s", name, type(error).__name__, error)

    # --- updates in ------------------------------------------------------------------------

    async def handle_update(self, update: Update) -> None:
        query = update.callback_query
        if query is not None:
            # Acknowledge the press and retire its keyboard without making the person
            # (or Telegram's webhook) wait for these two round trips.
            self._background(self._quietly(AnswerCallbackQuery(callback_query_id=query.id)))
            if isinstance(query.message, Message) and query.message.reply_markup is not None:
                retire = EditMessageReplyMarkup(
                    chat_id=query.message.chat.id, message_id=query.message.message_id
                )
                self._background(self._quietly(retire))
        incoming = await self.reader.read(update)
        if incoming is None:
            return  # edited messages, group chats, membership changes: nothing to answer
        inbound = Inbound(
            key=ConversationKey(CHANNEL, str(incoming.chat_id)),
            message_id=str(update.update_id),
            payload=incoming.payload,
            platform_language=incoming.language,
            operator=incoming.sender is not None and str(incoming.sender) in self.operators,
        )
        self.send_replies(incoming.chat_id, await self.service.handle(inbound))

    # --- replies out -----------------------------------------------------------------------

    def send_replies(self, chat_id: int | str, replies: list[QueuedReply]) -> None:
        """Queues stored replies; each is forgotten once Telegram has all of it."""
        for reply in replies:
            self.ledger.track(reply, self.send_outbound(int(chat_id), reply.outbound))

    def send_outbound(
        self, chat_id: int, reply: Outbound, priority: Priority = Priority.REPLY
    ) -> list[asyncio.Future[bool]]:
        remove = chat_id in self._contact_keyboard_shown
        if isinstance(reply, PhoneRequest):
            self._contact_keyboard_shown.add(chat_id)
        elif remove:
            self._contact_keyboard_shown.discard(chat_id)
        return [
            self.delivery.put(str(chat_id), self._sender(call), priority)
            for call in render(chat_id, reply, remove_keyboard=remove)
        ]

    def _sender(self, call: TelegramMethod[Any], after: After | None = None) -> Any:
        async def send() -> None:
            try:
                await self.bot(call)
                if after is not None:
                    await after()  # before the queue moves on: see Broadcaster
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
        key = ConversationKey(CHANNEL, user_id)
        blocked = await self.service.runner.transaction(lambda store: store.is_unreachable(key))
        if blocked:
            return SendResult(DeliveryStatus.UNSUBSCRIBED, "blocked the bot (Telegram 403)")
        return SendResult(DeliveryStatus.FAILED, "Telegram refused the message after retries")

    # --- transports ------------------------------------------------------------------------

    async def poll(self, stop: asyncio.Event) -> None:
        await poll(self.bot, self.handle_update, self._failed, stop, timeout=self.poll_timeout)

    def webhook_handler(self, secret: str) -> Any:
        return webhook_handler(self.bot, self.handle_update, self._failed, secret)

    async def _failed(self, update: Update, error: BaseException) -> bool:
        """Counts a failure; once the update is quarantined, asks the person to resend."""
        body = update.model_dump_json(exclude_none=True)
        quarantined = await self.inbox.update_failed(str(update.update_id), body, error)
        if quarantined:
            await self._ask_to_resend(update)
        return quarantined

    async def _apply_stored(self, data: Any) -> None:
        """A quarantined update an operator released (`python bot.py quarantine retry`)."""
        await self.handle_update(Update.model_validate(data, context={"bot": self.bot}))

    async def _ask_to_resend(self, update: Update) -> None:
        """In the language the person speaks with us (their app's, before we know it)."""
        chat = update.message.chat if update.message is not None else None
        if chat is None or chat.type != "private":
            return
        key = ConversationKey(CHANNEL, str(chat.id))
        state = await self.service.runner.transaction(lambda store: store.load_conversation(key))
        user = update.message.from_user if update.message else None
        language = state.language if state and state.language else (user and user.language_code)
        text = translator("hi" if language == "hi" else "en")("error.try_again")
        for call in _text_calls(chat.id, text):
            self.delivery.put(str(chat.id), self._sender(call))


def _text_calls(chat_id: int, text: str) -> list[TelegramMethod[Any]]:
    return [SendMessage(chat_id=chat_id, text=piece) for piece in split_text(text)]
