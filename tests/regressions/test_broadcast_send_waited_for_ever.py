"""Regression (issue 11, low): `python bot.py broadcast send` waited for ever when no bot
was running to send the campaign. With no bot on the database it now says so at once and
exits with the campaign recorded; with a bot that does not pick the campaign up (the
console demo sends none) it says so after a few seconds and exits too."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.processes import REPO, BotProcess, bot_env, run_bot
from support.timing import until

from bot.cli.broadcast import _PICKUP_SECONDS
from bot.cli.lock import bot_running
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow  # real bot.py processes


def send(
    db: Path, tmp_path: Path, timeout: float
) -> tuple[subprocess.CompletedProcess[str], float]:
    en, hi = tmp_path / "en.txt", tmp_path / "hi.txt"
    en.write_text("Never share an OTP.", encoding="utf-8")
    hi.write_text("OTP कभी किसी को न बताएँ।", encoding="utf-8")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(REPO / "bot.py"), "broadcast", "send", "--en", en, "--hi", hi],
        cwd=REPO, env=bot_env(db), capture_output=True, text=True, encoding="utf-8",
        timeout=timeout, check=False,
    )  # fmt: skip
    return result, time.monotonic() - started


def recorded(db: Path) -> int:
    store = SqliteStore(db)
    try:
        return len(store.campaign_progress())
    finally:
        store.close()


def test_with_no_bot_running_it_says_so_at_once(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    result, took = send(db, tmp_path, timeout=30)
    assert result.returncode == 0, result.stderr
    assert f"No bot is running on DATABASE_PATH={db}" in result.stdout
    assert took < _PICKUP_SECONDS  # no waiting at all
    assert recorded(db) == 1
    assert "scheduled" in run_bot(db, "broadcast", "status").stdout


async def test_a_bot_that_does_not_pick_it_up_is_named_after_a_while(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    console = await asyncio.create_subprocess_exec(
        sys.executable, str(REPO / "bot.py"), cwd=REPO, env=bot_env(db),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    bot = BotProcess(console, tmp_path / "unused.log")
    try:
        await until(lambda: bot_running(db))  # the console demo holds the database
        result, took = await asyncio.to_thread(send, db, tmp_path, _PICKUP_SECONDS + 30)
    finally:
        await bot.kill()
    assert result.returncode == 0, result.stderr
    assert "has not picked the campaign up" in result.stdout
    assert _PICKUP_SECONDS <= took < _PICKUP_SECONDS + 20
    assert recorded(db) == 1
