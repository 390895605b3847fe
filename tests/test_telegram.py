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

import hashlib
import json
import os
import re
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
from support.fake_telegram import TOKEN, FakeTelegram
from support.journeys import reference_in
from support.person import Person
from support.telegram import (
    CAP_BYTES,
    MODES,
    SECRET,
    WEBHOOK_URL,
    Telegram,
    runtime_deliver,
    start_runtime,
    telegram_person,
)
from support.timing import until

from bot.channels.delivery import Priority
from bot.channels.telegram import COMMANDS
from bot.channels.telegram_render import TEXT_LIMIT
from bot.domain.messages import Choice, ChoicePrompt, ConversationKey, TextReply
from bot.domain.reference import format_reference
from bot.domain.statuses import Channel
from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

DEVANAGARI = re.compile(r"[\u0900-\u097F]")

# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def make_tg(
    mode: str, bot_api: FakeTelegram, service: ConversationService, tmp_path: Path
) -> AsyncIterator[Callable[[], Awaitable[Telegram]]]:
    """Starts the channel on demand (so a test can script the fake before setup)."""
    started: list[Telegram] = []

    async def start() -> Telegram:
        tg = Telegram(mode, bot_api, service, tmp_path / "evidence")
        started.append(tg)
        await tg.start()
        return tg

    yield start
    for tg in started:
        await tg.close()


@pytest.fixture
async def tg(make_tg: Callable[[], Awaitable[Telegram]]) -> Telegram:
    return await make_tg()


async def money_trail(person: Person) -> str:
    """नमस्ते to the reference number by buttons and contact sharing (9 inputs)."""
    await person.send("नमस्ते")
    person.sees("1930", "आप क्या करना चाहेंगे")
    await person.press("ठगी की शिकायत")
    await person.press("UPI से भुगतान")
    await person.send("2 घंटे पहले")
    await person.send("26 लाख 4 हजार")
    await person.press("हाँ, सही है")  # over ₹10 lakh: confirmed
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
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
) -> None:
    person = telegram_person(tg, 5550001)
    await person.send("नमस्ते")
    # A Hindi Telegram client skips the language question: menu at once, with buttons.
    assert "🚨 ठगी की शिकायत" in [c.label for c in person.choices]
    assert person.replies[-1].raw.markup is not None

    await person.press("ठगी की शिकायत")
    await person.press("UPI से भुगतान")
    await person.send("2 घंटे पहले")
    await person.send("26 लाख 4 हजार")
    await person.press("हाँ, सही है")  # over ₹10 lakh: confirmed
    await person.send("631845002917")
    assert not bot_api.asked_for_contact(person.link.chat_id)
    await person.press("SBI")

    # The mobile step offers the share-contact button under the text field.
    asked = person.replies[-1].raw.requested_markup
    assert asked is not None and asked["keyboard"][0][0]["request_contact"] is True, asked
    assert DEVANAGARI.search(asked["keyboard"][0][0]["text"])
    assert not bot_api.removed_keyboard(person.link.chat_id)

    await person.share_contact("919876543210")
    # ...and the next message takes that keyboard away again.
    assert person.replies[0].raw.requested_markup == {"remove_keyboard": True}
    person.sees("₹26,04,000", "631845002917", "9876543210")
    await person.press("शिकायत दर्ज करें")
    person.sees("शिकायत संख्या")
    reference = reference_in(person.text)

    record = store.get_complaint(reference)
    assert record is not None
    assert record["channel"] == "telegram" and record["user_id"] == str(person.link.chat_id)
    assert record["mobile"] == "9876543210"
    assert record["transactions"][0]["bank"] == "SBI"
    assert record["language"] == "hi"

    # Every press was answered (the client's spinner stops) and its keyboard taken away.
    answered = [
        call.params["callback_query_id"] for call in bot_api.calls_of("answerCallbackQuery")
    ]
    assert answered == person.link.query_ids and len(answered) == 5
    assert all(call.ok for call in bot_api.calls_of("answerCallbackQuery"))
    edits = bot_api.calls_of("editMessageReplyMarkup")
    assert len(edits) == 5 and all(call.ok for call in edits)


async def test_photo_evidence_downloaded_and_oversized_document_refused(
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
) -> None:
    person = telegram_person(tg, 5550002)
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
    fetched = [call.params["file_id"] for call in bot_api.calls_of("getFile")]
    assert len(fetched) == 1 and fetched[0].endswith("x2"), fetched
    assert len(bot_api.downloads) == 1

    await person.send_document(
        b"%PDF-1.7 small stand-in",
        mime_type="application/pdf",
        file_name="statement.pdf",
        announced_size=CAP_BYTES + 1,
    )
    person.sees("बहुत बड़ी", "10 MB")
    assert len(bot_api.calls_of("getFile")) == 1 and len(bot_api.downloads) == 1  # not downloaded
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
    person = telegram_person(tg, 5550003)
    reference = await money_trail(person)
    await person.command("status")
    person.sees("आपकी शिकायतें", format_reference(reference), "₹26,04,000")


