"""`python bot.py operators ...` and `python bot.py desk` as an operator runs them: the
first admin created from a script, passwords never in arguments, the desk served on its
own port beside the bot's database, SQLite's or PostgreSQL's."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from support.desk import Seed, desk_client, save_seed
from support.processes import BotProcess, run_bot

from bot.domain.clock import ist_now
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore

pytestmark = pytest.mark.slow
PASSWORD = "first admin password"


def add(db: Path, *args: str, password: str = PASSWORD, **env: str) -> tuple[int, str]:
    result = run_bot(db, "operators", "add", *args, lines=[password], **env)
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


async def test_bot_py_desk_serves_the_desk_from_postgresql(db_path: Path, url: str) -> None:
    """With DATABASE_URL the operators, the desk and the results use PostgreSQL (and
    write nothing to DATABASE_PATH)."""
    added = add(db_path, "chief", "--role", "admin", DATABASE_URL=url)
    assert added == (0, "chief added (admin)\n")
    listing = run_bot(db_path, "operators", "list", DATABASE_URL=url)
    assert listing.stdout == "chief  admin  -\n", listing.stderr
    store = PostgresStore(url, threads=1)
    try:
        reference = save_seed(store, Seed("Raipur", (Decimal(5000),), ist_now()))
    finally:
        store.close()
    desk = await BotProcess.start(
        db_path, "desk", DESK_PORT="0", DESK_HOST="127.0.0.1", DATABASE_URL=url
    )
    try:
        found = await desk.wait_for_output(r"Desk on (http://[\d.]+:\d+)/")
        async with desk_client(found[1]) as browser:
            await browser.login("chief", PASSWORD)
            await browser.get("/")
            assert browser.status == 200
            assert re.findall(r'data-reference="(\d{12})"', browser.page) == [reference]
            await browser.get(f"/complaints/{reference}")
            assert browser.status == 200 and "Raipur" in browser.text()
    finally:
        assert await desk.stop() == 0
    stats = run_bot(db_path, "stats", "--format", "json", DATABASE_URL=url)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["total"]["complaints"] == 1
    store = PostgresStore(url, threads=1)
    try:
        actions = [entry.action for entry in store.audit_entries()]
    finally:
        store.close()
    assert actions == ["view", "login", "operator-add"]
    assert not db_path.exists()


def test_a_wrong_desk_setting_stops_start_up(db_path: Path) -> None:
    result = run_bot(db_path, "desk", DESK_PORT="eighty")
    assert result.returncode == 2
    assert "DESK_PORT" in result.stderr


def test_an_unreachable_database_url_stops_the_desk_naming_it(db_path: Path) -> None:
    for command in (["desk"], ["operators", "list"], ["stats"]):
        result = run_bot(db_path, *command, DATABASE_URL="postgresql://127.0.0.1:1/x")
        assert result.returncode == 2, command
        assert "Cannot start: DATABASE_URL" in result.stderr
