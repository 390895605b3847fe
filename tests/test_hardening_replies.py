"""Issue 11, item 11: a kill -9 just after a commit used to lose the bot's reply (the state
had moved on, the question was never sent, the person saw silence). Replies are now
written in the same transaction as the state and sent again after a restart."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from support.fake_telegram import TOKEN, Call, FakeTelegram
from support.processes import BotProcess
from support.timing import until

from bot.domain.messages import ConversationKey
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow

CHAT = 7770101


async def start(db: Path, bot_api: FakeTelegram, log: Path) -> BotProcess:
    return await BotProcess.start(
        db,
        log_path=log,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE=bot_api.url,
        TELEGRAM_POLL_TIMEOUT="1",
        AWARENESS_EVERY_DAYS="0",
    )


async def test_a_reply_interrupted_by_kill_9_is_sent_after_the_restart(
    tmp_path: Path, bot_api: FakeTelegram
) -> None:
    db = tmp_path / "bot.db"
    first = await start(db, bot_api, tmp_path / "first.log")
    killed: list[bool] = []

    def kill_on_the_first_answer(call: Call) -> bool:
        if call.method.lower() != "sendmessage" or killed:
            return False
        os.kill(first.process.pid, signal.SIGKILL)  # committed, the reply on the wire
        killed.append(True)
        return True  # ...so Telegram never got it

    bot_api.on_request = kill_on_the_first_answer
    try:
        await bot_api.wait_for("getUpdates", timeout=45)
        bot_api.inject(bot_api.text_update(CHAT, "नमस्ते"))
        await until(lambda: killed, timeout=30)
        await first.process.wait()
    finally:
        await first.kill()
    bot_api.on_request = None
    assert bot_api.texts(CHAT) == []  # the person saw nothing
    store = SqliteStore(db)
    try:
        state = store.load_conversation(ConversationKey("telegram", str(CHAT)))
        assert state is not None and state.step == "menu"  # ...though the state moved on
    finally:
        store.close()

    second = await start(db, bot_api, tmp_path / "second.log")
    try:
        await until(lambda: any("1930" in text for text in bot_api.texts(CHAT)), timeout=45)
        await until(lambda: bot_api.last_inline_keyboard(CHAT), timeout=10)  # the menu
        assert await second.stop() == 0, second.output()
    finally:
        await second.kill()
    texts = bot_api.texts(CHAT)
    greeting = [text for text in texts if "1930" in text]
    assert len(greeting) == 1, texts  # sent again once, not lost and not repeated
