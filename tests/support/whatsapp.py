"""WhatsApp in tests: the real channel on a loopback aiohttp app, answering through
`FakeGraph`, and `WhatsAppLink`, through which a `Person` talks to it the way Meta
delivers messages (signed webhooks: text, interactive replies, media, contacts)."""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.channels.delivery import DeliveryQueue
from bot.channels.evidence import EvidenceFolder
from bot.channels.whatsapp import CHANNEL, SIGNATURE_HEADER, WEBHOOK_PATH, WhatsAppChannel
from bot.domain.messages import (
    Choice,
    ChoicePressed,
    Command,
    ContactShared,
    ConversationKey,
    Text,
    Unsupported,
)
from bot.domain.signing import sign as sign_with
from bot.service.conversation import ConversationService
from bot.service.replies import ReplyLedger
from storage.sqlite import SqliteStore
from support.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph, SentMessage
from support.person import Action, Person, Raw, Reply, Upload
from support.processes import TEST_REFERENCE_KEY
from support.servers import start

APP_SECRET = "app-secret-0123456789abcdef"
VERIFY_TOKEN = "verify-me-please"
CAP_BYTES = 1024 * 1024
WA_ID = "919876543210"
TEMPLATE = "complaint_status_update"
_ids = itertools.count(1)


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return sign_with(secret, body)


