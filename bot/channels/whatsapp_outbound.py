"""What the WhatsApp channel sends, and the 24-hour customer-service window.

Replies to a person's message are always inside the window. Status notices and awareness
messages may come much later: inside the window they go as free-form text, outside it
(or when the Graph API answers 131047) only as a pre-approved template. Graph errors are
turned into what the delivery queue should do: pause and retry, give up, unsubscribe.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bot.channels.delivery import DeliveryQueue, Priority, RetryLater, only_if
from bot.channels.whatsapp_graph import (
    AUTH_CODE,
    MARKETING_OPT_OUT,
    OUTSIDE_WINDOW,
    PAIR_RATE_LIMIT,
    RATE_LIMIT_CODES,
    GraphClient,
    GraphError,
)
from bot.channels.whatsapp_render import Message, template_message, text_messages
from bot.domain.i18n import Translator, translator
from bot.domain.messages import ConversationKey, Language
from bot.domain.statuses import Channel, DeliveryStatus
from bot.service.awareness.broadcaster import SENT, SendResult, Ticket
from bot.service.database import StoreRunner
from storage.base import Store

log = logging.getLogger(__name__)

CHANNEL = Channel.WHATSAPP
WINDOW = timedelta(hours=24)
_OPTED_OUT = SendResult(DeliveryStatus.UNSUBSCRIBED, "stopped marketing messages (WhatsApp 131050)")


@dataclass
class _Outcome:
    """What happened to one queued message beyond "raised or not"."""

    failed: bool = False
    outside_window: bool = False
    opted_out: bool = False


class WhatsAppSender:
    def __init__(
        self,
        runner: StoreRunner,
        delivery: DeliveryQueue,
        graph: GraphClient,
        *,
        clock: Callable[[], datetime],
        status_template: str | None = None,
        awareness_template: str | None = None,
        template_languages: dict[str, str] | None = None,
        retry_seconds: float = 2.0,
    ) -> None:
        self.runner = runner
        self.delivery = delivery
        self.graph = graph
        self.clock = clock
        self.status_template = status_template
        self.awareness_template = awareness_template
        self.template_languages = template_languages or {"hi": "hi", "en": "en"}
        self.retry_seconds = retry_seconds

    async def _translator(self, wa_id: str) -> Translator:
        """The person's language, for what the channel itself says (list buttons, pages)."""
        key = ConversationKey(CHANNEL, wa_id)
        state = await self.runner.transaction(lambda store: store.load_conversation(key))
        return translator(state.language if state and state.language else Language.HI)

    def _sender(
        self,
        body: Message,
        outcome: _Outcome | None = None,
        after: Callable[[], Awaitable[None]] | None = None,
    ) -> Any:
        outcome = outcome if outcome is not None else _Outcome()
        to = str(body.get("to", ""))

        async def send() -> None:
            try:
                message_id = await self.graph.post_message(body)
            except GraphError as error:
                await self._failed(to, error, outcome)
                return
            if message_id:
                now = self.clock()
                await self.runner.transaction(
                    lambda store: store.record_message_status(
                        CHANNEL, message_id, user_id=to, status="accepted", at=now
                    )
                )
            if after is not None:
                await after()  # before the queue moves on: see Broadcaster

        return send

    async def _failed(self, to: str, error: GraphError, outcome: _Outcome) -> None:
        """Raises what the delivery queue should do again; records the rest."""
        if error.code in RATE_LIMIT_CODES:
            raise RetryLater(self.retry_seconds, whole_channel=True) from error
        if error.code == PAIR_RATE_LIMIT:
            raise RetryLater(self.retry_seconds) from error
        if error.status >= 500 and error.code not in (OUTSIDE_WINDOW, MARKETING_OPT_OUT):
            raise error  # the queue retries with back-off
        outcome.failed = True
        if error.code == OUTSIDE_WINDOW:
            outcome.outside_window = True
            log.info("WhatsApp %s: outside the 24-hour window", to)
        elif error.code == MARKETING_OPT_OUT:
            outcome.opted_out = True
            await self.runner.transaction(
                partial(_opt_out, ConversationKey(CHANNEL, to), self.clock())
            )
            log.warning("WhatsApp %s stopped marketing messages: unsubscribed", to)
        elif error.status == 401 or error.code == AUTH_CODE:
            log.error(
                "WHATSAPP AUTHENTICATION FAILED (%s): check WHATSAPP_TOKEN; nothing can be sent",
                error,
            )
        else:
            log.warning("WhatsApp message to %s refused: %s", to, error)

    async def send_notice(self, user_id: str, text: str) -> bool:
        """For the notice dispatcher. Inside the 24-hour window: free-form text. Outside
        it (or when Meta says so, 131047): the configured template, or False so the
        notice stays queued until the person writes again."""
        last = await self._last_inbound(user_id)
        if last is not None and self.clock() - last < WINDOW:
            outcome = _Outcome()
            futures = [
                self.delivery.put(user_id, self._sender(body, outcome), Priority.NOTICE)
                for body in text_messages(user_id, text)
            ]
            results = [await future for future in futures]
            if all(results) and not outcome.failed:
                return True
            if not outcome.outside_window:
                return False
        return await self._send_template(user_id, text)

    async def _send_template(self, user_id: str, text: str) -> bool:
        if self.status_template is None:
            log.info("WhatsApp notice to %s waits for the 24-hour window", user_id)
            return False
        outcome = await self._template(user_id, self.status_template, text, Priority.NOTICE)
        return not outcome.failed

    async def _template(
        self,
        user_id: str,
        name: str,
        text: str,
        priority: Priority,
        ticket: Ticket | None = None,
    ) -> _Outcome:
        language = (await self._translator(user_id)).language.value
        code = self.template_languages.get(language, language)
        outcome = _Outcome()
        body = template_message(user_id, name, code, [text])
        send = self._sender(body, outcome, ticket.delivered if ticket else None)
        if ticket is not None:
            send = only_if(ticket.go, send)
        if not await self.delivery.put(user_id, send, priority):
            outcome.failed = True
        return outcome

    async def send_awareness(self, user_id: str, text: str, ticket: Ticket) -> SendResult:
        """For the broadcaster, at the lowest priority: free-form inside the 24-hour
        window, the configured marketing template outside it; without a template the
        message cannot be sent to this person (Meta's rule) and is marked failed."""
        outcome = _Outcome(outside_window=True)
        last = await self._last_inbound(user_id)
        if last is not None and self.clock() - last < WINDOW:
            outcome = _Outcome()
            bodies = text_messages(user_id, text)
            futures = [
                self.delivery.put(
                    user_id,
                    only_if(
                        ticket.go,
                        self._sender(
                            body, outcome, ticket.delivered if n == len(bodies) - 1 else None
                        ),
                    ),
                    Priority.BROADCAST,
                )
                for n, body in enumerate(bodies)
            ]
            if all([await future for future in futures]) and not outcome.failed:
                return SENT
        if outcome.opted_out:
            return _OPTED_OUT
        if not outcome.outside_window:
            return SendResult(DeliveryStatus.FAILED, "WhatsApp refused the message")
        if self.awareness_template is None:
            return SendResult(
                DeliveryStatus.FAILED,
                "outside the 24-hour window and WHATSAPP_AWARENESS_TEMPLATE unset",
            )
        outcome = await self._template(
            user_id, self.awareness_template, text, Priority.BROADCAST, ticket
        )
        if outcome.opted_out:
            return _OPTED_OUT
        if outcome.failed:
            return SendResult(DeliveryStatus.FAILED, "WhatsApp refused the template")
        return SENT

    async def _last_inbound(self, user_id: str) -> datetime | None:
        return await self.runner.transaction(lambda store: store.last_inbound(CHANNEL, user_id))


def _opt_out(key: ConversationKey, at: datetime, store: Store) -> None:
    """WhatsApp says the person stopped marketing messages (131050): unsubscribe them."""
    state = store.load_conversation(key)
    language = state.language.value if state and state.language else "hi"
    store.set_subscription(key, subscribed=False, language=language, how="whatsapp 131050", at=at)