async def test_sticker_gets_a_polite_explanation(tg: Telegram, bot_api: FakeTelegram) -> None:
    person = telegram_person(tg, 5550004)
    await person.send("नमस्ते")
    await person.send_sticker()
    person.sees("स्टिकर")


async def test_commands_menu_in_english_and_hindi(tg: Telegram, bot_api: FakeTelegram) -> None:
    english = bot_api.commands_for(None)
    hindi = bot_api.commands_for("hi")
    assert [c["command"] for c in english] == list(COMMANDS)
    assert [c["command"] for c in hindi] == list(COMMANDS)
    # Each menu is in its language, except the command that switches to the other one.
    switch = COMMANDS.index("language")
    assert DEVANAGARI.search(english[switch]["description"])
    assert not DEVANAGARI.search(hindi[switch]["description"])
    del english[switch], hindi[switch]
    assert all(not DEVANAGARI.search(c["description"]) for c in english)
    assert all(DEVANAGARI.search(c["description"]) for c in hindi)
    languages = [call.params.get("language_code") for call in bot_api.calls_of("setMyCommands")]
    assert sorted(languages, key=str) == sorted([None, "hi"], key=str)


async def test_failing_set_my_commands_does_not_stop_setup(
    make_tg: Callable[[], Awaitable[Telegram]], bot_api: FakeTelegram, mode: str
) -> None:
    bot_api.fail_next("setMyCommands", 2, 500, "Internal Server Error")
    tg = await make_tg()
    assert [call.error_code for call in bot_api.calls_of("setMyCommands")] == [500, 500]
    if mode == "webhook":
        [hook] = bot_api.calls_of("setWebhook")
        assert hook.params["url"] == WEBHOOK_URL and hook.params["secret_token"] == SECRET
        assert bot_api.webhook["url"] == WEBHOOK_URL
    else:
        assert bot_api.calls_of("deleteWebhook")
    person = telegram_person(tg, 5550005)
    await person.send("नमस्ते")
    person.sees("1930")


async def test_same_update_delivered_twice_is_applied_once(
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
) -> None:
    chat = 5550006
    update = bot_api.stamp(bot_api.text_update(chat, "नमस्ते"))
    if tg.mode == "polling":
        # Both copies in one getUpdates answer (a redelivery after a lost offset).
        bot_api.inject(update)
        bot_api.inject(update)
        await bot_api.wait_confirmed(update["update_id"])
        await tg.joined()
    else:
        await tg.deliver(update)
        await tg.deliver(update)  # Telegram retries when it missed our 200
    texts = bot_api.texts(chat)
    assert len(texts) == 2, texts  # greeting and menu, once
    assert processed_count(store) == 1


async def test_429_storm_loses_nothing_and_keeps_order(tg: Telegram, bot_api: FakeTelegram) -> None:
    first, second = telegram_person(tg, 5550011), telegram_person(tg, 5550012)
    bot_api.fail_next("sendMessage", 4, 429, "Too Many Requests: retry after 1", retry_after=1)
    for person in (first, second):
        await tg.deliver(bot_api.text_update(person.link.chat_id, "नमस्ते"), join=False)
    # Notices queued behind the replies, while the storm is on.
    for person in (first, second):
        for n in (1, 2, 3):
            notice = TextReply(f"सूचना {n} / {person.link.chat_id}")
            tg.channel.send_outbound(person.link.chat_id, notice, Priority.NOTICE)
    await tg.joined()

    for person in (first, second):
        texts = bot_api.texts(person.link.chat_id)
        assert len(texts) == 5, texts
        assert "1930" in texts[0] and "आप क्या करना चाहेंगे" in texts[1]
        assert texts[2:] == [f"सूचना {n} / {person.link.chat_id}" for n in (1, 2, 3)]
    refused = [call for call in bot_api.calls_of("sendMessage") if call.error_code == 429]
    assert len(refused) == 4
    # After each 429 the chat waited retry_after before trying again.
    for call in refused:
        chat = call.params["chat_id"]
        later = [
            c.at
            for c in bot_api.calls_of("sendMessage")
            if c.params["chat_id"] == chat and c.at > call.at
        ]
        assert later and later[0] - call.at >= 0.9


