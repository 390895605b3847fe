"""Issue 11, item 1 and the low items on request bodies: what a poisoned or malformed body
used to break (a 500, a stopped start-up, Telegram down with it) is now answered,
retried a few times and set aside, and the bot goes on serving everyone else."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from support.fake_graph import FakeGraph
from support.fake_telegram import FakeTelegram
from support.journeys import reach
from support.person import person_on
from support.processes import BotProcess, run_bot
from support.telegram import SECRET, Telegram, runtime_url, telegram_person
from support.timing import Clock, until
from support.whatsapp import (
    APP_SECRET,
    WA_ID,
    WhatsApp,
    envelope,
    sign,
    start_whatsapp_runtime,
    whatsapp_person,
)

from bot.channels.inbox import MAX_ATTEMPTS
from bot.channels.whatsapp import CHANNEL, SIGNATURE_HEADER
from bot.domain.clock import ist_now
from bot.domain.messages import ConversationKey
from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

OTP_TEXT = "my OTP is 482913"
TELEGRAM_TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefgh"


@pytest.fixture
async def wa(graph: FakeGraph, service: ConversationService, tmp_path: Path) -> Any:
    channel = WhatsApp(graph, service, tmp_path / "evidence")
    await channel.start()
    yield channel
    await channel.close()


@pytest.fixture
async def tg(bot_api: FakeTelegram, service: ConversationService, tmp_path: Path) -> Any:
    channel = Telegram("webhook", bot_api, service, tmp_path / "evidence")
    await channel.start()
    yield channel
    await channel.close()


def quarantined(store: SqliteStore) -> list[dict[str, Any]]:
    return list(store.db.query("select * from webhook_inbox where quarantined_at is not null"))


# --- WhatsApp ---------------------------------------------------------------------------


async def test_a_garbled_list_reply_id_is_unknown_input_not_an_error(wa: WhatsApp) -> None:
    person = whatsapp_person(wa)
    await person.send("hello")
    await person.press("English")
    part = {"type": "list_reply", "list_reply": {"id": "tx:abc", "title": "Debit"}}
    status, _ = await wa.post(
        json.dumps(wa.inbound(WA_ID, wa.message(WA_ID, "interactive", part))).encode()
    )
    assert status == 200
    await wa.joined()
    assert "choose" in wa.graph.to(WA_ID)[-2].text.casefold()  # "please choose", then the menu
    assert wa.graph.to(WA_ID)[-1].options  # the question again, with its buttons
    assert quarantined(wa.store) == []


async def test_a_lone_surrogate_in_the_sender_is_ignored(wa: WhatsApp) -> None:
    message = wa.message("9198", "text", {"body": "hello"})
    body = json.dumps(wa.inbound("9198", message)).replace('"9198"', '"\\ud800"').encode()
    status, _ = await wa.post(body)
    assert status == 200
    await wa.joined()
    assert wa.graph.attempts == 0
    assert all(row["processed_at"] for row in wa.inbox())


async def test_media_the_graph_api_refuses_is_explained_not_fatal(wa: WhatsApp) -> None:
    person = whatsapp_person(wa)
    await reach(person, "evidence")
    wa.graph.broken_media["1203456789"] = 404
    part = {"id": "1203456789", "mime_type": "image/jpeg", "sha256": "x"}
    await person.send_raw(wa.message(WA_ID, "image", part))
    person.sees("send it again")
    assert person.state.step == "evidence"
    assert quarantined(wa.store) == []


async def test_a_body_that_keeps_failing_is_quarantined_and_its_sender_asked_again(
    wa: WhatsApp,
) -> None:
    person = whatsapp_person(wa)
    await reach(person, "evidence")
    wa.graph.broken_media["555"] = 500  # the lookup fails every time: retried, then set aside
    message = wa.message(WA_ID, "image", {"id": "555", "mime_type": "image/jpeg", "sha256": "x"})
    status, _ = await wa.post(json.dumps(wa.inbound(WA_ID, message)).encode())
    assert status == 200  # stored: we retry, not Meta
    for _ in range(MAX_ATTEMPTS - 1):
        wa.clock.advance(minutes=5)
        await wa.channel.inbox.apply_due()
    await wa.joined()
    [row] = quarantined(wa.store)
    assert row["attempts"] == MAX_ATTEMPTS and "GraphError" in row["last_error"]
    person.replies = []
    assert "send it again" in wa.graph.to(WA_ID)[-1].text
    # Others are served meanwhile.
    other = whatsapp_person(wa, "919812345678")
    await other.send("hello")
    other.sees("Which language")


@pytest.mark.slow
async def test_a_stored_poisoned_body_never_stops_the_start(
    tmp_path: Path, graph: FakeGraph, bot_api: FakeTelegram
) -> None:
    """The probe's finding: a body whose processing raises was left unprocessed, and the
    next start hit it again and exited, taking Telegram down too."""
    db = tmp_path / "bot.db"
    store = SqliteStore(db)
    service = ConversationService(store, clock=Clock())
    key = ConversationKey(CHANNEL, WA_ID)
    await reach(person_on(service, WA_ID, channel=CHANNEL), "evidence")
    assert store.load_conversation(key) is not None
    graph.broken_media["777"] = 500
    image = {"id": "777", "mime_type": "image/jpeg", "sha256": "x"}
    body = envelope({"messages": [{"from": WA_ID, "id": "wamid.P1", "timestamp": "1764300000",
                                   "type": "image", "image": image}]})  # fmt: skip
    with store.transaction():
        store.store_webhook(CHANNEL, json.dumps(body), service.clock())
    store.close()
    bot = await BotProcess.start(
        db,
        WHATSAPP_TOKEN="token",
        WHATSAPP_PHONE_NUMBER_ID="106540352242922",
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN="verify-token",
        WHATSAPP_API_BASE=graph.url,
        TELEGRAM_BOT_TOKEN="123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefgh",
        TELEGRAM_API_BASE=bot_api.url,
        TELEGRAM_POLL_TIMEOUT="1",
    )
    try:
        url = await bot.http_url()
        async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
            assert response.status == 200
        bot_api.inject(bot_api.text_update(7770011, "नमस्ते"))
        await until(lambda: bot_api.texts(7770011), timeout=30)  # Telegram is up
    finally:
        await bot.stop()
    assert "Traceback (most recent call last)" not in bot.output().split("body 1 failed")[0]


# --- Telegram ---------------------------------------------------------------------------


async def test_a_forged_callback_data_is_unknown_input(tg: Telegram, bot_api: FakeTelegram) -> None:
    person = telegram_person(tg, 5550101)
    await person.send("नमस्ते")
    message = dict(bot_api.last_with_keyboard(5550101).message)  # type: ignore[union-attr]
    update = bot_api.stamp(bot_api.callback_update(5550101, message, "tx:abc\u0000<script>"))
    status, _ = await tg.post(update)
    assert status == 200
    await tg.joined()
    assert "बटन" in bot_api.texts(5550101)[-2]  # please choose one of the buttons
    assert quarantined(tg.store) == []


async def test_an_update_that_keeps_failing_is_quarantined(
    tg: Telegram, bot_api: FakeTelegram
) -> None:
    person = telegram_person(tg, 5550102, language_code=None)
    await reach(person, "evidence")
    update = bot_api.stamp(bot_api.photo_update(5550102, b"\xff\xd8\xff" + bytes(5000)))
    statuses = []
    for _ in range(MAX_ATTEMPTS):
        bot_api.fail_next("getFile", 1, 500, "Internal Server Error")
        statuses.append((await tg.post(update))[0])
    assert statuses == [500] * (MAX_ATTEMPTS - 1) + [200]  # retried by Telegram, then let go
    await tg.joined()
    [row] = quarantined(tg.store)
    assert row["external_id"] == str(update["update_id"]) and row["channel"] == "telegram"
    assert "again" in bot_api.texts(5550102)[-1]


# --- malformed requests on every endpoint ------------------------------------------------


async def raw_post(url: str, path: str, header: bytes, body: bytes) -> int:
    """A POST written byte for byte, so a header can carry bytes no client library sends."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST " + path.encode() + b" HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json"
        + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n" + header + b"\r\n"
        + b"Connection: close\r\n\r\n" + body
    )  # fmt: skip
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    writer.close()
    return status


