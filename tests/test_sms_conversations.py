"""A pasted bank SMS or app notification fills the money trail, told as conversations.

The SMS texts are in the issuers' shapes with invented numbers (tests/data/sms has the
labelled corpus); the test clock reads them on 27 Nov 2026 at 6 pm.
"""

from __future__ import annotations

from decimal import Decimal

from support.journeys import hindi_details, reference_in
from support.person import Person, person_on
from support.timing import Clock

from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

AXIS_DEBIT = """INR 12,000.00 debited
A/c no. XX2057
27-11-26, 16:40:11
UPI/P2A/633121234567/KUMAR ENTERPRISES
Not you? SMS BLOCKUPI Cust ID to 919951860002
Axis Bank"""
GPAY_PAID = """₹2,000 paid to Ramesh Kumar
UPI transaction ID: 633112345678
From: State Bank of India ••4821
To: ramesh.k@okaxis
27 Nov 2026, 3:15 pm
Google Pay"""
PHONEPE_NO_BANK = """Paid ₹5,000 to LUCKY DRAW OFFICE
UTR: 633115309876
27 Nov 2026, 03:30 PM
PhonePe"""
OTP_SMS = (
    "OTP for your Axis Bank Debit Card XX8899 transaction of INR 2,500.00 at SWIGGY is "
    "561238. Valid for 5 mins. Do not share OTP with anyone. -Axis Bank"
)
CREDIT_SMS = """INR 3,500.00 credited
A/c no. XX2057
27-11-26, 10:15:02 IST
UPI/P2A/633198765432/ANITA DEVI
Axis Bank"""
PROMOTION = (
    "Get instant personal loan up to Rs 20 lakh on YONO SBI. Apply now: sbi.co.in/yono T&C apply"
)


def complaint(store: SqliteStore, person: Person) -> dict[str, object]:
    record = store.get_complaint(reference_in(person.text))
    assert record is not None
    return record


async def test_one_pasted_sms_as_the_first_message_gives_a_reference_in_six_inputs(
    hindi_user: Person, store: SqliteStore, clock: Clock
) -> None:
    await hindi_user.send(AXIS_DEBIT)
    clock.advance(minutes=2)  # reading the language question
    hindi_user.sees("किस भाषा", "Which language")  # the SMS is kept meanwhile
    await hindi_user.press("हिंदी")
    hindi_user.sees("₹12,000", "UTR 6331 2123 4567", "Axis Bank खाता …2057", "शाम 4:40")
    await hindi_user.press("हाँ, जोड़ें")
    hindi_user.sees("किस तरह की ठगी")
    await hindi_user.press("UPI से भुगतान")
    hindi_user.sees("आपका मोबाइल नंबर")  # time and bank came from the SMS: not asked
    await hindi_user.send("98765 43210")
    await hindi_user.press("शिकायत दर्ज करें")
    hindi_user.sees("शिकायत संख्या")
    assert hindi_user.inputs == 6  # the README quotes this count
    started = store.db.execute(
        "select started_at from complaints where reference = ?", [reference_in(hindi_user.text)]
    ).fetchone()[0]
    assert started == "2026-11-27T18:00:00+05:30"  # the first message: the desk's start

    record = complaint(store, hindi_user)
    [debit] = record["transactions"]  # type: ignore[misc]
    assert debit["amount"] == "12000.00"
    assert debit["transaction_id"] == "633121234567"
    assert debit["occurred_at"] == "2026-11-27T16:40:00+05:30"
    assert debit["occurred_precision"] == "minute"
    assert debit["bank"] == "Axis Bank"
    assert debit["account_last_digits"] == "2057"
    assert debit["source"] == "sms"
    assert record["incident_at"] == "2026-11-27T16:40:00+05:30"

    await hindi_details(hindi_user)
    hindi_user.sees("पूरी होकर जमा")
    assert hindi_user.inputs == 14  # the README quotes this count


async def test_a_telegram_user_whose_language_is_known_needs_five(
    service: ConversationService,
) -> None:
    person = person_on(service, "tg-sms", platform_language="en")
    await person.send(AXIS_DEBIT)
    person.sees("₹12,000", "Shall I add it")
    await person.press("Yes, add it")
    await person.press("UPI payment")
    await person.send("9876543210")
    await person.press("Register complaint")
    person.sees("Your complaint is registered")
    reference_in(person.text)
    assert person.inputs == 5


