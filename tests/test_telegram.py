"""The Telegram channel end to end in one process, told as conversations.

The real pieces are wired as `bot.app` wires them (SQLite store, conversation service on
the test clock, delivery queue, aiogram's HTTP client, TelegramChannel) and talk over
loopback sockets to `FakeTelegram`, a Bot API server speaking the documented JSON. Each
conversation runs twice: long polling (updates come back from getUpdates) and webhook
(updates are POSTed to the channel's aiohttp handler, as Telegram does, with the secret
header). People press the buttons the bot really sent, so a keyboard that renders wrong
fails here the way it would fail for a victim.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web
from fake_telegram import TOKEN, FakeTelegram, Sent
from journeys import reference_in

from bot.app import BotRuntime
from bot.channels.delivery import DeliveryQueue, Priority
from bot.channels.telegram import COMMANDS, TelegramChannel
from bot.channels.telegram_transport import SECRET_HEADER
from bot.channels.telegram_render import TEXT_LIMIT
from bot.domain.messages import Choice, ChoicePrompt, ConversationKey, TextReply
from bot.domain.reference import format_reference
from bot.service.conversation import ConversationService
from bot.settings import Settings
from storage.sqlite import SqliteStore

SECRET = "hook-Secret_0123456789abcdef"
WEBHOOK_URL = "https://bot.example/tg/hook"  # behind a proxy; served locally at its path
HOOK_PATH = "/tg/hook"
CAP_BYTES = 10 * 1024 * 1024
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
MODES = ["polling", "webhook"]


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
        self.channel = TelegramChannel(
            self.bot,
            service,
            self.delivery,
            evidence_dir=evidence,
            max_attachment_bytes=CAP_BYTES,
            poll_timeout=1,
        )

    async def start(self) -> None:
        if self.mode == "webhook":
            app = web.Application()
            app.router.add_post(HOOK_PATH, self.channel.webhook_handler(SECRET))
            self.runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
            await self.runner.setup()
            await web.TCPSite(self.runner, "127.0.0.1", 0).start()
            host, port = self.runner.addresses[0][:2]
            self.hook_url = f"http://{host}:{port}{HOOK_PATH}"
            self.http = aiohttp.ClientSession()
            await self.channel.setup(WEBHOOK_URL, SECRET)
        else:
            await self.channel.setup(None, None)
            self.tasks.append(asyncio.create_task(self.channel.poll(self.stop)))
        self.tasks.append(asyncio.create_task(self.delivery.run(self.stop)))

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


class Person:
    """Someone in a private chat with the bot: sends, presses, shares, reads."""

    def __init__(self, tg: Telegram, chat_id: int, language_code: str | None = "hi") -> None:
        self.tg = tg
        self.fake = tg.fake
        self.chat_id = chat_id
        self.language_code = language_code
        self.replies: list[Sent] = []
        self.query_ids: list[str] = []
        self.key = ConversationKey("telegram", str(chat_id))

    async def _act(self, update: dict[str, Any]) -> list[Sent]:
        before = len(self.fake.messages_to(self.chat_id))
        await self.tg.deliver(update)
        self.replies = self.fake.messages_to(self.chat_id)[before:]
        return self.replies

    async def send(self, text: str) -> list[Sent]:
        update = self.fake.text_update(self.chat_id, text, language_code=self.language_code)
        return await self._act(update)

    async def command(self, name: str, args: str = "") -> list[Sent]:
        update = self.fake.command_update(
            self.chat_id, name, args, language_code=self.language_code
        )
        return await self._act(update)

    async def press(self, label: str) -> list[Sent]:
        """Presses the button labelled `label` on the latest inline keyboard."""
        try:
            update = self.fake.press_update(self.chat_id, label, language_code=self.language_code)
        except LookupError as error:
            raise AssertionError(f"{error}\nlast replies:\n{self.text}") from None
        self.query_ids.append(update["callback_query"]["id"])
        return await self._act(update)

    async def share_contact(self, phone: str) -> list[Sent]:
        return await self._act(self.fake.contact_update(self.chat_id, phone))

    async def send_photo(self, data: bytes) -> list[Sent]:
        return await self._act(self.fake.photo_update(self.chat_id, data))

    async def send_update(self, update: dict[str, Any]) -> list[Sent]:
        return await self._act(update)

    @property
    def text(self) -> str:
        return "\n".join(sent.text for sent in self.replies)

    @property
    def texts(self) -> list[str]:
        return self.fake.texts(self.chat_id)

    def sees(self, *fragments: str) -> None:
        for fragment in fragments:
            assert fragment in self.text, f"{fragment!r} not in replies:\n{self.text}"

    def buttons(self) -> list[str]:
        return [label for row in self.fake.last_inline_keyboard(self.chat_id) for label, _ in row]


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_tg(
    mode: str, fake: FakeTelegram, service: ConversationService, tmp_path: Path
) -> AsyncIterator[Callable[[], Awaitable[Telegram]]]:
    """Starts the channel on demand (so a test can script the fake before setup)."""
    started: list[Telegram] = []

    async def start() -> Telegram:
        tg = Telegram(mode, fake, service, tmp_path / "evidence")
        started.append(tg)
        await tg.start()
        return tg

    yield start
    for tg in started:
        await tg.close()


@pytest.fixture
async def tg(make_tg: Callable[[], Awaitable[Telegram]]) -> Telegram:
    return await make_tg()


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Waits for something another task does (the delivery queue, the poller)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def money_trail(person: Person) -> str:
    """नमस्ते to the reference number by buttons and contact sharing (9 inputs)."""
    await person.send("नमस्ते")
    person.sees("1930", "आप क्या करना चाहेंगे")
    await person.press("ठगी की शिकायत")
    await person.press("UPI से भुगतान")
    await person.send("आज 3 बजे")
    await person.send("26 लाख 4 हजार")
    await person.send("631845002917")
    await person.press("SBI")
    person.sees("मोबाइल नंबर")
    await person.share_contact("919876543210")  # Telegram sends it without the "+"
    person.sees("₹26,04,000", "631845002917", "9876543210")
    await person.press("शिकायत दर्ज करें")
    person.sees("शिकायत संख्या")
    return reference_in(person.text)


def unreachable_rows(store: SqliteStore) -> list[tuple[Any, ...]]:
    return [
        tuple(row) for row in store.db.execute("select channel, user_id, reason from unreachable")
    ]


def processed_count(store: SqliteStore) -> int:
    return int(store.db.execute("select count(*) from processed_messages").fetchone()[0])


# --- conversations, in both modes ----------------------------------------------------------


async def test_hindi_complaint_with_buttons_and_contact_sharing(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    person = Person(tg, 5550001)
    await person.send("नमस्ते")
    # A Hindi Telegram client skips the language question: menu at once, with buttons.
    assert "🚨 ठगी की शिकायत" in person.buttons()
    assert person.replies[-1].markup is not None

    await person.press("ठगी की शिकायत")
    await person.press("UPI से भुगतान")
    await person.send("आज 3 बजे")
    await person.send("26 लाख 4 हजार")
    await person.send("631845002917")
    assert not fake.asked_for_contact(person.chat_id)
    await person.press("SBI")

    # The mobile step offers the share-contact button under the text field.
    asked = person.replies[-1].requested_markup
    assert asked is not None and asked["keyboard"][0][0]["request_contact"] is True, asked
    assert DEVANAGARI.search(asked["keyboard"][0][0]["text"])
    assert not fake.removed_keyboard(person.chat_id)

    await person.share_contact("919876543210")
    # ...and the next message takes that keyboard away again.
    assert person.replies[0].requested_markup == {"remove_keyboard": True}
    person.sees("₹26,04,000", "631845002917", "9876543210")
    await person.press("शिकायत दर्ज करें")
    person.sees("शिकायत संख्या")
    reference = reference_in(person.text)

    record = store.get_complaint(reference)
    assert record is not None
    assert record["channel"] == "telegram" and record["user_id"] == str(person.chat_id)
    assert record["mobile"] == "9876543210"
    assert record["transactions"][0]["bank"] == "SBI"
    assert record["language"] == "hi"

    # Every press was answered (the client's spinner stops) and its keyboard taken away.
    answered = [call.params["callback_query_id"] for call in fake.calls_of("answerCallbackQuery")]
    assert answered == person.query_ids and len(answered) == 4
    assert all(call.ok for call in fake.calls_of("answerCallbackQuery"))
    edits = fake.calls_of("editMessageReplyMarkup")
    assert len(edits) == 4 and all(call.ok for call in edits)


async def test_photo_evidence_downloaded_and_oversized_document_refused(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    person = Person(tg, 5550002)
    reference = await money_trail(person)
    await person.press("छोड़ें")  # no suspect details
    # A long story (the step takes up to 4000 characters) is kept whole.
    story = " ".join(["किसी ने बैंक अधिकारी बनकर फ़ोन किया और ऐप डाउनलोड करवाया।"] * 68)
    assert 3900 < len(story) <= 4000
    await person.send(story)
    await person.send("सुनीता वर्मा")
    await person.press("छत्तीसगढ़")
    await person.press("रायपुर")
    person.sees("स्क्रीनशॉट")

    photo = b"\xff\xd8\xff\xe0\x00\x10JFIF" + os.urandom(60_000)
    await person.send_photo(photo)
    person.sees("अब तक मिले: 1")
    digest = hashlib.sha256(photo).hexdigest()
    saved = tg.evidence / "telegram" / f"{digest}.jpg"
    assert saved.read_bytes() == photo
    # Only the largest size was fetched.
    fetched = [call.params["file_id"] for call in fake.calls_of("getFile")]
    assert len(fetched) == 1 and fetched[0].endswith("x2"), fetched
    assert len(fake.downloads) == 1

    big = fake.document_update(
        person.chat_id,
        file_name="statement.pdf",
        mime_type="application/pdf",
        data=b"%PDF-1.7 small stand-in",
        file_size=CAP_BYTES + 1,
    )
    await person.send_update(big)
    person.sees("बहुत बड़ी", "10 MB")
    assert len(fake.calls_of("getFile")) == 1 and len(fake.downloads) == 1  # not downloaded
    person.sees("अब तक मिले: 1")

    await person.press("हो गया")
    person.sees("1 स्क्रीनशॉट", "सुनीता वर्मा")
    await person.press("जमा करें")
    person.sees("धन्यवाद", format_reference(reference))

    record = store.get_complaint(reference)
    assert record is not None and record["stage"] == "complete"
    [evidence] = record["evidence"]
    assert evidence["sha256"] == digest
    assert evidence["mime_type"] == "image/jpeg"
    assert evidence["size_bytes"] == len(photo)
    assert evidence["kind"] == "photo"
    assert Path(evidence["file_ref"]) == saved
    assert record["description"] == story


async def test_status_command_lists_the_complaint(tg: Telegram) -> None:
    person = Person(tg, 5550003)
    reference = await money_trail(person)
    await person.command("status")
    person.sees("आपकी शिकायतें", format_reference(reference), "₹26,04,000")


async def test_sticker_gets_a_polite_explanation(tg: Telegram, fake: FakeTelegram) -> None:
    person = Person(tg, 5550004)
    await person.send("नमस्ते")
    await person.send_update(fake.sticker_update(person.chat_id))
    person.sees("स्टिकर")


async def test_commands_menu_in_english_and_hindi(tg: Telegram, fake: FakeTelegram) -> None:
    english = fake.commands_for(None)
    hindi = fake.commands_for("hi")
    assert [c["command"] for c in english] == list(COMMANDS)
    assert [c["command"] for c in hindi] == list(COMMANDS)
    # Each menu is in its language, except the command that switches to the other one.
    switch = COMMANDS.index("language")
    assert DEVANAGARI.search(english[switch]["description"])
    assert not DEVANAGARI.search(hindi[switch]["description"])
    del english[switch], hindi[switch]
    assert all(not DEVANAGARI.search(c["description"]) for c in english)
    assert all(DEVANAGARI.search(c["description"]) for c in hindi)
    languages = [call.params.get("language_code") for call in fake.calls_of("setMyCommands")]
    assert sorted(languages, key=str) == sorted([None, "hi"], key=str)


async def test_failing_set_my_commands_does_not_stop_setup(
    make_tg: Callable[[], Awaitable[Telegram]], fake: FakeTelegram, mode: str
) -> None:
    fake.fail_next("setMyCommands", 2, 500, "Internal Server Error")
    tg = await make_tg()
    assert [call.error_code for call in fake.calls_of("setMyCommands")] == [500, 500]
    if mode == "webhook":
        [hook] = fake.calls_of("setWebhook")
        assert hook.params["url"] == WEBHOOK_URL and hook.params["secret_token"] == SECRET
        assert fake.webhook["url"] == WEBHOOK_URL
    else:
        assert fake.calls_of("deleteWebhook")
    person = Person(tg, 5550005)
    await person.send("नमस्ते")
    person.sees("1930")


async def test_same_update_delivered_twice_is_applied_once(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    chat = 5550006
    update = fake.stamp(fake.text_update(chat, "नमस्ते"))
    if tg.mode == "polling":
        # Both copies in one getUpdates answer (a redelivery after a lost offset).
        fake.inject(update)
        fake.inject(update)
        await fake.wait_confirmed(update["update_id"])
        await tg.joined()
    else:
        await tg.deliver(update)
        await tg.deliver(update)  # Telegram retries when it missed our 200
    texts = fake.texts(chat)
    assert len(texts) == 2, texts  # greeting and menu, once
    assert processed_count(store) == 1


async def test_429_storm_loses_nothing_and_keeps_order(tg: Telegram, fake: FakeTelegram) -> None:
    first, second = Person(tg, 5550011), Person(tg, 5550012)
    fake.fail_next("sendMessage", 4, 429, "Too Many Requests: retry after 1", retry_after=1)
    for person in (first, second):
        await tg.deliver(fake.text_update(person.chat_id, "नमस्ते"), join=False)
    # Notices queued behind the replies, while the storm is on.
    for person in (first, second):
        notices = [TextReply(f"सूचना {n} / {person.chat_id}") for n in (1, 2, 3)]
        tg.channel.send_replies(person.chat_id, notices, Priority.NOTICE)
    await tg.joined()

    for person in (first, second):
        texts = person.texts
        assert len(texts) == 5, texts
        assert "1930" in texts[0] and "आप क्या करना चाहेंगे" in texts[1]
        assert texts[2:] == [f"सूचना {n} / {person.chat_id}" for n in (1, 2, 3)]
    refused = [call for call in fake.calls_of("sendMessage") if call.error_code == 429]
    assert len(refused) == 4
    # After each 429 the chat waited retry_after before trying again.
    for call in refused:
        chat = call.params["chat_id"]
        later = [
            c.at
            for c in fake.calls_of("sendMessage")
            if c.params["chat_id"] == chat and c.at > call.at
        ]
        assert later and later[0] - call.at >= 0.9


async def test_message_over_4096_characters_is_split(tg: Telegram, fake: FakeTelegram) -> None:
    chat = 5550013
    lines = [f"पंक्ति {n}: " + "सावधान रहें, OTP किसी को न बताएँ। " * 4 for n in range(60)]
    notice = "\n".join(lines)
    assert 2 * TEXT_LIMIT < len(notice) < 2.5 * TEXT_LIMIT
    assert await tg.channel.send_notice(str(chat), notice)
    pieces = fake.texts(chat)
    assert len(pieces) == 3
    assert all(0 < len(piece) <= TEXT_LIMIT for piece in pieces)
    assert "\n".join(pieces) == notice  # cut at line breaks, nothing lost

    prompt = ChoicePrompt("शब्द " * 1500, (Choice("ok", "ठीक है"),))
    [*_, done] = tg.channel.send_replies(chat, [prompt])
    assert await done
    sent = fake.messages_to(chat)[3:]
    assert len(sent) == 2 and sent[-1].markup is not None and sent[0].markup is None


async def test_blocked_user_marked_unreachable(
    mode: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    """403 from sendMessage: the app's wiring records the person as unreachable, drops
    what was queued for them and does not retry."""
    runtime = await start_runtime(mode, fake, tmp_path)
    try:
        chat = 5550014
        key = ConversationKey("telegram", str(chat))
        fake.fail_next("sendMessage", 1, 403, "Forbidden: bot was blocked by the user")
        await runtime_deliver(runtime, mode, fake, fake.text_update(chat, "नमस्ते"))
        await until(lambda: runtime.store.is_unreachable(key))
        assert unreachable_rows(runtime.store) == [("telegram", str(chat), "blocked")]
        await asyncio.sleep(1.0)
        calls = fake.calls_of("sendMessage")
        assert len(calls) == 1 and calls[0].error_code == 403  # the menu was dropped too
        assert fake.texts(chat) == []

        # Writing again means they unblocked the bot.
        await runtime_deliver(runtime, mode, fake, fake.text_update(chat, "नमस्ते"))
        await until(lambda: len(fake.texts(chat)) == 2)
        assert not runtime.store.is_unreachable(key)
    finally:
        await runtime.close()


async def test_failed_photo_download_is_not_lost_in_silence(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    """getFile fails once (a Bot API 5xx). Over a webhook the bot answers 500 and Telegram
    delivers the update again; in both modes the person must not be left without any
    answer to the screenshot they sent."""
    person = Person(tg, 5550007)
    await money_trail(person)
    await person.press("छोड़ें")
    await person.press("छोड़ें")
    await person.send("सुनीता वर्मा")
    await person.press("छत्तीसगढ़")
    await person.press("रायपुर")
    person.sees("अब तक मिले: 0")

    fake.fail_next("getFile", 1, 500, "Internal Server Error")
    update = fake.stamp(fake.photo_update(person.chat_id, b"\xff\xd8\xff" + os.urandom(4000)))
    before = len(person.texts)
    if tg.mode == "polling":
        fake.inject(update)
        await fake.wait_confirmed(update["update_id"])
    else:
        status, _ = await tg.post(update)
        if status != 200:  # Telegram retries a delivery that failed
            status, _ = await tg.post(update)
        assert status == 200
    await tg.joined()
    answer = person.texts[before:]
    assert answer, "the screenshot got no answer at all (the update was dropped)"
    assert "अब तक मिले: 1" in "\n".join(answer), answer


# --- webhook only --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["webhook"])
async def test_webhook_refuses_missing_or_forged_secret(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    update = fake.stamp(fake.text_update(5550021, "नमस्ते"))
    for secret in (None, "", "forged-Secret_0123456789abcdef", SECRET.upper(), SECRET + "x"):
        status, _ = await tg.post(update, secret=secret)
        assert status == 401, secret
    await asyncio.sleep(0.05)
    assert fake.calls_of("sendMessage") == []
    assert store.load_conversation(ConversationKey("telegram", "5550021")) is None
    assert processed_count(store) == 0


@pytest.mark.parametrize("mode", ["webhook"])
async def test_webhook_refuses_malformed_body(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    for body in (
        b"{not json",
        b"",
        b"\xff\xfe\x00",
        b"[1, 2]",
        b'"update"',
        b'{"update_id": "abc"}',
        b'{"update_id": 7, "message": {"text": "no chat"}}',
    ):
        status, _ = await tg.post(body)
        assert status == 400, body
    assert fake.calls_of("sendMessage") == []
    assert processed_count(store) == 0


@pytest.mark.parametrize("mode", ["webhook"])
async def test_webhook_answers_unknown_update_types_and_ignores_them(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    chat = 5550022
    for update in (
        fake.edited_message_update(chat, "नमस्ते"),
        fake.my_chat_member_update(chat, "kicked"),
        fake.group_text_update(-100200300, chat, "नमस्ते"),
        {
            "message_reaction_count": {
                "chat": fake.private_chat(chat),
                "message_id": 1,
                "date": int(time.time()),
                "reactions": [],
            }
        },
    ):
        status, _ = await tg.post(fake.stamp(update))
        assert status == 200
    await tg.joined()
    assert fake.calls_of("sendMessage") == []
    assert store.load_conversation(ConversationKey("telegram", str(chat))) is None


# --- polling only --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["polling"])
async def test_polling_asks_only_for_what_it_handles_and_ignores_the_rest(
    tg: Telegram, fake: FakeTelegram, store: SqliteStore
) -> None:
    await fake.wait_for("getUpdates")
    asked = fake.calls_of("getUpdates")[0].params
    assert sorted(asked["allowed_updates"]) == ["callback_query", "message"]
    assert asked["timeout"] == 1

    chat = 5550023
    # Sent before the bot said what it wants (force), so they still arrive once.
    await tg.deliver(fake.edited_message_update(chat, "नमस्ते"), force=True)
    await tg.deliver(fake.my_chat_member_update(chat, "kicked"), force=True)
    await tg.deliver(fake.group_text_update(-100200300, chat, "नमस्ते"))
    assert fake.calls_of("sendMessage") == []
    assert store.load_conversation(ConversationKey("telegram", str(chat))) is None

    person = Person(tg, chat)
    await person.send("नमस्ते")
    person.sees("1930")


@pytest.mark.parametrize("mode", ["polling"])
async def test_rate_cap_answers_429_and_everything_arrives_in_order(
    tg: Telegram, fake: FakeTelegram
) -> None:
    fake.cap_per_second = 4
    people = [Person(tg, 5550030 + n) for n in range(4)]
    for person in people:
        await tg.deliver(fake.text_update(person.chat_id, "नमस्ते"), join=False)
        tg.channel.send_replies(person.chat_id, [TextReply(f"सूचना / {person.chat_id}")])
    await tg.joined()
    assert fake.rate_limited > 0
    for person in people:
        texts = person.texts
        assert len(texts) == 3 and "1930" in texts[0], texts
        assert texts[2] == f"सूचना / {person.chat_id}"


@pytest.mark.parametrize("mode", ["polling"])
async def test_polling_survives_a_proxy_error_page(tg: Telegram, fake: FakeTelegram) -> None:
    """api.telegram.org sometimes answers through its proxy with an HTML 502 page; the
    poller must keep polling, not die silently (then the bot would never answer again)."""
    await fake.wait_for("getUpdates")
    fake.fail_next_raw("getUpdates", 1, 502, "<html><body>502 Bad Gateway</body></html>")
    poller = tg.tasks[0]
    try:
        await fake.wait_for("getUpdates", count=3, timeout=3)  # the failing call, then more
    except TimeoutError:
        crash = poller.exception() if poller.done() else None
        raise AssertionError(f"polling stopped after the 502 page: {crash!r}") from None
    person = Person(tg, 5550040)
    await person.send("नमस्ते")
    person.sees("1930")


# --- the app's wiring (bot.app.BotRuntime), in process -----------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_runtime(
    mode: str, fake: FakeTelegram, tmp_path: Path, **overrides: Any
) -> BotRuntime:
    """The app's own wiring (`BotRuntime`) against the fake, with settings `overrides`."""
    extra: dict[str, Any] = {}
    if mode == "webhook":
        extra = {
            "telegram_webhook_url": WEBHOOK_URL,
            "telegram_webhook_secret": SECRET,
            "http_host": "127.0.0.1",
            "http_port": free_port(),
        }
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=tmp_path / "runtime.db",
        evidence_dir=tmp_path / "runtime-evidence",
        telegram_bot_token=TOKEN,
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


