"""Status answers after a status change: the owner sees it, nobody else learns anything.

A reference is 12 digits that victims read aloud and paste into chats, so it leaks. Asking
about someone else's reference must answer exactly as for a number that was never
issued: no amount, no note, not even whether it exists.
"""

from __future__ import annotations

import pytest
from support.journeys import hindi_money_trail, mistyped_reference, reach, unissued_reference
from support.person import Person, person_on
from support.timing import Clock

from bot.domain.i18n import translator
from bot.domain.reference import format_reference
from bot.service.conversation import ConversationService
from bot.service.reporting.status import apply_status_change
from storage.sqlite import SqliteStore

NOTE = "₹50,000 SBI नोडल अधिकारी ने होल्ड किया"
HELD_HI = translator("hi")("status.funds_on_hold")
HELD_EN = translator("en")("status.funds_on_hold")


@pytest.fixture
def owner(service: ConversationService) -> Person:
    return person_on(service, "victim-a")


@pytest.fixture
async def held(owner: Person, store: SqliteStore, clock: Clock) -> str:
    """The owner's Hindi complaint (₹26,04,000), then put on hold with a police note."""
    reference = await hindi_money_trail(owner)
    clock.advance(minutes=30)
    change = apply_status_change(
        store,
        reference=reference,
        status="funds_on_hold",
        note=NOTE,
        updated_at=clock(),
        source="callback",
        now=clock(),
    )
    assert change is not None
    return reference


class Stranger:
    """The other user, keeping every reply they ever got (a Person keeps only the last)."""

    def __init__(self, user: Person) -> None:
        self.user = user
        self.seen: list[tuple[str, str]] = []  # (what they typed, the reply)

    async def status(self, typed: str = "") -> str:
        await self.user.command("status", typed)
        self.seen.append((typed, self.user.text))
        return self.user.text


@pytest.fixture(params=["no-complaint", "own-complaint"])
async def stranger(request: pytest.FixtureRequest, service: ConversationService) -> Stranger:
    """Another English speaker: one with no complaint, one with their own ₹5,000
    complaint (so "not yours" cannot be told apart from "you have none")."""
    user = person_on(service, "victim-b")
    if request.param == "own-complaint":
        await reach(user, "suspect")
        user.sees("Complaint number")
    else:
        await user.send("hello")
        await user.press("English")
    return Stranger(user)


async def test_the_owner_sees_the_status_label_and_the_note(owner: Person, held: str) -> None:
    await owner.command("status")
    owner.sees(format_reference(held), HELD_HI, NOTE)
    await owner.command("status", format_reference(held))
    owner.sees(format_reference(held), HELD_HI, NOTE)
    await owner.send("स्थिति")
    owner.sees(HELD_HI, NOTE)


@pytest.mark.parametrize("typed_as", ["digits", "grouped"])
async def test_someone_elses_reference_answers_exactly_like_one_never_issued(
    held: str, stranger: Stranger, typed_as: str
) -> None:
    """Existence must not leak: the same words, byte for byte, as for an unknown number."""

    def form(reference: str) -> str:
        return reference if typed_as == "digits" else format_reference(reference)

    never_issued = await stranger.status(form(unissued_reference(held)))
    someone_elses = await stranger.status(form(held))
    never_issued_again = await stranger.status(form(unissued_reference(held)))
    assert never_issued == never_issued_again
    assert someone_elses == never_issued


async def test_a_mistyped_reference_gets_the_check_the_number_answer(
    held: str, stranger: Stranger
) -> None:
    reply = await stranger.status(mistyped_reference(held))
    assert any(translator(lang)("status.bad_reference") in reply for lang in ("hi", "en")), reply
    assert all(translator(lang)("status.not_found") not in reply for lang in ("hi", "en"))


async def test_nothing_of_the_owners_complaint_reaches_the_stranger(
    held: str, stranger: Stranger
) -> None:
    """Whatever the stranger types: their list, the owner's number in both forms, a
    mistyped one; no reply carries the owner's amount, note, status or digits."""
    for typed in ("", held, format_reference(held), mistyped_reference(held), held[:11]):
        await stranger.status(typed)
    await stranger.user.send("स्थिति")
    stranger.seen.append(("स्थिति", stranger.user.text))

    secrets = ["26,04,000", "2604000", "26 लाख", NOTE, "50,000", HELD_HI, HELD_EN]
    for typed, reply in stranger.seen:
        for secret in secrets:
            assert secret not in reply, (typed, secret, reply)
        rest = reply.replace(typed, "") if typed else reply
        assert held not in rest.replace(" ", ""), (typed, reply)