async def test_non_ascii_signature_headers_are_refused_not_500(
    graph: FakeGraph, bot_api: FakeTelegram, tmp_path: Path
) -> None:
    """Bytes outside ASCII in X-Hub-Signature-256, X-Telegram-Bot-Api-Secret-Token or
    X-Signature made the comparison raise: 500 instead of 401/403."""
    runtime = await start_whatsapp_runtime(
        graph,
        tmp_path,
        reporting_callback_secret="callback-secret-0123456789",
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_api_base=bot_api.url,
        telegram_webhook_url="https://bot.example/tg/hook",
        telegram_webhook_secret=SECRET,
    )
    try:
        url = runtime_url(runtime)
        body = json.dumps(envelope({"messages": []})).encode()
        for path, name, refused in (
            ("/whatsapp/webhook", b"X-Hub-Signature-256", 403),
            ("/tg/hook", b"X-Telegram-Bot-Api-Secret-Token", 401),
            ("/reporting/status", b"X-Signature", 401),
        ):
            status = await raw_post(url, path, name + b": sha256=\xff\xfe\xe9", body)
            assert status == refused, (path, status)
    finally:
        await runtime.close()


@pytest.mark.parametrize("depth", [1_000, 200_000])
async def test_deeply_nested_json_is_a_400(tg: Telegram, wa: WhatsApp, depth: int) -> None:
    deep = b"[" * depth + b"]" * depth
    assert (await tg.post(deep))[0] == 400
    assert (await wa.post(deep))[0] == 400
    assert wa.inbox() == []


