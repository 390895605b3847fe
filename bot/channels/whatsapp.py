"""WhatsApp Business Cloud API: signed webhooks in, Graph API calls out.

Transport only, like the Telegram channel: a webhook's messages become `Inbound`s, the
conversation service answers, and the replies are queued on the delivery queue as
`POST {base}/{phone-number-id}/messages` calls.

Every accepted webhook body is stored (`webhook_inbox`) before Meta gets its 200 and is
processed from there; a body left unprocessed by a crash is processed at the next start.
Message ids are claimed by the conversation service, so a redelivery is applied once.
Outside the 24-hour customer-service window only templates may be sent: status notices
then go as the configured template, or wait until the person writes again.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

from aiohttp import web

from bot.channels.delivery import DeliveryQueue, Priority
from bot.channels.evidence import EvidenceWriter, TooLarge, too_large
from bot.channels.whatsapp_graph import (
    GraphClient,
    GraphError,
)
from bot.channels.whatsapp_inbound import dicts as _dicts
from bot.channels.whatsapp_inbound import integer as _int
from bot.channels.whatsapp_inbound import moment as _moment
from bot.channels.whatsapp_inbound import read_payload
from bot.channels.whatsapp_outbound import CHANNEL, WhatsAppSender
from bot.channels.whatsapp_render import (
    MORE_PREFIX,
    render,
    render_choices,
)
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    ChoicePrompt,
    ConversationKey,
    Inbound,
    Outbound,
    Payload,
    PhoneRequest,
)
from bot.domain.signing import signature_ok
from bot.service.conversation import ConversationService

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"


class WhatsAppChannel(WhatsAppSender):
    def __init__(
        self,
        service: ConversationService,
        delivery: DeliveryQueue,
        *,
        api_base: str,
        token: str,
        phone_number_id: str,
        app_secret: str,
        verify_token: str,
        evidence_dir: Path,
        max_attachment_bytes: int,
        clock: Callable[[], datetime] | None = None,
        status_template: str | None = None,
        awareness_template: str | None = None,
        template_languages: dict[str, str] | None = None,
        retry_seconds: float = 2.0,
        on_inbound: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(
            service.store,
            delivery,
            GraphClient(api_base=api_base, token=token, phone_number_id=phone_number_id),
            clock=clock or service.clock,
            status_template=status_template,
            awareness_template=awareness_template,
            template_languages=template_languages,
            retry_seconds=retry_seconds,
        )
        self.service = service
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.evidence_dir = evidence_dir
        self.max_attachment_bytes = max_attachment_bytes
        self.on_inbound = on_inbound

    # --- life cycle ------------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(WEBHOOK_PATH, self.verify)
        app.router.add_post(WEBHOOK_PATH, self.receive)

    async def start(self) -> int:
        """Opens the Graph API session and processes webhook bodies a crash left behind;
        returns how many there were."""
        await self.graph.open()
        return await self.process_leftovers()

    async def close(self) -> None:
        await self.graph.close()

    async def process_leftovers(self) -> int:
        done = 0
        while True:
            with self.store.transaction():
                items = self.store.unprocessed_webhooks(CHANNEL)
            if not items:
                return done
            for item in items:
                try:
                    data = json.loads(item.body)
                except ValueError:
                    data = None
                log.warning("processing webhook body %d left from before a restart", item.id)
                await self._process(item.id, data)
                done += 1

    # --- webhook ---------------------------------------------------------------------------

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo the challenge for our verify token."""
        query = request.query
        given = query.get("hub.verify_token", "")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(
            given.encode(), self.verify_token.encode()
        ):
            return web.Response(text=query.get("hub.challenge", ""), content_type="text/plain")
        return web.Response(status=403, text="forbidden")

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not signature_ok(self.app_secret, body, request.headers.get(SIGNATURE_HEADER, "")):
            return web.Response(status=403, text="bad signature")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400, text="malformed JSON")
        with self.store.transaction():
            inbox_id = self.store.store_webhook(CHANNEL, body.decode(), self.clock())
        try:
            await self._process(inbox_id, data)
        except Exception:
            # Stored, so nothing is lost; Meta redelivers after a 5xx and message ids
            # are claimed, so what was applied already is not applied twice.
            log.exception("webhook body %d failed", inbox_id)
            return web.Response(status=500, text="try again")
        return web.Response(text="ok")

    async def _process(self, inbox_id: int, data: Any) -> None:
        await self.handle(data)
        with self.store.transaction():
            self.store.mark_webhook_processed(inbox_id, self.clock())

    async def handle(self, data: Any) -> None:
        """Applies one webhook body; shapes it does not know are ignored."""
        if not isinstance(data, dict):
            return
        for entry in _dicts(data.get("entry")):
            for change in _dicts(entry.get("changes")):
                value = change.get("value")
                if not isinstance(value, dict):
                    continue
                for status in _dicts(value.get("statuses")):
                    self._record_status(status)
                for message in _dicts(value.get("messages")):
                    await self._handle_message(message)

    def _record_status(self, status: dict[str, Any]) -> None:
        message_id, state = status.get("id"), status.get("status")
        if not isinstance(message_id, str) or not isinstance(state, str):
            return
        code = None
        for error in _dicts(status.get("errors")):
            if isinstance(error.get("code"), int):
                code = error["code"]
                break
        if state == "failed":
            log.warning("WhatsApp message %s failed (code %s)", message_id, code)
        with self.store.transaction():
            self.store.record_message_status(
                CHANNEL,
                message_id,
                user_id=str(status.get("recipient_id", "")),
                status=state,
                at=_moment(status.get("timestamp")) or self.clock(),
                error_code=code,
            )

    async def _handle_message(self, message: dict[str, Any]) -> None:
        wa_id, message_id = message.get("from"), message.get("id")
        if not isinstance(wa_id, str) or not wa_id or not isinstance(message_id, str):
            return
        payload = await self._payload(message)
        with self.store.transaction():
            self.store.record_inbound(
                CHANNEL, wa_id, _moment(message.get("timestamp")) or self.clock()
            )
        if self.on_inbound is not None:
            self.on_inbound()  # a notice waiting for the window can go now
        if isinstance(payload, ChoicePressed) and payload.choice_id.startswith(MORE_PREFIX):
            self._send_page(wa_id, payload.choice_id.removeprefix(MORE_PREFIX))
            return
        inbound = Inbound(
            key=ConversationKey(CHANNEL, wa_id),
            message_id=message_id,
            payload=payload,
            platform_language=None,  # WhatsApp does not tell us
            sender_phone=wa_id,
        )
        self.send_replies(wa_id, self.service.process(inbound))

    async def _payload(self, message: dict[str, Any]) -> Payload:
        return await read_payload(message, self._fetch)

    # --- media -----------------------------------------------------------------------------

    async def _fetch(self, media_id: str, mime: str, kind: str) -> Attachment:
        """Media URL from the Graph API, then the file with the bearer token, saved under
        EVIDENCE_DIR named by its SHA-256. A file over the cap is not downloaded: the core
        explains the limit to the person."""
        meta = await self.graph.media_info(media_id)
        mime = str(meta.get("mime_type") or mime).split(";")[0].strip()
        size = _int(meta.get("file_size"))
        if size is not None and size > self.max_attachment_bytes:
            return too_large(size, mime, kind)
        url = meta.get("url")
        if not isinstance(url, str):
            raise GraphError(200, None, f"media {media_id} has no url")
        with EvidenceWriter(self.evidence_dir / CHANNEL, self.max_attachment_bytes) as writer:
            try:
                await self.graph.download(url, cast(BinaryIO, writer))
            except TooLarge:
                return too_large(writer.size, mime, kind)
            return writer.keep(mime, kind)

    # --- replies out -----------------------------------------------------------------------

    def send_replies(
        self, wa_id: str, replies: list[Outbound], priority: Priority = Priority.REPLY
    ) -> list[Awaitable[bool]]:
        if not replies:
            return []
        t = self._translator(wa_id)
        futures: list[Awaitable[bool]] = []
        for reply in replies:
            for body in render(wa_id, reply, t):
                futures.append(self.delivery.put(wa_id, self._sender(body), priority))
        return futures

    def _send_page(self, wa_id: str, page: str) -> None:
        """The "more" row of a long list: the next page of the question the person is on
        (read from their stored conversation, so it works across restarts too)."""
        prompt = self.service.current_prompt(ConversationKey(CHANNEL, wa_id))
        if not isinstance(prompt, ChoicePrompt | PhoneRequest) or not page.isdigit():
            return
        t = self._translator(wa_id)
        for body in render_choices(wa_id, prompt.text, prompt.choices, t, int(page)):
            self.delivery.put(wa_id, self._sender(body))
