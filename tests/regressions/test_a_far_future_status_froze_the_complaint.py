"""Regression (issue 11, item 12): a status callback dated in year 9999 was applied, and
since only newer changes apply, it froze the complaint's status for ever (even
`complaints set-status` refused afterwards). A change dated beyond a small clock skew is
refused now, and an operator can force a change past the ordering rule (recorded as
forced), which also repairs a complaint frozen before this fix."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from support.journeys import hindi_money_trail
from support.person import Person, person_on
from support.processes import run_bot
from support.timing import Clock

from bot.domain.clock import IST
from bot.domain.signing import sign
from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from bot.service.reporting.status import MAX_CLOCK_SKEW
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


async def callback(client: TestClient, reference: str, at: datetime) -> tuple[int, Any]:  # type: ignore[type-arg]
    body = {"reference": reference, "status": "resolved", "note": "", "updated_at": at.isoformat()}
    data = json.dumps(body).encode()
    response = await client.post(
        "/reporting/status", data=data, headers={"X-Signature": sign(SECRET, data)}
    )
    return response.status, await response.json()


def status_of(store: SqliteStore, reference: str) -> tuple[str, str | None]:
    record = store.get_complaint(reference)
    assert record is not None
    return record["status"], record["status_updated_at"]


async def test_a_change_dated_far_ahead_is_refused_and_changes_nothing(
    client: TestClient,  # type: ignore[type-arg]
    hindi_user: Person,
    store: SqliteStore,
    clock: Clock,
) -> None:
    reference = await hindi_money_trail(hindi_user)
    before = status_of(store, reference)
    for far in (datetime(9999, 12, 31, 23, 59, tzinfo=IST), clock() + timedelta(hours=1)):
        status, body = await callback(client, reference, far)
        assert status == 422, body
        assert "updated_at" in body["error"] and "ahead of our clock" in body["error"]
    assert status_of(store, reference) == before
    assert list(store.db.query("select * from notices")) == []
    assert list(store.db.query("select * from status_events")) == []

    # Clocks drift a little: a few minutes ahead is still applied.
    status, body = await callback(client, reference, clock() + MAX_CLOCK_SKEW / 2)
    assert (status, body) == (200, {"applied": True})


@pytest.mark.slow
async def test_an_operator_forces_a_frozen_complaint_back_to_life(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    store = SqliteStore(db)
    now = datetime.now(IST)
    service = ConversationService(store, clock=Clock(now.replace(hour=18) - timedelta(days=1)))
    reference = await hindi_money_trail(person_on(service, "frozen"))
    with store.transaction():  # what the year-9999 callback did before this fix
        store.apply_status(
            reference,
            "rejected",
            "",
            datetime(9999, 1, 1, tzinfo=IST),
            source="callback",
            received_at=now,
        )
    store.close()

    plain = run_bot(db, "complaints", "set-status", reference, "funds_on_hold")
    assert plain.returncode == 1
    assert "newer status" in plain.stderr and "--force" in plain.stderr

    forced = run_bot(db, "complaints", "set-status", reference, "funds_on_hold", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "forced" in forced.stdout

    store = SqliteStore(db)
    try:
        status, updated_at = status_of(store, reference)
        assert status == "funds_on_hold"
        assert updated_at is not None and datetime.fromisoformat(updated_at).year < 9999
        sources = [row["source"] for row in store.db.query("select source from status_events")]
        assert sources == ["callback", "operator-forced"]
        notices = list(store.db.query("select text from notices order by id"))
        assert len(notices) == 1 and "पैसा रोक" in notices[0]["text"]  # the forced change
    finally:
        store.close()

    # Unfrozen: the next ordinary change applies again.
    after = run_bot(db, "complaints", "set-status", reference, "resolved")
    assert after.returncode == 0, after.stderr