async def test_utf16_json_to_the_whatsapp_hook_is_a_400(wa: WhatsApp) -> None:
    body = json.dumps(envelope({"messages": []})).encode("utf-16")
    assert (await wa.post(body))[0] == 400
    assert wa.inbox() == []


async def test_a_genuine_batch_over_64_kib_is_accepted(graph: FakeGraph, tmp_path: Path) -> None:
    """Long Devanagari messages escaped as \\uXXXX, as Meta sends them, past the old
    64 KiB limit of the app (Meta's payloads can be up to 3 MB)."""
    story = "मेरे खाते से पैसे कट गए और कॉल करने वाले ने खुद को बैंक अधिकारी बताया। " * 80
    messages = [
        {"from": f"91981230{n:04d}", "id": f"wamid.BIG{n}", "timestamp": "1764300000",
         "type": "text", "text": {"body": story[:4096]}}
        for n in range(4)
    ]  # fmt: skip
    body = json.dumps(envelope({"messages": messages})).encode()  # ensure_ascii: \u escapes
    assert len(body) > 72_690
    runtime = await start_whatsapp_runtime(graph, tmp_path)
    try:
        headers = {SIGNATURE_HEADER: sign(body), "Content-Type": "application/json"}
        async with (
            aiohttp.ClientSession() as http,
            http.post(runtime_url(runtime) + "/whatsapp/webhook", data=body, headers=headers) as r,
        ):
            assert r.status == 200
        await until(lambda: all(graph.to(f"91981230{n:04d}") for n in range(4)))
    finally:
        await runtime.close()


@pytest.mark.slow
def test_quarantine_is_listed_for_operators(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    store = SqliteStore(db)
    with store.transaction():
        item = store.store_webhook("whatsapp", json.dumps({"text": OTP_TEXT}), ist_now())
        store.quarantine(item, json.dumps({"text": "[removed]"}), ist_now())
    store.close()
    listing = run_bot(db, "quarantine", "list")
    assert listing.returncode == 0 and f"{item}" in listing.stdout and "[removed]" in listing.stdout
    assert run_bot(db, "quarantine", "retry", str(item)).returncode == 0
    assert "Nothing quarantined" in run_bot(db, "quarantine", "list").stdout
