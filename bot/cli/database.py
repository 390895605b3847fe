"""`python bot.py db check` and `python bot.py db copy --to postgresql://...`.

`check` answers what an operator asks first when something is wrong: can the bot reach
its database, and is the schema the one this version of the bot expects. It only
reads: it never migrates. `copy` moves an SQLite deployment into an empty PostgreSQL
database (`storage/copying.py`).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Callable

import psycopg

from bot.settings import Settings
from storage import migrations, pg_migrations
from storage.copying import CopyRefused, copy_to_postgres


def add_database_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database = commands.add_parser("db", help="the database: check it, copy it to PostgreSQL")
    actions = database.add_subparsers(dest="action", required=True)
    actions.add_parser("check", help="connectivity and schema version")
    copy = actions.add_parser(
        "copy", help="copy the SQLite database at DATABASE_PATH into an empty PostgreSQL one"
    )
    copy.add_argument("--to", required=True, metavar="postgresql://...", help="the target")


def run_database(settings: Settings, args: argparse.Namespace, scrub: Callable[[str], str]) -> int:
    if args.action == "copy":
        return _copy(settings, args.to, scrub)
    try:
        where, version, latest, seconds = _check(settings)
    except (psycopg.Error, sqlite3.Error) as error:
        print(f"Database unreachable: {scrub(_first_line(error))}", file=sys.stderr)
        return 2
    state = "current" if version == latest else f"behind (this bot expects {latest})"
    print(f"{where}: answers in {seconds * 1000:.1f} ms; schema version {version}, {state}")
    return 0 if version == latest else 1


def _check(settings: Settings) -> tuple[str, int, int, float]:
    """(which database, schema version applied, version expected, seconds to answer)."""
    started = time.monotonic()
    if settings.database_url is not None:
        url = settings.database_url.get_secret_value()
        with psycopg.connect(url, connect_timeout=5) as conn:
            version = pg_migrations.schema_version(conn)
            where = f"PostgreSQL {conn.info.host}:{conn.info.port}/{conn.info.dbname}"
        return where, version, pg_migrations.LATEST, time.monotonic() - started
    path = settings.database_path
    if not path.exists():
        raise sqlite3.OperationalError(f"no database file at DATABASE_PATH={path}")
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = reader.execute(
            "select count(*) from sqlite_master where type = 'table' and name = 'migrations'"
        ).fetchone()[0]
        version = reader.execute("select max(id) from migrations").fetchone()[0] if found else 0
    finally:
        reader.close()
    latest = migrations.MIGRATIONS[-1][0]
    return f"SQLite {path}", int(version or 0), latest, time.monotonic() - started


def _copy(settings: Settings, target: str, scrub: Callable[[str], str]) -> int:
    if not target.startswith(("postgresql://", "postgres://")):
        print("Cannot copy: --to must be a postgresql:// URL", file=sys.stderr)
        return 2
    if not settings.database_path.exists():
        print(
            f"Cannot copy: no database at DATABASE_PATH={settings.database_path}", file=sys.stderr
        )
        return 2
    try:
        counts = copy_to_postgres(settings.database_path, target)
    except CopyRefused as refused:
        print(f"Refused, nothing copied: {refused}", file=sys.stderr)
        return 1
    except psycopg.Error as error:
        print(f"Copy failed, nothing kept: {scrub(_first_line(error))}", file=sys.stderr)
        return 2
    for count in counts:
        print(f"{count.table:<22} {count.source:>9} rows copied, {count.target:>9} in PostgreSQL")
    total = sum(count.source for count in counts)
    print(f"Copied {total} rows in {len(counts)} tables; every count matches.")
    return 0


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