def envelope(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


class WhatsApp:
    """The channel, its queue and its webhook on a loopback aiohttp app."""

    def __init__(
        self,
        graph: FakeGraph,
        service: ConversationService,
        evidence: Path,
        *,
        status_template: str | None = None,
        awareness_template: str | None = None,
    ) -> None:
        self.graph = graph
        self.service = service
        self.store = service.store
        self.clock = service.clock
        self.stop = asyncio.Event()
        self.delivery = DeliveryQueue(per_second=1000, per_chat_per_second=1000)
        self.ledger = ReplyLedger(service.runner, service.clock)
        self.channel = WhatsAppChannel(
            service,
            self.delivery,
            self.ledger,
            api_base=graph.url,
            token=TOKEN,
            phone_number_id=PHONE_NUMBER_ID,
            app_secret=APP_SECRET,
            verify_token=VERIFY_TOKEN,
            evidence=EvidenceFolder(evidence / "whatsapp", CAP_BYTES),
            status_template=status_template,
            awareness_template=awareness_template,
            retry_seconds=0.2,
        )
        self.runner: web.AppRunner | None = None
        self.http: aiohttp.ClientSession | None = None
        self.url = ""
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        app = web.Application()
        self.channel.add_routes(app)
        self.runner, url = await start(app)
        self.url = url + WEBHOOK_PATH
        self.http = aiohttp.ClientSession()
        self.task = asyncio.create_task(self.delivery.run(self.stop))
        self.ledger_task = asyncio.create_task(self.ledger.run(self.stop))
        await self.channel.start()

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            await self.task
            await self.ledger_task
        await self.channel.close()
        if self.http is not None:
            await self.http.close()
        if self.runner is not None:
            await self.runner.cleanup()

    async def post(self, body: bytes, signature: str | None = "valid") -> tuple[int, str]:
        assert self.http is not None
        headers = {"Content-Type": "application/json"}
        if signature == "valid":
            headers[SIGNATURE_HEADER] = sign(body)
        elif signature is not None:
            headers[SIGNATURE_HEADER] = signature
        async with self.http.post(self.url, data=body, headers=headers) as response:
            return response.status, await response.text()

    async def deliver(self, payload: dict[str, Any]) -> None:
        status, text = await self.post(json.dumps(payload).encode())
        assert status == 200, text
        await self.joined()

    async def joined(self) -> None:
        async with asyncio.timeout(15):
            await self.delivery.join()

    def message(self, wa_id: str, kind: str, part: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "from": wa_id,
            "id": extra.pop("id", f"wamid.IN{next(_ids):010d}"),
            "timestamp": str(int(self.clock().timestamp())),
            "type": kind,
            kind: part,
            **extra,
        }

    def inbound(self, wa_id: str, *messages: dict[str, Any]) -> dict[str, Any]:
        return envelope(
            {
                "contacts": [{"profile": {"name": "Sunita"}, "wa_id": wa_id}],
                "messages": list(messages),
            }
        )

    def inbox(self) -> list[dict[str, Any]]:
        assert isinstance(self.store, SqliteStore)
        return list(self.store.db.query("select * from webhook_inbox order by id"))


class WhatsAppLink:
    """A person on WhatsApp: each action becomes a message object in a signed webhook."""

    def __init__(self, wa: WhatsApp, wa_id: str = WA_ID) -> None:
        self.wa = wa
        self.store = wa.store
        self.wa_id = wa_id
        self.key = ConversationKey(CHANNEL, wa_id)
        self._media = itertools.count(1_203_456_789)
        self._kinds: dict[str, str] = {}  # choice id -> button_reply | list_reply, as shown

    async def deliver(self, action: Action, message_id: str | None = None) -> list[Reply]:
        before = len(self.wa.graph.to(self.wa_id))
        message = self.message(action)
        if message_id is not None:
            message["id"] = message_id
        await self.wa.deliver(self.wa.inbound(self.wa_id, message))
        return [self.reply(sent) for sent in self.wa.graph.to(self.wa_id)[before:]]

    def message(self, action: Action) -> dict[str, Any]:
        wa, wa_id = self.wa, self.wa_id
        match action:
            case Raw(body):
                return body
            case Text(text):
                return wa.message(wa_id, "text", {"body": text})
            case Command(name, args):
                return wa.message(wa_id, "text", {"body": f"/{name} {args}".strip()})
            case ChoicePressed(choice_id):
                kind = self._kinds.get(choice_id, "button_reply")
                part = {"type": kind, kind: {"id": choice_id, "title": choice_id[:20]}}
                return wa.message(wa_id, "interactive", part)
            case ContactShared(phone):
                contact = {"name": {"formatted_name": "Me"}, "phones": [{"phone": phone}]}
                return {**wa.message(wa_id, "contacts", {}), "contacts": [contact]}
            case Upload() as upload:
                media_id = str(next(self._media))
                size = upload.announced_size
                wa.graph.add_media(media_id, upload.data, upload.mime_type, size=size)
                kind = "image" if upload.kind == "photo" else "document"
                part = {"id": media_id, "mime_type": upload.mime_type, "sha256": "x"}
                if kind == "document":
                    part["filename"] = upload.file_name
                return wa.message(wa_id, kind, part)
            case Unsupported():
                return wa.message(wa_id, "sticker", {"id": "5", "mime_type": "image/webp"})
        raise AssertionError(f"a WhatsApp client cannot send {action!r}")

    def reply(self, sent: SentMessage) -> Reply:
        for kind, choice_id, _ in sent.options:
            self._kinds[choice_id] = kind
        choices = tuple(Choice(choice_id, title) for _, choice_id, title in sent.options)
        return Reply(sent.text, choices, raw=sent)


def whatsapp_person(wa: WhatsApp, wa_id: str = WA_ID) -> Person:
    return Person(WhatsAppLink(wa, wa_id))


async def start_whatsapp_runtime(graph: FakeGraph, tmp_path: Path, **overrides: Any) -> Any:
    """The app's own wiring (`BotRuntime`) serving WhatsApp against the fake, on a port
    of the system's choosing (`support.telegram.runtime_url` gives its URL)."""
    from bot.app import BotRuntime
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=tmp_path / "runtime.db",
        evidence_dir=tmp_path / "runtime-evidence",
        whatsapp_token=TOKEN,
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_base=graph.url,
        reference_key=TEST_REFERENCE_KEY,
        http_host="127.0.0.1",
        http_port=0,
        **overrides,
    )
    runtime = BotRuntime(settings)
    try:
        await runtime.start()
    except BaseException:
        await runtime.close()
        raise
    return runtime
