"""Regression (issue 11, item 4): the Telegram bot token reached the log. A failed file
download logged a traceback holding `.../file/bot<token>/...`; the masking filter
rewrote messages only, and its patterns would not catch a token. The WhatsApp verify
token reached aiohttp's access log in the handshake's query string, and LOG_LEVEL=INFO
logged only warnings.

Here every secret setting is set to a distinctive value and searched for, as written
and as any URL or JSON encoder writes it, in everything the bot logs."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import aiohttp
import pytest
from aiohttp import web
from support.fake_graph import PHONE_NUMBER_ID, FakeGraph
from support.fake_telegram import DOWNLOAD, FakeTelegram
from support.journeys import hindi_money_trail
from support.person import person_on
from support.processes import BotProcess, run_bot
from support.servers import start
from support.timing import Clock, until
from support.whatsapp import envelope
from yarl import URL

from bot.channels.whatsapp import SIGNATURE_HEADER, WEBHOOK_PATH
from bot.domain.clock import IST
from bot.domain.signing import sign
from bot.logs import MaskingFilter, configure_logging
from bot.service.conversation import ConversationService
from bot.settings import load_settings
from storage.sqlite import SqliteStore

TELEGRAM_TOKEN = "987654321:AAE-tg_Secret-Token-for-the-log-test1"
SECRETS = {
    "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
    "TELEGRAM_WEBHOOK_SECRET": "tg-Webhook_secret-for-the-log-test",
    "WHATSAPP_TOKEN": "EAAG-whatsapp/token+for the log&test=1",
    "WHATSAPP_APP_SECRET": "wa-app-secret-for-the-log-test",
    "WHATSAPP_VERIFY_TOKEN": "verify me/please+now&then=ok~!*'();:@$",
    "REPORTING_TOKEN": "reporting-token-for-the-log-test",
    "REPORTING_CALLBACK_SECRET": "callback-secret-for-the-log-test",
    "REFERENCE_KEY": "reference-key-for-the-log-test",
}


def forms(secret: str) -> set[str]:
    """The secret as typed, percent-encoded by the usual encoders, and JSON-escaped."""
    encoded = URL("http://h/").with_query({"v": secret}).raw_query_string.removeprefix("v=")
    found = {secret, quote(secret), quote(secret, safe=""), quote_plus(secret), encoded}
    return found | {json.dumps(secret)[1:-1], repr(secret)[1:-1]}


def leaks(text: str) -> list[str]:
    return [
        f"{name}: {form}"
        for name, value in SECRETS.items()
        for form in forms(value)
        if form in text
    ]


@pytest.fixture
def logging_to() -> Iterator[io.StringIO]:
    """The bot's own logging configuration, writing into a buffer; restored after."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, sys.excepthook, threading.excepthook)
    buffer = io.StringIO()
    configure_logging("DEBUG", SECRETS.values(), stream=buffer)
    try:
        yield buffer
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        sys.excepthook, threading.excepthook = saved[2], saved[3]


def test_a_traceback_with_the_token_in_a_url_is_masked(logging_to: io.StringIO) -> None:
    log = logging.getLogger("bot.channels.telegram_inbound")
    url = f"http://127.0.0.1:8081/file/bot{TELEGRAM_TOKEN}/photos/file_1.jpg"
    try:
        raise OSError(f"404, message='Not Found', url='{url}'")
    except OSError:
        log.exception("update 7 failed (attempt 1)")
    written = logging_to.getvalue()
    assert "Traceback" in written and "update 7 failed" in written
    assert "/file/bot***/photos" in written
    assert leaks(written) == []


def test_a_token_shape_is_masked_even_when_not_configured() -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(MaskingFilter())
    log = logging.getLogger("test.token.shape")
    log.addHandler(handler)
    try:
        log.warning("GET /bot%s/getMe failed", "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefgh")
    finally:
        log.removeHandler(handler)
    assert "ABCDEFGHIJKLMNOPQRSTUVWXYZ" not in buffer.getvalue()
    assert "/bot***/getMe" in buffer.getvalue()


