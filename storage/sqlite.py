"""SQLite (WAL) implementation of the storage contract, on sqlite-utils.

One connection per store object. `transaction()` takes the write lock up front
(BEGIN IMMEDIATE) so concurrent processes queue instead of failing half-way, and
sqlite-utils' own writes nest inside it as savepoints.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.domain.complaint import ComplaintSummary
from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey
from storage.base import ComplaintRecord
from storage.migrations import migrate
from storage.rows import (
    KEPT_ON_UPDATE,
    SUMMARY_COLUMNS,
    TRANSACTION_COLUMNS,
    complaint_row,
    complaint_summary,
    suspect_rows,
    transaction_row,
)
from storage.sqlite_broadcast import BroadcastTables
from storage.sqlite_channels import ChannelTables
from storage.sqlite_desk import DeskAccountTables
from storage.sqlite_desk_queue import DeskQueueTables
from storage.sqlite_reporting import ReportingTables

_BUSY_TIMEOUT_SECONDS = 30.0


class SerialConnection(sqlite3.Connection):
    """A connection whose statements, and whole transactions, are taken one thread at a
    time. The bot uses the store from its store thread only (`StoreRunner`), but an
    operator command or a test may read through the same object meanwhile: interleaved,
    their statements would land inside each other's transactions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock = threading.RLock()

    def execute(self, *args: Any) -> sqlite3.Cursor:
        with self.lock:
            return super().execute(*args)

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        with self.lock:
            return super().executemany(*args)


