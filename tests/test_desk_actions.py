"""Acting on a complaint from the desk: a status change tells the victim exactly what a
reporting-system callback would; money held and refunded per debit is validated and
told to the victim in their language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from support.desk import Seed, add_operator, desk_client, query, save_seed, served_desk
from support.timing import Clock

from bot.desk.common import Backend
from bot.domain.messages import Language
from bot.service.reporting.status import notice_text
from storage.base import StatusChange


@pytest.fixture
def store(desk_store: Backend) -> Backend:
    return desk_store  # SQLite and PostgreSQL


@pytest.fixture
async def url(store: Backend, clock: Clock, tmp_path: Path) -> AsyncIterator[str]:
    add_operator(store, "raipur-officer", "officer", ("Raipur",))
    async with served_desk(store, clock, tmp_path / "evidence") as served:
        yield served


def notices(store: Backend) -> list[dict[str, Any]]:
    return query(store, "select user_id, reference, text from notices order by id")


def hindi_complaint(store: Backend, clock: Clock, *amounts: int) -> str:
    return save_seed(
        store,
        Seed(
            "Raipur",
            tuple(Decimal(a) for a in amounts),
            clock.now,
            language=Language.HI,
            user_id="victim-hi",
        ),
    )


async def test_a_status_change_sends_the_callbacks_notice(
    url: str, store: Backend, clock: Clock
) -> None:
    reference = hindi_complaint(store, clock, 80000)
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{reference}")
        form = {"status": "under_investigation", "note": "Thana Civil Lines"}
        await browser.post(f"/complaints/{reference}/status", form, follow=True)
        assert "Status changed" in browser.text()
    [notice] = notices(store)
    expected = StatusChange(
        reference, "under_investigation", "Thana Civil Lines", "console", "victim-hi", "hi"
    )
    assert notice == {"user_id": "victim-hi", "reference": reference, "text": notice_text(expected)}
    [event] = query(store, "select status, note, source from status_events")
    assert event == {
        "status": "under_investigation",
        "note": "Thana Civil Lines",
        "source": "desk:raipur-officer",
    }
    [audit] = query(store, "select operator, detail from audit_log where action = 'status'")
    assert audit == {
        "operator": "raipur-officer",
        "detail": "under_investigation: Thana Civil Lines",
    }


async def test_money_held_and_refunded_is_told_to_the_victim(
    url: str, store: Backend, clock: Clock
) -> None:
    reference = hindi_complaint(store, clock, 80000, 20000)
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{reference}")
        form = {"held_amount": "50,000", "held_bank": "SBI", "held_on": "2026-11-27"}
        await browser.post(f"/complaints/{reference}/money/0", form, follow=True)
        assert "Money recorded" in browser.text()
        [held] = notices(store)
        assert "आपके ₹50,000 SBI में रोक दिए गए हैं।" in held["text"]
        assert "बैंक ने पैसा रोक रखा है" in held["text"]  # the status funds_on_hold, in Hindi
        clock.advance(minutes=1)
        form = {"held_amount": "50000", "held_bank": "SBI", "refunded_amount": "30000"}
        await browser.post(f"/complaints/{reference}/money/0", form, follow=True)
        clock.advance(minutes=1)
        await browser.post(
            f"/complaints/{reference}/money/1", {"refunded_amount": "20,000"}, follow=True
        )
        clock.advance(minutes=1)
        await browser.post(  # nothing new: no notice
            f"/complaints/{reference}/money/1", {"refunded_amount": "20000"}, follow=True
        )
    texts = [n["text"] for n in notices(store)]
    assert len(texts) == 3
    assert "आपके खाते में ₹30,000 वापस आ गए हैं।" in texts[1]
    assert "आपके खाते में ₹20,000 वापस आ गए हैं।" in texts[2]
    record = store.get_complaint(reference)
    assert record is not None and record["status"] == "refund_in_progress"  # ₹50,000 still held
    money = store.debit_money(reference)
    assert (money[0].held_amount, money[0].refunded_amount) == (Decimal(50000), Decimal(30000))
    assert money[1].refunded_amount == Decimal(20000)


async def test_everything_refunded_resolves_the_complaint(
    url: str, store: Backend, clock: Clock
) -> None:
    reference = hindi_complaint(store, clock, 15000)
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{reference}")
        await browser.post(f"/complaints/{reference}/money/0", {"refunded_amount": "₹15,000"})
    record = store.get_complaint(reference)
    assert record is not None and record["status"] == "resolved"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"held_amount": "60,000", "refunded_amount": "30000"}, "cannot exceed the debit"),
        ({"held_amount": "5,0000"}, "write amounts as 50,000 or 50000"),
        ({"held_amount": "fifty"}, "write amounts as 50,000 or 50000"),
        ({"held_amount": "100", "held_on": "2026-12-25"}, "in the future"),
    ],
)
async def test_money_that_cannot_be_is_refused(
    url: str, store: Backend, clock: Clock, form: dict[str, str], message: str
) -> None:
    reference = hindi_complaint(store, clock, 80000)
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{reference}")
        await browser.post(f"/complaints/{reference}/money/0", form, follow=True)
        assert message in browser.text()
    assert store.debit_money(reference) == {}
    assert notices(store) == []
