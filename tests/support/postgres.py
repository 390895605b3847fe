"""PostgreSQL for tests: each test gets its own schema on the test server, dropped after.

The server is the one the development machines and CI run (trust authentication on the
local socket); `TEST_DATABASE_URL` points elsewhere. Without a server the PostgreSQL
tests are skipped, loudly, unless `REQUIRE_POSTGRES` is set (CI sets it), when they
fail instead: a CI run must never pass by skipping them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import quote

import psycopg
import pytest

TEST_URL = os.environ.get("TEST_DATABASE_URL", "postgresql:///test")
SKIP_MESSAGE = (
    "PostgreSQL tests SKIPPED: no server at TEST_DATABASE_URL={url} ({error}). Start it "
    "(pg_ctlcluster --skip-systemctl-redirect 15 main start) or set REQUIRE_POSTGRES=1 "
    "to make this a failure"
)


@cache
def unreachable_because() -> str | None:
    """Why the test server cannot be reached, or None when it can."""
    try:
        with psycopg.connect(TEST_URL, connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return None


def require_server() -> None:
    """Skips the calling test (or fails it, with REQUIRE_POSTGRES) without a server."""
    error = unreachable_because()
    if error is None:
        return
    message = SKIP_MESSAGE.format(url=TEST_URL, error=error)
    if os.environ.get("REQUIRE_POSTGRES"):
        pytest.fail(f"REQUIRE_POSTGRES is set and {message}", pytrace=False)
    pytest.skip(message)


def with_schema(url: str, schema: str) -> str:
    """`url` with every connection's search path set to `schema`."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A database URL whose tables live in a new, empty schema, dropped afterwards."""
    require_server()
    schema = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(TEST_URL, autocommit=True) as conn:
        conn.execute(f"create schema {schema}")
    try:
        yield with_schema(TEST_URL, schema)
    finally:
        with psycopg.connect(TEST_URL, autocommit=True) as conn:
            conn.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity"
                " where pid <> pg_backend_pid() and query ilike %s",
                [f"%{schema}%"],
            )
            conn.execute(f"drop schema {schema} cascade")
