"""The storage contracts, the bot's and the desk's, on every backend: SQLite (a file in
the test's folder) and PostgreSQL (a schema of its own on the test server, dropped
afterwards)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from support.desk_contract import DeskContract
from support.postgres import fresh_schema
from support.storage_contract import MakeStore, StorageContract

from storage.base import Store
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore


@pytest.fixture(params=["sqlite", "postgresql"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeStore]:
    """Opens stores on one database; closes every one of them at teardown."""
    opened: list[Store] = []
    with ExitStack() as stack:
        if request.param == "sqlite":

            def make() -> Store:
                opened.append(SqliteStore(tmp_path / "contract.db"))
                return opened[-1]
        else:
            url = stack.enter_context(fresh_schema())

            def make() -> Store:
                opened.append(PostgresStore(url, threads=1))
                return opened[-1]

        yield make
        for store in opened:
            store.close()


class TestStore(StorageContract, DeskContract):
    pass
