"""PostgreSQL implementation of the storage contract (psycopg 3, a connection pool).

Several bot processes share one database, so what SQLite got from its single writer is
said here explicitly:
- a message id is claimed by inserting it under a primary key: a second worker that
  receives the same update waits on the first one's uncommitted row and, once that
  commits, finds it taken (if it rolls back, the second applies it);
- a conversation is loaded under a transaction-level advisory lock on its key, so two
  messages of one person are applied one after the other whichever workers have them;
- complaint numbers come from a counter row updated in the transaction (its row lock
  orders the workers), as on SQLite.

Calls block their thread, so the bot runs them on threads (`threads` below, read by
`bot.service.database.StoreRunner`); `transaction()` binds one pooled connection to
the calling thread until it commits, and calls outside a transaction borrow one for
the statement.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, LiteralString

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool

from bot.domain.complaint import ComplaintSummary
from bot.domain.conversation import Conversation
from bot.domain.messages import ConversationKey
from storage.base import ComplaintRecord
from storage.pg_migrations import migrate
from storage.postgres_base import Connection
from storage.postgres_complaints import ComplaintTables
from storage.postgres_desk import DeskAccountTables, DeskQueueTables
from storage.postgres_shared import SharedTables
from storage.postgres_tables import MessageTables
from storage.rows import SUMMARY_COLUMNS, complaint_summary

_BUSY = (
    errors.SerializationFailure,
    errors.DeadlockDetected,
    errors.LockNotAvailable,
    psycopg.OperationalError,  # the server restarted or the connection dropped
)


class PostgresStore(
    ComplaintTables, MessageTables, SharedTables, DeskAccountTables, DeskQueueTables
):
    def __init__(self, url: str, *, threads: int = 4, connect_timeout: float = 10.0) -> None:
        """`threads`: how many calls may run at once (the pool holds one connection more,
        for the operator commands and the health check)."""
        self.url = url
        self.threads = threads
        self.connect_timeout = connect_timeout
        self._local = threading.local()
        self._leases = {}
        self._held = set()
        # One connection first, for a clear error when the server cannot be reached
        # (the pool would only say it timed out), and to bring the schema up to date.
        with psycopg.connect(
            url, autocommit=True, connect_timeout=max(1, int(connect_timeout))
        ) as conn:
            migrate(conn)
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            url,
            min_size=1,
            max_size=threads + 1,
            kwargs={"autocommit": True},
            open=False,
            timeout=connect_timeout,
            name="bot",
        )
        self.pool.open(wait=True, timeout=connect_timeout)

    # --- connections and transactions ----------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.in_transaction():
            raise RuntimeError("transactions do not nest")
        with self.pool.connection() as conn, conn.transaction():
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    def close(self) -> None:
        self.step_down()
        self.pool.close()

    @staticmethod
    def is_busy(error: BaseException) -> bool:
        """A conflict PostgreSQL resolved by cancelling us, or the server unreachable for
        a moment: the work changed nothing and is tried again."""
        return isinstance(error, _BUSY)

    def ping(self) -> bool:
        """Whether the database answers (the health check)."""
        try:
            return self._one("select 1") == (1,)
        except psycopg.Error:
            return False

    # --- housekeeping ----------------------------------------------------------------------

    def purge(self, *, records_before: datetime) -> int:
        moment = records_before.isoformat()
        messages = self._run("delete from processed_messages where processed_at < %s", [moment])
        bodies = self._run(
            "delete from webhook_inbox where processed_at is not null and processed_at < %s",
            [moment],
        )
        return messages + bodies + self.forget_send_slots(older_than_seconds=3600)

    def referenced_files(self) -> set[str]:
        files = {row[0] for row in self._rows("select file_ref from evidence")}
        for (state,) in self._rows(
            "select state from conversations where state like '%%\"file_ref\"%%'"
        ):
            files |= {e.file_ref for e in Conversation.model_validate_json(state).draft.evidence}
        return files

    def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL manages its own write-ahead log."""

    # --- conversations -------------------------------------------------------------------

    def claim_message(self, channel: str, message_id: str, at: datetime) -> bool:
        return (
            self._run(
                "insert into processed_messages (channel, message_id, processed_at)"
                " values (%s, %s, %s) on conflict do nothing",
                [channel, message_id, at.isoformat()],
            )
            == 1
        )

    def load_conversation(self, key: ConversationKey) -> Conversation | None:
        """Inside a transaction, also waits for (then holds) the conversation's lock."""
        if self.in_transaction():
            self._one(
                "select pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"conversation:{key.channel}:{key.user_id}"],
            )
        row = self._one(
            "select state from conversations where channel = %s and user_id = %s",
            [key.channel, key.user_id],
        )
        return Conversation.model_validate_json(row[0]) if row else None

    def save_conversation(self, key: ConversationKey, state: Conversation, at: datetime) -> None:
        self._run(
            "insert into conversations (channel, user_id, language, state, updated_at)"
            " values (%s, %s, %s, %s, %s) on conflict (channel, user_id) do update set"
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
        row = self._one(
            "insert into reference_counters (year, last) values (%s, 1) on conflict (year)"
            " do update set last = reference_counters.last + 1 returning last",
            [year],
        )
        assert row is not None
        return int(row[0])

    def complaints_of(self, key: ConversationKey) -> list[ComplaintSummary]:
        rows = self._dicts(
            f"select {SUMMARY_COLUMNS} from complaints"
            " where channel = %s and user_id = %s order by created_at desc",
            [key.channel, key.user_id],
        )
        return [complaint_summary(row) for row in rows]

    def get_complaint(self, reference: str) -> ComplaintRecord | None:
        rows = self._dicts("select * from complaints where reference = %s", [reference])
        if not rows:
            return None
        record: dict[str, Any] = rows[0]
        for table, sql in _CHILDREN:
            record[table] = [
                {k: v for k, v in row.items() if k != "reference"}
                for row in self._dicts(sql, [reference])
            ]
        return record

    def iter_complaints(self) -> Iterator[ComplaintRecord]:
        references = [
            row[0] for row in self._rows("select reference from complaints order by created_at")
        ]
        for reference in references:
            record = self.get_complaint(reference)
            if record is not None:
                yield record

    # --- reachability and subscriptions -------------------------------------------------------

    def mark_unreachable(self, key: ConversationKey, *, reason: str, at: datetime) -> None:
        self._run(
            "insert into unreachable (channel, user_id, since, reason) values (%s, %s, %s, %s)"
            " on conflict (channel, user_id) do update set since = excluded.since,"
            " reason = excluded.reason",
            [key.channel, key.user_id, at.isoformat(), reason],
        )
        language = self.subscription_language(key)
        if language is not None:
            self.set_subscription(
                key, subscribed=False, language=language, how=f"unreachable: {reason}", at=at
            )

    def is_unreachable(self, key: ConversationKey) -> bool:
        return (
            self._one(
                "select 1 from unreachable where channel = %s and user_id = %s",
                [key.channel, key.user_id],
            )
            is not None
        )

    def mark_reachable(self, key: ConversationKey) -> None:
        self._run(
            "delete from unreachable where channel = %s and user_id = %s",
            [key.channel, key.user_id],
        )

    def set_subscription(
        self, key: ConversationKey, *, subscribed: bool, language: str, how: str, at: datetime
    ) -> None:
        self._run(
            "insert into subscriptions (channel, user_id, language, subscribed, how, changed_at)"
            " values (%s, %s, %s, %s, %s, %s) on conflict (channel, user_id) do update set"
            " language = excluded.language, subscribed = excluded.subscribed,"
            " how = excluded.how, changed_at = excluded.changed_at",
            [key.channel, key.user_id, language, int(subscribed), how, at.isoformat()],
        )
        self.log_consent(key, subscribed=subscribed, language=language, how=how, at=at)


_CHILDREN: tuple[tuple[str, LiteralString], ...] = (
    ("transactions", "select * from transactions where reference = %s order by position"),
    (
        "suspect_identifiers",
        "select * from suspect_identifiers where reference = %s order by position",
    ),
    ("evidence", "select * from evidence where reference = %s order by position"),
)
