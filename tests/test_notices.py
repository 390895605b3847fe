"""Notices reach the channel that is running, and wait for the one that is not."""

from __future__ import annotations

from support.timing import Clock

from bot.service.database import runner_for
from bot.service.notices import NoticeDispatcher
from storage.sqlite import SqliteStore


def queue(store: SqliteStore, clock: Clock, channel: str, user: str, text: str) -> None:
    with store.transaction():
        store.queue_notice(channel, user, None, text, clock())


async def test_pending_notices_go_to_their_channel_once(store: SqliteStore, clock: Clock) -> None:
    sent: list[tuple[str, str]] = []

    async def console(user_id: str, text: str) -> bool:
        sent.append((user_id, text))
        return True

    queue(store, clock, "console", "demo", "first")
    queue(store, clock, "telegram", "42", "waits for telegram")
    queue(store, clock, "console", "demo", "second")
    dispatcher = NoticeDispatcher(runner_for(store), clock)
    dispatcher.register("console", console)
    assert await dispatcher.deliver_pending() == 2
    assert await dispatcher.deliver_pending() == 0
    assert sent == [("demo", "first"), ("demo", "second")]
    with store.transaction():
        assert [n.text for n in store.pending_notices("telegram")] == ["waits for telegram"]


async def test_a_failed_send_is_retried_later(store: SqliteStore, clock: Clock) -> None:
    attempts: list[str] = []

    async def flaky(user_id: str, text: str) -> bool:
        attempts.append(text)
        if len(attempts) == 1:
            raise ConnectionError("network down")
        return True

    queue(store, clock, "console", "demo", "status changed")
    dispatcher = NoticeDispatcher(runner_for(store), clock)
    dispatcher.register("console", flaky)
    assert await dispatcher.deliver_pending() == 0
    assert await dispatcher.deliver_pending() == 1
    assert attempts == ["status changed", "status changed"]
    rows = list(store.db.query("select status, last_error from notices"))
    assert rows == [{"status": "sent", "last_error": None}]


async def test_notices_wait_while_the_person_has_blocked_the_bot(
    store: SqliteStore, clock: Clock
) -> None:
    from bot.domain.messages import ConversationKey

    sent: list[str] = []

    async def telegram(user_id: str, text: str) -> bool:
        sent.append(text)
        return True

    key = ConversationKey("telegram", "42")
    with store.transaction():
        store.mark_unreachable(key, reason="blocked", at=clock())
    queue(store, clock, "telegram", "42", "your complaint was assigned")
    dispatcher = NoticeDispatcher(runner_for(store), clock)
    dispatcher.register("telegram", telegram)
    assert await dispatcher.deliver_pending() == 0
    with store.transaction():
        store.mark_reachable(key)
    assert await dispatcher.deliver_pending() == 1
    assert sent == ["your complaint was assigned"]