async def runtime_deliver(
    runtime: BotRuntime, mode: str, fake: FakeTelegram, update: dict[str, Any]
) -> None:
    if mode == "polling":
        await fake.wait_confirmed(fake.inject(update))
        return
    url = f"http://127.0.0.1:{runtime.settings.http_port}{HOOK_PATH}"
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, json=fake.stamp(update), headers={SECRET_HEADER: SECRET}) as response,
    ):
        assert response.status == 200, await response.text()


# --- the fake itself -----------------------------------------------------------------------


async def test_fake_speaks_the_bot_api_to_plain_http(fake: FakeTelegram) -> None:
    """What the channel tests rely on, checked without aiogram: token, body encodings,
    case-insensitive methods, documented error shapes."""
    base = f"{fake.url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake.url}/bot123456:wrong-token-ABCDEFGHIJKL/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.get(f"{base}/GETME") as response:
            assert (await response.json())["result"]["is_bot"] is True
        markup = {"inline_keyboard": [[{"text": "हाँ", "callback_data": "yes"}]]}
        async with http.post(
            f"{base}/sendMessage", json={"chat_id": 9, "text": "क", "reply_markup": markup}
        ) as response:
            message = (await response.json())["result"]
            assert message["chat"] == {"id": 9, "type": "private", "first_name": "Sunita"}
            assert message["reply_markup"] == markup and message["text"] == "क"
        form = aiohttp.FormData()
        form.add_field("chat_id", "9")
        form.add_field("text", "123")  # stays a string
        form.add_field("reply_markup", '{"remove_keyboard": true}')
        form.add_field("extra", b"bytes", filename="x.bin")  # makes it multipart
        async with http.post(f"{base}/sendmessage", data=form) as response:
            assert response.status == 200
        assert fake.calls[-1].params["text"] == "123"
        assert fake.removed_keyboard(9)
        fake.fail_next("sendMessage", 1, 429, retry_after=3)
        async with http.post(f"{base}/sendMessage", data={"chat_id": "9", "text": "x"}) as response:
            assert response.status == 429
            assert await response.json() == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 3",
                "parameters": {"retry_after": 3},
            }
        async with http.post(f"{base}/sendMessage", json={"chat_id": 9, "text": "x" * 4097}) as r:
            assert r.status == 400
        async with http.post(f"{base}/noSuchMethod") as response:
            assert response.status == 404
        assert fake.texts(9) == ["क", "123"]


