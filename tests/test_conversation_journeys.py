"""Complete complaints, told as conversations, in both languages."""

from __future__ import annotations

from decimal import Decimal

from support.journeys import english_details, english_money_trail, hindi_details, hindi_money_trail
from support.person import Person, person_on

from storage.sqlite import SqliteStore


async def test_hindi_complaint_from_greeting_to_submit(
    hindi_user: Person, store: SqliteStore
) -> None:
    reference = await hindi_money_trail(hindi_user)
    assert hindi_user.inputs == 12  # the README quotes this count (2 taps confirm readings)

    record = store.get_complaint(reference)
    assert record is not None
    assert record["status"] == "registered"
    assert record["stage"] == "registered"
    assert Decimal(record["total_amount"]) == Decimal("2604000")
    assert record["transactions"][0]["transaction_id"] == "631845002917"
    assert record["transactions"][0]["mode"] == "upi"
    assert record["mobile"] == "9876543210"
    assert record["fast_track"] == 1
    assert record["language"] == "hi"

    await hindi_details(hindi_user)
    hindi_user.sees("धन्यवाद", "पूरी होकर जमा")
    assert hindi_user.inputs == 20  # the README quotes this count

    record = store.get_complaint(reference)
    assert record is not None
    assert record["stage"] == "complete"
    assert record["name"] == "सुनीता वर्मा"
    assert record["district"] == "Raipur"
    assert record["state"] == "CG"
    assert record["consent_at"] is not None
    assert [s["value"] for s in record["suspect_identifiers"]] == ["quickcash@ybl"]
    assert hindi_user.state.reference is None

    # Once the complaint is in: safety alerts are offered once, nothing is pre-ticked.
    hindi_user.sees("सुरक्षा संदेश")
    assert [c.id for c in hindi_user.choices] == ["yes", "no"]
    assert store.subscription_language(hindi_user.key) is None
    await hindi_user.press("नहीं, धन्यवाद")
    assert hindi_user.state.step == "menu"
    assert store.subscription_language(hindi_user.key) is None


async def test_english_complaint_with_screenshot(user: Person, store: SqliteStore) -> None:
    reference = await english_money_trail(user)
    assert user.inputs == 11  # the README quotes this count (one tap confirms ₹26 lakh)
    await english_details(user)
    user.sees("complete and submitted")
    record = store.get_complaint(reference)
    assert record is not None
    assert record["language"] == "en"
    assert record["state"] == "MP"
    assert record["district"] == "Indore"
    assert record["evidence"][0]["mime_type"] == "image/jpeg"
    assert record["suspect_identifiers"][0]["kind"] == "mobile"
    assert record["transactions"][0]["bank"] == "HDFC Bank"


async def test_shortest_english_complaint_takes_nineteen_inputs(user: Person) -> None:
    await english_money_trail(user)
    await user.send("quickcash@ybl")
    await user.press("Done")
    await user.press("Skip")
    await user.send("Ravi Kumar")
    await user.press("Chhattisgarh")
    await user.press("Bilaspur")
    await user.press("Skip")
    await user.press("Submit")
    user.sees("complete and submitted")
    assert user.inputs == 19  # the README quotes this count


async def test_platform_language_skips_the_language_question(service: object) -> None:
    from bot.service.conversation import ConversationService

    assert isinstance(service, ConversationService)
    person = person_on(service, "tg-user", platform_language="en-IN")
    await person.send("hi")
    person.sees("What would you like to do?")
    assert [c.label for c in person.choices][-1] == "हिंदी"
    await person.press("हिंदी")
    person.sees("हिंदी में बात करेंगे", "आप क्या करना चाहेंगे?")


async def test_naming_the_language_first_skips_the_question(hindi_user: Person) -> None:
    await hindi_user.send("हिंदी")
    hindi_user.sees("1930", "आप क्या करना चाहेंगे?")
    assert hindi_user.state.step == "menu"


async def test_a_devanagari_answer_to_the_language_question_means_hindi(hindi_user: Person) -> None:
    await hindi_user.send("hello")
    hindi_user.sees("Which language")
    await hindi_user.send("मेरे पैसे कट गए")
    # The answer is Hindi, and what it says starts the report: no menu in between.
    hindi_user.sees("1930", "किस तरह की ठगी")
    assert hindi_user.state.language == "hi"
    assert hindi_user.state.step == "category"


async def test_a_greeting_in_english_script_asks_again_instead_of_guessing(user: Person) -> None:
    await user.send("hello")
    await user.send("hi")
    user.sees("Which language")
    assert user.state.step == "language"
    assert user.state.language is None
    await user.send("please help me")  # not knowing their language yet, the bot says it in both
    user.sees("I have kept your message", "आपका संदेश मैंने रख लिया है", "Which language")
    await user.send_sticker()
    assert "\n" in user.replies[0].text and user.state.language is None


async def test_two_debits_with_different_modes(user: Person, store: SqliteStore) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("Investment")
    await user.send("yesterday 7 pm")  # 23 hours before the test clock: fast track
    user.sees("How much money was taken?")
    user.does_not_see("payment 1")  # a number only once there are several
    await user.send("50,000")
    user.sees("How was this money sent?")
    await user.press("NEFT")
    await user.send("SBIN426331234567")
    await user.press("SBI")
    await user.send("9876543210")
    await user.press("Add a payment")
    user.sees("How much money was taken in payment 2?")
    await user.send("2.5 lakh")
    await user.press("RTGS")
    await user.send("HDFCR52026112700012345")
    await user.send("Bank of Baroda")
    user.sees("When was payment 2 taken?")
    await user.send("today 10 am")
    user.sees("Payment 2", "₹2,50,000", "Total lost: ₹3,00,000")
    await user.press("Register complaint")
    user.sees("Complaint number")
    record = store.get_complaint(user.state.reference or "")
    assert record is not None
    assert [t["mode"] for t in record["transactions"]] == ["neft", "rtgs"]
    assert record["total_amount"] == "300000.00"
    assert record["fast_track"] == 1


async def test_old_loss_is_not_fast_track(user: Person, store: SqliteStore) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI payment")
    await user.send("3 days ago")
    await user.send("5000")
    await user.press("Skip")
    await user.press("SBI")
    await user.send("9876543210")
    await user.press("Register complaint")
    record = store.get_complaint(user.state.reference or "")
    assert record is not None
    assert record["fast_track"] == 0
    assert record["transactions"][0]["transaction_id"] is None


async def test_a_first_message_that_is_a_question_gets_an_answer(service: object) -> None:
    from bot.service.conversation import ConversationService

    assert isinstance(service, ConversationService)
    person = person_on(service, "tg-status", platform_language="hi")
    await person.command("status", "2638 7525 2183")
    person.sees("शायद कोई अंक ग़लत", "आप क्या करना चाहेंगे?")
    assert person.state.step == "menu"
