"""Status callbacks over real HTTP on loopback: signatures, ordering, and the notice."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from support.journeys import english_money_trail, hindi_money_trail
from support.person import Person
from support.timing import Clock

from bot.domain.signing import sign
from bot.service.database import runner_for
from bot.web import create_app
from storage.sqlite import SqliteStore

SECRET = "a-long-shared-callback-secret"


@pytest.fixture
async def client(store: SqliteStore, clock: Clock) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    app = create_app(
        runner=runner_for(store), clock=clock, callback_secret=SECRET, on_notice=lambda: None
    )
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client


async def post(
    client: TestClient, body: Any, *, secret: str = SECRET, raw: bytes | None = None
) -> tuple[int, Any]:  # type: ignore[type-arg]
    data = raw if raw is not None else json.dumps(body).encode()
    response = await client.post(
        "/reporting/status",
        data=data,
        headers={"X-Signature": sign(secret, data), "Content-Type": "application/json"},
    )
    return response.status, await response.json()


def notices(store: SqliteStore) -> list[dict[str, Any]]:
    return list(store.db.query("select user_id, text, status from notices order by id"))


def change(
    reference: str,
    status: str = "funds_on_hold",
    at: str = "2026-11-27T17:30:00+05:30",  # before the test clock's now (18:00)
    note: str = "₹50,000 held at HDFC Bank",
) -> dict[str, str]:
    return {"reference": reference, "status": status, "note": note, "updated_at": at}


async def test_signed_callback_notifies_the_victim_in_hindi(
    client: TestClient,
    hindi_user: Person,
    store: SqliteStore,  # type: ignore[type-arg]
) -> None:
    reference = await hindi_money_trail(hindi_user)
    status, body = await post(client, change(reference))
    assert (status, body) == (200, {"applied": True})
    [notice] = notices(store)
    assert notice["user_id"] == hindi_user.key.user_id
    assert "बैंक ने पैसा रोक" in notice["text"]
    assert "₹50,000 held at HDFC Bank" in notice["text"]
    assert "थाने" in notice["text"]
    record = store.get_complaint(reference)
    assert record is not None and record["status"] == "funds_on_hold"
    await hindi_user.send("स्थिति")
    hindi_user.sees("बैंक ने पैसा रोक रखा है", "टिप्पणी: ₹50,000 held at HDFC Bank")


async def test_english_victims_get_english_notices(
    client: TestClient,
    user: Person,
    store: SqliteStore,  # type: ignore[type-arg]
) -> None:
    reference = await english_money_trail(user)
    await post(client, change(reference, status="assigned", note=""))
    [notice] = notices(store)
    assert "A police station is now handling your complaint" in notice["text"]
    assert "Note from the police" not in notice["text"]


async def test_the_same_callback_twice_notifies_once(
    client: TestClient,
    hindi_user: Person,
    store: SqliteStore,  # type: ignore[type-arg]
) -> None:
    reference = await hindi_money_trail(hindi_user)
    assert (await post(client, change(reference)))[1] == {"applied": True}
    assert (await post(client, change(reference)))[1] == {"applied": False}
    assert len(notices(store)) == 1


async def test_an_older_callback_after_a_newer_one_is_ignored(
    client: TestClient,
    hindi_user: Person,
    store: SqliteStore,  # type: ignore[type-arg]
    clock: Clock,
) -> None:
    reference = await hindi_money_trail(hindi_user)
    clock.advance(days=1)  # changes dated in the future are refused
    await post(client, change(reference, "refund_in_progress", "2026-11-28T10:00:00+05:30"))
    status, body = await post(client, change(reference, "assigned", "2026-11-27T20:00:00+05:30"))
    assert (status, body) == (200, {"applied": False})
    record = store.get_complaint(reference)
    assert record is not None and record["status"] == "refund_in_progress"
    assert len(notices(store)) == 1


@pytest.mark.parametrize("secret", ["", "the-wrong-secret-entirely"])
async def test_forged_or_missing_signature_is_refused_and_changes_nothing(
    client: TestClient,
    hindi_user: Person,
    store: SqliteStore,
    secret: str,  # type: ignore[type-arg]
) -> None:
    reference = await hindi_money_trail(hindi_user)
    data = json.dumps(change(reference)).encode()
    headers = {"X-Signature": sign(secret, data)} if secret else {}
    response = await client.post("/reporting/status", data=data, headers=headers)
    assert response.status == 401
    record = store.get_complaint(reference)
    assert record is not None and record["status"] == "registered"
    assert notices(store) == []


async def test_a_signature_for_another_body_is_refused(
    client: TestClient,
    hindi_user: Person,
    store: SqliteStore,  # type: ignore[type-arg]
) -> None:
    reference = await hindi_money_trail(hindi_user)
    signed = json.dumps(change(reference, "resolved")).encode()
    tampered = json.dumps(change(reference, "rejected")).encode()
    response = await client.post(
        "/reporting/status", data=tampered, headers={"X-Signature": sign(SECRET, signed)}
    )
    assert response.status == 401


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{not json", 400),
        (b"[1, 2, 3]", 400),
        (json.dumps({"reference": "263875252182"}).encode(), 400),
        (json.dumps(change("263875252182", at="2026-11-27T19:00:00")).encode(), 400),
        (json.dumps(change("263875252182", status="vanished")).encode(), 422),
        (json.dumps(change("263875252183")).encode(), 404),
        (json.dumps(change("260000000000")).encode(), 404),
        (b"\xff\xfe garbage", 400),
    ],
)
async def test_bad_callbacks_get_proper_errors(
    client: TestClient,
    hindi_user: Person,
    store: SqliteStore,
    body: bytes,
    expected: int,  # type: ignore[type-arg]
) -> None:
    await hindi_money_trail(hindi_user)  # registers 263875252182, the first reference of 2026
    status, _ = await post(client, None, raw=body)
    assert status == expected
    assert notices(store) == []


async def test_oversized_body_is_refused(client: TestClient) -> None:  # type: ignore[type-arg]
    data = b"{" + b" " * (70 * 1024) + b"}"
    response = await client.post(
        "/reporting/status", data=data, headers={"X-Signature": sign(SECRET, data)}
    )
    assert response.status == 413


async def test_health_check(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/healthz")
    assert response.status == 200
