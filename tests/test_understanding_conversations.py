"""Answers typed the way people type them, at the step that asks: each value is stored
right, shown back for one tap when the reading is not sure, or asked again; never stored
wrong without a word (the cases the outside review found, issue 12)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.journeys import reach
from support.person import Person

from bot.domain.payments import Precision


async def debit_paid_by(user: Person, mode: str) -> None:
    """At the transaction-id question of a debit made by `mode` (a button label)."""
    await reach(user, "tx_mode")
    await user.press(mode)
    assert user.state.step == "tx_utr"


@pytest.mark.parametrize("mode", ["Debit/credit card", "Net banking", "Wallet", "Other"])
@pytest.mark.parametrize("answer", ["pata nahi", "nahi hai", "dont know", "पता नहीं"])
async def test_dont_know_at_the_transaction_id_skips_it(
    user: Person, mode: str, answer: str
) -> None:
    await debit_paid_by(user, mode)
    await user.send(answer)
    user.sees("From which bank")
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.transaction_id is None


@pytest.mark.parametrize("mode", ["UPI", "Debit/credit card", "Net banking", "Wallet"])
async def test_a_bare_otp_is_never_a_transaction_id(user: Person, mode: str) -> None:
    await debit_paid_by(user, mode)
    await user.send("482913")
    user.sees("looks like an OTP or PIN")
    assert user.state.step == "tx_utr"
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.transaction_id is None


async def test_a_sentence_is_never_a_bank(user: Person) -> None:
    await reach(user, "tx_bank")
    await user.send("otp nahi hai mere paas")
    user.sees("name of the bank")
    assert user.state.step == "tx_bank"
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.bank is None


async def test_one_bank_typed_two_ways_is_one_name(user: Person) -> None:
    await reach(user, "tx_bank")
    await user.send("hdfc bnk")
    await user.send("9876543210")
    await user.press("Add a payment")
    await user.send("100")
    await user.press("UPI")
    await user.press("Skip")
    await user.send("एचडीएफसी बैंक")
    await user.press("Same time")
    assert [tx.bank for tx in user.state.draft.transactions] == ["HDFC Bank", "HDFC Bank"]


async def test_a_misspelt_bank_is_shown_back_before_it_is_stored(user: Person) -> None:
    await reach(user, "tx_bank")
    await user.send("icic bank")
    user.sees("I read: ICICI Bank. Is that right?")
    assert user.state.draft.transactions == []
    await user.press("Yes, that's right")
    assert user.state.draft.transactions[0].bank == "ICICI Bank"


async def test_a_bank_not_in_the_list_is_taken_as_typed_after_a_tap(user: Person) -> None:
    await reach(user, "tx_bank")
    await user.send("Raipur Nagrik Sahakari Bank")
    user.sees("not in my list", "Raipur Nagrik Sahakari Bank")
    await user.press("Yes, that's right")
    assert user.state.draft.transactions[0].bank == "Raipur Nagrik Sahakari Bank"


async def test_a_dot_thousands_separator_is_confirmed_not_stored_as_75(user: Person) -> None:
    await reach(user, "tx_amount")
    await user.send("75.000")
    user.sees("I read: ₹75,000. Is that right?")
    assert user.state.draft.pending_tx is None or user.state.draft.pending_tx.amount is None
    await user.press("Yes, that's right")
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.amount == Decimal("75000")


async def test_no_to_a_reading_asks_again_and_a_typed_correction_replaces_it(
    user: Person,
) -> None:
    await reach(user, "tx_amount")
    await user.send("75.000")
    await user.press("No, type again")
    user.sees("Please type it again", "How much money")
    await user.send("75.000")
    await user.send("7500")  # typed instead of tapping: a new answer
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.amount == Decimal("7500")
    assert user.state.step == "tx_mode"


@pytest.mark.parametrize(
    ("answer", "rupees"),
    [
        ("mere account se 5000 kat gaye", "5000"),
        ("५० हज़ार रुपे", "50000"),
        ("paanch hazaar", "5000"),
        ("dedh lakh", "150000"),
    ],
)
async def test_amounts_as_people_write_them(user: Person, answer: str, rupees: str) -> None:
    await reach(user, "tx_amount")
    await user.send(answer)
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.amount == Decimal(rupees)


@pytest.mark.parametrize(
    ("answer", "at", "precision"),
    [
        ("do din pehle shaam ko", "2026-11-25T18:00", Precision.PART_OF_DAY),
        ("yesterdy 3pm", "2026-11-26T15:00", Precision.HOUR),
        ("कल साम ५ बजे", "2026-11-26T17:00", Precision.HOUR),
        ("2 din pehle", "2026-11-25T00:00", Precision.ABOUT),
        ("01-11-26", "2026-11-01T00:00", Precision.DAY),
    ],
)
async def test_times_keep_how_exactly_they_were_said(
    user: Person, answer: str, at: str, precision: Precision
) -> None:
    await reach(user, "lost_at")
    await user.send(answer)
    draft = user.state.draft
    assert draft.lost_at is not None
    assert draft.lost_at.strftime("%Y-%m-%dT%H:%M") == at
    assert draft.lost_at_precision is precision


async def test_a_date_alone_is_shown_without_an_invented_time(user: Person) -> None:
    await reach(user, "lost_at")
    await user.send("01-11-26")
    for label, value in (("send", "5000"), ("press", "UPI"), ("send", "631845002917")):
        await (user.send(value) if label == "send" else user.press(value))
    await user.press("SBI")
    await user.send("9876543210")
    user.sees("When: 1 Nov 2026\n")
    user.does_not_see("12:00 am")
    await user.press("Change something")
    await user.press("Back")
    await reach_summary_time_about(user)


async def reach_summary_time_about(user: Person) -> None:
    await user.press("Change something")
    await user.press("Date and time")
    await user.send("2 din pehle")
    user.sees("When: about 25 Nov 2026\n")


async def test_same_time_in_hindi_at_the_second_debit(user: Person) -> None:
    await reach(user, "confirm_trail")
    await user.press("Add a payment")
    await user.send("100")
    await user.press("UPI")
    await user.press("Skip")
    await user.press("SBI")
    await user.send("हाँ उसी समय")
    second = user.state.draft.transactions[1]
    assert second.occurred_at == user.state.draft.lost_at


async def test_hindi_me_baat_karo_at_the_language_question(user: Person) -> None:
    await user.send("hello")
    await user.send("hindi me baat karo")
    assert user.state.language == "hi"


async def test_a_category_inside_a_sentence(user: Person) -> None:
    await reach(user, "category")
    await user.send("online shopping me thagi")
    assert user.state.draft.category == "shopping"
    assert user.state.step == "lost_at"


async def test_a_category_guessed_from_a_hint_is_shown_back(user: Person) -> None:
    await reach(user, "category")
    await user.send("kisi ne call kiya tha")
    user.sees("Is that right?")
    assert user.state.draft.category is None
    await user.press("Yes, that's right")
    assert user.state.draft.category == "vishing"


async def test_the_first_message_is_kept_and_its_amount_offered(user: Person) -> None:
    await user.send("mere account se 5000 kat gaye")
    await user.press("English")
    user.sees("What kind of fraud happened?")  # straight to the report
    await user.press("UPI payment")
    await user.send("today 3 pm")
    user.sees("How much money")
    await user.press("₹5,000 (you wrote)")
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.amount == Decimal("5000")


async def test_an_upi_id_inside_a_sentence_is_not_glued_to_its_words(user: Person) -> None:
    await reach(user, "suspect")
    await user.send("uska upi abc@ybl hai")
    assert user.state.draft.suspect.upi_ids == ["abc@ybl"]
