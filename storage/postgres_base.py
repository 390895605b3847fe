"""What every part of the PostgreSQL store uses to reach the database: the calling
thread's transaction when there is one, else a pooled connection for one statement."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

Params = Sequence[object] | Mapping[str, object]
Connection = psycopg.Connection[tuple[Any, ...]]


class PgAccess:
    pool: ConnectionPool[Connection]
    _local: threading.local

    def in_transaction(self) -> bool:
        return getattr(self._local, "conn", None) is not None

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """The calling thread's transaction, or a connection for one statement."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self.pool.connection() as conn:
            yield conn

    def _rows(self, sql: LiteralString, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    def _one(self, sql: LiteralString, params: Params = ()) -> tuple[Any, ...] | None:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchone()

    def _dicts(self, sql: LiteralString, params: Params = ()) -> list[dict[str, Any]]:
        with self._connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(sql, params).fetchall()

    def _run(self, sql: LiteralString, params: Params = ()) -> int:
        """Executes a write; the number of rows it touched."""
        with self._connection() as conn:
            return conn.execute(sql, params).rowcount

    def _many(self, sql: LiteralString, rows: Sequence[Params]) -> None:
        if rows:
            with self._connection() as conn, conn.cursor() as cursor:
                cursor.executemany(sql, rows)