@pytest.mark.parametrize("name", SECRETS)
def test_every_secret_setting_is_masked_at_every_level_in_every_part(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the settings as the bot loads them: messages, arguments, exception texts,
    stacks and uncaught exceptions, in the forms URL and JSON encoders write."""
    for variable, value in SECRETS.items():
        monkeypatch.setenv(variable, value)
    for variable in ("WHATSAPP_PHONE_NUMBER_ID",):
        monkeypatch.setenv(variable, "123456789012345")
    settings = load_settings(env_file=None)
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, sys.excepthook, threading.excepthook)
    buffer = io.StringIO()
    configure_logging("DEBUG", settings.secret_values(), stream=buffer)
    try:
        log = logging.getLogger("bot.test")
        for form in sorted(forms(SECRETS[name])):
            log.debug("debug %s", form)
            log.info(f"info in the message itself: {form}")
            log.warning("a dict argument %s", {"Authorization": f"Bearer {form}"})
            try:
                raise RuntimeError(f"url=http://h/x?token={form}")
            except RuntimeError:
                log.error("with a traceback", exc_info=True)
            log.critical("with a stack (%s)", form, stack_info=True)
            sys.excepthook(ValueError, ValueError(form), None)
        thread = threading.Thread(target=lambda: (_ for _ in ()).throw(KeyError(SECRETS[name])))
        thread.start()
        thread.join()
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        sys.excepthook, threading.excepthook = saved[2], saved[3]
    written = buffer.getvalue()
    assert written.count("***") >= len(forms(SECRETS[name])) * 6
    assert leaks(written) == []


@pytest.mark.slow
async def test_log_level_info_is_honoured_by_the_service(tmp_path: Path) -> None:
    """LOG_LEVEL=INFO logged only warnings: `_run` lowered it for the console demo."""
    whatsapp = {name: SECRETS[name] for name in SECRETS if name.startswith("WHATSAPP")}
    bot = await BotProcess.start(
        tmp_path / "bot.db", **whatsapp, WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID, LOG_LEVEL="INFO"
    )
    try:
        async with aiohttp.ClientSession() as http, http.get(await bot.http_url() + "/healthz"):
            pass
        await bot.wait_for_output(r" INFO aiohttp\.access: .*GET /healthz")
        assert " DEBUG " not in bot.output()
        assert await bot.stop() == 0, bot.output()
    finally:
        await bot.kill()


@pytest.mark.slow
def test_the_console_demo_stays_quiet_at_log_level_info(tmp_path: Path) -> None:
    """The console demo keeps the conversation readable: warnings and above only."""
    result = run_bot(tmp_path / "bot.db", "console", lines=["नमस्ते"], LOG_LEVEL="INFO")
    assert result.returncode == 0, result.stderr
    assert not re.search(r" (INFO|DEBUG) ", result.stderr), result.stderr


# --- the running bot, at DEBUG, through every channel's failure paths ------------------------

PHOTO = b"\xff\xd8\xff\xe0" + bytes(4000)
TELEGRAM_CHAT = 5553001
WA_ID = "919812345678"


async def echoing_reporting_system() -> tuple[web.AppRunner, str, list[str]]:
    """A reporting system that fails every push and, as badly written servers do, echoes
    the request's Authorization header in its error page."""
    seen: list[str] = []

    async def complaints(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        return web.Response(status=500, text=f"error; you sent {request.headers!r}")

    app = web.Application()
    app.router.add_post("/complaints", complaints)
    runner, url = await start(app)
    return runner, url, seen


async def seed(db: Path) -> None:
    """A Telegram and a WhatsApp victim at the screenshot step, with their complaints'
    pushes waiting in the outbox (registered yesterday, so due now)."""
    yesterday = (datetime.now(IST) - timedelta(days=1)).replace(hour=18, minute=0)
    store = SqliteStore(db)
    key = SECRETS["REFERENCE_KEY"].encode()
    service = ConversationService(store, clock=Clock(yesterday), reference_key=key)
    try:
        for channel, user in (("telegram", str(TELEGRAM_CHAT)), ("whatsapp", WA_ID)):
            person = person_on(service, user, channel=channel)
            await hindi_money_trail(person)
            await person.send("quickcash@ybl")
            await person.press("हो गया")
            await person.press("छोड़ें")
            await person.send("सुनीता वर्मा")
            await person.press("छत्तीसगढ़")
            await person.send("रायपुर")
    finally:
        store.close()


def signed_webhook(message: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(envelope({"messages": [message]})).encode()
    return body, {SIGNATURE_HEADER: sign(SECRETS["WHATSAPP_APP_SECRET"], body)}


def wa_message(kind: str, part: dict[str, Any], number: int) -> dict[str, Any]:
    return {"from": WA_ID, "id": f"wamid.LOGS{number:04d}", "timestamp": "1764300000",
            "type": kind, kind: part}  # fmt: skip


@pytest.mark.slow
async def test_every_failure_path_logs_no_secret(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    await seed(db)
    telegram = FakeTelegram(token=TELEGRAM_TOKEN)
    graph = FakeGraph(token=SECRETS["WHATSAPP_TOKEN"])
    await telegram.start()
    await graph.start()
    reporting, reporting_url, pushes = await echoing_reporting_system()
    bot = await BotProcess.start(
        db,
        **SECRETS,
        LOG_LEVEL="DEBUG",
        TELEGRAM_API_BASE=telegram.url,
        TELEGRAM_POLL_TIMEOUT="1",
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
        WHATSAPP_API_BASE=graph.url,
        REPORTING_URL=reporting_url,
        RESUME_AFTER_MINUTES=str(60 * 24 * 30),
        AWARENESS_EVERY_DAYS="0",
    )
    try:
        base = await bot.http_url()
        await bot.wait_for_output("Telegram: long polling", timeout=60)
        async with aiohttp.ClientSession() as http:
            await whatsapp_failures(http, base, graph, bot)
            await telegram_failures(telegram)
            async with http.post(
                base + "/reporting/status", data=b"{}", headers={"X-Signature": "sha256=00"}
            ) as refused:
                assert refused.status == 401
        await until(lambda: len(pushes) >= 2, timeout=30)
        assert await bot.stop() == 0, bot.output()
    finally:
        await bot.kill()
        await reporting.cleanup()
        await graph.stop()
        await telegram.stop()
    written = bot.output()
    assert " DEBUG " in written and "Traceback" in written  # the paths were logged, at DEBUG
    assert "/file/bot***/" in written  # the failed download's URL, token masked
    assert leaks(written) == []


async def whatsapp_failures(
    http: aiohttp.ClientSession, base: str, graph: FakeGraph, bot: BotProcess
) -> None:
    """The handshake (token in the query), media the Graph API refuses, then a token it
    no longer accepts (401 on media and on messages)."""
    hook = base + WEBHOOK_PATH
    challenge = {"hub.mode": "subscribe", "hub.challenge": "8361"}
    for token, expected in ((SECRETS["WHATSAPP_VERIFY_TOKEN"], 200), ("wrong", 403)):
        async with http.get(hook, params={**challenge, "hub.verify_token": token}) as reply:
            assert reply.status == expected
    image = wa_message("image", {"id": "4040404", "mime_type": "image/jpeg"}, 1)
    body, headers = signed_webhook(image)
    async with http.post(hook, data=body, headers=headers) as reply:
        await reply.read()  # media unknown to the Graph API: an error, whatever is answered
    graph.token = "rotated-by-meta"
    graph.add_media("5050505", PHOTO, "image/jpeg")
    image = wa_message("image", {"id": "5050505", "mime_type": "image/jpeg"}, 2)
    body, headers = signed_webhook(image)
    async with http.post(hook, data=body, headers=headers) as reply:
        await reply.read()
    body, headers = signed_webhook(wa_message("text", {"body": "स्थिति"}, 3))
    async with http.post(hook, data=body, headers=headers) as reply:
        await reply.read()
    await bot.wait_for_output("AUTHENTICATION FAILED")


async def telegram_failures(telegram: FakeTelegram) -> None:
    """getFile failing, the file download failing, sendMessage failing: each retried."""
    telegram.fail_next("sendMessage", 2, 500)
    telegram.fail_next("getFile", 1, 500)
    await telegram.wait_confirmed(telegram.inject(telegram.photo_update(TELEGRAM_CHAT, PHOTO)))
    telegram.fail_next(DOWNLOAD, 1, 404)
    await telegram.wait_confirmed(telegram.inject(telegram.photo_update(TELEGRAM_CHAT, PHOTO)))
    await until(lambda: len(telegram.downloads) >= 2, timeout=30)  # each photo, retried

    def answered_after_two_failures() -> bool:
        codes = [call.error_code for call in telegram.calls_of("sendMessage")]
        return codes.count(500) == 2 and codes[-1] is None and codes.index(500) < len(codes) - 1

    await until(answered_after_two_failures, timeout=30)
