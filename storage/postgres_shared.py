"""What the workers on one PostgreSQL database coordinate through it: who leads (session
advisory locks) and when the next message to a platform may leave (send slots).

Leadership: a role (background work, Telegram polling) is held by a session-level
advisory lock on a connection of its own, outside the pool. The server releases it the
moment that connection ends, so a worker killed with -9 hands its role over as soon as
another worker next asks (every second); a worker whose connection broke learns at its
next question that it no longer leads.

Send slots: every worker's delivery queue asks `reserve_send` before each message. One
statement moves two "theoretical arrival times" (GCRA) forward under their rows' locks:
the chat's (its rate, with a small burst) and then the platform's (evenly spaced, no
burst, never before the chat's slot), and answers how long to wait, by the database's
clock. So the platforms' caps hold for all workers together, as one worker's pacer
held them for one process (`bot/channels/pacing.py`).
"""

from __future__ import annotations

import logging

import psycopg

from storage.pg_migrations import advisory_key
from storage.postgres_base import Connection, PgAccess

log = logging.getLogger(__name__)

_RESERVE = """
with t as (select extract(epoch from clock_timestamp())::float8 as now),
chat as (
    insert into rate_slots (name, next_at) select %(chat)s, t.now + %(chat_interval)s from t
    on conflict (name) do update
        set next_at = greatest(rate_slots.next_at, (select now from t)) + %(chat_interval)s
    returning next_at - %(chat_interval)s as due
),
chat_start as (
    select greatest(t.now, chat.due - %(chat_tolerance)s) as at from t, chat
),
platform as (
    insert into rate_slots (name, next_at)
        select %(platform)s, chat_start.at + %(interval)s from chat_start
    on conflict (name) do update set next_at = greatest(
        rate_slots.next_at, (select at from chat_start)) + %(interval)s
    returning next_at - %(interval)s as at
)
select platform.at - t.now from platform, t
"""


class SharedTables(PgAccess):
    url: str
    connect_timeout: float
    _leases: dict[str, Connection]
    _held: set[str]

    def try_lead(self, role: str) -> bool:
        conn = self._leases.get(role)
        try:
            if conn is None or conn.closed:
                conn = self._leases[role] = psycopg.connect(
                    self.url, autocommit=True, connect_timeout=int(self.connect_timeout)
                )
            if role in self._held:  # a session lock taken twice would stack: just check
                conn.execute("select 1")
                return True
            row = conn.execute(f"select pg_try_advisory_lock({advisory_key(role)})").fetchone()
            if row and row[0]:
                self._held.add(role)
            return role in self._held
        except psycopg.Error as error:
            if role in self._held:
                log.warning("%s: lost the connection that held the role: %s", role, error)
            self._held.discard(role)
            self._leases.pop(role, None)
            if conn is not None:
                conn.close()
            return False

    def role_taken(self, role: str) -> bool:
        """Whether a worker holds `role` now (asked by the command line, never a holder:
        a lock it happens to get is released in the same statement)."""
        key = advisory_key(role)
        row = self._one(
            f"select case when pg_try_advisory_lock({key})"
            f" then not pg_advisory_unlock({key}) else true end"
        )
        return bool(row and row[0])

    def step_down(self) -> None:
        """Lets go of every role (closing their connections releases the locks)."""
        for conn in self._leases.values():
            conn.close()
        self._leases.clear()
        self._held.clear()

    def reserve_send(
        self,
        platform: str,
        chat: str,
        *,
        per_second: float,
        per_chat_per_second: float,
        chat_burst: int,
    ) -> float:
        """Seconds to wait before sending one message to `chat` on `platform`."""
        chat_interval = 1.0 / per_chat_per_second
        row = self._one(
            _RESERVE,
            {
                "chat": f"{platform}:{chat}",
                "chat_interval": chat_interval,
                "chat_tolerance": (chat_burst - 1) * chat_interval,
                "platform": platform,
                "interval": 1.0 / per_second,
            },
        )
        return max(0.0, float(row[0])) if row else 0.0

    def forget_send_slots(self, older_than_seconds: float) -> int:
        """Chats' slot rows long past (a row per chat ever written to would pile up)."""
        return self._run(
            "delete from rate_slots where name like '%%:%%'"
            " and next_at < extract(epoch from clock_timestamp()) - %s",
            [older_than_seconds],
        )
