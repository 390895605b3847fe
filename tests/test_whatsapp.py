"""The WhatsApp Cloud API channel end to end in one process, over loopback HTTP.

Signed webhooks are POSTed to the channel's aiohttp handlers the way Meta does; the
channel answers through `FakeGraph`, a Graph API server speaking the documented JSON.
People press the buttons and list rows the bot really sent (following "more" rows of a
long list), so a message that renders wrong fails here as it would fail for a victim.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from support.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph, SentMessage
from support.journeys import reference_in
from support.processes import TEST_REFERENCE_KEY
from support.telegram import runtime_url
from support.timing import Clock, until
from support.whatsapp import (
    APP_SECRET,
    CAP_BYTES,
    TEMPLATE,
    VERIFY_TOKEN,
    WA_ID,
    WhatsApp,
    WhatsAppLink,
    envelope,
    sign,
    start_whatsapp_runtime,
    whatsapp_person,
)

from bot.channels.whatsapp import CHANNEL, SIGNATURE_HEADER, WEBHOOK_PATH
from bot.channels.whatsapp_render import (
    BODY_LIMIT,
    BUTTON_TITLE_LIMIT,
    MORE_PREFIX,
    ROW_DESCRIPTION_LIMIT,
    ROW_TITLE_LIMIT,
    TEXT_LIMIT,
    render,
)
from bot.domain.errors import ConfigurationError
from bot.domain.i18n import translator
from bot.domain.messages import Choice, ChoicePrompt, ConversationKey, PhoneRequest, TextReply
from bot.service.awareness.broadcaster import Broadcaster
from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from bot.service.notices import NoticeDispatcher
from bot.settings import load_settings
from storage.sqlite import SqliteStore


@pytest.fixture
async def wa(
    graph: FakeGraph, service: ConversationService, tmp_path: Path
) -> AsyncIterator[WhatsApp]:
    channel = WhatsApp(graph, service, tmp_path / "evidence")
    await channel.start()
    yield channel
    await channel.close()


# --- the webhook -------------------------------------------------------------------------


async def test_verification_handshake(wa: WhatsApp) -> None:
    assert wa.http is not None
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    async with wa.http.get(wa.url, params=query) as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        assert await response.text() == "1158201444"
    for wrong in ({"hub.verify_token": "guess"}, {"hub.mode": "unsubscribe"}):
        async with wa.http.get(wa.url, params={**query, **wrong}) as response:
            assert response.status == 403
            assert "1158201444" not in await response.text()


async def test_forged_and_missing_signatures_are_refused_and_nothing_is_stored(
    wa: WhatsApp,
) -> None:
    body = json.dumps(wa.inbound(WA_ID, wa.message(WA_ID, "text", {"body": "नमस्ते"}))).encode()
    for signature in (None, "", sign(body, "another-secret"), "sha256=" + "0" * 64, sign(b"{}")):
        status, _ = await wa.post(body, signature)
        assert status == 403, signature
    assert wa.inbox() == []
    assert wa.graph.sent == []
    assert wa.store.load_conversation(ConversationKey(CHANNEL, WA_ID)) is None
    status, _ = await wa.post(body)  # the same body, signed: accepted
    assert status == 200
    await wa.joined()
    assert len(wa.inbox()) == 1 and wa.graph.to(WA_ID)


async def test_malformed_payloads(wa: WhatsApp) -> None:
    status, _ = await wa.post(b"{not json")
    assert status == 400
    assert wa.inbox() == []
    odd: list[Any] = [
        {"object": "whatsapp_business_account", "entry": []},
        {"object": "whatsapp_business_account"},
        envelope({"contacts": []}),
        {"entry": [{"id": "1", "changes": [{"field": "account_alerts", "value": {"x": 1}}]}]},
        {"entry": [{"changes": [{"value": "nonsense"}]}, 7, None]},
        envelope({"messages": [{"type": "text", "text": {"body": "no sender"}}, "junk"]}),
        [1, 2, 3],
        "a string",
    ]
    for payload in odd:
        status, text = await wa.post(json.dumps(payload).encode())
        assert status == 200, (payload, text)
    await wa.joined()
    assert wa.graph.attempts == 0
    assert all(row["processed_at"] for row in wa.inbox())
    assert isinstance(wa.store, SqliteStore)
    assert wa.store.db.execute("select count(*) from conversations").fetchone()[0] == 0


async def test_the_same_message_delivered_twice_is_applied_once(wa: WhatsApp) -> None:
    message = wa.message(WA_ID, "text", {"body": "नमस्ते"}, id="wamid.SAME")
    await wa.deliver(wa.inbound(WA_ID, message))
    first = len(wa.graph.to(WA_ID))
    assert first >= 1
    await wa.deliver(wa.inbound(WA_ID, message))
    assert len(wa.graph.to(WA_ID)) == first
    assert len(wa.inbox()) == 2 and all(row["processed_at"] for row in wa.inbox())


async def test_a_stored_body_left_by_a_crash_is_processed_at_start(
    graph: FakeGraph, service: ConversationService, tmp_path: Path
) -> None:
    wa = WhatsApp(graph, service, tmp_path / "evidence")
    body = wa.inbound(WA_ID, wa.message(WA_ID, "text", {"body": "नमस्ते"}))
    with service.store.transaction():  # accepted (200 sent), then the process died
        service.store.store_webhook(CHANNEL, json.dumps(body), service.clock())
    assert [row["processed_at"] for row in wa.inbox()] == [None]
    await wa.start()
    try:
        await wa.joined()
        assert graph.to(WA_ID), "the leftover message was not answered"
        assert "किस भाषा" in "\n".join(m.text for m in graph.to(WA_ID))
        assert all(row["processed_at"] for row in wa.inbox())
    finally:
        await wa.close()


# --- conversations -------------------------------------------------------------------------


async def test_hindi_complaint_with_buttons_and_lists(wa: WhatsApp, tmp_path: Path) -> None:
    sunita = whatsapp_person(wa)
    await sunita.send("नमस्ते")
    language = sunita.replies[-1].raw.body
    assert language["type"] == "interactive" and language["interactive"]["type"] == "button"
    await sunita.press("हिंदी")
    sunita.sees("1930")
    assert sunita.replies[-1].raw.body["interactive"]["type"] == "list"  # the 5-item menu
    await sunita.press("ठगी की शिकायत")
    assert any(o[1].startswith(MORE_PREFIX) for o in sunita.replies[-1].raw.options)  # 12 kinds
    await sunita.press("वीडियो कॉल")  # on the second page
    await sunita.send("2 घंटे पहले")
    await sunita.send("26 लाख 4 हजार")
    await sunita.press("हाँ, सही है")  # over ₹10 lakh: confirmed
    await sunita.press("UPI")
    await sunita.send("631845002917")
    await sunita.press("SBI")
    # The mobile step offers the WhatsApp number as a button instead of retyping it.
    await sunita.press("यही")
    sunita.sees("₹26,04,000", "631845002917")
    await sunita.press("शिकायत दर्ज करें")
    sunita.sees("शिकायत संख्या")
    reference = reference_in(sunita.text)
    await sunita.send("quickcash@ybl")
    await sunita.press("हो गया")
    await sunita.send("किसी ने बैंक अधिकारी बनकर फ़ोन किया और KYC के नाम पर ऐप डाउनलोड करवाया।")
    await sunita.send("सुनीता वर्मा")
    await sunita.press("छत्तीसगढ़")
    await sunita.press("कोरबा")
    screenshot = b"\xff\xd8\xff\xe0 a JPEG screenshot of the UPI debit"
    await sunita.send_photo(screenshot)
    await sunita.press("हो गया")
    sunita.sees("सुनीता वर्मा", "quickcash@ybl", "कोरबा")
    await sunita.press("जमा करें")
    record = wa.store.get_complaint(reference)
    assert record is not None
    assert record["mobile"] in {"9876543210", "+919876543210", WA_ID}
    assert record["district"]
    digest = hashlib.sha256(screenshot).hexdigest()
    [evidence] = record["evidence"]
    assert evidence["sha256"] == digest
    assert evidence["mime_type"] == "image/jpeg"
    assert evidence["size_bytes"] == len(screenshot)
    saved = tmp_path / "evidence" / "whatsapp" / f"{digest}.jpg"
    assert saved.read_bytes() == screenshot
    for message in wa.graph.sent:
        check_limits(message)


async def test_an_image_over_the_cap_is_not_downloaded(wa: WhatsApp, tmp_path: Path) -> None:
    person = whatsapp_person(wa)
    await person.send("नमस्ते")
    await person.send_photo(b"tiny", size=CAP_BYTES + 1, mime="image/png")
    assert wa.graph.downloads == 0
    assert not (tmp_path / "evidence" / "whatsapp").exists()
    assert person.replies  # the core answers (explains the cap or re-asks)


async def test_contacts_location_and_statuses(wa: WhatsApp) -> None:
    person = whatsapp_person(wa)
    await person.send("hello")
    await person.press("English")
    await person.send_raw(wa.message(WA_ID, "location", {"latitude": 21.25, "longitude": 81.63}))
    assert person.replies, "an unsupported message is answered"
    contact = {"name": {"formatted_name": "Me"}, "phones": [{"phone": "+91 98765 43210"}]}
    await person.send_raw({**wa.message(WA_ID, "contacts", {}), "contacts": [contact]})
    assert person.replies
    wamid = wa.graph.sent[0].id
    assert wa.store.message_status(CHANNEL, wamid) == ("accepted", None)
    ts = str(int(wa.clock().timestamp()))

    def status(state: str, **extra: Any) -> dict[str, Any]:
        return {"id": wamid, "status": state, "timestamp": ts, "recipient_id": WA_ID, **extra}

    for state in ("sent", "read", "delivered"):  # a late "delivered" does not undo "read"
        await wa.deliver(envelope({"statuses": [status(state)]}))
    assert wa.store.message_status(CHANNEL, wamid) == ("read", None)
    failed = status("failed", errors=[{"code": 131047, "title": "Re-engagement message"}])
    await wa.deliver(envelope({"statuses": [failed]}))
    assert wa.store.message_status(CHANNEL, wamid) == ("failed", 131047)


# --- sending: errors, the 24-hour window ---------------------------------------------------


async def test_rate_limit_backs_off_and_retries(wa: WhatsApp) -> None:
    wa.graph.fail_next(130429, message="Rate limit hit")
    wa.graph.fail_next(131056, message="(Business Account, Consumer Account) pair rate limit")
    person = whatsapp_person(wa)
    await person.send("नमस्ते")
    assert [code for code, _ in wa.graph.refused] == [130429, 131056]
    assert person.replies and "किस भाषा" in person.text  # delivered after the pauses
    assert wa.graph.attempts == 2 + len(person.replies)  # each refusal retried once


async def test_auth_errors_are_logged_loudly(
    wa: WhatsApp, caplog: pytest.LogCaptureFixture
) -> None:
    wa.graph.fail_next(190, status=401, message="Error validating access token")
    await whatsapp_person(wa).send("नमस्ते")
    assert any(
        r.levelname == "ERROR" and "AUTHENTICATION" in r.getMessage() for r in caplog.records
    )


async def test_marketing_opt_out_unsubscribes(wa: WhatsApp) -> None:
    person = whatsapp_person(wa)
    await person.send("नमस्ते")
    wa.graph.fail_next(131050, message="User stopped marketing messages")
    assert await wa.channel.send_notice(WA_ID, "सावधान: नकली KYC कॉल") is False
    assert isinstance(wa.store, SqliteStore)
    row = wa.store.db.execute(
        "select subscribed, how from subscriptions where user_id = ?", [WA_ID]
    ).fetchone()
    assert tuple(row) == (0, "whatsapp 131050")


async def test_notice_outside_the_window_waits_for_the_person_without_a_template(
    wa: WhatsApp, clock: Clock
) -> None:
    person = whatsapp_person(wa)
    await person.send("नमस्ते")
    clock.advance(hours=25)
    dispatcher = NoticeDispatcher(runner_for(wa.store), clock)
    dispatcher.register(CHANNEL, wa.channel.send_notice)
    with wa.store.transaction():
        wa.store.queue_notice(CHANNEL, WA_ID, None, "आपकी शिकायत पर कार्रवाई शुरू हुई", clock())
    before = wa.graph.attempts
    assert await dispatcher.deliver_pending() == 0
    assert wa.graph.attempts == before, "nothing may be sent outside the window"
    await person.send("स्थिति?")
    assert await dispatcher.deliver_pending() == 1
    await wa.joined()
    assert wa.graph.to(WA_ID)[-1].text == "आपकी शिकायत पर कार्रवाई शुरू हुई"


async def test_notice_outside_the_window_goes_as_a_template(
    graph: FakeGraph, service: ConversationService, clock: Clock, tmp_path: Path
) -> None:
    wa = WhatsApp(graph, service, tmp_path / "evidence", status_template=TEMPLATE)
    await wa.start()
    try:
        person = whatsapp_person(wa)
        await person.send("नमस्ते")
        # Inside the window but Meta says otherwise (131047): the template is used.
        graph.fail_next(131047, message="Re-engagement message")
        assert await wa.channel.send_notice(WA_ID, "पहली सूचना\nदूसरी पंक्ति") is True
        template = graph.to(WA_ID)[-1].body
        assert template["type"] == "template"
        assert template["template"]["name"] == TEMPLATE
        assert template["template"]["language"] == {"code": "hi"}
        assert "\n" not in graph.to(WA_ID)[-1].text
        # Outside the window: straight to the template, no free-form attempt.
        clock.advance(hours=25)
        attempts = graph.attempts
        assert await wa.channel.send_notice(WA_ID, "तीसरी सूचना") is True
        assert graph.attempts == attempts + 1
        assert graph.to(WA_ID)[-1].body["type"] == "template"
    finally:
        await wa.close()


# --- rendering -------------------------------------------------------------------------------


def check_limits(message: SentMessage) -> None:
    body = message.body
    assert body["messaging_product"] == "whatsapp"
    if body["type"] == "text":
        assert len(body["text"]["body"]) <= TEXT_LIMIT
        return
    if body["type"] != "interactive":
        return
    interactive = body["interactive"]
    assert len(interactive["body"]["text"]) <= BODY_LIMIT
    if interactive["type"] == "button":
        buttons = interactive["action"]["buttons"]
        assert 1 <= len(buttons) <= 3
        assert all(len(b["reply"]["title"]) <= BUTTON_TITLE_LIMIT for b in buttons)
    else:
        assert interactive["type"] == "list"
        assert len(interactive["action"]["button"]) <= 20
        rows = [r for s in interactive["action"]["sections"] for r in s["rows"]]
        assert 1 <= len(rows) <= 10
        assert all(len(r["title"]) <= ROW_TITLE_LIMIT for r in rows)
        assert all(len(r.get("description", "")) <= ROW_DESCRIPTION_LIMIT for r in rows)


def _choices(count: int, label: str = "Option") -> tuple[Choice, ...]:
    return tuple(Choice(f"c{i}", f"{label} {i}") for i in range(count))


@pytest.mark.parametrize("count", [1, 2, 3])
def test_up_to_three_choices_are_reply_buttons(count: int) -> None:
    [message] = render(WA_ID, ChoicePrompt("Pick", _choices(count)), translator("en"))
    assert message["interactive"]["type"] == "button"
    assert [b["reply"]["id"] for b in message["interactive"]["action"]["buttons"]] == [
        f"c{i}" for i in range(count)
    ]
    check_limits(SentMessage("x", message))


@pytest.mark.parametrize("count", [4, 7, 10])
def test_four_to_ten_choices_are_one_list(count: int) -> None:
    long = "A very long label that cannot fit a row title"
    [message] = render(WA_ID, ChoicePrompt("Pick", _choices(count, long)), translator("hi"))
    assert message["interactive"]["type"] == "list"
    assert message["interactive"]["action"]["button"] == translator("hi")("choice.open_list")
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [f"c{i}" for i in range(count)]
    assert rows[0]["description"].startswith(long[:30])
    check_limits(SentMessage("x", message))


def test_more_than_ten_choices_are_paginated() -> None:
    from bot.channels.whatsapp_render import render_choices

    choices = _choices(23)
    t = translator("en")
    seen: list[str] = []
    for page in range(3):
        [message] = render_choices(WA_ID, "Your district?", choices, t, page)
        check_limits(SentMessage("x", message))
        rows = message["interactive"]["action"]["sections"][0]["rows"]
        ids = [r["id"] for r in rows]
        if page < 2:
            assert len(rows) == 10 and ids[-1] == f"{MORE_PREFIX}{page + 1}"
            ids = ids[:-1]
        seen += ids
    assert seen == [c.id for c in choices]


def test_long_text_and_long_question_bodies() -> None:
    t = translator("en")
    pieces = render(WA_ID, TextReply("word " * 2000), t)
    assert len(pieces) == 3 and all(p["type"] == "text" for p in pieces)
    question = "Q" * (BODY_LIMIT + 10)
    messages = render(WA_ID, ChoicePrompt(question, _choices(2)), t)
    assert messages[0]["type"] == "text" and messages[0]["text"]["body"] == question
    assert messages[-1]["interactive"]["body"]["text"] == t("choice.pick_one")


def test_phone_request_offers_the_whatsapp_number_as_a_button() -> None:
    reply = PhoneRequest(
        "Your mobile?", known_phone=WA_ID, choices=(Choice("use_known", "Use 919876543210"),)
    )
    [message] = render(WA_ID, reply, translator("en"))
    assert message["interactive"]["action"]["buttons"][0]["reply"]["id"] == "use_known"
    [plain] = render(WA_ID, PhoneRequest("Your mobile?"), translator("en"))
    assert plain["type"] == "text"


# --- configuration and the running bot -------------------------------------------------------


def test_whatsapp_settings_are_all_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHATSAPP_TOKEN", TOKEN)
    monkeypatch.setenv("WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID)
    monkeypatch.setenv("WHATSAPP_VERIFY_TOKEN", VERIFY_TOKEN)
    with pytest.raises(ConfigurationError, match="WHATSAPP_APP_SECRET"):
        load_settings(env_file=None)
    monkeypatch.setenv("WHATSAPP_APP_SECRET", APP_SECRET)
    with pytest.raises(ConfigurationError, match="REFERENCE_KEY"):
        load_settings(env_file=None)
    monkeypatch.setenv("REFERENCE_KEY", TEST_REFERENCE_KEY)
    settings = load_settings(env_file=None)
    assert settings.whatsapp_enabled and settings.needs_http
    assert settings.whatsapp_api_base == "https://graph.facebook.com/v21.0"


async def test_the_runtime_serves_the_webhook(graph: FakeGraph, tmp_path: Path) -> None:
    runtime = await start_whatsapp_runtime(
        graph, tmp_path, reporting_url=None, reporting_callback_secret=None
    )
    try:
        message = {
            "from": WA_ID,
            "id": "wamid.RUNTIME1",
            "timestamp": "1764260000",
            "type": "text",
            "text": {"body": "नमस्ते"},
        }
        body = json.dumps(envelope({"messages": [message]})).encode()
        url = runtime_url(runtime) + WEBHOOK_PATH
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, data=body, headers={SIGNATURE_HEADER: sign(body)}) as response,
        ):
            assert response.status == 200
        await until(lambda: any(m.type == "interactive" for m in graph.to(WA_ID)))
        assert "whatsapp" in runtime.notices.senders
    finally:
        await runtime.close()


async def test_the_more_row_still_works_after_a_restart(
    graph: FakeGraph, service: ConversationService, tmp_path: Path
) -> None:
    before = WhatsApp(graph, service, tmp_path / "evidence")
    await before.start()
    person = whatsapp_person(before)
    await person.send("hello")
    await person.press("English")
    await person.press("Report fraud")
    first_page = [o for o in person.replies[-1].raw.options]
    more = [o for o in first_page if o[1].startswith(MORE_PREFIX)]
    assert len(more) == 1
    await before.close()

    after = WhatsApp(graph, service, tmp_path / "evidence")  # a new process, nothing in memory
    await after.start()
    try:
        person.link = WhatsAppLink(after)
        await person.press(more[0][1])
        second_page = person.replies[-1].raw.options
        assert second_page and not set(second_page) & set(first_page)
        await person.press("Video call")
        assert after.store.load_conversation(ConversationKey(CHANNEL, WA_ID)) is not None
        person.sees("When")
    finally:
        await after.close()


# --- awareness messages ---------------------------------------------------------------------

AWARENESS_TEMPLATE = "fraud_alert_weekly"


async def broadcast(wa: WhatsApp, *wa_ids: str) -> dict[str, tuple[str, str | None]]:
    """One campaign to these subscribers through the real channel; status per person."""
    now = wa.clock()
    with wa.store.transaction():
        for wa_id in wa_ids:
            key = ConversationKey(CHANNEL, wa_id)
            wa.store.set_subscription(key, subscribed=True, language="hi", how="t", at=now)
        wa.store.create_campaign(
            kind="custom",
            text_en="Fake KYC calls are back.",
            text_hi="नकली KYC कॉल फिर से आ रहे हैं।\nसावधान रहें।",
            created_by="test",
            at=now,
            send_at=now,
        )
    broadcaster = Broadcaster(runner_for(wa.store), wa.clock)
    broadcaster.register(CHANNEL, wa.channel.send_awareness)
    await broadcaster.tick()
    async with asyncio.timeout(20):
        await broadcaster.pump_all()
    assert isinstance(wa.store, SqliteStore)
    return {
        row["user_id"]: (row["status"], row["error"])
        for row in wa.store.db.query("select user_id, status, error from deliveries")
    }


async def test_awareness_inside_the_window_is_plain_text(wa: WhatsApp) -> None:
    await whatsapp_person(wa).send("नमस्ते")
    assert await broadcast(wa, WA_ID) == {WA_ID: ("sent", None)}
    last = wa.graph.to(WA_ID)[-1]
    assert last.type == "text" and last.text.startswith("नकली KYC कॉल") and "1930" in last.text


async def test_awareness_outside_the_window_needs_a_template(wa: WhatsApp, clock: Clock) -> None:
    await whatsapp_person(wa).send("नमस्ते")
    clock.advance(hours=25)
    before = wa.graph.attempts
    [(status, error)] = (await broadcast(wa, WA_ID)).values()
    assert status == "failed" and "WHATSAPP_AWARENESS_TEMPLATE" in (error or "")
    assert wa.graph.attempts == before  # nothing may be sent outside the window


async def test_awareness_outside_the_window_goes_as_the_marketing_template(
    graph: FakeGraph, service: ConversationService, clock: Clock, tmp_path: Path
) -> None:
    wa = WhatsApp(graph, service, tmp_path / "evidence", awareness_template=AWARENESS_TEMPLATE)
    await wa.start()
    try:
        await whatsapp_person(wa).send("नमस्ते")
        clock.advance(hours=30)
        assert await broadcast(wa, WA_ID) == {WA_ID: ("sent", None)}
        body = graph.to(WA_ID)[-1].body
        assert body["type"] == "template"
        assert body["template"]["name"] == AWARENESS_TEMPLATE
        [parameter] = body["template"]["components"][0]["parameters"]
        assert "\n" not in parameter["text"] and parameter["text"].startswith("नकली KYC")
        check_limits(graph.to(WA_ID)[-1])
    finally:
        await wa.close()


async def test_stopped_marketing_messages_unsubscribes(wa: WhatsApp) -> None:
    await whatsapp_person(wa).send("नमस्ते")
    wa.graph.fail_next(131050, message="User stopped marketing messages")
    [(status, _)] = (await broadcast(wa, WA_ID)).values()
    assert status == "unsubscribed"
    assert wa.store.subscription_language(ConversationKey(CHANNEL, WA_ID)) is None
