"""The bot and the reporting system talking over real HTTP, end to end.

The bot runs as `python bot.py console` (the real entry point, a real SQLite file) and
pushes to a fake reporting system on loopback that keeps docs/reporting-api.md; the
reporting system's status callbacks are posted to the bot's own HTTP server. What the
victim sees is read from the console's stdout as it is written.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import signal
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from support.console import Console, cli, reporting_env, run_console
from support.fake_reporting import (
    FakeReportingSystem,
    Reply,
    in_sequence,
    refusing,
    serve_in_thread,
)
from support.journeys import (
    hindi_details,
    hindi_money_trail,
    mistyped_reference,
    reference_in,
    unissued_reference,
)
from support.person import person_on
from support.processes import HINDI_LINES, LINES_TO_REFERENCE, TEST_REFERENCE_KEY
from support.timing import Clock

from bot.domain.clock import IST
from bot.domain.reference import format_reference, make_reference
from bot.domain.signing import sign
from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from bot.service.reporting.outbox import OutboxWorker
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow  # real bot.py processes

TOKEN = "e2e-reporting-token-5c1d"
SECRET = "e2e-callback-secret-0123456789"
TO_REFERENCE = HINDI_LINES[:LINES_TO_REFERENCE]  # नमस्ते ... "1" (register): the reference is shown
NOTE = "₹50,000 SBI नोडल अधिकारी ने होल्ड किया"


@pytest.fixture
def fake() -> Iterator[FakeReportingSystem]:
    with serve_in_thread(FakeReportingSystem(token=TOKEN)) as running:
        yield running


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


def outbox_lines(db: Path, *flags: str) -> list[str]:
    result = cli(db, "outbox", "list", *flags, env=reporting_env(db))
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def outbox_line(db: Path, reference: str, version: int) -> str:
    """The `outbox list` line of one version (fails if there is not exactly one)."""
    lines = [
        line
        for line in outbox_lines(db)
        if format_reference(reference) in line and f" v{version} " in line
    ]
    assert len(lines) == 1, outbox_lines(db)
    return lines[0]


def query(db: Path, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql, args).fetchall()


# --- pushes -----------------------------------------------------------------------------


def test_registration_reaches_the_reporting_system_within_two_seconds(
    db: Path, fake: FakeReportingSystem
) -> None:
    """ACCEPTANCE. Golden hour: the police must see the money trail while the bank can
    still hold the money, so version 1 goes out as soon as the reference is shown."""
    with Console(reporting_env(db, url=fake.url, token=TOKEN)) as bot:
        bot.send(*TO_REFERENCE)
        shown_at, reference = bot.wait_for_reference()
        assert fake.wait_for(lambda: fake.posts(reference, 1), timeout=10), (
            f"nothing received; stderr:\n{bot.stderr}"
        )
        first = fake.posts(reference, 1)[0]
        assert first.at - shown_at < 2.0, f"arrived {first.at - shown_at:.2f} s after"
        assert bot.process.poll() is None, "stdin is open: the bot must still be running"
        assert bot.finish() == 0, bot.stderr

    assert first.status == 201
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert first.headers["Idempotency-Key"] == reference
    assert first.headers["X-Complaint-Version"] == "1"
    assert first.headers["Content-Type"].startswith("application/json")
    body = first.body
    assert body["schema_version"] == 1
    assert body["reference"] == reference
    assert body["version"] == 1
    assert body["stage"] == "registered"
    assert body["fast_track"] is True, "a loss 2 hours old is fast-tracked"
    assert body["total_amount"] == "2604000.00"
    assert body["language"] == "hi"
    assert body["channel"] == "console"
    (tx,) = body["transactions"]
    assert tx["transaction_id"] == "631845002917"
    assert tx["currency"] == "INR"
    assert tx["mode"] == "upi"
    assert tx["amount"] == "2604000.00"
    assert tx["bank"] == "SBI"
    assert body["complainant"]["mobile"] == "9876543210"
    for moment in (body["created_at"], body["updated_at"], body["incident_at"]):
        assert moment.endswith("+05:30"), moment
    assert fake.versions(reference) == [1]


def test_submitting_sends_version_two_once_after_version_one(
    db: Path, fake: FakeReportingSystem
) -> None:
    """Each version is a full snapshot, sent in order, and each arrives exactly once."""
    code, stdout, stderr = run_console(HINDI_LINES, reporting_env(db, url=fake.url, token=TOKEN))
    assert code == 0, stderr
    reference = reference_in(stdout)

    assert fake.versions(reference) == [1, 2]
    assert fake.stored[reference, 1]["stage"] == "registered"
    complete = fake.stored[reference, 2]
    assert complete["stage"] == "complete"
    assert complete["complainant"]["name"] == "सुनीता वर्मा"
    assert complete["complainant"]["state"] == "Chhattisgarh"
    assert complete["complainant"]["district"] == "Raipur"
    assert complete["suspect"]["upi_ids"] == ["quickcash@ybl"]
    assert complete["total_amount"] == "2604000.00"
    assert complete["transactions"] == fake.stored[reference, 1]["transactions"]
    for version in (1, 2):
        assert "delivered" in outbox_line(db, reference, version)

    posts = fake.posts(reference)
    assert [p.headers["X-Complaint-Version"] for p in posts] == ["1", "2"], (
        f"each version exactly once, in order; got (version, answer) "
        f"{[(p.version, p.status) for p in posts]}"
    )


def test_without_reporting_url_the_push_waits_and_goes_out_once_configured(
    db: Path, fake: FakeReportingSystem
) -> None:
    """A deployment not yet connected still registers complaints; nothing is lost."""
    code, stdout, stderr = run_console(TO_REFERENCE, reporting_env(db))
    assert code == 0, stderr
    reference = reference_in(stdout)
    assert "REPORTING_URL is not set" in stderr
    waiting = outbox_line(db, reference, 1)
    assert "registered" in waiting
    assert "pending" in waiting

    code, _, stderr = run_console([], reporting_env(db, url=fake.url, token=TOKEN))
    assert code == 0, stderr
    assert "REPORTING_URL is not set" not in stderr
    assert fake.versions(reference) == [1]
    assert fake.stored[reference, 1]["stage"] == "registered"
    assert "delivered" in outbox_line(db, reference, 1)


def test_a_bot_killed_mid_push_sends_again_and_is_stored_once(
    db: Path, fake: FakeReportingSystem
) -> None:
    """SIGKILL while the reporting system holds the request open: it has stored the
    version but the bot never heard back, so the bot sends it again after a restart
    and the receiver's (Idempotency-Key, version) dedup keeps one copy."""
    fake.responder = in_sequence(Reply(delay=3.0))
    env = reporting_env(db, url=fake.url, token=TOKEN)
    with Console(env) as bot:
        bot.send(*TO_REFERENCE)
        _, reference = bot.wait_for_reference()
        assert fake.wait_for(lambda: fake.posts(reference, 1), timeout=10), bot.stderr
        assert bot.process.poll() is None
        bot.process.send_signal(signal.SIGKILL)
        assert bot.wait(10) == -signal.SIGKILL
    assert "pending" in outbox_line(db, reference, 1), "no answer came: not delivered yet"

    code, _, stderr = run_console([], env)
    assert code == 0, stderr
    posts = fake.posts(reference)
    assert len(posts) >= 2, "the restarted bot must send the unanswered version again"
    assert {p.version for p in posts} == {1}, "a re-send is the same version, not a new one"
    assert all(p.body == posts[0].body for p in posts), "a re-send is the same snapshot"
    assert fake.conflicts == []
    assert fake.versions(reference) == [1]
    assert [p.status for p in posts[1:]] == [409] * (len(posts) - 1)
    assert "delivered" in outbox_line(db, reference, 1)