async def test_message_over_4096_characters_is_split(tg: Telegram, bot_api: FakeTelegram) -> None:
    chat = 5550013
    lines = [f"पंक्ति {n}: " + "सावधान रहें, OTP किसी को न बताएँ। " * 4 for n in range(60)]
    notice = "\n".join(lines)
    assert 2 * TEXT_LIMIT < len(notice) < 2.5 * TEXT_LIMIT
    assert await tg.channel.send_notice(str(chat), notice)
    pieces = bot_api.texts(chat)
    assert len(pieces) == 3
    assert all(0 < len(piece) <= TEXT_LIMIT for piece in pieces)
    assert "\n".join(pieces) == notice  # cut at line breaks, nothing lost

    prompt = ChoicePrompt("शब्द " * 1500, (Choice("ok", "ठीक है"),))
    [*_, done] = tg.channel.send_outbound(chat, prompt)
    assert await done
    sent = bot_api.messages_to(chat)[3:]
    assert len(sent) == 2 and sent[-1].markup is not None and sent[0].markup is None


async def test_blocked_user_marked_unreachable(
    mode: str, bot_api: FakeTelegram, tmp_path: Path
) -> None:
    """403 from sendMessage: the app's wiring records the person as unreachable, drops
    what was queued for them and does not retry."""
    runtime = await start_runtime(mode, bot_api, tmp_path)
    try:
        chat = 5550014
        key = ConversationKey("telegram", str(chat))
        bot_api.fail_next("sendMessage", 1, 403, "Forbidden: bot was blocked by the user")
        await runtime_deliver(runtime, mode, bot_api, bot_api.text_update(chat, "नमस्ते"))
        await until(lambda: runtime.store.is_unreachable(key))
        assert unreachable_rows(runtime.store) == [("telegram", str(chat), "blocked")]
        # The moment has passed when the queue is empty: the menu was dropped, not retried.
        queue = runtime.deliveries[Channel.TELEGRAM]
        await until(lambda: queue.pending() == 0 and not queue.in_flight)
        calls = bot_api.calls_of("sendMessage")
        assert len(calls) == 1 and calls[0].error_code == 403  # the menu was dropped too
        assert bot_api.texts(chat) == []

        # Writing again means they unblocked the bot.
        await runtime_deliver(runtime, mode, bot_api, bot_api.text_update(chat, "नमस्ते"))
        await until(lambda: len(bot_api.texts(chat)) == 2)
        assert not runtime.store.is_unreachable(key)
    finally:
        await runtime.close()


async def test_failed_photo_download_is_not_lost_in_silence(
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
) -> None:
    """getFile fails once (a Bot API 5xx). Over a webhook the bot answers 500 and Telegram
    delivers the update again; in both modes the person must not be left without any
    answer to the screenshot they sent."""
    person = telegram_person(tg, 5550007)
    await money_trail(person)
    await person.press("छोड़ें")
    await person.press("छोड़ें")
    await person.send("सुनीता वर्मा")
    await person.press("छत्तीसगढ़")
    await person.press("रायपुर")
    person.sees("अब तक मिले: 0")

    bot_api.fail_next("getFile", 1, 500, "Internal Server Error")
    update = bot_api.stamp(
        bot_api.photo_update(person.link.chat_id, b"\xff\xd8\xff" + os.urandom(4000))
    )
    before = len(bot_api.texts(person.link.chat_id))
    if tg.mode == "polling":
        bot_api.inject(update)
        await bot_api.wait_confirmed(update["update_id"])
    else:
        status, _ = await tg.post(update)
        if status != 200:  # Telegram retries a delivery that failed
            status, _ = await tg.post(update)
        assert status == 200
    await tg.joined()
    answer = bot_api.texts(person.link.chat_id)[before:]
    assert answer, "the screenshot got no answer at all (the update was dropped)"
    assert "अब तक मिले: 1" in "\n".join(answer), answer


# --- webhook only --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["webhook"])
async def test_webhook_refuses_missing_or_forged_secret(
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
) -> None:
    update = bot_api.stamp(bot_api.text_update(5550021, "नमस्ते"))
    for secret in (None, "", "forged-Secret_0123456789abcdef", SECRET.upper(), SECRET + "x"):
        status, _ = await tg.post(update, secret=secret)
        assert status == 401, secret
    await tg.joined()  # the queue is empty: a 401 queued nothing to send later
    assert bot_api.calls_of("sendMessage") == []
    assert store.load_conversation(ConversationKey("telegram", "5550021")) is None
    assert processed_count(store) == 0


