"""The checks only SQLite has (pragmas, the migrations table, the file on disk); the
contract itself runs on both backends in `test_storage_contract.py`."""

from __future__ import annotations

from pathlib import Path

from support.storage_contract import NOW, SUNITA, registered_state

from storage.migrations import MIGRATIONS
from storage.sqlite import SqliteStore


def test_journal_mode_is_wal(tmp_path: Path) -> None:
    """WAL lets the operator CLI read while the bot writes."""
    store = SqliteStore(tmp_path / "bot.db")
    try:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        store.close()


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    """A restart must not re-run a migration (it would fail or, worse, wipe data)."""
    path = tmp_path / "bot.db"
    for _ in range(2):
        store = SqliteStore(path)
        try:
            ids = [row["id"] for row in store.db.query("select id from migrations order by id")]
        finally:
            store.close()
        assert ids == [number for number, _, _ in MIGRATIONS]
        assert ids[0] == 1


def test_data_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "bot.db"
    store = SqliteStore(path)
    with store.transaction():
        store.save_conversation(SUNITA, registered_state(), NOW)
        store.save_complaint(SUNITA, registered_state(), NOW, submitted=False)
    store.close()
    assert path.is_file()

    reopened = SqliteStore(path)
    try:
        assert reopened.load_conversation(SUNITA) == registered_state()
        record = reopened.get_complaint("261234567890")
        assert record is not None
        assert len(record["transactions"]) == 2
    finally:
        reopened.close()


def test_subscription_upsert_keeps_the_latest_choice(tmp_path: Path) -> None:
    """The contract cannot read subscriptions back; here the row itself is checked."""
    store = SqliteStore(tmp_path / "bot.db")
    try:
        for subscribed, how in ((True, "menu"), (False, "command")):
            with store.transaction():
                store.set_subscription(
                    SUNITA, subscribed=subscribed, language="hi", how=how, at=NOW
                )
        rows = list(store.db.query("select subscribed, how from subscriptions"))
    finally:
        store.close()
    assert rows == [{"subscribed": 0, "how": "command"}]
