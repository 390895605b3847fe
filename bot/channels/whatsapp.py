"""WhatsApp Business Cloud API: signed webhooks in, Graph API calls out.

Transport only, like the Telegram channel: a webhook's messages become `Inbound`s, the
conversation service answers, and the replies are queued on the delivery queue as
`POST {base}/{phone-number-id}/messages` calls.

Every verified webhook body is stored (`webhook_inbox`) before Meta gets its 200 and is
applied from there (`bot.channels.inbox`): a body a crash left is applied at the next
start, one that fails is retried with back-off and then quarantined, and Meta is never
asked to send again what we already hold. Message ids are claimed by the conversation
service, so a redelivery is applied once. Outside the 24-hour customer-service window
only templates may be sent: status notices then go as the configured template, or wait
until the person writes again.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, BinaryIO

from aiohttp import web

from bot.channels.delivery import DeliveryQueue, Priority
from bot.channels.evidence import EvidenceFolder, not_fetched
from bot.channels.inbox import WebhookInbox
from bot.channels.whatsapp_graph import GraphClient, GraphError
from bot.channels.whatsapp_inbound import dicts as _dicts
from bot.channels.whatsapp_inbound import integer as _int
from bot.channels.whatsapp_inbound import moment as _moment
from bot.channels.whatsapp_inbound import read_payload
from bot.channels.whatsapp_outbound import CHANNEL, WhatsAppSender
from bot.channels.whatsapp_render import MORE_PREFIX, render, render_choices
from bot.domain.i18n import translator
from bot.domain.json_body import parse_json_body
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    ChoicePrompt,
    ConversationKey,
    FileNotKept,
    FileProblem,
    Inbound,
    PhoneRequest,
    TextReply,
)
from bot.domain.signing import signature_ok
from bot.service.conversation import ConversationService, QueuedReply
from bot.service.database import Busy
from bot.service.http_body import read_capped
from bot.service.replies import ReplyLedger

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
# Meta's webhook payloads can be up to 3 MB (Cloud API webhooks reference); a batch of a
# few long Devanagari texts escaped as \\uXXXX is already past 64 KiB.
MAX_BODY_BYTES = 3 * 1024 * 1024
_WA_ID = re.compile(r"[0-9]{5,20}")  # wa_id is the person's phone number in digits
_MESSAGE_ID = re.compile(r"[\x21-\x7e]{1,256}")


class WhatsAppChannel(WhatsAppSender):
    def __init__(
        self,
        service: ConversationService,
        delivery: DeliveryQueue,
        ledger: ReplyLedger,
        *,
        api_base: str,
        token: str,
        phone_number_id: str,
        app_secret: str,
        verify_token: str,
        evidence: EvidenceFolder,
        clock: Callable[[], datetime] | None = None,
        status_template: str | None = None,
        awareness_template: str | None = None,
        template_languages: dict[str, str] | None = None,
        retry_seconds: float = 2.0,
        on_inbound: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(
            service.runner,
            delivery,
            GraphClient(api_base=api_base, token=token, phone_number_id=phone_number_id),
            clock=clock or service.clock,
            status_template=status_template,
            awareness_template=awareness_template,
            template_languages=template_languages,
            retry_seconds=retry_seconds,
        )
        self.service = service
        self.ledger = ledger
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.evidence = evidence
        self.on_inbound = on_inbound
        self.inbox = WebhookInbox(
            service.runner, CHANNEL, self.clock, self.handle, on_quarantine=self._ask_again
        )

    # --- life cycle ------------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(WEBHOOK_PATH, self.verify)
        app.router.add_post(WEBHOOK_PATH, self.receive)

    async def start(self) -> int:
        """Opens the Graph API session and applies webhook bodies a crash left behind
        (never failing: a body that cannot be applied is recorded and retried later);
        returns how many there were."""
        await self.graph.open()
        return await self.inbox.apply_due()

    async def close(self) -> None:
        await self.graph.close()

    # --- webhook ---------------------------------------------------------------------------

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's subscription handshake: echo the challenge for our verify token."""
        query = request.query
        given = query.get("hub.verify_token", "")
        if (
            query.get("hub.mode") == "subscribe"
            and given.isascii()
            and hmac.compare_digest(given.encode(), self.verify_token.encode())
        ):
            return web.Response(text=query.get("hub.challenge", ""), content_type="text/plain")
        return web.Response(status=403, text="forbidden")

    async def receive(self, request: web.Request) -> web.Response:
        body = await read_capped(request, MAX_BODY_BYTES)
        if body is None:
            return web.Response(status=413, text="body too large")
        if not signature_ok(self.app_secret, body, request.headers.get(SIGNATURE_HEADER, "")):
            return web.Response(status=403, text="bad signature")
        try:
            parse_json_body(body)
        except ValueError as error:
            return web.Response(status=400, text=f"malformed body: {error}")
        text = body.decode("utf-8")
        try:
            inbox_id = await self.inbox.accept(text)
        except Busy:
            return web.Response(status=503, text="busy, send it again later")
        # Stored: whatever happens next is retried from the inbox, not by Meta.
        await self.inbox.apply_stored(inbox_id, text)
        return web.Response(text="ok")

    async def handle(self, data: Any) -> None:
        """Applies one webhook body; shapes it does not know are ignored."""
        for value in _values(data):
            for status in _dicts(value.get("statuses")):
                await self._record_status(status)
            for message in _dicts(value.get("messages")):
                await self._handle_message(message)

    async def _record_status(self, status: dict[str, Any]) -> None:
        message_id, state = status.get("id"), status.get("status")
        if not isinstance(message_id, str) or not isinstance(state, str):
            return
        code = next(
            (e["code"] for e in _dicts(status.get("errors")) if isinstance(e.get("code"), int)),
            None,
        )
        if state == "failed":
            log.warning("WhatsApp message %s failed (code %s)", message_id, code)
        user_id = str(status.get("recipient_id", ""))
        at = _moment(status.get("timestamp")) or self.clock()
        await self.runner.transaction(
            lambda store: store.record_message_status(
                CHANNEL, message_id, user_id=user_id, status=state, at=at, error_code=code
            )
        )

    async def _handle_message(self, message: dict[str, Any]) -> None:
        wa_id, message_id = message.get("from"), message.get("id")
        if not (_is(wa_id, _WA_ID) and _is(message_id, _MESSAGE_ID)):
            log.warning("WhatsApp message without a usable sender or id: ignored")
            return
        assert isinstance(wa_id, str) and isinstance(message_id, str)
        key = ConversationKey(CHANNEL, wa_id)
        payload = await read_payload(message, lambda *media: self._fetch(key, *media))
        at = _moment(message.get("timestamp")) or self.clock()
        await self.runner.transaction(lambda store: store.record_inbound(CHANNEL, wa_id, at))
        if self.on_inbound is not None:
            self.on_inbound()  # a notice waiting for the window can go now
        if isinstance(payload, ChoicePressed) and payload.choice_id.startswith(MORE_PREFIX):
            await self._send_page(wa_id, payload.choice_id.removeprefix(MORE_PREFIX))
            return
        inbound = Inbound(
            key=key,
            message_id=message_id,
            payload=payload,
            platform_language=None,  # WhatsApp does not tell us
            sender_phone=wa_id,
        )
        self.send_replies(wa_id, await self.service.handle(inbound))

    async def _ask_again(self, data: Any) -> None:
        """A body was quarantined: ask each sender in it to send their message again."""
        for value in _values(data):
            for message in _dicts(value.get("messages")):
                wa_id = message.get("from")
                if _is(wa_id, _WA_ID):
                    assert isinstance(wa_id, str)
                    t = await self._translator(wa_id)
                    for body in render(wa_id, TextReply(t("error.try_again")), t):
                        self.delivery.put(wa_id, self._sender(body))

    # --- media -----------------------------------------------------------------------------

    async def _fetch(
        self, key: ConversationKey, media_id: str, mime: str, kind: str
    ) -> Attachment | FileNotKept:
        """The file behind a media id, when the conversation wants one now: media URL
        from the Graph API, then the file with the bearer token, kept by the rules of
        `EvidenceFolder`. A file Meta refuses to hand over is reported to the person; a
        Graph error that may pass (5xx, timeout) fails the body, which is retried."""
        if not await self.service.wants_file(key, mime):
            return not_fetched(mime, kind)
        try:
            meta = await self.graph.media_info(media_id)
        except GraphError as error:
            if error.status >= 500:
                raise
            log.warning("WhatsApp media %s refused: %s", media_id, error)
            return FileNotKept(FileProblem.UNAVAILABLE)
        mime = str(meta.get("mime_type") or mime).split(";")[0].strip()
        url = meta.get("url")
        if not isinstance(url, str):
            return FileNotKept(FileProblem.UNAVAILABLE)

        async def download(into: BinaryIO) -> None:
            await self.graph.download(url, into)

        return await self.evidence.receive(
            download, claimed_mime=mime, kind=kind, announced=_int(meta.get("file_size"))
        )

    # --- replies out -----------------------------------------------------------------------

    def send_replies(self, wa_id: str, replies: list[QueuedReply]) -> None:
        """Queues stored replies; each is forgotten once Meta has all of it."""
        for reply in replies:
            t = translator(reply.language)
            sends = [
                self.delivery.put(wa_id, self._sender(body), Priority.REPLY)
                for body in render(wa_id, reply.outbound, t)
            ]
            self.ledger.track(reply, sends)

    async def _send_page(self, wa_id: str, page: str) -> None:
        """The "more" row of a long list: the next page of the question the person is on
        (read from their stored conversation, so it works across restarts too)."""
        prompt = await self.service.prompt_now(ConversationKey(CHANNEL, wa_id))
        if not isinstance(prompt, ChoicePrompt | PhoneRequest) or not page.isdigit():
            return
        t = await self._translator(wa_id)
        for body in render_choices(wa_id, prompt.text, prompt.choices, t, int(page)):
            self.delivery.put(wa_id, self._sender(body))


def _values(data: Any) -> list[dict[str, Any]]:
    """The `value` objects of a webhook body's entries and changes."""
    if not isinstance(data, dict):
        return []
    return [
        change["value"]
        for entry in _dicts(data.get("entry"))
        for change in _dicts(entry.get("changes"))
        if isinstance(change.get("value"), dict)
    ]


def _is(value: object, shape: re.Pattern[str]) -> bool:
    return isinstance(value, str) and shape.fullmatch(value) is not None
