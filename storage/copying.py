"""Moving a deployment from SQLite to PostgreSQL: every table, row for row, in one
transaction, verified by counting: the bot's tables and the police desk's (operators,
their sessions, the audit log, the money per debit).

The target must be empty (its schema is created by the PostgreSQL migrations first):
a second copy into it refuses instead of adding every row again. A source table with
rows that PostgreSQL has no table for also refuses the copy (a table another part of
the bot added to SQLite without a PostgreSQL migration): nothing is left behind
silently. Columns are copied by name, values as SQLite holds them (the PostgreSQL
schema keeps SQLite's types, see `storage/pg_migrations.py`), and each id sequence is
moved past the copied ids so new rows do not collide with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from storage.pg_migrations import migrate
from storage.sqlite import SqliteStore

# Parents before children: foreign keys are checked row by row (debit_money and the
# complaint tables need complaints, deliveries campaigns, desk_sessions operators).
_FIRST = ("complaints", "campaigns", "operators")
_NOT_DATA = frozenset({"migrations", "schema_migrations", "rate_slots"})


class CopyRefused(Exception):
    """The copy would duplicate or leave behind data; nothing was written."""


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    source: int
    target: int


def copy_to_postgres(source: Path, url: str) -> list[TableCount]:
    """Copies the SQLite database at `source` into the empty PostgreSQL database at
    `url`; returns the row counts of both sides, table by table."""
    sqlite = SqliteStore(source)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            migrate(conn)
            tables = _plan(sqlite, conn)
            with conn.transaction():
                for table, columns in tables:
                    _copy_table(sqlite, conn, table, columns)
                counts = [_count(sqlite, conn, table) for table, _ in tables]
                wrong = [c for c in counts if c.source != c.target]
                if wrong:
                    raise CopyRefused(
                        "row counts differ after the copy, nothing kept: "
                        + ", ".join(f"{c.table} {c.source} != {c.target}" for c in wrong)
                    )
            return counts
    finally:
        sqlite.close()


def _plan(sqlite: SqliteStore, conn: psycopg.Connection[Any]) -> list[tuple[str, list[str]]]:
    """The tables to copy with their shared columns; refuses a copy that cannot be whole."""
    here = {
        row[0]: [c[0] for c in conn.execute(_COLUMNS, [row[0]]).fetchall()]
        for row in conn.execute(
            "select table_name from information_schema.tables"
            " where table_schema = current_schema() and table_type = 'BASE TABLE'"
        ).fetchall()
    }
    names = [t for t in sqlite.db.table_names() if t not in _NOT_DATA]
    names.sort(key=lambda t: (t not in _FIRST, _FIRST.index(t) if t in _FIRST else 0, t))
    homeless = [t for t in names if t not in here and sqlite.db.table(t).count > 0]
    if homeless:
        raise CopyRefused(f"PostgreSQL has no table for {', '.join(homeless)}")
    filled = [t for t in here if t not in _NOT_DATA and _rows(conn, t) > 0]
    if filled:
        raise CopyRefused(
            f"the target database is not empty ({', '.join(sorted(filled))} hold rows): "
            "was it copied to before? Copy into a new, empty database"
        )
    plan = []
    for table in names:
        if table not in here:
            continue
        source_columns = set(sqlite.db.table(table).columns_dict)
        missing = sorted(source_columns - set(here[table]))
        if missing and sqlite.db.table(table).count > 0:
            raise CopyRefused(f"PostgreSQL's {table} has no column {', '.join(missing)}")
        plan.append((table, [c for c in here[table] if c in source_columns]))
    return plan


_COLUMNS = (
    "select column_name from information_schema.columns"
    " where table_schema = current_schema() and table_name = %s order by ordinal_position"
)


def _rows(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(sql.SQL("select count(*) from {}").format(sql.Identifier(table))).fetchone()
    return int(row[0]) if row else 0


def _copy_table(
    sqlite: SqliteStore, conn: psycopg.Connection[Any], table: str, columns: list[str]
) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    statement = sql.SQL("copy {} ({}) from stdin").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        for row in sqlite.db.execute(f'select {quoted} from "{table}"'):
            copy.write_row(row)
    if "id" in columns:
        conn.execute(
            sql.SQL(
                "select setval(pg_get_serial_sequence({name}, 'id'),"
                " coalesce((select max(id) from {table}), 0) + 1, false)"
            ).format(name=sql.Literal(table), table=sql.Identifier(table))
        )


def _count(sqlite: SqliteStore, conn: psycopg.Connection[Any], table: str) -> TableCount:
    return TableCount(table, sqlite.db.table(table).count, _rows(conn, table))
