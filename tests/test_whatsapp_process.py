"""`python bot.py` as a deployer starts it with the five WhatsApp variables, against the fake
Graph API on loopback: Meta's verification handshake, then a signed webhook carrying
"नमस्ते" exactly as Meta's webhook reference shows a text message, answered with the
language choice as interactive reply buttons on `/{phone-number-id}/messages`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from support.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from support.processes import BotProcess
from support.timing import until
from support.whatsapp import envelope, sign

pytestmark = pytest.mark.slow

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
async def bot_url(tmp_path: Path, graph: FakeGraph) -> AsyncIterator[str]:
    bot = await BotProcess.start(
        tmp_path / "bot.db",
        WHATSAPP_TOKEN=TOKEN,
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_API_BASE=graph.url,
    )
    try:
        yield await bot.http_url()
        assert await bot.stop() == 0, bot.output()
    finally:
        await bot.kill()
    assert "Traceback" not in bot.output()


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

    await until(lambda: graph.to(WA_ID))
    [sent] = graph.to(WA_ID)
    assert sent.body["messaging_product"] == "whatsapp"
    assert sent.body["type"] == "interactive"
    interactive = sent.body["interactive"]
    assert interactive["type"] == "button"
    assert "किस भाषा" in interactive["body"]["text"]
    assert "Which language" in interactive["body"]["text"]
    assert sent.options == [("button_reply", "hi", "हिंदी"), ("button_reply", "en", "English")]
