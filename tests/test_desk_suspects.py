"""Repeat suspects: identifiers normalised (a phone number in any spelling, UPI ids in
any case) and linked across complaints, on a complaint's page and the suspects page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from support.desk import Seed, add_operator, desk_client, save_seed, served_desk
from support.timing import Clock

from bot.desk.common import Backend
from bot.domain.suspects import normalise_mobile, suspect_key


@pytest.mark.parametrize(
    "typed", ["+91 98765-43210", "9876543210", "098765 43210", "91-9876543210", "९८७६५४३२१०"]
)
def test_a_phone_number_in_any_spelling_is_one_suspect(typed: str) -> None:
    assert normalise_mobile(typed) == "9876543210"
    assert suspect_key("mobile", typed) == "mobile:9876543210"


def test_upi_ids_accounts_and_urls_are_compared_loosely() -> None:
    assert suspect_key("upi_id", "QuickCash@YBL") == suspect_key("upi_id", " quickcash@ybl")
    assert suspect_key("upi_id", "quickcash@ybl") != suspect_key("upi_id", "quickcash@paytm")
    assert suspect_key("bank_account", "1234 5678 9012") == suspect_key(
        "bank_account", "123456789012"
    )
    assert suspect_key("url", "https://www.Fake-KYC.in/login/") == suspect_key(
        "url", "fake-kyc.in/login"
    )
    assert suspect_key("mobile", "9876543210") != suspect_key("mobile", "9876543211")


@pytest.fixture
def store(desk_store: Backend) -> Backend:
    return desk_store  # SQLite and PostgreSQL


@pytest.fixture
async def url(store: Backend, clock: Clock, tmp_path: Path) -> AsyncIterator[str]:
    add_operator(store, "chief", "admin")
    add_operator(store, "raipur-officer", "officer", ("Raipur",))
    async with served_desk(store, clock, tmp_path) as served:
        yield served


async def test_a_complaint_shows_where_else_its_suspect_appears(
    url: str, store: Backend, clock: Clock
) -> None:
    now = clock.now
    spellings = ("QuickCash@YBL", "quickcash@ybl", "QUICKCASH@ybl", "quickcash@YBL")
    amounts = (100_000, 90_000, 80_000, 70_000)
    districts = ("Raipur", "Raipur", "Durg", "Raipur")
    others = [
        save_seed(store, Seed(d, (Decimal(a),), now, upi_ids=(u,)))
        for d, a, u in zip(districts, amounts, spellings, strict=True)
    ]
    this = save_seed(store, Seed("Raipur", (Decimal(5000),), now, upi_ids=("quickcash@ybl",)))
    save_seed(store, Seed("Raipur", (Decimal(1),), now, upi_ids=("someone.else@ybl",)))
    async with desk_client(url) as browser:
        await browser.login("raipur-officer")
        await browser.get(f"/complaints/{this}")
        assert "appears in 4 other complaints (₹3,40,000 in all)" in browser.text()
        links = {r for r in others if f'href="/complaints/{r}"' in browser.page}
        assert links == {others[0], others[1], others[3]}  # not Durg's: not theirs to open
        await browser.get("/suspects")
        text = browser.text()
    assert "quickcash@ybl" in text.casefold() and "₹3,45,000" in text
    assert "someone.else@ybl" not in text  # named once: not a repeat


async def test_phone_numbers_link_across_spellings(url: str, store: Backend, clock: Clock) -> None:
    first = save_seed(
        store, Seed("Raipur", (Decimal(1000),), clock.now, mobiles=("+91 98765-43210",))
    )
    second = save_seed(store, Seed("Raipur", (Decimal(2000),), clock.now, mobiles=("9876543210",)))
    async with desk_client(url) as browser:
        await browser.login("chief")
        await browser.get(f"/complaints/{second}")
    assert "appears in 1 other complaint (₹1,000)" in browser.text()
    assert f'href="/complaints/{first}"' in browser.page