# --- status callbacks -----------------------------------------------------------------------


def callback(reference: str, status: str, updated_at: datetime, note: str = NOTE) -> bytes:
    body = {
        "reference": reference,
        "status": status,
        "note": note,
        "updated_at": updated_at.isoformat(timespec="seconds"),
    }
    return json.dumps(body, ensure_ascii=False).encode()


def post(port: int, body: bytes, signature: str | None) -> tuple[int, Any]:
    """POST /reporting/status as the reporting system does; (status, parsed answer)."""
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Signature"] = signature
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/reporting/status", body=body, headers=headers)
        reply = connection.getresponse()
        data = reply.read()
    finally:
        connection.close()
    try:
        return reply.status, json.loads(data)
    except ValueError:
        return reply.status, data.decode(errors="replace")


def test_a_status_callback_reaches_the_victim_in_hindi_once(
    db: Path, fake: FakeReportingSystem
) -> None:
    """ACCEPTANCE. The reporting system's signed callback becomes a notice in the
    victim's language on the channel they used; everything else is refused or ignored."""
    env = reporting_env(db, url=fake.url, token=TOKEN, secret=SECRET)
    with Console(env) as bot:
        port = bot.http_port()
        bot.send(*TO_REFERENCE)
        _, reference = bot.wait_for_reference()
        now = datetime.now(IST)
        applied = callback(reference, "funds_on_hold", now)

        assert post(port, applied, sign(SECRET, applied)) == (200, {"applied": True})
        bot.wait_for_line(lambda line: "बैंक ने पैसा रोक" in line, timeout=5)
        bot.wait_for_line(lambda line: NOTE in line, timeout=5)

        forged = callback(reference, "closed", now + timedelta(minutes=5))
        assert post(port, forged, sign("not-the-shared-secret-at-all", forged))[0] == 401
        assert post(port, forged, None)[0] == 401
        assert post(port, forged, sign(SECRET, forged + b" "))[0] == 401

        assert post(port, applied, sign(SECRET, applied)) == (200, {"applied": False})
        older = callback(reference, "under_investigation", now - timedelta(hours=1))
        assert post(port, older, sign(SECRET, older)) == (200, {"applied": False})

        cases: list[tuple[bytes, int]] = [
            (callback(reference, "teleported", now + timedelta(minutes=1)), 422),
            (callback(unissued_reference(reference), "closed", now + timedelta(minutes=1)), 404),
            (callback(mistyped_reference(reference), "closed", now + timedelta(minutes=1)), 404),
            (b'{"reference": "' + reference.encode() + b'", "status": ', 400),
            (b'["not", "an", "object"]', 400),
            (json.dumps({"reference": reference, "status": "closed"}).encode(), 400),
            (callback(reference, "closed", now.replace(tzinfo=None)), 400),
            (callback(reference, "closed", now, note="x" * 70_000), 413),
        ]
        for body, expected in cases:
            got = post(port, body, sign(SECRET, body))
            assert got[0] == expected, (body[:120], got)

        assert bot.finish() == 0, bot.stderr
        stdout = bot.stdout

    assert stdout.count(NOTE) == 1, "one notice: the replay and the refused calls add none"
    assert stdout.count("पर नई जानकारी") == 1, "notice.status is shown once"
    assert query(
        db, "select status, status_note from complaints where reference = ?", reference
    ) == [("funds_on_hold", NOTE)], "the forged 'closed' must not have changed anything"
    assert query(db, "select status from notices") == [("sent",)]
    assert query(db, "select count(*) from status_events") == [(1,)]


