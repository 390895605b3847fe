"""Awareness messages: consent in the conversation, the weekly rotation, operators'
campaigns, and broadcasts through the real Telegram channel against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, time
from pathlib import Path

import pytest
from support.awareness import finished, queue_campaign, subscribe
from support.fake_telegram import FakeTelegram
from support.journeys import ENGLISH_PATH, reach
from support.person import Person, person_on
from support.telegram import start_runtime
from support.timing import Clock, max_in_any_second, until

from bot.app import BotRuntime
from bot.domain.awareness import FOOTER, LIBRARY, MAX_CUSTOM_CHARS
from bot.domain.clock import IST
from bot.domain.i18n import translator
from bot.domain.messages import ConversationKey
from bot.service.awareness.broadcaster import Broadcaster
from bot.service.awareness.schedule import Rotation
from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from storage.sqlite import SqliteStore

# --- the library ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["hi", "en"])
def test_the_library_has_a_dozen_messages_each_ending_with_how_to_report(language: str) -> None:
    t = translator(language)
    assert len(LIBRARY) >= 12 and len(set(LIBRARY)) == len(LIBRARY)
    texts = [t(key) for key in LIBRARY]
    assert all(text != key for text, key in zip(texts, LIBRARY, strict=True))
    assert len(set(texts)) == len(texts)
    footer = t(FOOTER)
    assert "1930" in footer and "STOP" in footer
    for text in texts:
        assert len(f"{text}\n\n{footer}") <= 1000  # one WhatsApp template parameter
    assert MAX_CUSTOM_CHARS + len(footer) + 2 <= 1000


# --- consent in the conversation ------------------------------------------------------


async def test_the_offer_after_a_complaint_is_asked_once_and_records_how(
    user: Person, store: SqliteStore
) -> None:
    await reach(user, "awareness_offer")
    user.sees("safety alerts")
    assert [c.label for c in user.choices] == ["Yes, send alerts", "No, thanks"]
    await user.press("Yes, send alerts")
    user.sees("You will receive safety alerts")
    assert store.subscription_language(user.key) == "en"
    [entry] = store.consent_history(user.key)
    assert (entry["subscribed"], entry["how"], entry["language"]) == (1, "after complaint", "en")

    await user.send("stop")  # the word works anywhere
    assert store.subscription_language(user.key) is None
    assert [e["subscribed"] for e in store.consent_history(user.key)] == [1, 0]

    # A second complaint, from the menu to the submit button: not asked again.
    await user.press("Report fraud")
    for reached, action, value in ENGLISH_PATH[3:]:
        await getattr(user, action)(value)
        assert reached in (user.state.step, "awareness_offer"), user.text
    user.sees("complete and submitted")
    assert user.state.step == "menu"
    assert "alerts" not in user.last.text


async def test_declining_the_offer_subscribes_nobody(user: Person, store: SqliteStore) -> None:
    await reach(user, "awareness_offer")
    await user.send("maybe later")  # not a button: asked again, nothing assumed
    assert user.state.step == "awareness_offer"
    assert store.subscription_language(user.key) is None
    await user.press("No, thanks")
    assert user.state.step == "menu"
    assert store.subscription_language(user.key) is None
    assert store.consent_history(user.key) == []


async def test_switching_language_moves_the_subscription_along(
    hindi_user: Person, store: SqliteStore
) -> None:
    await hindi_user.send("हिंदी")
    await hindi_user.command("subscribe")
    assert store.subscription_language(hindi_user.key) == "hi"
    await hindi_user.send("english")
    assert store.subscription_language(hindi_user.key) == "en"


# --- operators' campaigns in the conversation -----------------------------------------


async def test_broadcast_is_an_unknown_command_for_everyone_else(
    user: Person, store: SqliteStore
) -> None:
    await reach(user, "menu")
    await user.command("broadcast")
    user.sees("don't know that command")
    assert user.state.step == "menu"
    assert store.campaign_progress() == []


async def test_an_operator_writes_previews_and_sends_a_campaign(
    service: ConversationService, store: SqliteStore
) -> None:
    operator = person_on(service, "operator-1", operator=True, platform_language="en")
    await operator.send("hello")
    await operator.command("broadcast")
    operator.sees("English text")
    await operator.send("x" * (MAX_CUSTOM_CHARS + 1))
    operator.sees("too long")
    await operator.send("Fake 'electricity officer' calls are back in Raipur. Never pay by a link.")
    operator.sees("Hindi")
    await operator.send("रायपुर में फिर से नकली 'बिजली अधिकारी' के कॉल आ रहे हैं। लिंक से भुगतान न करें।")
    operator.sees("Raipur", "रायपुर", "1930", "Send it now?")
    await operator.press("Send to all")
    operator.sees("queued for 0 subscribers")
    [progress] = store.campaign_progress()
    campaign = progress.campaign
    assert campaign.kind == "custom" and campaign.created_by == "test:operator-1"
    assert campaign.text_en is not None and "Raipur" in campaign.text_en
    assert campaign.text_hi is not None and "रायपुर" in campaign.text_hi
    assert operator.state.broadcast_en is None  # the draft is not kept

    await operator.command("broadcast")
    await operator.send("Another one")
    await operator.send("एक और")
    await operator.press("Cancel")
    operator.sees("Nothing was sent")
    assert len(store.campaign_progress()) == 1


# --- the weekly rotation -------------------------------------------------------------


def at(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day} {clock_time}").replace(tzinfo=IST)


async def test_the_rotation_fires_at_the_configured_indian_time_once_per_week(
    store: SqliteStore,
) -> None:
    clock = Clock(at("2026-11-30", "10:59"))  # a Monday, a minute early
    broadcaster = Broadcaster(runner_for(store), clock, rotation=Rotation(7, time(11, 0)))
    assert await broadcaster.tick() == []
    assert store.campaign_progress() == []

    clock.now = at("2026-11-30", "11:00")
    [first] = await broadcaster.tick()
    clock.advance(hours=3)
    assert await broadcaster.tick() == []  # the same week: nothing new
    clock.now = at("2026-12-03", "11:00")  # Thursday
    assert await broadcaster.tick() == []
    clock.now = at("2026-12-07", "11:00")  # next Monday
    [second] = await broadcaster.tick()

    keys = [p.campaign.library_key for p in store.campaign_progress()]
    assert [p.campaign.id for p in store.campaign_progress()] == [first, second]
    assert keys[0] in LIBRARY and keys[1] == LIBRARY[(LIBRARY.index(keys[0]) + 1) % len(LIBRARY)]
    assert store.campaign_progress()[0].campaign.send_at == at("2026-11-30", "11:00")


async def test_a_restart_in_the_same_week_does_not_send_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    clock = Clock(at("2026-11-30", "11:05"))
    for _ in range(2):  # two processes, one after the other
        store = SqliteStore(path)
        await Broadcaster(runner_for(store), clock, rotation=Rotation(7, time(11, 0))).tick()
        store.close()
    store = SqliteStore(path)
    assert len(store.campaign_progress()) == 1
    store.close()


async def test_a_fresh_deployment_mid_week_waits_for_the_next_monday(store: SqliteStore) -> None:
    clock = Clock(at("2026-12-02", "15:00"))  # Wednesday
    assert (
        await Broadcaster(runner_for(store), clock, rotation=Rotation(7, time(11, 0))).tick() == []
    )
    assert store.campaign_progress() == []


async def test_a_daily_rotation_at_nine_in_the_evening(store: SqliteStore) -> None:
    clock = Clock(at("2026-11-28", "20:59"))
    broadcaster = Broadcaster(runner_for(store), clock, rotation=Rotation(1, time(21, 0)))
    assert await broadcaster.tick() == []
    clock.advance(minutes=1)
    assert len(await broadcaster.tick()) == 1
    clock.advance(days=1)
    assert len(await broadcaster.tick()) == 1


# --- broadcasting through the Telegram channel ---------------------------------------

ADMIN = 4242001


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(cap_per_second=40)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def runtime(bot_api: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotRuntime]:
    running = await start_runtime(
        "polling",
        bot_api,
        tmp_path,
        telegram_rate_per_second=40,
        awareness_every_days=0,
        admin_telegram_ids=f"{ADMIN}",
    )
    yield running
    await running.close()


async def test_every_subscriber_once_in_their_language_within_the_cap(
    runtime: BotRuntime, bot_api: FakeTelegram
) -> None:
    store = runtime.store
    chats = range(8100000, 8100240)
    opted_out = {chat for chat in chats if chat % 10 == 3}
    subscribe(store, chats, opted_out=opted_out)
    queue_campaign(store, text_en="Beware of fake KYC calls.", text_hi="नकली KYC कॉल से सावधान।")
    runtime.broadcaster.wake()
    await until(lambda: finished(store), timeout=30)

    for chat in chats:
        texts = bot_api.texts(chat)
        if chat in opted_out:
            assert texts == [], chat
            continue
        assert len(texts) == 1, (chat, texts)
        if chat % 2:
            assert texts[0].startswith("नकली KYC कॉल से सावधान।") and "1930" in texts[0]
        else:
            assert texts[0].startswith("Beware of fake KYC calls.") and "STOP" in texts[0]
    sends = [call.at for call in bot_api.calls_of("sendMessage") if call.error_code is None]
    assert max_in_any_second(sends) <= 40
    assert bot_api.rate_limited == 0
    [progress] = store.campaign_progress()
    assert progress.counts == {"pending": 0, "sent": 216, "failed": 0, "unsubscribed": 0}


async def test_a_429_storm_and_blocked_users_lose_nothing(
    runtime: BotRuntime, bot_api: FakeTelegram
) -> None:
    store = runtime.store
    chats = range(8200000, 8200030)
    subscribe(store, chats)
    bot_api.fail_next("sendMessage", 3, 429, retry_after=1)
    bot_api.fail_next("sendMessage", 2, 403, "Forbidden: bot was blocked by the user")
    queue_campaign(store, text_en="Never share an OTP.", text_hi="OTP किसी को न बताएँ।")
    runtime.broadcaster.wake()
    await until(lambda: finished(store), timeout=30)

    received = {chat: len(bot_api.texts(chat)) for chat in chats}
    blocked = [chat for chat, count in received.items() if count == 0]
    assert len(blocked) == 2 and all(
        count == 1 for c, count in received.items() if c not in blocked
    )
    [progress] = store.campaign_progress()
    assert progress.counts == {"pending": 0, "sent": 28, "failed": 0, "unsubscribed": 2}
    for chat in blocked:
        key = ConversationKey("telegram", str(chat))
        assert store.subscription_language(key) is None
        assert store.consent_history(key)[-1]["how"] == "unreachable: blocked"
    assert bot_api.rate_limited == 3


async def test_opting_out_after_the_campaign_started_is_respected(
    runtime: BotRuntime, bot_api: FakeTelegram
) -> None:
    store = runtime.store
    chats = range(8300000, 8300060)
    subscribe(store, chats)
    queue_campaign(store, text_en="Check before you pay.", text_hi="भुगतान से पहले जाँचें।")
    runtime.broadcaster.wake()
    await until(lambda: len(bot_api.calls_of("sendMessage")) >= 5)
    last = chats[-1]
    bot_api.inject(bot_api.text_update(last, "STOP"))  # through the running bot's polling
    await until(lambda: finished(store), timeout=30)
    assert all(not text.startswith("भुगतान") for text in bot_api.texts(last))
    assert store.subscription_language(ConversationKey("telegram", str(last))) is None


async def test_an_operator_broadcasts_from_telegram(
    runtime: BotRuntime, bot_api: FakeTelegram
) -> None:
    store = runtime.store
    subscribe(store, range(8400000, 8400010))
    bot_api.inject(bot_api.text_update(ADMIN, "/broadcast", language_code="en"))
    await until(lambda: any("English text" in text for text in bot_api.texts(ADMIN)))
    bot_api.inject(
        bot_api.text_update(ADMIN, "Loan-app harassment? Report it.", language_code="en")
    )
    await until(lambda: any("Hindi text" in text for text in bot_api.texts(ADMIN)))
    bot_api.inject(bot_api.text_update(ADMIN, "लोन ऐप परेशान करे तो शिकायत करें।", language_code="en"))
    await until(
        lambda: (
            bot_api.last_with_keyboard(ADMIN) is not None
            and "Send it now?" in bot_api.texts(ADMIN)[-1]
        )
    )
    bot_api.inject(bot_api.press_update(ADMIN, "Send to all"))
    await until(lambda: finished(store), timeout=30)
    assert bot_api.texts(8400001)[0].startswith("लोन ऐप")
    assert bot_api.texts(8400002)[0].startswith("Loan-app")

    stranger = 4242002
    bot_api.inject(bot_api.text_update(stranger, "/broadcast", language_code="en"))
    await until(lambda: len(bot_api.texts(stranger)) >= 1)
    assert "don't know that command" in "\n".join(bot_api.texts(stranger))
    assert len(store.campaign_progress()) == 1


async def test_an_operators_warning_may_quote_an_otp(
    service: ConversationService, store: SqliteStore
) -> None:
    """Victims are stopped from typing an OTP; an operator's example of one is the point."""
    operator = person_on(service, "operator-2", operator=True, platform_language="en")
    await operator.send("hello")
    await operator.command("broadcast")
    await operator.send('If someone says "tell me the OTP 482913", hang up and call 1930.')
    operator.sees("Hindi")
    assert operator.state.broadcast_en is not None and "482913" in operator.state.broadcast_en
