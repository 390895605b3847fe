"""The outbox worker against a reporting system that misbehaves, with time controlled.

The receiver here is a real aiohttp server on loopback that keeps one copy per
(Idempotency-Key, version) and answers as each test scripts it.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from support.journeys import hindi_details, hindi_money_trail
from support.person import Person, person_on
from support.timing import Clock

from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from bot.service.reporting.outbox import OutboxWorker, backoff
from storage.sqlite import SqliteStore

TOKEN = "test-token"


class Receiver:
    """Stores each version once; `answer` decides the HTTP status of each request."""

    def __init__(self) -> None:
        self.stored: dict[tuple[str, int], dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []
        self.answer: Callable[[dict[str, Any]], int] = lambda body: 201

    async def complaints(self, request: web.Request) -> web.Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        body = await request.json()
        self.requests.append(body)
        status = self.answer(body)
        if status >= 300:
            return web.json_response({"error": "scripted"}, status=status)
        key = (request.headers["Idempotency-Key"], body["version"])
        if key in self.stored:
            return web.json_response({"error": "duplicate"}, status=409)
        self.stored[key] = body
        return web.json_response({"id": f"CFCFRMS-{len(self.stored)}"}, status=status)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    fake = Receiver()
    app = web.Application()
    app.router.add_post("/api/complaints", fake.complaints)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield fake, str(server.make_url("/api"))
    await server.close()


@pytest.fixture
async def worker(
    store: SqliteStore, clock: Clock, receiver: tuple[Receiver, str]
) -> AsyncIterator[OutboxWorker]:
    outbox = OutboxWorker(
        runner_for(store), url=receiver[1], token=TOKEN, clock=clock, rng=random.Random(7)
    )
    yield outbox
    await outbox.close()


async def run_for(worker: OutboxWorker, clock: Clock, minutes: int) -> None:
    """Lets `minutes` of controlled time pass, one second at a time, delivering as due."""
    for _ in range(minutes * 60):
        await worker.deliver_due()
        clock.advance(seconds=1)


async def test_registration_is_pushed_once_with_the_contract_fields(
    hindi_user: Person, worker: OutboxWorker, receiver: tuple[Receiver, str]
) -> None:
    fake, _ = receiver
    reference = await hindi_money_trail(hindi_user)
    assert await worker.deliver_due() == 1
    assert await worker.deliver_due() == 0
    body = fake.stored[(reference, 1)]
    assert body["stage"] == "registered"
    assert body["total_amount"] == "2604000.00"
    assert body["transactions"][0]["transaction_id"] == "631845002917"
    assert body["transactions"][0]["currency"] == "INR"
    assert body["fast_track"] is True
    assert body["schema_version"] == 1


async def test_outage_of_minutes_then_recovery_delivers_every_version_once(
    service: ConversationService,
    clock: Clock,
    worker: OutboxWorker,
    receiver: tuple[Receiver, str],
    store: SqliteStore,
) -> None:
    fake, _ = receiver
    fake.answer = lambda body: 503
    references = []
    for n in range(3):
        person = person_on(service, f"victim-{n}")
        references.append(await hindi_money_trail(person))
        await hindi_details(person)
    await run_for(worker, clock, minutes=6)
    assert fake.stored == {}
    attempts_during_outage = len(fake.requests)
    assert 6 * 3 <= attempts_during_outage <= 20 * 3  # backing off, not hammering

    fake.answer = lambda body: 201
    await run_for(worker, clock, minutes=11)
    assert sorted(fake.stored) == sorted((r, v) for r in references for v in (1, 2))
    assert all(fake.stored[(r, 2)]["stage"] == "complete" for r in references)
    with store.transaction():
        assert {job.status for job in store.list_outbox()} == {"delivered"}


async def test_conflict_means_the_receiver_already_has_it(
    hindi_user: Person, worker: OutboxWorker, receiver: tuple[Receiver, str], store: SqliteStore
) -> None:
    fake, _ = receiver
    fake.answer = lambda body: 409
    await hindi_money_trail(hindi_user)
    await worker.deliver_due()
    with store.transaction():
        assert [job.status for job in store.list_outbox()] == ["delivered"]


async def test_a_rejected_complaint_is_dead_lettered_and_listed(
    service: ConversationService,
    worker: OutboxWorker,
    receiver: tuple[Receiver, str],
    store: SqliteStore,
) -> None:
    fake, _ = receiver
    first = await hindi_money_trail(person_on(service, "a"))
    fake.answer = lambda body: 400 if body["reference"] == first else 201
    second = await hindi_money_trail(person_on(service, "b"))
    await worker.deliver_due()
    with store.transaction():
        dead = store.list_outbox("dead")
    assert [job.reference for job in dead] == [first]
    assert dead[0].last_error and "HTTP 400" in dead[0].last_error
    assert list(fake.stored) == [(second, 1)]


async def test_versions_of_one_complaint_go_in_order(
    hindi_user: Person, worker: OutboxWorker, receiver: tuple[Receiver, str], clock: Clock
) -> None:
    fake, _ = receiver
    fake.answer = lambda body: 503 if body["version"] == 1 and len(fake.requests) < 3 else 201
    reference = await hindi_money_trail(hindi_user)
    await hindi_details(hindi_user)
    await run_for(worker, clock, minutes=1)
    assert [body["version"] for body in fake.requests] == [1, 1, 1, 2]
    assert list(fake.stored) == [(reference, 1), (reference, 2)]


async def test_give_up_after_the_maximum_age(
    store: SqliteStore, clock: Clock, receiver: tuple[Receiver, str], hindi_user: Person
) -> None:
    from datetime import timedelta

    fake, url = receiver
    fake.answer = lambda body: 502
    service = ConversationService(store, clock=clock, push_max_age=timedelta(minutes=30))
    await hindi_money_trail(person_on(service, "late"))
    outbox = OutboxWorker(
        runner_for(store), url=url, token=TOKEN, clock=clock, rng=random.Random(1)
    )
    try:
        await run_for(outbox, clock, minutes=45)
    finally:
        await outbox.close()
    with store.transaction():
        assert [job.status for job in store.list_outbox()] == ["dead"]


async def test_unreachable_receiver_is_retried(
    hindi_user: Person, store: SqliteStore, clock: Clock
) -> None:
    await hindi_money_trail(hindi_user)
    outbox = OutboxWorker(runner_for(store), url="http://127.0.0.1:9", token=TOKEN, clock=clock)
    try:
        await outbox.deliver_due()
    finally:
        await outbox.close()
    with store.transaction():
        job = store.list_outbox()[0]
    assert job.status == "pending"
    assert job.attempts == 1
    assert job.next_attempt_at > clock.now


def test_backoff_grows_and_is_capped() -> None:
    rng = random.Random(3)
    delays = [backoff(n, rng).total_seconds() for n in range(15)]
    assert 1 <= delays[0] <= 2
    assert delays[5] > delays[1]
    assert max(delays) <= 600
    assert min(delays[10:]) >= 300
