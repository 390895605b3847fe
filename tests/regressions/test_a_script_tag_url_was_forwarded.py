"""Regression (issue 11, low): a suspect "URL" containing `<script>` was accepted at the
suspect step and forwarded to the reporting system. Websites are validated there now
(http or https, a real host, nothing but the address: no markup, no control or bidi
characters) and stored inert ("hxxps://fraud[.]example/x"), so no screen they reach, the
victim's summary, an operator's terminal or the reporting system, makes them a link."""

from __future__ import annotations

import pytest
from support.journeys import hindi_money_trail
from support.person import Person

from bot.service.reporting.payload import build_payload
from storage.sqlite import SqliteStore

HOSTILE = [
    "https://evil.example/<script>alert(1)</script>",
    'https://evil.example/"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://evil.example/payload",
    "http://localhost/admin",
    "https://evil.example/\u202egnp.exe",
    "https://evil.example/\x1b[2Jcleared",
    "https://evil.example/a\u200bb",
]


async def at_the_suspect_step(person: Person) -> str:
    reference = await hindi_money_trail(person)
    person.sees("ठग का मोबाइल नंबर")
    return reference


@pytest.mark.parametrize("typed", HOSTILE)
async def test_a_hostile_address_is_refused_and_nothing_is_kept(
    hindi_user: Person, store: SqliteStore, typed: str
) -> None:
    reference = await at_the_suspect_step(hindi_user)
    await hindi_user.send(typed)
    hindi_user.sees("अब तक जोड़े गए: 0")  # asked again, nothing added
    record = store.get_complaint(reference)
    assert record is not None and record["suspect_identifiers"] == []
    assert hindi_user.state.draft.suspect.urls == []


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://Quick-Loan.example/apply?id=7", "hxxps://quick-loan[.]example/apply?id=7"),
        ("उसकी साइट quick-loan.example है", "quick-loan[.]example"),
        ("http://203.0.113.7/pay", "hxxp://203[.]0[.]113[.]7/pay"),
    ],
)
async def test_a_website_is_stored_and_forwarded_inert(
    hindi_user: Person, store: SqliteStore, typed: str, kept: str
) -> None:
    reference = await at_the_suspect_step(hindi_user)
    await hindi_user.send(typed)
    hindi_user.sees("अब तक जोड़े गए: 1")
    await hindi_user.press("हो गया")
    record = store.get_complaint(reference)
    assert record is not None
    assert [item["value"] for item in record["suspect_identifiers"]] == [kept]
    assert build_payload(record)["suspect"]["urls"] == [kept]
