"""Issue 11, item 3: an OTP a frightened person types is refused with a warning, and must
then survive nowhere: not in the database, not in its write-ahead log after a
checkpoint, not in evidence. The probe found the raw WhatsApp body, OTP included, kept
for ever in a database file every local user could read."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from support.fake_graph import FakeGraph
from support.fake_telegram import FakeTelegram
from support.journeys import reach
from support.processes import run_bot
from support.telegram import Telegram, telegram_person
from support.timing import Clock
from support.whatsapp import WhatsApp, whatsapp_person

from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

OTP = "482913"
TYPED = (f"my OTP is {OTP}", f"मेरा OTP {OTP} है")


def files_holding(folder: Path, secret: str) -> list[Path]:
    """Every file under `folder` whose bytes contain `secret` (UTF-8 or UTF-16)."""
    needles = (secret.encode(), secret.encode("utf-16-le"))
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and any(needle in path.read_bytes() for needle in needles)
    ]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_an_otp_typed_on_whatsapp_survives_nowhere(graph: FakeGraph, tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = SqliteStore(data / "bot.db")
    wa = WhatsApp(graph, ConversationService(store, clock=Clock()), data / "evidence")
    await wa.start()
    try:
        person = whatsapp_person(wa)
        await reach(person, "tx_amount")
        for text in TYPED:
            await person.send(text)
            person.sees("OTP")  # the warning
        await person.send_photo()  # a kept file too: its folder and mode are checked below
    finally:
        await wa.close()
    store.checkpoint()
    store.close()
    assert files_holding(data, OTP) == []
    assert mode(data) == 0o700 and mode(data / "bot.db") == 0o600


async def test_an_otp_typed_on_telegram_survives_nowhere(
    bot_api: FakeTelegram, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    store = SqliteStore(data / "bot.db")
    tg = Telegram("webhook", bot_api, ConversationService(store, clock=Clock()), data / "evidence")
    await tg.start()
    try:
        person = telegram_person(tg, 5550201, language_code=None)
        await reach(person, "evidence")
        for text in TYPED:
            await person.send(text)
            person.sees("OTP")
        await person.send_photo(b"\xff\xd8\xff\xe0" + bytes(3000))
        person.sees("1")
    finally:
        await tg.close()
    store.checkpoint()
    store.close()
    assert files_holding(data, OTP) == []
    [kept] = (data / "evidence" / "telegram").iterdir()
    assert mode(kept) == 0o600 and mode(kept.parent) == 0o700
    assert mode(data / "evidence") == 0o700


@pytest.mark.slow
def test_an_otp_typed_in_the_console_survives_nowhere(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_bot(data / "bot.db", "console", lines=["hello", "1", "1", *TYPED])
    assert result.returncode == 0, result.stderr
    assert "OTP" in result.stdout
    assert files_holding(data, OTP) == []
    assert mode(data) == 0o700
    assert all(mode(path) == 0o600 for path in data.glob("bot.db*"))