def test_fake_runs_as_a_process(tmp_path: Path) -> None:
    """The standalone mode a benchmark uses: "ready", the control API, SIGTERM."""
    port = free_port()
    script = Path(__file__).with_name("fake_telegram.py")
    with subprocess.Popen(
        [sys.executable, str(script), "--port", str(port), "--cap-per-second", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
            base = f"http://127.0.0.1:{port}"

            def call(path: str, body: object | None = None) -> Any:
                data = None if body is None else json.dumps(body).encode()
                request = urllib.request.Request(
                    base + path, data=data, headers={"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    return json.loads(response.read())

            assert call("/_fake/text", {"chat_id": 3, "text": "नमस्ते"}) == {"update_id": 1}
            updates = call(f"/bot{TOKEN}/getUpdates", {"timeout": 0})["result"]
            assert updates[0]["message"]["text"] == "नमस्ते"
            for text in ("1", "2"):
                call(f"/bot{TOKEN}/sendMessage", {"chat_id": 3, "text": text})
            try:
                call(f"/bot{TOKEN}/sendMessage", {"chat_id": 3, "text": "3"})
                raise AssertionError("the cap of 2 per second let a third through")
            except urllib.error.HTTPError as error:
                assert error.code == 429
                assert json.loads(error.read())["parameters"]["retry_after"] >= 1
                error.close()
            stats = call("/_fake/stats")
            assert stats["sent"] == 2 and stats["rate_limited"] == 1
            assert [c["method"] for c in call("/_fake/calls?method=getupdates")] == ["getUpdates"]
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0