# --- operator command line ------------------------------------------------------------------


def test_operator_set_status_queues_a_notice_in_the_victims_language(
    db: Path,
) -> None:
    """Deployments without callbacks use the command line: same rules, same notice."""
    env = reporting_env(db)
    code, stdout, stderr = run_console(TO_REFERENCE, env)
    assert code == 0, stderr
    reference = reference_in(stdout)

    result = cli(
        db, "complaints", "set-status", reference, "funds_on_hold", "--note", NOTE, env=env
    )
    assert result.returncode == 0, result.stderr
    rows = query(db, "select channel, user_id, reference, text, status from notices")
    assert len(rows) == 1, rows
    channel, _, noticed, text, status = rows[0]
    assert (channel, noticed, status) == ("console", reference, "pending")
    assert "बैंक ने पैसा रोक" in text
    assert NOTE in text
    assert "Money put on hold" not in text, "the victim spoke Hindi"

    wrong = cli(db, "complaints", "set-status", mistyped_reference(reference), "closed", env=env)
    assert wrong.returncode != 0
    unknown = cli(db, "complaints", "set-status", unissued_reference(reference), "closed", env=env)
    assert unknown.returncode != 0
    invalid = cli(db, "complaints", "set-status", reference, "teleported", env=env)
    assert invalid.returncode == 2
    assert "invalid choice" in invalid.stderr
    assert len(query(db, "select id from notices")) == 1, "refused commands queue nothing"
    assert query(db, "select status from complaints") == [("funds_on_hold",)]