async def test_two_sms_in_one_message_make_two_debits(user: Person, store: SqliteStore) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI payment")
    await user.send(f"{GPAY_PAID}\n\n{AXIS_DEBIT}")
    user.sees("2 payments", "₹2,000", "₹12,000", "to ramesh.k@okaxis")
    await user.press("Yes, add it")
    await user.send("9876543210")
    user.sees("Payment 1", "Payment 2", "₹14,000")
    await user.press("Register complaint")
    record = complaint(store, user)
    ids = [tx["transaction_id"] for tx in record["transactions"]]  # type: ignore[attr-defined]
    assert ids == ["633112345678", "633121234567"]
    assert record["total_amount"] == "14000.00"
    assert record["incident_at"] == "2026-11-27T15:15:00+05:30"  # the earlier of the two


async def test_sms_one_after_another_and_the_same_utr_twice_is_one_debit(user: Person) -> None:
    await user.send("hello")
    await user.press("English")
    await user.send(GPAY_PAID)
    await user.press("Yes, add it")
    await user.press("UPI payment")
    await user.send("9876543210")
    user.sees("Please check")
    await user.send(AXIS_DEBIT)  # another debit, pasted at the confirmation
    await user.press("Yes, add it")
    await user.send(GPAY_PAID)  # the first one again, from another app
    await user.press("Yes, add it")
    draft = user.state.draft
    assert [tx.transaction_id for tx in draft.transactions] == ["633112345678", "633121234567"]
    assert draft.total_amount() == Decimal("14000")


async def test_an_sms_without_the_bank_asks_for_it_and_nothing_else(user: Person) -> None:
    await user.send("hello")
    await user.press("English")
    await user.send(PHONEPE_NO_BANK)
    user.sees("₹5,000", "bank not in the message")
    await user.press("Yes, add it")
    await user.press("UPI payment")
    user.sees("From which bank")
    await user.send("phonepe")  # the app is not the bank
    user.sees("PhonePe is an app, not a bank")
    await user.send("hdfc bnk")
    user.sees("your mobile number")
    [debit] = user.state.draft.transactions
    assert (debit.bank, debit.transaction_id, debit.amount) == (
        "HDFC Bank",
        "633115309876",
        Decimal("5000"),
    )


async def test_an_otp_sms_is_refused_with_the_warning_and_nothing_is_stored(
    user: Person, store: SqliteStore
) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI payment")
    await user.send("today 3 pm")
    before = user.state.draft.model_dump()
    await user.send(OTP_SMS)
    user.sees("Never share an OTP", "How much money")
    assert user.state.draft.model_dump() == before
    assert user.state.read_payments == []
    rows = store.db.execute("select state from conversations").fetchall()
    assert all("561238" not in row[0] for row in rows)


async def test_an_otp_sms_as_the_first_message_is_not_kept(user: Person) -> None:
    await user.send(OTP_SMS)
    await user.press("English")
    user.sees("Never share an OTP")
    assert user.state.held_text is None
    assert "561238" not in user.state.model_dump_json()


async def test_a_credit_and_an_advertisement_are_named_as_such(user: Person) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI payment")
    await user.send("today 3 pm")
    await user.send(CREDIT_SMS)
    user.sees("money received, not money taken", "How much money")
    await user.send(PROMOTION)
    user.sees("advertisement", "How much money")
    assert user.state.draft.transactions == [] and user.state.draft.pending_tx is None


async def test_the_receiver_is_offered_as_the_suspect_without_typing_it(
    user: Person, store: SqliteStore
) -> None:
    await user.send("hello")
    await user.press("English")
    await user.send(GPAY_PAID)
    await user.press("Yes, add it")
    await user.press("UPI payment")
    await user.send("9876543210")
    await user.press("Register complaint")
    user.sees("UPI ID")
    await user.press("ramesh.k@okaxis")
    assert user.state.draft.suspect.upi_ids == ["ramesh.k@okaxis"]
    assert "ramesh.k@okaxis" not in [choice.label for choice in user.choices]
    await user.press("Done")
    record = complaint_by_reference(store, user)
    assert [s["value"] for s in record["suspect_identifiers"]] == ["ramesh.k@okaxis"]


def complaint_by_reference(store: SqliteStore, person: Person) -> dict[str, list[dict[str, str]]]:
    assert person.state.reference is not None
    record = store.get_complaint(person.state.reference)
    assert record is not None
    return record


async def test_a_card_said_no_to_goes_back_to_the_question(user: Person) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI payment")
    await user.send("today 3 pm")
    await user.send(AXIS_DEBIT)
    await user.press("No, it's wrong")
    user.sees("I have not added it", "How much money")
    assert user.state.step == "tx_amount"
    assert user.state.draft.transactions == []
