"""`python bot.py broadcast send | status`, as an operator runs them next to the bot."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.processes import REPO, bot_env, run_bot

from bot.cli.lock import DatabaseLock
from bot.domain.clock import IST
from bot.domain.messages import ConversationKey
from bot.domain.statuses import DeliveryStatus
from bot.service.awareness.broadcaster import SENT, Broadcaster, SendResult, Ticket
from bot.service.database import runner_for
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow  # real bot.py processes


def texts(tmp_path: Path, english: str, hindi: str) -> tuple[Path, Path]:
    en, hi = tmp_path / "en.txt", tmp_path / "hi.txt"
    en.write_text(english, encoding="utf-8")
    hi.write_text(hindi, encoding="utf-8")
    return en, hi


def subscribe(db: Path, count: int) -> None:
    store = SqliteStore(db)
    now = datetime.now(IST)
    with store.transaction():
        for n in range(count):
            key = ConversationKey("console", f"person-{n}")
            store.set_subscription(key, subscribed=True, language="hi", how="test", at=now)
    store.close()


def test_send_later_then_status(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    subscribe(db, 3)
    en, hi = texts(tmp_path, "Beware of loan apps.\n", "लोन ऐप से सावधान रहें।\n")
    sent = run_bot(db, "broadcast", "send", "--en", str(en), "--hi", str(hi), "--at", "23:59")
    assert sent.returncode == 0, sent.stderr
    assert "Campaign 1: 3 subscribers" in sent.stdout
    assert "broadcast status" in sent.stdout

    status = run_bot(db, "broadcast", "status")
    assert status.returncode == 0, status.stderr
    [header, row] = status.stdout.strip().splitlines()
    assert "sent" in header and "pending" in header and "unsubscribed" in header
    assert "custom (cli)" in row and row.rstrip().endswith("scheduled")

    store = SqliteStore(db)
    [progress] = store.campaign_progress()
    store.close()
    assert progress.campaign.text_en == "Beware of loan apps."
    assert progress.campaign.text_hi == "लोन ऐप से सावधान रहें।"
    assert progress.campaign.send_at.astimezone(IST).strftime("%H:%M") == "23:59"
    assert progress.campaign.send_at > datetime.now(IST)


def test_bad_texts_are_refused_with_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    en, hi = texts(tmp_path, "ok", "   ")
    empty = run_bot(db, "broadcast", "send", "--en", str(en), "--hi", str(hi))
    assert empty.returncode == 2 and "the Hindi text is empty" in empty.stderr
    en, hi = texts(tmp_path, "x" * 2000, "ठीक")
    long = run_bot(db, "broadcast", "send", "--en", str(en), "--hi", str(hi))
    assert long.returncode == 2 and "English text has 2000 characters" in long.stderr
    missing = run_bot(db, "broadcast", "send", "--en", "nope.txt", "--hi", str(hi))
    assert missing.returncode == 2 and "nope.txt" in missing.stderr
    bad_time = run_bot(db, "broadcast", "send", "--en", str(hi), "--hi", str(hi), "--at", "soon")
    assert bad_time.returncode == 2 and "--at" in bad_time.stderr
    assert run_bot(db, "broadcast", "status").stdout.strip() == "No campaigns yet."


async def test_send_shows_progress_while_the_bot_sends(tmp_path: Path) -> None:
    """The command waits and draws a bar; here the sending bot is a Broadcaster in this
    test's process with a channel that takes 20 ms per message (holding the database's
    bot lock, as `python bot.py` does)."""
    db = tmp_path / "bot.db"
    subscribe(db, 40)
    with DatabaseLock(db):
        await _send_while_a_broadcaster_sends(db, tmp_path)


async def _send_while_a_broadcaster_sends(db: Path, tmp_path: Path) -> None:
    en, hi = texts(tmp_path, "Check a number before you pay.", "भुगतान से पहले नंबर जाँचें।")
    command = await asyncio.create_subprocess_exec(
        sys.executable,
        str(REPO / "bot.py"),
        "broadcast",
        "send",
        "--en",
        str(en),
        "--hi",
        str(hi),
        cwd=REPO,
        env=bot_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    store = SqliteStore(db)
    received: list[str] = []

    async def channel(user_id: str, text: str, ticket: Ticket) -> SendResult:
        await asyncio.sleep(0.02)
        if not await ticket.go():
            return SendResult(DeliveryStatus.UNSUBSCRIBED)
        received.append(user_id)
        await ticket.delivered()
        return SENT

    broadcaster = Broadcaster(runner_for(store), lambda: datetime.now(IST) + timedelta(seconds=1))
    broadcaster.register("console", channel)
    try:
        async with asyncio.timeout(30):
            while not await broadcaster.tick():
                await asyncio.sleep(0.1)  # until the command has recorded the campaign
            await broadcaster.pump_all()
            out, err = await command.communicate()
    finally:
        if command.returncode is None:
            command.kill()
        store.close()
    assert command.returncode == 0, err.decode()
    assert sorted(received) == sorted(f"person-{n}" for n in range(40))
    bar = err.decode()
    assert "campaign 1" in bar and "100%" in bar and "40/40" in bar
    assert "Campaign 1 done: 40 sent, 0 failed, 0 unsubscribed." in out.decode()