def test_a_dead_letter_is_listed_and_delivered_after_retry(
    db: Path, fake: FakeReportingSystem
) -> None:
    """A 400 is not retried by itself (the cause needs fixing); the operator sees it in
    the dead letters and queues it again with `outbox retry`."""
    year = datetime.now(IST).year
    expected = make_reference(year, 1, key=TEST_REFERENCE_KEY.encode())  # a new db's first
    fake.responder = refusing([expected], 400)
    env = reporting_env(db, url=fake.url, token=TOKEN)
    code, stdout, stderr = run_console(TO_REFERENCE, env)
    assert code == 0, stderr
    reference = reference_in(stdout)
    assert reference == expected
    # Only 400s: dead at once, never retried. (More than one 400 is the duplicate push
    # of test_submitting_sends_version_two_once_after_version_one, not a retry.)
    refused = len(fake.posts(reference))
    assert {p.status for p in fake.posts(reference)} == {400}
    assert fake.versions(reference) == []

    dead = outbox_lines(db, "--status", "dead")
    assert len(dead) == 1, dead
    assert format_reference(reference) in dead[0]
    assert "HTTP 400" in dead[0]
    job_id = dead[0].split()[0]

    fake.responder = None
    again = cli(db, "outbox", "retry", job_id, env=env)
    assert again.returncode == 0, again.stderr
    assert cli(db, "outbox", "retry", job_id, env=env).returncode != 0, "no longer dead"
    assert outbox_lines(db, "--status", "dead") == []

    code, _, stderr = run_console([], env)
    assert code == 0, stderr
    assert fake.versions(reference) == [1]
    after_retry = [p.status for p in fake.posts(reference)[refused:]]
    assert after_retry[:1] == [201], after_retry
    assert set(after_retry[1:]) <= {409}, after_retry
    assert "delivered" in outbox_line(db, reference, 1)


# --- the worker against the fake in the test's own event loop -------------------------------


@pytest.fixture
async def fake_in_loop() -> AsyncIterator[FakeReportingSystem]:
    running = FakeReportingSystem(token=TOKEN)
    await running.start()
    try:
        yield running
    finally:
        await running.close()


async def test_an_outage_delays_version_two_until_version_one_is_in(
    store: SqliteStore,
    service: ConversationService,
    clock: Clock,
    fake_in_loop: FakeReportingSystem,
) -> None:
    """503 during an outage: version 1 is retried after its backoff and version 2 is not
    sent before it, whatever the queue holds."""
    user = person_on(service)
    reference = await hindi_money_trail(user)
    await hindi_details(user)
    worker = OutboxWorker(runner_for(store), url=fake_in_loop.url, token=TOKEN, clock=clock)
    fake_in_loop.responder = in_sequence(503)
    try:
        assert await worker.deliver_due() == 1
        assert [(p.version, p.status) for p in fake_in_loop.posts()] == [(1, 503)]
        assert await worker.deliver_due() == 0, "backing off: nothing is due yet"

        clock.advance(seconds=3)
        while await worker.deliver_due():
            pass
    finally:
        await worker.close()
    assert [(p.version, p.status) for p in fake_in_loop.posts()] == [(1, 503), (1, 201), (2, 201)]
    assert fake_in_loop.versions(reference) == [1, 2]
    assert [job.status for job in store.list_outbox()] == ["delivered", "delivered"]


async def test_draining_while_the_worker_pushes_does_not_send_twice(
    store: SqliteStore,
    service: ConversationService,
    clock: Clock,
    fake_in_loop: FakeReportingSystem,
) -> None:
    """What `run_bot` does at the end of a console session: `worker.drain` while
    `worker.run` is still running. A push already in flight must not be sent again."""
    user = person_on(service)
    reference = await hindi_money_trail(user)
    worker = OutboxWorker(runner_for(store), url=fake_in_loop.url, token=TOKEN, clock=clock)
    fake_in_loop.responder = in_sequence(Reply(delay=0.5))
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        assert await fake_in_loop.arrival(fake_in_loop.posts, timeout=5)
        assert await worker.drain(3.0)
    finally:
        stop.set()
        worker.wake()
        await running
        await worker.close()
    assert [(p.version, p.status) for p in fake_in_loop.posts()] == [(1, 201)]
    assert fake_in_loop.versions(reference) == [1]
