"""`python bot.py` as a deployer starts it with the five WhatsApp variables, against the fake
Graph API on loopback: Meta's verification handshake, then a signed webhook carrying
"नमस्ते" exactly as Meta's webhook reference shows a text message, answered with the
language choice as interactive reply buttons on `/{phone-number-id}/messages`."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO

import aiohttp
import pytest
from bot_process import REPO, bot_env
from fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from test_telegram_process import free_port
from test_whatsapp import envelope, sign

APP_SECRET = "process-app-secret-5e1f0c"
VERIFY_TOKEN = "process-verify-token-77"
WA_ID = "919812300001"  # a made-up Indian number in wa_id form


def meta_text_message(body: str, message_id: str) -> dict[str, object]:
    """A text message webhook, field for field as Meta's `messages` webhook reference shows."""
    return envelope(
        {
            "contacts": [{"profile": {"name": "Test Victim"}, "wa_id": WA_ID}],
            "messages": [
                {
                    "from": WA_ID,
                    "id": message_id,
                    "timestamp": "1764300000",
                    "type": "text",
                    "text": {"body": body},
                }
            ],
        }
    )


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot_url(tmp_path: Path, graph: FakeGraph) -> AsyncIterator[str]:
    port = free_port()
    log_path = tmp_path / "bot.log"
    log: IO[bytes] = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(REPO / "bot.py"),
        cwd=REPO,
        env=bot_env(
            tmp_path / "bot.db",
            WHATSAPP_TOKEN=TOKEN,
            WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
            WHATSAPP_APP_SECRET=APP_SECRET,
            WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
            WHATSAPP_API_BASE=graph.url,
            HTTP_HOST="127.0.0.1",
            HTTP_PORT=str(port),
        ),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http, asyncio.timeout(30):
            while True:
                try:
                    async with http.get(f"{url}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                if process.returncode is not None:
                    raise AssertionError(log_path.read_text(errors="replace"))
                await asyncio.sleep(0.1)
        yield url
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 15)
        log.close()
        assert "Traceback" not in log_path.read_text(errors="replace")


async def test_verification_and_a_signed_greeting_get_the_language_buttons(
    bot_url: str, graph: FakeGraph
) -> None:
    hook = f"{bot_url}/whatsapp/webhook"
    challenge = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    async with aiohttp.ClientSession() as http:
        async with http.get(hook, params={**challenge, "hub.verify_token": VERIFY_TOKEN}) as r:
            assert (r.status, await r.text()) == (200, "1158201444")
        async with http.get(hook, params={**challenge, "hub.verify_token": "nope"}) as r:
            assert r.status == 403

        body = json.dumps(meta_text_message("नमस्ते", "wamid.PROCESS1")).encode()
        forged = sign(body, "not-the-secret")
        async with http.post(hook, data=body, headers={"X-Hub-Signature-256": forged}) as r:
            assert r.status == 403
        signature = sign(body, APP_SECRET)
        headers = {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}
        async with http.post(hook, data=body, headers=headers) as r:
            assert r.status == 200

    async with asyncio.timeout(10):
        while not graph.to(WA_ID):
            await asyncio.sleep(0.05)
    [sent] = graph.to(WA_ID)
    assert sent.body["messaging_product"] == "whatsapp"
    assert sent.body["type"] == "interactive"
    interactive = sent.body["interactive"]
    assert interactive["type"] == "button"
    assert "किस भाषा" in interactive["body"]["text"]
    assert "Which language" in interactive["body"]["text"]
    assert sent.options == [("button_reply", "hi", "हिंदी"), ("button_reply", "en", "English")]
