"""The police desk's storage contract (`storage.desk_base.DeskStore`), as tests a backend
must pass beside `StorageContract`; `tests/test_storage_contract.py` runs both on every
backend with its `make_store` fixture. Nothing here depends on SQLite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from storage.desk_base import DebitMoney, DuplicateOperator, QueueFilter
from support.storage_contract import NOW, RAVI, SUNITA, registered_state

MakeDeskStore = Callable[[], Any]  # a Store that is a DeskStore too


def _register(store: Any, reference: str, district: str, key: Any = SUNITA) -> None:
    state = registered_state(reference)
    state.draft.district = district
    with store.transaction():
        store.save_complaint(key, state, NOW, submitted=True)


class DeskContract:
    def test_operators_and_their_sessions(self, make_store: MakeDeskStore) -> None:
        store = make_store()
        with store.transaction():
            chief = store.add_operator("chief", "hash-1", "admin", [], NOW)
            store.add_operator("si", "hash-2", "officer", ["Raipur", "Durg"], NOW)
            with pytest.raises(DuplicateOperator):
                store.add_operator("chief", "hash-3", "admin", [], NOW)
        with store.transaction():
            store.create_session("token-hash", chief, "csrf", NOW, NOW + timedelta(hours=1))
        reopened = make_store()
        with reopened.transaction():
            operator, csrf = reopened.session("token-hash", NOW + timedelta(minutes=59))
            assert (operator.name, operator.is_admin, csrf) == ("chief", True, "csrf")
            assert reopened.session("token-hash", NOW + timedelta(hours=1)) is None
            assert reopened.operator_named("si").districts == ("Raipur", "Durg")
            assert reopened.set_operator_password("chief", "hash-4", NOW)
            assert reopened.session("token-hash", NOW) is None  # a new password ends it
            assert not reopened.disable_operator("nobody", NOW)

    def test_audit_entries_newest_first(self, make_store: MakeDeskStore) -> None:
        store = make_store()
        with store.transaction():
            store.audit(NOW, "chief", "view", reference="261234567890", address="10.0.0.1")
            store.audit(NOW + timedelta(seconds=1), "chief", "status", detail="closed")
        with store.transaction():
            entries = store.audit_entries()
        assert [(e.action, e.reference, e.detail) for e in entries] == [
            ("status", None, "closed"),
            ("view", "261234567890", ""),
        ]

    def test_money_per_debit_round_trips(self, make_store: MakeDeskStore) -> None:
        store = make_store()
        _register(store, "261234567890", "Raipur")
        money = DebitMoney(1, Decimal("50000.50"), "SBI", date(2026, 11, 27), Decimal(0), None)
        with store.transaction():
            store.set_debit_money("261234567890", money, by="si", at=NOW)
            store.set_debit_money("261234567890", money, by="si", at=NOW)  # replaces
        reopened = make_store()
        with reopened.transaction():
            assert reopened.debit_money("261234567890") == {1: money}

    def test_the_queue_keeps_to_the_scope(self, make_store: MakeDeskStore) -> None:
        store = make_store()
        _register(store, "261234567890", "Raipur")
        _register(store, "262222222222", "Durg", RAVI)
        with store.transaction():
            everyone, total = store.queue(QueueFilter(scope=None))
            raipur, _ = store.queue(QueueFilter(scope=("raipur",)))
            nobody, _ = store.queue(QueueFilter(scope=()))
            by_utr, _ = store.queue(QueueFilter(scope=None, text="631845002917"))
            rows = store.result_rows(NOW - timedelta(days=1), NOW + timedelta(days=1))
        assert total == 2 and {r.district for r in everyone} == {"Raipur", "Durg"}
        assert [r.reference for r in raipur] == ["261234567890"]
        assert nobody == [] and len(by_utr) == 2
        assert {r.reference for r in rows} == {"261234567890", "262222222222"}

    def test_the_queue_filters_and_orders_alike(self, make_store: MakeDeskStore) -> None:
        """Golden-hour complaints first; amounts compared as numbers, days as days."""
        store = make_store()
        _register(store, "261234567890", "Raipur")
        state = registered_state("262222222222", debits=1)
        state.draft.district = "Durg"
        state.draft.lost_at = NOW - timedelta(minutes=30)
        with store.transaction():
            store.save_complaint(RAVI, state, NOW, submitted=True)
        day = NOW.date()
        with store.transaction():
            rows, _ = store.queue(QueueFilter(scope=None))
            one = Decimal("2604000.50")
            exact, _ = store.queue(QueueFilter(scope=None, amount_min=one, amount_max=one))
            today, _ = store.queue(QueueFilter(scope=None, date_from=day, date_to=day))
            later, _ = store.queue(QueueFilter(scope=None, date_from=day + timedelta(days=1)))
            named, _ = store.queue(QueueFilter(scope=None, text="quickcash", limit=1, offset=1))
            durg, _ = store.queue(QueueFilter(scope=None, district="durg", statuses=("x",)))
            timeline = store.timeline("262222222222")
        assert [(r.reference, r.golden_hour) for r in rows] == [
            ("262222222222", True),
            ("261234567890", False),
        ]
        assert [r.reference for r in exact] == ["262222222222"]
        assert len(today) == 2 and later == [] and durg == []
        assert [r.reference for r in named] == ["261234567890"]
        assert timeline[0].kind == "registered" and timeline[0].at == NOW
