"""Every step explains a wrong answer in the user's language and keeps what it had."""

from __future__ import annotations

import pytest
from support.journeys import STEPS_IN_ORDER, reach
from support.person import Person

from storage.sqlite import SqliteStore

# (step, what a frightened person might type, what the reply must say)
INVALID_ANSWERS = [
    ("menu", "99", "choose one of the options"),
    ("category", "no idea", "choose 'Something else'"),
    ("category", "something strange", "could not tell the kind of fraud"),
    ("lost_at", "sometime", "could not understand that time"),
    ("lost_at", "tomorrow 3 pm", "has not come yet"),
    ("lost_at", "31/02/2026 10:00", "date does not exist"),
    ("lost_at", "01/01/2015", "more than 5 years ago"),
    ("tx_amount", "a lot", "could not read that amount"),
    ("tx_amount", "0", "cannot be zero"),
    ("tx_amount", "-500", "without a minus sign"),
    ("tx_amount", "500 crore", "more than ₹100 crore"),
    ("tx_mode", "by phone", "choose one of the options"),
    ("tx_utr", "12345", "looks like an OTP or PIN"),
    ("tx_utr", "63184500291A", "exactly 12 digits"),
    ("tx_bank", "12345678", "name of the bank"),
    ("mobile", "12345", "10-digit Indian mobile number"),
    ("mobile", "5876543210", "10-digit Indian mobile number"),
    ("confirm_trail", "ok maybe", "choose one of the options"),
    ("suspect", "the man on the phone", "could not understand that"),
    ("name", "9876543210", "type your name in letters"),
    ("state", "Atlantis", "could not recognise that state"),
    ("district", "Gotham", "could not find that district"),
    ("evidence", "here it is", "send a photo or a PDF"),
    ("summary", "fine", "choose one of the options"),
]


@pytest.mark.parametrize(("step", "answer", "explanation"), INVALID_ANSWERS)
async def test_wrong_answer_is_explained_and_nothing_changes(
    user: Person, step: str, answer: str, explanation: str
) -> None:
    await reach(user, step)
    question = user.replies[-1].text
    before = user.state.model_dump(exclude={"last_activity"})
    await user.send(answer)
    user.sees(explanation)
    assert user.replies[-1].text == question
    assert user.state.model_dump(exclude={"last_activity"}) == before


HINDI_EXPLANATIONS = [
    ("tx_amount", "बहुत सारे", "यह रकम समझ नहीं आई"),
    ("lost_at", "पता नहीं", "अंदाज़े का समय भी काफ़ी है"),
    ("lost_at", "कुछ भी", "यह समय समझ नहीं आया"),
    ("mobile", "123", "10 अंकों का भारतीय मोबाइल नंबर"),
]


@pytest.mark.parametrize(("step", "answer", "explanation"), HINDI_EXPLANATIONS)
async def test_errors_come_in_hindi_for_hindi_speakers(
    user: Person, step: str, answer: str, explanation: str
) -> None:
    await reach(user, step)
    await user.send("हिंदी")
    await user.send(answer)
    user.sees(explanation)


@pytest.mark.parametrize("step", STEPS_IN_ORDER[1:])
async def test_stickers_voice_and_huge_texts_are_turned_away_politely(
    user: Person, step: str
) -> None:
    await reach(user, step)
    question = user.replies[-1].text
    before = user.state.model_dump(exclude={"last_activity"})
    await user.send_sticker()
    user.sees("can't use this kind of message")
    assert user.replies[-1].text == question
    await user.send("पैसे " * 2500)
    user.sees("too long")
    assert user.replies[-1].text == question
    assert user.state.model_dump(exclude={"last_activity"}) == before


async def test_a_photo_at_the_amount_step_is_kept_and_the_person_told(user: Person) -> None:
    # This service reads no screenshots (the screenshot tests use the real reader).
    await reach(user, "tx_amount")
    await user.send_photo()
    user.sees("kept your screenshot", "could not read", "How much money was taken?")
    assert user.state.step == "tx_amount"
    assert len(user.state.draft.evidence) == 1


async def test_a_photo_before_the_screenshot_step_is_not_lost_silently(user: Person) -> None:
    await reach(user, "name")  # no payment is read here: it is not kept
    await user.send_photo()
    user.sees("ask for screenshots a little later", "name")
    assert user.state.step == "name"
    assert user.state.draft.evidence == []


@pytest.mark.parametrize(
    ("answer", "warning"),
    [
        ("my OTP is 482913", "Never share an OTP"),
        ("UPI PIN 4821", "Never share your UPI PIN"),
        ("cvv 123", "CVV"),
        ("4111 1111 1111 1111", "full card number"),
    ],
)
async def test_secrets_are_warned_about_and_never_stored(
    user: Person, store: SqliteStore, answer: str, warning: str
) -> None:
    await reach(user, "description")
    await user.send(answer)
    user.sees(warning, "In your own words")
    assert user.state.draft.description is None
    secret_digits = "".join(ch for ch in answer if ch.isdigit())
    dumped = "".join(
        str(row) for table in store.db.table_names() for row in store.db.table(table).rows
    )
    assert answer not in dumped
    # Three digits (a CVV) also occur by chance in timestamps and references.
    if len(secret_digits) >= 4:
        assert secret_digits not in dumped.replace(" ", "")


async def test_a_suspect_account_number_that_looks_like_a_card_is_accepted(user: Person) -> None:
    await reach(user, "suspect")
    await user.send("4111111111111111 HDFC0001234")
    user.sees("Added so far: 1")
    accounts = user.state.draft.suspect.bank_accounts
    assert [(a.account_number, a.ifsc) for a in accounts] == [("4111111111111111", "HDFC0001234")]


async def test_account_without_ifsc_asks_for_it(user: Person) -> None:
    await reach(user, "suspect")
    await user.send("50100234567891")
    user.sees("IFSC code of account 50100234567891")
    await user.send("HDFC0001234")
    user.sees("Added so far: 1")
    await user.send("fraud@ybl")
    user.sees("Added so far: 2")
    await user.press("Done")
    user.sees("In your own words")


async def test_oversized_or_wrong_type_screenshot(user: Person) -> None:
    await reach(user, "evidence")
    await user.send_photo(size=30 * 1024 * 1024)
    user.sees("too large", "up to 10 MB")
    await user.send_photo(mime="application/zip")
    user.sees("photos (JPG, PNG) and PDF files only")
    assert user.state.draft.evidence == []


@pytest.mark.parametrize(
    ("step", "answer", "next_question"),
    [
        ("menu", "mere paise kat gaye", "What kind of fraud happened?"),
        ("category", "gpay se paise gaye", "When was the money taken"),
        ("mobile", "my number is 98765 43210", "Please check"),
        ("suspect", "his number 9123456780", "Added so far: 1"),
        ("state", "chattisgarh", "Which district of Chhattisgarh"),
        ("district", "Bhilai", "Send screenshots"),
    ],
)
async def test_answers_wrapped_in_everyday_words_are_understood(
    user: Person, step: str, answer: str, next_question: str
) -> None:
    await reach(user, step)
    await user.send(answer)
    user.sees(next_question)


async def test_two_different_numbers_in_one_answer_are_not_guessed(user: Person) -> None:
    await reach(user, "mobile")
    await user.send("9876543210 or 9123456780")
    user.sees("10-digit Indian mobile number")
    assert user.state.draft.mobile is None
