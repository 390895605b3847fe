"""`python bot.py operators ...` and `python bot.py desk` as an operator runs them: the
first admin created from a script, passwords never in arguments, the desk served on its
own port beside the bot's database."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.desk import desk_client
from support.processes import BotProcess, run_bot

from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow
PASSWORD = "first admin password"


def add(db: Path, *args: str, password: str = PASSWORD) -> tuple[int, str]:
    result = run_bot(db, "operators", "add", *args, lines=[password])
    return result.returncode, result.stdout + result.stderr


def test_operators_are_managed_from_the_command_line(db_path: Path) -> None:
    assert add(db_path, "chief", "--role", "admin") == (0, "chief added (admin)\n")
    code, said = add(db_path, "chief", "--role", "admin")
    assert code == 1 and "exists already" in said
    code, said = add(db_path, "officer1", "--role", "officer")
    assert code == 1 and "at least one --district" in said
    code, said = add(db_path, "officer1", "--role", "officer", "--district", "Atlantis")
    assert code == 1 and "Unknown district 'Atlantis'" in said
    code, said = add(
        db_path, "officer1", "--role", "officer", "--district", "Raipur", password="short"
    )
    assert code == 1 and "at least 12 characters" in said
    assert (
        add(db_path, "officer1", "--role", "officer", "--district", "रायपुर", "--district", "durg")[
            0
        ]
        == 0
    )
    listing = run_bot(db_path, "operators", "list").stdout
    assert listing.splitlines() == ["chief  admin  -", "officer1  officer  Raipur, Durg"]
    changed = run_bot(db_path, "operators", "passwd", "officer1", lines=["another long password"])
    assert changed.returncode == 0, changed.stderr
    assert run_bot(db_path, "operators", "disable", "officer1").returncode == 0
    assert (
        "officer1  officer  Raipur, Durg (disabled)" in run_bot(db_path, "operators", "list").stdout
    )
    store = SqliteStore(db_path)
    try:
        hashes = [op.password_hash for op in store.operators()]
        actions = [row["action"] for row in store.db.query("select action from audit_log")]
    finally:
        store.close()
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert PASSWORD not in (db_path.read_bytes().decode("latin-1"))
    assert actions == ["operator-add", "operator-add", "operator-passwd", "operator-disable"]


async def test_bot_py_desk_serves_the_desk(db_path: Path) -> None:
    assert add(db_path, "chief", "--role", "admin")[0] == 0
    desk = await BotProcess.start(db_path, "desk", DESK_PORT="0", DESK_HOST="127.0.0.1")
    try:
        found = await desk.wait_for_output(r"Desk on (http://[\d.]+:\d+)/")
        async with desk_client(found[1]) as browser:
            await browser.login("chief", PASSWORD)
            await browser.get("/")
            assert browser.status == 200 and "Complaints" in browser.text()
            css = await browser.get("/static/desk.css")
            assert css.status == 200 and "font" in await css.text()
    finally:
        assert await desk.stop() == 0


def test_a_wrong_desk_setting_stops_start_up(db_path: Path) -> None:
    result = run_bot(db_path, "desk", DESK_PORT="eighty")
    assert result.returncode == 2
    assert "DESK_PORT" in result.stderr
