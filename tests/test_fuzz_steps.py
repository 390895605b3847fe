"""Hypothesis throws arbitrary messages at every step of the pure engine.

Whatever arrives, the engine answers, the state it returns is valid and storable, the
state it was given is untouched (purity), a message that was not accepted leaves the
complaint draft exactly as it was, and every value that did change passes the checks a
step applies to what it stores ("never store a value you are not sure of"): random text
never becomes a wrong amount, UTR, bank, time, mobile number or name.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.journeys import STEPS_IN_ORDER, reach
from support.person import ServiceLink, person_on
from support.timing import START

from bot.domain.bank_directory import DIRECTORY
from bot.domain.conversation import Conversation
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    Command,
    ContactShared,
    ConversationKey,
    Inbound,
    Payload,
    Text,
    Unsupported,
)
from bot.domain.parsing.amounts import parse_amount
from bot.domain.parsing.formats import parse_mobile, parse_upi_id
from bot.domain.parsing.modes import PaymentMode
from bot.domain.parsing.transaction_ids import read_transaction_id
from bot.domain.parsing.when import check_moment
from bot.domain.places import CHHATTISGARH_DISTRICTS
from bot.domain.reference import DEMO_REFERENCE_KEY, make_reference
from handlers.engine import handle
from handlers.flow import FLOW
from handlers.names import clean_name
from handlers.spec import Context

LOOP_STEPS = {"suspect", "suspect_ifsc", "evidence"}
BANK_NAMES = {bank.name for bank in DIRECTORY}
DISTRICT_NAMES = {district.en for district in CHHATTISGARH_DISTRICTS}
AXIS_SMS = (
    "INR 12,000.00 debited\nA/c no. XX2057\n27-11-26, 16:40:11\n"
    "UPI/P2A/633121234567/KUMAR ENTERPRISES\nNot you? SMS BLOCKUPI to 919951860002\nAxis Bank"
)

payloads = st.one_of(
    st.text(max_size=300).map(Text),
    st.text(alphabet="0123456789 ,.₹-/:", max_size=30).map(Text),
    st.sampled_from(["back", "skip", "help", "cancel", "हिंदी", "English", "0", "1", "99"]).map(
        Text
    ),
    st.text(max_size=20).map(ChoicePressed),
    st.sampled_from(
        ["skip", "done", "tx:0", "tx:9", "yes", "no", "register", "unsure:yes", "unsure:no"]
    ).map(ChoicePressed),
    st.sampled_from(["haan", "नहीं", "pata nahi", "75.000", "dedh lakh", "kal shaam"]).map(Text),
    st.builds(Command, st.text(max_size=12), st.text(max_size=20)),
    st.text(max_size=20).map(ContactShared),
    st.builds(
        Attachment,
        file_ref=st.text(max_size=10),
        mime_type=st.sampled_from(["image/jpeg", "application/pdf", "audio/ogg", ""]),
        size_bytes=st.integers(min_value=0, max_value=10**9),
    ),
    st.text(max_size=10).map(Unsupported),
)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def states_by_step(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Conversation]:
    """A real conversation state captured at every step, in English."""
    from support.timing import Clock

    from bot.service.conversation import ConversationService
    from storage.sqlite import SqliteStore

    captured: dict[str, Conversation] = {}
    store = SqliteStore(tmp_path_factory.mktemp("fuzz") / "bot.db")
    clock = Clock()
    try:
        for step in STEPS_IN_ORDER:
            person = person_on(ConversationService(store, clock=clock), f"fuzz-{step}")
            await reach(person, step)
            captured[step] = person.state
        for step, detour in DETOURS.items():
            clock = Clock()  # a detour that waits a day must not move the others' clock
            person = person_on(ConversationService(store, clock=clock), f"detour-{step}")
            await reach(person, detour[0])
            for action, value in detour[1:]:
                if action == "wait":  # come back a day later and say `value`
                    clock.advance(days=1)
                    await person.send(value)
                elif action == "become_operator":  # listed in ADMIN_TELEGRAM_IDS
                    assert isinstance(person.link, ServiceLink)
                    person.link.operator = True
                else:
                    await getattr(person, action)(value)
            assert person.state.step == step.split(" ")[0], (step, person.text)
            captured[step] = person.state
    finally:
        store.close()
    return captured


def _context() -> Context:
    counter = iter(range(1, 10**6))
    return Context(
        now=START + timedelta(minutes=5),
        new_reference=lambda: make_reference(2026, next(counter), key=DEMO_REFERENCE_KEY),
    )


# Steps off the straight path: where to start, then what to do to get there.
DETOURS: dict[str, tuple] = {  # type: ignore[type-arg]
    "awareness": ("menu", ("press", "Safety alerts")),
    "tx_time": (
        "confirm_trail",
        ("press", "Add a payment"),
        ("send", "100"),
        ("press", "UPI"),
        ("press", "Skip"),
        ("press", "SBI"),
    ),
    "edit": ("confirm_trail", ("press", "Change something")),
    "tx_edit": ("confirm_trail", ("press", "Change something"), ("press", "Payment 1")),
    "suspect_ifsc": ("suspect", ("send", "50100234567891")),
    "state_other": ("state", ("press", "Another state")),
    "resume": ("tx_bank", ("wait", "hello")),
    "cancel_confirm": ("tx_bank", ("send", "cancel")),
    "broadcast_en": ("menu", ("become_operator", None), ("command", "broadcast")),
    "broadcast_hi": (
        "menu",
        ("become_operator", None),
        ("command", "broadcast"),
        ("send", "Beware of fake KYC calls."),
    ),
    "broadcast_confirm": (
        "menu",
        ("become_operator", None),
        ("command", "broadcast"),
        ("send", "Beware of fake KYC calls."),
        ("send", "नकली KYC कॉल से सावधान रहें।"),
    ),
    "payment_card": ("tx_amount", ("send", AXIS_SMS)),
    "new_confirm": ("suspect", ("command", "new")),
    "stop_which": ("tx_bank", ("send", "stop")),
    # A step waiting for the one-tap confirmation of how an answer was read.
    "lost_at (unsure)": ("lost_at", ("send", "today at 3")),
    "tx_amount (unsure)": ("tx_amount", ("send", "75.000")),
    "tx_bank (unsure)": ("tx_bank", ("send", "icic bank")),
}
ALL_FUZZED = (*STEPS_IN_ORDER, *DETOURS)


def test_every_declared_step_is_fuzzed(states_by_step: dict[str, Conversation]) -> None:
    from handlers.flow import FLOW

    assert set(FLOW) == {name.split(" ")[0] for name in ALL_FUZZED}
    unsure = [name for name in ALL_FUZZED if name.endswith("(unsure)")]
    assert all(states_by_step[name].unsure is not None for name in unsure)


@pytest.mark.parametrize("step", ALL_FUZZED)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=payloads)
def test_any_message_at_any_step(
    states_by_step: dict[str, Conversation], step: str, payload: Payload
) -> None:
    state = states_by_step[step]
    frozen = state.model_dump_json()
    inbound = Inbound(ConversationKey("fuzz", "u"), "m1", payload)

    outcome = handle(inbound, state, _context())

    assert state.model_dump_json() == frozen, "the engine modified its input"
    assert outcome.replies, "every message gets an answer"
    assert all(reply.text.strip() for reply in outcome.replies)
    restored = Conversation.model_validate_json(outcome.state.model_dump_json())
    assert restored == outcome.state
    if outcome.state.step == state.step and step.split(" ", maxsplit=1)[0] not in LOOP_STEPS:
        draft = outcome.state.draft
        if kept_as_screenshot(payload, state):  # kept as evidence, nothing else changed
            assert draft.evidence[: len(state.draft.evidence)] == state.draft.evidence
            assert isinstance(payload, Attachment)
            assert [item.file_ref for item in draft.evidence[len(state.draft.evidence) :]] in (
                [],  # the same picture again
                [payload.file_ref],
            )
            draft = draft.model_copy(update={"evidence": state.draft.evidence})
        if step.startswith("lost_at") and draft.no_loss and not state.draft.no_loss:
            # "no money was lost": asked when it happened instead, nothing else changed
            assert outcome.state.last_choice == "no_loss"
            draft = draft.model_copy(update={"no_loss": False})
        assert draft == state.draft
    assert_changed_values_are_valid(state, outcome.state)


def kept_as_screenshot(payload: Payload, state: Conversation) -> bool:
    """A picture sent where payments are read (or while the language is asked) is kept."""
    return (
        isinstance(payload, Attachment)
        and bool(payload.file_ref)
        and payload.mime_type == "image/jpeg"
        and (state.step == "language" or FLOW[state.step].reads_payments)
    )


def assert_changed_values_are_valid(before: Conversation, after: Conversation) -> None:
    """Every value the message changed is one its step could have stored: the strict
    parsers give it back unchanged, or it is a name from our directories."""
    now = START + timedelta(minutes=5)
    old, new = before.draft, after.draft
    old_debits = [*old.transactions, *([old.pending_tx] if old.pending_tx else [])]
    for tx in [*new.transactions, *([new.pending_tx] if new.pending_tx else [])]:
        if tx in old_debits:
            continue
        if tx.amount is not None:
            assert parse_amount(str(tx.amount)) == tx.amount
        if tx.transaction_id is not None:
            mode = tx.mode or PaymentMode.OTHER
            assert read_transaction_id(tx.transaction_id, mode).value == tx.transaction_id
        if tx.bank is not None:
            assert tx.bank in BANK_NAMES, tx.bank
        if tx.occurred_at is not None:
            assert check_moment(tx.occurred_at, now) == tx.occurred_at
    if new.lost_at != old.lost_at and new.lost_at is not None:
        assert check_moment(new.lost_at, now) == new.lost_at
        assert new.lost_at_precision is not None
    if new.mobile != old.mobile and new.mobile is not None:
        assert parse_mobile(new.mobile) == new.mobile
    if new.name != old.name and new.name is not None:
        assert clean_name(new.name, "x") == new.name
    if new.district != old.district and new.district is not None:
        assert new.district in DISTRICT_NAMES or new.state_code != "CG"
    for upi in set(new.suspect.upi_ids) - set(old.suspect.upi_ids):
        assert parse_upi_id(upi) == upi
    for mobile in set(new.suspect.mobiles) - set(old.suspect.mobiles):
        assert parse_mobile(mobile) == mobile