class SqliteStore(
    ReportingTables, ChannelTables, BroadcastTables, DeskAccountTables, DeskQueueTables
):
    threads = 0  # statements take microseconds: run on the event loop's thread

    def __init__(self, path: str | Path, *, wait_for_lock: bool = True) -> None:
        """`wait_for_lock=False` for the running bot: a write lock held by another process
        fails at once (see `is_busy`) instead of blocking the caller for seconds."""
        self.path = Path(path)
        if str(path) != ":memory:":
            _private(self.path)
        conn = sqlite3.connect(
            str(path),
            isolation_level=None,
            timeout=_BUSY_TIMEOUT_SECONDS if wait_for_lock else 0.0,
            check_same_thread=False,
            factory=SerialConnection,
        )
        self.db = Database(conn)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        # Erased values (a raw webhook body once applied) are overwritten, not left in
        # free pages where a copy of the file would still hold them.
        self.db.execute("PRAGMA secure_delete=ON")
        with self.transaction():
            migrate(self.db)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        conn = self.db.conn
        assert isinstance(conn, SerialConnection)
        with conn.lock:  # no other thread's statement lands inside this transaction
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    @staticmethod
    def try_lead(role: str) -> bool:
        """One bot process per SQLite database (`bot.cli.lock`): it does everything."""
        return True

    @staticmethod
    def is_busy(error: BaseException) -> bool:
        """SQLite's "database is locked" / "busy": another connection holds the lock."""
        text = str(error).casefold()
        return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)

    # --- housekeeping ----------------------------------------------------------------------

    def purge(self, *, records_before: datetime) -> int:
        """Forgets what is only kept for deduplication or as a record, once older than
        `records_before`: ids of messages applied, rows of webhook bodies applied."""
        moment = records_before.isoformat()
        messages = self.db.execute(
            "delete from processed_messages where processed_at < ?", [moment]
        ).rowcount
        bodies = self.db.execute(
            "delete from webhook_inbox where processed_at is not null and processed_at < ?",
            [moment],
        ).rowcount
        return int(messages) + int(bodies)

    def referenced_files(self) -> set[str]:
        """Every evidence file a complaint or a draft still refers to."""
        files = {row[0] for row in self.db.execute("select file_ref from evidence")}
        for (state,) in self.db.execute(
            "select state from conversations where state like '%\"file_ref\"%'"
        ):
            files |= {e.file_ref for e in Conversation.model_validate_json(state).draft.evidence}
        return files

    def checkpoint(self) -> None:
        """Moves the write-ahead log into the database file and empties it, so erased
        values (with secure_delete, zeroed) do not linger in old WAL frames."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- conversations -------------------------------------------------------------------

    def claim_message(self, channel: str, message_id: str, at: datetime) -> bool:
        cursor = self.db.execute(
            "insert or ignore into processed_messages (channel, message_id, processed_at)"
            " values (?, ?, ?)",
            [channel, message_id, at.isoformat()],
        )
        return cursor.rowcount == 1

    def load_conversation(self, key: ConversationKey) -> Conversation | None:
        rows = list(
            self.db.query(
                "select state from conversations where channel = ? and user_id = ?",
                [key.channel, key.user_id],
            )
        )
        return Conversation.model_validate_json(rows[0]["state"]) if rows else None

    def save_conversation(self, key: ConversationKey, state: Conversation, at: datetime) -> None:
        # Plain SQL on the per-message path: sqlite-utils' upsert introspects the table
        # on every call, which is most of the cost of a message.
        self.db.execute(
            "insert into conversations (channel, user_id, language, state, updated_at)"
            " values (?, ?, ?, ?, ?) on conflict (channel, user_id) do update set"
            " language = excluded.language, state = excluded.state,"
            " updated_at = excluded.updated_at",
            [
                key.channel,
                key.user_id,
                state.language.value if state.language else None,
                state.model_dump_json(),
                at.isoformat(),
            ],
        )

    def next_reference_sequence(self, year: int) -> int:
        row = self.db.execute(
            "insert into reference_counters (year, last) values (?, 1)"
            " on conflict(year) do update set last = last + 1 returning last",
            [year],
        ).fetchone()
        return int(row[0])

    # --- complaints ----------------------------------------------------------------------

    def save_complaint(
        self, key: ConversationKey, state: Conversation, at: datetime, *, submitted: bool
    ) -> None:
        reference = state.reference
        if reference is None:
            raise ValueError("a complaint needs a reference before it is saved")
        self._upsert_complaint_row(key, state, reference, at, submitted=submitted)
        for table in ("transactions", "suspect_identifiers", "evidence"):
            self.db.execute(f"delete from {table} where reference = ?", [reference])
        draft = state.draft
        self.db.conn.executemany(
            f"insert into transactions (reference, position, {', '.join(TRANSACTION_COLUMNS)})"
            f" values (?, ?, {', '.join('?' * len(TRANSACTION_COLUMNS))})",
            [
                (reference, position, *transaction_row(tx))
                for position, tx in enumerate(draft.transactions)
            ],
        )
        self.db.conn.executemany(
            "insert into suspect_identifiers (reference, position, kind, value, ifsc)"
            " values (?, ?, ?, ?, ?)",
            [(reference, i, *row) for i, row in enumerate(suspect_rows(draft.suspect))],
        )
        self.db.conn.executemany(
            "insert into evidence (reference, position, file_ref, sha256, mime_type, size_bytes,"
            " kind) values (?, ?, ?, ?, ?, ?, ?)",
            [
                (reference, i, e.file_ref, e.sha256, e.mime_type, e.size_bytes, e.kind)
                for i, e in enumerate(draft.evidence)
            ],
        )

    def _upsert_complaint_row(
        self,
        key: ConversationKey,
        state: Conversation,
        reference: str,
        at: datetime,
        *,
        submitted: bool,
    ) -> None:
        """The complaint's own row; its status and creation time are kept on update
        (status changes come from the police or the reporting system)."""
        existing = self.db.execute(
            "select created_at, submitted_at from complaints where reference = ?", [reference]
        ).fetchone()
        created_at = existing[0] if existing else at.isoformat()
        submitted_at = at.isoformat() if submitted else (existing[1] if existing else None)
        row = complaint_row(
            key, state, reference, at, created_at=created_at, submitted_at=submitted_at
        )
        self.db.execute(
            f"insert into complaints ({', '.join(row)}) values ({', '.join('?' * len(row))})"
            " on conflict (reference) do update set "
            + ", ".join(f"{name} = excluded.{name}" for name in row if name not in KEPT_ON_UPDATE),
            list(row.values()),
        )

    def complaints_of(self, key: ConversationKey) -> list[ComplaintSummary]:
        rows = self.db.query(
            f"select {SUMMARY_COLUMNS} from complaints"
            " where channel = ? and user_id = ? order by created_at desc",
            [key.channel, key.user_id],
        )
        return [complaint_summary(row) for row in rows]

    def get_complaint(self, reference: str) -> ComplaintRecord | None:
        rows = list(self.db.query("select * from complaints where reference = ?", [reference]))
        if not rows:
            return None
        record: dict[str, Any] = dict(rows[0])
        for table in ("transactions", "suspect_identifiers", "evidence"):
            record[table] = [
                {k: v for k, v in row.items() if k != "reference"}
                for row in self.db.query(
                    f"select * from {table} where reference = ? order by position", [reference]
                )
            ]
        return record

    def iter_complaints(self) -> Iterator[ComplaintRecord]:
        references = [
            row["reference"]
            for row in self.db.query("select reference from complaints order by created_at")
        ]
        for reference in references:
            record = self.get_complaint(reference)
            if record is not None:
                yield record

    def mark_unreachable(self, key: ConversationKey, *, reason: str, at: datetime) -> None:
        """The platform refuses to deliver to this person: stop queuing for them and end
        their awareness subscription, with the reason recorded."""
        self.db.table("unreachable").upsert(
            {
                "channel": key.channel,
                "user_id": key.user_id,
                "since": at.isoformat(),
                "reason": reason,
            },
            pk=("channel", "user_id"),
        )
        language = self.subscription_language(key)
        if language is not None:
            self.set_subscription(
                key, subscribed=False, language=language, how=f"unreachable: {reason}", at=at
            )

    def is_unreachable(self, key: ConversationKey) -> bool:
        return bool(
            self.db.execute(
                "select 1 from unreachable where channel = ? and user_id = ?",
                [key.channel, key.user_id],
            ).fetchone()
        )

    def mark_reachable(self, key: ConversationKey) -> None:
        self.db.execute(
            "delete from unreachable where channel = ? and user_id = ?",
            [key.channel, key.user_id],
        )

    def set_subscription(
        self, key: ConversationKey, *, subscribed: bool, language: str, how: str, at: datetime
    ) -> None:
        self.db.table("subscriptions").upsert(
            {
                "channel": key.channel,
                "user_id": key.user_id,
                "language": language,
                "subscribed": int(subscribed),
                "how": how,
                "changed_at": at.isoformat(),
            },
            pk=("channel", "user_id"),
        )
        self.log_consent(key, subscribed=subscribed, language=language, how=how, at=at)


def _private(path: Path) -> None:
    """The database's folder and file readable by the bot's user only (0700 and 0600;
    SQLite gives its -wal and -shm files the database file's permissions)."""
    missing = [parent for parent in path.parents if not parent.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)
