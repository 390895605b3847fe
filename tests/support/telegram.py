"""Telegram in tests: the real channel wired as `bot.app` wires it, over loopback HTTP to
`FakeTelegram`, in polling or webhook mode, and `TelegramLink`, through which a `Person`
talks to it as a Telegram client would (updates, callback queries, contact sharing,
photos and documents fetched with getFile)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from bot.app import BotRuntime
from bot.channels.delivery import DeliveryQueue
from bot.channels.evidence import EvidenceFolder
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_transport import SECRET_HEADER
from bot.domain.messages import (
    Choice,
    ChoicePressed,
    Command,
    ContactShared,
    ConversationKey,
    Text,
    Unsupported,
)
from bot.service.conversation import ConversationService
from bot.service.replies import ReplyLedger
from bot.settings import Settings
from support.fake_telegram import TOKEN, FakeTelegram, Sent
from support.person import Action, Person, Raw, Reply, Upload
from support.processes import TEST_REFERENCE_KEY
from support.servers import start

SECRET = "hook-Secret_0123456789abcdef"
WEBHOOK_URL = "https://bot.example/tg/hook"  # behind a proxy; served locally at its path
HOOK_PATH = "/tg/hook"
CAP_BYTES = 10 * 1024 * 1024
MODES = ["polling", "webhook"]
_KEYBOARD = "keyboard:"  # choices that are reply-keyboard buttons: pressing one types it


class Telegram:
    """The channel, its delivery queue and (in webhook mode) its HTTP endpoint, pointed at
    the fake; `deliver` hands one update to the bot the way Telegram would."""

    def __init__(
        self, mode: str, fake: FakeTelegram, service: ConversationService, evidence: Path
    ) -> None:
        self.mode = mode
        self.fake = fake
        self.service = service
        self.store = service.store
        self.evidence = evidence
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.runner: web.AppRunner | None = None
        self.http: aiohttp.ClientSession | None = None
        self.hook_url = ""
        session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url))
        self.bot = Bot(TOKEN, session=session)
        # Fast per-chat pace: a conversation is many messages and the pace has its own test.
        self.delivery = DeliveryQueue(per_second=1000, per_chat_per_second=1000)
        self.ledger = ReplyLedger(service.runner, service.clock)
        self.channel = TelegramChannel(
            self.bot,
            service,
            self.delivery,
            evidence=EvidenceFolder(evidence / "telegram", CAP_BYTES),
            ledger=self.ledger,
            poll_timeout=1,
        )

    async def start(self) -> None:
        if self.mode == "webhook":
            app = web.Application()
            app.router.add_post(HOOK_PATH, self.channel.webhook_handler(SECRET))
            self.runner, url = await start(app)
            self.hook_url = url + HOOK_PATH
            self.http = aiohttp.ClientSession()
            await self.channel.setup(WEBHOOK_URL, SECRET)
        else:
            await self.channel.setup(None, None)
            self.tasks.append(asyncio.create_task(self.channel.poll(self.stop)))
        self.tasks.append(asyncio.create_task(self.delivery.run(self.stop)))
        self.tasks.append(asyncio.create_task(self.ledger.run(self.stop)))

    async def close(self) -> None:
        self.stop.set()
        if self.mode == "polling":
            self.tasks[0].cancel()  # not worth waiting out the long poll
        # A crashed task is the test's finding (it asserts on it); cleanup goes on.
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.http is not None:
            await self.http.close()
        if self.runner is not None:
            await self.runner.cleanup()
        await self.bot.session.close()

    async def post(
        self, body: dict[str, Any] | bytes, secret: str | None = SECRET
    ) -> tuple[int, str]:
        """POSTs to the webhook as Telegram does; returns (status, body)."""
        assert self.http is not None, "webhook mode only"
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        async with self.http.post(
            self.hook_url,
            headers=headers,
            **({"data": body} if isinstance(body, bytes) else {"json": body}),
        ) as response:
            return response.status, await response.text()

    async def deliver(
        self, update: dict[str, Any], *, join: bool = True, force: bool = False
    ) -> dict[str, Any]:
        """Gives the bot one update and waits until it has handled it (and, with `join`,
        until its replies are delivered); returns the update as sent."""
        if self.mode == "polling":
            update_id = self.fake.inject(update, force=force)
            await self.fake.wait_confirmed(update_id)
            update = {"update_id": update_id, **update}
        else:
            if "update_id" not in update:
                update = self.fake.stamp(update)
            status, body = await self.post(update)
            assert status == 200, body
        if join:
            await self.joined()
        return update

    async def joined(self) -> None:
        async with asyncio.timeout(15):
            await self.delivery.join()


class TelegramLink:
    """A person in a private chat with the bot, using a Telegram app."""

    def __init__(self, tg: Telegram, chat_id: int, language_code: str | None = "hi") -> None:
        self.tg = tg
        self.fake = tg.fake
        self.store = tg.store
        self.chat_id = chat_id
        self.language_code = language_code
        self.key = ConversationKey("telegram", str(chat_id))
        self.query_ids: list[str] = []

    async def deliver(self, action: Action, message_id: str | None = None) -> list[Reply]:
        before = len(self.fake.messages_to(self.chat_id))
        await self.tg.deliver(self.update(action))
        return [reply(sent) for sent in self.fake.messages_to(self.chat_id)[before:]]

    def update(self, action: Action) -> dict[str, Any]:
        chat, language = self.chat_id, self.language_code
        match action:
            case Raw(body):
                return body
            case Text(text):
                return self.fake.text_update(chat, text, language_code=language)
            case Command(name, args):
                return self.fake.command_update(chat, name, args, language_code=language)
            case ChoicePressed(choice_id) if choice_id.startswith(_KEYBOARD):
                label = choice_id.removeprefix(_KEYBOARD)
                return self.fake.text_update(chat, label, language_code=language)
            case ChoicePressed(choice_id):
                update = self.fake.press_update(chat, choice_id, language_code=language)
                self.query_ids.append(update["callback_query"]["id"])
                return update
            case ContactShared(phone):
                return self.fake.contact_update(chat, phone, language_code=language)
            case Upload(data=data, kind="photo"):
                return self.fake.photo_update(chat, data, language_code=language)
            case Upload() as upload:
                return self.fake.document_update(
                    chat,
                    file_name=upload.file_name,
                    mime_type=upload.mime_type,
                    data=upload.data,
                    file_size=upload.announced_size,
                    language_code=language,
                )
            case Unsupported():
                return self.fake.sticker_update(chat, language_code=language)
        raise AssertionError(f"a Telegram client cannot send {action!r}")


def reply(sent: Sent) -> Reply:
    """A sent message as the person's app shows it: inline buttons, or the buttons of a
    reply keyboard under the text field (the share-contact one is `asks_contact`)."""
    markup = sent.requested_markup or {}
    choices: list[Choice] = []
    for row in (sent.markup or {}).get("inline_keyboard", []):
        choices += [Choice(button["callback_data"], button["text"]) for button in row]
    asks_contact = False
    for row in markup.get("keyboard", []):
        for button in row:
            if button.get("request_contact"):
                asks_contact = True
            else:
                choices.append(Choice(_KEYBOARD + button["text"], button["text"]))
    return Reply(sent.text, tuple(choices), asks_contact, sent)


def telegram_person(tg: Telegram, chat_id: int, language_code: str | None = "hi") -> Person:
    return Person(TelegramLink(tg, chat_id, language_code))


def photo_bytes(size: int = 4000, seed: str = "") -> bytes:
    """JPEG magic bytes and filler that differ per seed (so hashes differ)."""
    filler = hashlib.sha256(seed.encode()).digest() * (size // 32 + 1)
    return b"\xff\xd8\xff" + filler[: max(0, size - 3)]


# --- the app's own wiring (bot.app.BotRuntime), in process ---------------------------------


async def start_runtime(
    mode: str, fake: FakeTelegram, tmp_path: Path, **overrides: Any
) -> BotRuntime:
    """The app's own wiring (`BotRuntime`) against the fake, with settings `overrides`;
    in webhook mode its HTTP app binds a port of the system's choosing."""
    extra: dict[str, Any] = {}
    if mode == "webhook":
        extra = {
            "telegram_webhook_url": WEBHOOK_URL,
            "telegram_webhook_secret": SECRET,
            "http_host": "127.0.0.1",
            "http_port": 0,
        }
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=tmp_path / "runtime.db",
        evidence_dir=tmp_path / "runtime-evidence",
        telegram_bot_token=TOKEN,
        reference_key=TEST_REFERENCE_KEY,
        telegram_api_base=fake.url,
        telegram_poll_timeout=1,
        reporting_url=None,
        reporting_callback_secret=None,
        **extra,
        **overrides,
    )
    runtime = BotRuntime(settings)
    try:
        await runtime.start()
    except BaseException:
        await runtime.close()
        raise
    return runtime


def runtime_url(runtime: BotRuntime) -> str:
    """The base URL of the runtime's HTTP application (the port it bound)."""
    assert runtime.runner is not None, "the runtime serves no HTTP"
    host, port = runtime.runner.addresses[0][:2]
    return f"http://{host}:{port}"


async def runtime_deliver(
    runtime: BotRuntime, mode: str, fake: FakeTelegram, update: dict[str, Any]
) -> None:
    if mode == "polling":
        await fake.wait_confirmed(fake.inject(update))
        return
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            runtime_url(runtime) + HOOK_PATH,
            json=fake.stamp(update),
            headers={SECRET_HEADER: SECRET},
        ) as response,
    ):
        assert response.status == 200, await response.text()
