"""The queue: order (golden hour first among the new), filters, search in every form
an operator types, pages; and a complaint's own page with its evidence and timeline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from support.desk import Seed, add_operator, desk_client, execute, save_seed, served_desk
from support.timing import Clock

from bot.desk.common import Backend
from bot.domain.reference import format_reference
from bot.domain.statuses import Channel
from bot.service.reporting.status import apply_status_change


@pytest.fixture
def store(desk_store: Backend) -> Backend:
    return desk_store  # SQLite and PostgreSQL


@pytest.fixture
async def url(store: Backend, clock: Clock, tmp_path: Path) -> AsyncIterator[str]:
    add_operator(store, "chief", "admin")
    add_operator(store, "raipur-officer", "officer", ("Raipur",))
    async with served_desk(store, clock, tmp_path / "evidence") as served:
        yield served


def rows_of(page: str) -> list[str]:
    import re

    return re.findall(r'data-reference="(\d{12})"', page)


async def test_golden_hour_cases_come_first_among_the_new(
    url: str, store: Backend, clock: Clock
) -> None:
    now = clock.now
    old_golden = save_seed(store, Seed("Raipur", (Decimal(1000),), now - timedelta(hours=5), 20))
    newest_slow = save_seed(store, Seed("Raipur", (Decimal(1000),), now - timedelta(hours=1), 300))
    acted_golden = save_seed(store, Seed("Raipur", (Decimal(1000),), now, 10))
    unknown = save_seed(store, Seed("Raipur", (Decimal(1000),), now - timedelta(hours=2), None))
    apply_status_change(
        store,
        reference=acted_golden,
        status="under_investigation",
        note="",
        updated_at=now,
        source="test",
        now=now,
    )
    async with desk_client(url) as browser:
        await browser.login("chief")
        await browser.get("/")
    assert rows_of(browser.page) == [old_golden, acted_golden, newest_slow, unknown]
    # the acted-on golden case is marked, but no longer ahead of newer ones
    assert browser.page.count('class="golden"') == 2


async def test_filters_and_pages(url: str, store: Backend, clock: Clock) -> None:
    now = clock.now
    for i in range(30):
        save_seed(store, Seed("Raipur", (Decimal(1000 * (i + 1)),), now - timedelta(days=i), 600))
    durg = save_seed(store, Seed("Durg", (Decimal(500),), now, 600, category="job"))
    async with desk_client(url) as browser:
        await browser.login("chief")
        await browser.get("/")
        assert "31 complaints" in browser.text() and len(rows_of(browser.page)) == 25
        assert "Page 1 of 2" in browser.text()
        await browser.get("/?page=2")
        assert len(rows_of(browser.page)) == 6
        await browser.get("/?district=Durg")
        assert rows_of(browser.page) == [durg]
        await browser.get("/?category=job")
        assert rows_of(browser.page) == [durg]
        await browser.get("/?min=10,000&max=12000")
        assert len(rows_of(browser.page)) == 3  # ₹10,000 ₹11,000 ₹12,000
        start = (now - timedelta(days=2)).date().isoformat()
        await browser.get(f"/?from={start}&to={now.date().isoformat()}&district=Raipur")
        assert len(rows_of(browser.page)) == 3
        await browser.get("/?status=closed")
        assert rows_of(browser.page) == []
    async with desk_client(url) as browser:  # an officer's filter cannot widen their scope
        await browser.login("raipur-officer")
        await browser.get("/?district=Durg")
        assert rows_of(browser.page) == []
        await browser.get("/")
        assert "30 complaints" in browser.text()


async def test_search_in_every_form(url: str, store: Backend, clock: Clock) -> None:
    now = clock.now
    target = save_seed(
        store,
        Seed(
            "Raipur",
            (Decimal(25000),),
            now,
            name="Sushila Bai",
            mobile="9876501234",
            utrs=("631845002917",),
            upi_ids=("QuickCash@YBL",),
        ),
    )
    save_seed(store, Seed("Raipur", (Decimal(100),), now, name="Other Person"))
    grouped = format_reference(target)
    typed = [
        grouped,
        target,
        "631845002917",
        "+91 98765-01234",
        "quickcash@ybl",
        "sushila",
    ]
    async with desk_client(url) as browser:
        await browser.login("chief")
        for query in typed:
            await browser.get("/", params={"q": query})
            assert rows_of(browser.page) == [target], query
        wrong = target[:-1] + str((int(target[-1]) + 1) % 10)
        await browser.get("/", params={"q": format_reference(wrong)})
        assert rows_of(browser.page) == []
        assert "check) digit is wrong" in browser.text()


async def test_a_complaint_shows_everything_the_victim_gave(
    url: str, store: Backend, clock: Clock, tmp_path: Path
) -> None:
    folder = tmp_path / "evidence" / "console"
    folder.mkdir(parents=True)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    (folder / "a.png").write_bytes(png)
    reference = save_seed(
        store,
        Seed(
            "Raipur",
            (Decimal(20000), Decimal(5000)),
            clock.now,
            name="Meena Sahu",
            mobile="9000012345",
            description="Caller said my KYC expired.",
            utrs=("111122223333", "444455556666"),
            upi_ids=("fraud.kyc@okaxis",),
        ),
    )
    with store.transaction():
        execute(
            store,
            "insert into evidence values (?, 0, ?, 'abc', 'image/png', 72, 'photo')",
            [reference, str(folder / "a.png")],
        )
        execute(
            store,
            "insert into person_requests (channel, user_id, reference, kind, step, created_at)"
            " values (?, 'u', ?, 'talk_to_person', 'amount', ?)",
            [Channel.CONSOLE, reference, clock.now.isoformat()],
        )
    apply_status_change(
        store,
        reference=reference,
        status="assigned",
        note="Civil Lines station",
        updated_at=clock.now,
        source="reporting",
        now=clock.now,
    )
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{reference}")
        text = browser.text()
        image = await browser.get(f"/complaints/{reference}/evidence/0")
        assert await image.read() == png
    for shown in (
        "Meena Sahu",
        "9000012345",
        "Caller said my KYC expired.",
        "₹20,000",
        "₹5,000",
        "111122223333",
        "444455556666",
        "fraud.kyc@okaxis",
        "Assigned to a police station — Civil Lines station",
        "talk_to_person",
        "Registered, number given",
        "Notice to the victim: waiting to be sent",
    ):
        assert shown in text, shown
    assert f'src="/complaints/{reference}/evidence/0"' in browser.page


async def test_the_desk_speaks_hindi_with_indian_formats(
    url: str, store: Backend, clock: Clock
) -> None:
    save_seed(store, Seed("Raipur", (Decimal(2_604_000),), clock.now - timedelta(days=1)))
    async with desk_client(url) as browser:
        await browser.login("chief")
        await browser.get("/lang/hi?next=/%3Fdistrict%3DRaipur")
        assert browser.status == 200 and "शिकायतें" in browser.text()
        assert "₹26,04,000" in browser.text() and "26 नवंबर 2026" in browser.text()
        await browser.get("/lang/en?next=//evil.example")
        assert browser.status == 200 and "Complaints" in browser.text()
