"""Issue 11, item 2: a reporting system whose replies cannot be read. The probe saw 11,177
POSTs of one complaint in 20 s and 11,455 tracebacks: the failed attempt was never
recorded, so the worker tried again at once, for ever, and every job behind it waited."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from support.journeys import hindi_money_trail
from support.person import person_on
from support.servers import start
from support.timing import Clock, until

from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from bot.service.reporting.outbox import MAX_REPLY_BYTES, OutboxWorker
from storage.sqlite import SqliteStore

TOKEN = "hostile-token"
NOT_UTF8 = b"\xff\xfe\xfd not utf-8 \x80\x81"


class Hostile:
    """A reporting system that answers with whatever the test scripts, counting POSTs
    and how many bytes of its reply were taken before the client hung up."""

    def __init__(self) -> None:
        self.posts = 0
        self.streamed = 0
        self.reply: Callable[[web.Request], Any] = lambda request: web.Response(status=201)

    async def complaints(self, request: web.Request) -> web.StreamResponse:
        self.posts += 1
        await request.read()
        result = self.reply(request)
        return await result if asyncio.iscoroutine(result) else result


@pytest.fixture
async def hostile() -> AsyncIterator[tuple[Hostile, str]]:
    server = Hostile()
    app = web.Application()
    app.router.add_post("/api/complaints", server.complaints)
    runner, url = await start(app)
    yield server, f"{url}/api"
    await runner.cleanup()


async def outbox_run(store: SqliteStore, url: str, clock: Clock) -> None:
    """The worker's own loop, as the bot runs it, until every job's attempt is recorded.
    The test clock stands still, so a recorded retry is not due again: a loop that did
    not record its attempt would post again at once (the probe's 11,177 POSTs)."""
    worker = OutboxWorker(
        runner_for(store), url=url, token=TOKEN, clock=clock, rng=random.Random(5)
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    worker.wake()
    try:
        await until(lambda: all(job.attempts for job in jobs(store)), timeout=20)
    finally:
        stop.set()
        await task
        await worker.close()


def jobs(store: SqliteStore) -> list[Any]:
    with store.transaction():
        return store.list_outbox()


async def registered(service: ConversationService, n: int = 1) -> None:
    for index in range(n):
        await hindi_money_trail(person_on(service, f"victim-{index}"))


async def test_a_2xx_reply_that_is_not_utf8_is_delivered_once(
    service: ConversationService, store: SqliteStore, clock: Clock, hostile: tuple[Hostile, str]
) -> None:
    server, url = hostile
    server.reply = lambda request: web.Response(status=200, body=NOT_UTF8)
    await registered(service)
    await outbox_run(store, url, clock)
    assert server.posts == 1
    [job] = jobs(store)
    assert job.status == "delivered"


@pytest.mark.parametrize(
    "body",
    [NOT_UTF8, b"[" * 200_000 + b"]" * 200_000, b'{"id": ' * 1000],
    ids=["not-utf8", "nested-200000", "truncated"],
)
async def test_a_5xx_with_an_unreadable_body_is_retried_later_not_at_once(
    service: ConversationService,
    store: SqliteStore,
    clock: Clock,
    hostile: tuple[Hostile, str],
    body: bytes,
) -> None:
    server, url = hostile
    server.reply = lambda request: web.Response(status=503, body=body)
    await registered(service)
    await outbox_run(store, url, clock)
    assert server.posts == 1  # the next attempt waits for its back-off
    [job] = jobs(store)
    assert job.status == "pending" and job.attempts == 1
    assert job.next_attempt_at > clock.now


async def test_a_2xx_with_json_nested_200000_deep_is_delivered_without_an_id(
    service: ConversationService, store: SqliteStore, clock: Clock, hostile: tuple[Hostile, str]
) -> None:
    server, url = hostile
    server.reply = lambda request: web.Response(
        status=201, body=b"[" * 200_000 + b"]" * 200_000, content_type="application/json"
    )
    await registered(service)
    await outbox_run(store, url, clock)
    assert server.posts == 1
    assert [job.status for job in jobs(store)] == ["delivered"]


async def test_a_huge_reply_is_read_only_up_to_the_cap(
    service: ConversationService, store: SqliteStore, clock: Clock, hostile: tuple[Hostile, str]
) -> None:
    """A 200 MB 2xx body was read whole (610 MB of memory)."""
    server, url = hostile

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=200)
        response.content_length = 200 * 1024 * 1024
        await response.prepare(request)
        try:
            while server.streamed < 200 * 1024 * 1024:
                await response.write(b"{" + bytes(64 * 1024 - 1))
                server.streamed += 64 * 1024
        except (ConnectionResetError, RuntimeError, OSError):
            pass
        return response

    server.reply = endless
    await registered(service)
    await outbox_run(store, url, clock)
    assert server.posts == 1
    assert [job.status for job in jobs(store)] == ["delivered"]
    # What left the server: our 64 KiB plus what the kernel's socket buffers took before
    # the connection was closed (a few MB on loopback), never the 200 MB.
    assert server.streamed < 32 * 1024 * 1024 < 200 * 1024 * 1024
    assert MAX_REPLY_BYTES == 64 * 1024


async def test_one_job_failing_oddly_does_not_hold_up_the_others(
    service: ConversationService, store: SqliteStore, clock: Clock, hostile: tuple[Hostile, str]
) -> None:
    """The first job's reply cannot be decoded: before, the exception left the pass, the
    job unrecorded, and the same job came first again: the others waited for ever."""
    server, url = hostile
    answers = iter([web.Response(status=200, body=NOT_UTF8)])
    server.reply = lambda request: next(answers, web.Response(status=201))
    await registered(service, n=3)
    await outbox_run(store, url, clock)
    assert [job.status for job in jobs(store)] == ["delivered"] * 3
    assert server.posts == 3