@pytest.mark.parametrize("mode", ["webhook"])
async def test_webhook_refuses_malformed_body(
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
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
    assert bot_api.calls_of("sendMessage") == []
    assert processed_count(store) == 0


@pytest.mark.parametrize("mode", ["webhook"])
async def test_webhook_answers_unknown_update_types_and_ignores_them(
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
) -> None:
    chat = 5550022
    for update in (
        bot_api.edited_message_update(chat, "नमस्ते"),
        bot_api.my_chat_member_update(chat, "kicked"),
        bot_api.group_text_update(-100200300, chat, "नमस्ते"),
        {
            "message_reaction_count": {
                "chat": bot_api.private_chat(chat),
                "message_id": 1,
                "date": int(time.time()),
                "reactions": [],
            }
        },
    ):
        status, _ = await tg.post(bot_api.stamp(update))
        assert status == 200
    await tg.joined()
    assert bot_api.calls_of("sendMessage") == []
    assert store.load_conversation(ConversationKey("telegram", str(chat))) is None


# --- polling only --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["polling"])
async def test_polling_asks_only_for_what_it_handles_and_ignores_the_rest(
    tg: Telegram, bot_api: FakeTelegram, store: SqliteStore
) -> None:
    await bot_api.wait_for("getUpdates")
    asked = bot_api.calls_of("getUpdates")[0].params
    assert sorted(asked["allowed_updates"]) == ["callback_query", "message"]
    assert asked["timeout"] == 1

    chat = 5550023
    # Sent before the bot said what it wants (force), so they still arrive once.
    await tg.deliver(bot_api.edited_message_update(chat, "नमस्ते"), force=True)
    await tg.deliver(bot_api.my_chat_member_update(chat, "kicked"), force=True)
    await tg.deliver(bot_api.group_text_update(-100200300, chat, "नमस्ते"))
    assert bot_api.calls_of("sendMessage") == []
    assert store.load_conversation(ConversationKey("telegram", str(chat))) is None

    person = telegram_person(tg, chat)
    await person.send("नमस्ते")
    person.sees("1930")


@pytest.mark.parametrize("mode", ["polling"])
async def test_rate_cap_answers_429_and_everything_arrives_in_order(
    tg: Telegram, bot_api: FakeTelegram
) -> None:
    bot_api.cap_per_second = 4
    people = [telegram_person(tg, 5550030 + n) for n in range(4)]
    for person in people:
        await tg.deliver(bot_api.text_update(person.link.chat_id, "नमस्ते"), join=False)
        tg.channel.send_outbound(person.link.chat_id, TextReply(f"सूचना / {person.link.chat_id}"))
    await tg.joined()
    assert bot_api.rate_limited > 0
    for person in people:
        texts = bot_api.texts(person.link.chat_id)
        assert len(texts) == 3 and "1930" in texts[0], texts
        assert texts[2] == f"सूचना / {person.link.chat_id}"


@pytest.mark.parametrize("mode", ["polling"])
async def test_polling_survives_a_proxy_error_page(tg: Telegram, bot_api: FakeTelegram) -> None:
    """api.telegram.org sometimes answers through its proxy with an HTML 502 page; the
    poller must keep polling, not die silently (then the bot would never answer again)."""
    await bot_api.wait_for("getUpdates")
    bot_api.fail_next_raw("getUpdates", 1, 502, "<html><body>502 Bad Gateway</body></html>")
    poller = tg.tasks[0]
    try:
        await bot_api.wait_for("getUpdates", count=3, timeout=3)  # the failing call, then more
    except TimeoutError:
        crash = poller.exception() if poller.done() else None
        raise AssertionError(f"polling stopped after the 502 page: {crash!r}") from None
    person = telegram_person(tg, 5550040)
    await person.send("नमस्ते")
    person.sees("1930")


# --- the app's wiring (bot.app.BotRuntime), in process -----------------------------------


# --- the fake itself -----------------------------------------------------------------------


async def test_fake_speaks_the_bot_api_to_plain_http(bot_api: FakeTelegram) -> None:
    """What the channel tests rely on, checked without aiogram: token, body encodings,
    case-insensitive methods, documented error shapes."""
    base = f"{bot_api.url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{bot_api.url}/bot123456:wrong-token-ABCDEFGHIJKL/getMe") as response:
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
        assert bot_api.calls[-1].params["text"] == "123"
        assert bot_api.removed_keyboard(9)
        bot_api.fail_next("sendMessage", 1, 429, retry_after=3)
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
        assert bot_api.texts(9) == ["क", "123"]


def test_fake_runs_as_a_process(tmp_path: Path) -> None:
    """The standalone mode a benchmark uses: "ready", the control API, SIGTERM."""
    script = Path(__file__).parent / "support" / "fake_telegram.py"
    with subprocess.Popen(
        [sys.executable, str(script), "--port", "0", "--cap-per-second", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            ready, base = process.stdout.readline().split()
            assert ready == "ready" and base.startswith("http://127.0.0.1:")

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
