"""Regression (issue 11, item 10): two bot processes on one SQLite database sent awareness
messages twice (288 of 300 subscribers got two). A second `python bot.py`, in any run
mode, must refuse to start naming DATABASE_PATH, while the operators' commands keep
working; the lock goes with the process, however it ends (kill -9 included)."""

from __future__ import annotations

import asyncio
import fcntl
import os
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support.fake_graph import PHONE_NUMBER_ID, TOKEN, FakeGraph
from support.fake_telegram import TOKEN as TELEGRAM_TOKEN
from support.fake_telegram import FakeTelegram
from support.processes import REPO, BotProcess, bot_env, run_bot
from support.whatsapp import APP_SECRET, VERIFY_TOKEN

from bot.cli.lock import DatabaseLock, bot_running, lock_path

pytestmark = pytest.mark.slow  # real bot.py processes


async def console_bot(db: Path, name: str = "first") -> BotProcess:
    """`python bot.py` in console mode with its stdin held open: it runs until killed."""
    log_path = db.with_suffix(f".{name}.log")
    with log_path.open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(REPO / "bot.py"),
            cwd=REPO,
            env=bot_env(db),
            stdin=asyncio.subprocess.PIPE,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
    return BotProcess(process, log_path)


@pytest.fixture
async def first(tmp_path: Path) -> AsyncIterator[BotProcess]:
    db = tmp_path / "bot.db"
    bot = await console_bot(db)
    try:
        await bot.wait_for_output("Console demo")  # printed once it runs
        yield bot
    finally:
        await bot.kill()


async def refused(db: Path, **env: str) -> str:
    second = await BotProcess.start(db, log_path=db.with_suffix(".second.log"), **env)
    try:
        code = await asyncio.wait_for(second.process.wait(), 60)
    finally:
        await second.kill()
    assert code == 2, second.output()
    return second.output()


async def test_a_second_bot_refuses_to_start_in_every_mode(
    first: BotProcess, tmp_path: Path, bot_api: FakeTelegram, graph: FakeGraph
) -> None:
    db = tmp_path / "bot.db"
    assert bot_running(db)
    modes = {
        "console": {},
        "telegram": {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_API_BASE": bot_api.url},
        "whatsapp": {
            "WHATSAPP_TOKEN": TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_API_BASE": graph.url,
        },
    }
    for mode, env in modes.items():
        output = await refused(db, **env)
        assert "another bot" in output and f"DATABASE_PATH={db}" in output, (mode, output)
        assert str(first.process.pid) in output
        assert "Traceback" not in output
    assert bot_api.calls == [] and graph.attempts == 0  # refused before any platform call
    assert first.process.returncode is None  # the first one is untouched


async def test_operators_commands_work_beside_the_bot(first: BotProcess, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    for command in (("complaints", "list"), ("outbox", "list"), ("broadcast", "status")):
        result = await asyncio.to_thread(run_bot, db, *command)
        assert result.returncode == 0, (command, result.stderr)
    assert bot_running(db)


async def test_the_lock_goes_with_a_killed_bot(first: BotProcess, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    await first.kill()  # SIGKILL: no clean-up of any kind
    assert not bot_running(db)
    again = await console_bot(db, "again")
    try:
        await again.wait_for_output("Console demo")
        assert bot_running(db)
    finally:
        await again.kill()


def test_a_bot_starting_while_the_cli_asks_still_starts(tmp_path: Path) -> None:
    """`bot_running` holds a shared lock for an instant; a bot starting in that instant
    waits it out instead of refusing."""
    db = tmp_path / "bot.db"
    assert not bot_running(db)
    with DatabaseLock(db):
        assert bot_running(db)
    asking = os.open(lock_path(db), os.O_RDONLY)
    fcntl.flock(asking, fcntl.LOCK_SH)  # the CLI, caught in the middle of its question
    answered = threading.Timer(0.2, os.close, [asking])
    answered.start()
    try:
        with DatabaseLock(db):
            assert bot_running(db)
    finally:
        answered.join()
    assert not bot_running(db)
