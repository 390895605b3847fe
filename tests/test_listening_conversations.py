"""A conversation that listens: questions answered at any step, reports without a loss,
safe returns after a pause, and a request to talk to a person, told as conversations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.console import Console, reporting_env
from support.fake_reporting import FakeReportingSystem, serve_in_thread
from support.journeys import hindi_details, reach
from support.person import Person, person_on
from support.timing import Clock

from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

# Each question in the three scripts people write it in, and a piece of its answer.
QUESTIONS = {
    "money_back": (
        ("kya paisa wapas milega?", "क्या मेरा पैसा वापस मिलेगा?", "will I get my money back?"),
        "on hold",
    ),
    "what_utr": (("UTR kya hota hai", "यूटीआर कहाँ मिलेगा", "what is a UTR?"), "12-digit"),
    "what_next": (("ab aage kya hoga", "आगे क्या होगा?", "what happens next?"), "reporting system"),
    "is_official": (
        ("kya ye police hai", "क्या यह पुलिस है?", "is this the police?"),
        "never ask for your OTP",
    ),
    "block": (
        ("card kaise block karu", "कार्ड कैसे ब्लॉक करूँ?", "how do I block my UPI?"),
        "customer care",
    ),
    "helpline": (("1930 kya hai", "1930 क्या है?", "what is the portal?"), "cybercrime.gov.in"),
    "status": (
        ("meri complaint ka kya hua", "मेरी शिकायत का क्या हुआ?", "what happened to my complaint?"),
        "no complaint",
    ),
    "person": (
        ("insaan se baat karni hai", "पुलिस से बात करनी है", "I want to talk to a person"),
        "call 1930",
    ),
}
CASES = [
    pytest.param(phrase, answer, id=f"{name}-{script}")
    for name, (phrases, answer) in QUESTIONS.items()
    for script, phrase in zip(("latin", "devanagari", "english"), phrases, strict=True)
]


@pytest.mark.parametrize(("phrase", "answer"), CASES)
@pytest.mark.parametrize("step", ["category", "tx_amount"])  # a choice step, a text step
async def test_a_question_is_answered_then_the_question_asked_again(
    user: Person, step: str, phrase: str, answer: str
) -> None:
    await reach(user, step)
    question = user.replies[-1].text
    before = user.state
    await user.send(phrase)
    user.sees(answer)
    assert user.replies[-1].text == question
    assert user.state.step == step
    assert user.state.draft == before.draft  # nothing stored from a question


@pytest.mark.parametrize(("phrase", "answer"), CASES)
async def test_a_question_while_a_reading_waits_for_its_tap(
    user: Person, phrase: str, answer: str
) -> None:
    await reach(user, "tx_amount")
    await user.send("2604000")
    user.sees("₹26,04,000", "Is that right?")
    await user.send(phrase)
    user.sees(answer, "₹26,04,000", "Is that right?")  # the confirmation again
    await user.press("Yes")
    assert user.state.step == "tx_mode"
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.amount == 2604000


async def test_a_question_at_the_menu_does_not_start_a_complaint(user: Person) -> None:
    await reach(user, "menu")
    await user.send("kya paisa wapas milega?")
    user.sees("on hold", "What would you like to do?")
    assert user.state.step == "menu"


async def test_a_question_as_the_first_message_is_answered_once_the_language_is_known(
    user: Person,
) -> None:
    await user.send("kya paisa wapas milega?")
    user.sees("Which language")
    await user.press("English")
    user.sees("on hold", "What would you like to do?")
    assert user.state.step == "menu"
    assert user.state.draft.category is None  # no complaint started from a question


async def test_the_answer_is_in_the_persons_language(hindi_user: Person) -> None:
    await hindi_user.send("नमस्ते")
    await hindi_user.press("हिंदी")
    await hindi_user.press("ठगी की शिकायत")
    await hindi_user.send("UTR kya hota hai")
    hindi_user.sees("12 अंकों", "किस तरह की ठगी")


@pytest.mark.parametrize(
    "story",
    [
        "usne kaha tha paisa wapas milega agar main 2000 fees bharunga, phir aur maange",
        "maine police se baat ki thi par kuch nahi hua",
        "उसने कहा आपका पैसा वापस मिलेगा, बस ऐप डाउनलोड कीजिए, फिर 5000 कट गए",
        "He said I will get my money back if I pay the fees first",
    ],
)
async def test_a_story_with_the_same_words_is_stored_as_the_description(
    user: Person, story: str
) -> None:
    await reach(user, "description")
    await user.send(story)
    assert user.state.draft.description == story
    assert user.state.step == "name"


async def test_a_short_question_at_the_description_is_still_a_question(user: Person) -> None:
    await reach(user, "description")
    await user.send("paisa wapas kab milega?")
    user.sees("on hold", "In your own words")
    assert user.state.draft.description is None


async def test_status_typed_with_a_number_is_understood(user: Person) -> None:
    await reach(user, "tx_amount")
    await user.send("status 2638 7525 2182")
    user.sees("could not find a complaint with that number", "How much")  # then the question
    assert user.state.draft.pending_tx is None


# --- talk to a person -----------------------------------------------------------------


@pytest.fixture
def helpdesk_service(store: SqliteStore, clock: Clock) -> ConversationService:
    return ConversationService(
        store, clock=clock, helpdesk=("0771-2511111", "10 am to 6 pm, Monday to Saturday")
    )


async def test_talk_to_a_person_gives_the_numbers_and_is_recorded_on_the_complaint(
    helpdesk_service: ConversationService, store: SqliteStore
) -> None:
    user = person_on(helpdesk_service)
    await reach(user, "description")
    reference = user.state.reference
    await user.send("insaan se baat karni hai")
    user.sees("1930", "0771-2511111", "10 am to 6 pm", "noted on your complaint")
    user.sees("In your own words")
    rows = list(
        store.db.query("select channel, user_id, reference, kind, step from person_requests")
    )
    assert rows == [
        {
            "channel": "test",
            "user_id": "victim-1",
            "reference": reference,
            "kind": "talk_to_person",
            "step": "description",
        }
    ]


async def test_without_a_helpdesk_only_1930_is_given(user: Person, store: SqliteStore) -> None:
    await reach(user, "tx_amount")
    await user.send("talk to a person")
    user.sees("1930")
    assert "cyber cell" not in user.text
    [row] = list(store.db.query("select reference, step from person_requests"))
    assert row == {"reference": None, "step": "tx_amount"}


# --- safe returns ----------------------------------------------------------------------


async def test_after_a_pause_the_answer_to_the_pending_question_is_kept(
    user: Person, clock: Clock
) -> None:
    await reach(user, "tx_bank")  # they went to find the bank's SMS
    clock.advance(hours=2)
    await user.press("SBI")
    user.sees("Your complaint continues", "mobile number")
    assert user.state.step == "mobile"
    assert user.state.draft.transactions[0].bank == "SBI"


async def test_after_a_pause_a_typed_utr_is_kept(user: Person, clock: Clock) -> None:
    await reach(user, "tx_utr")
    clock.advance(hours=3)
    await user.send("631845002917")
    user.sees("Your complaint continues")
    assert user.state.step == "tx_bank"
    assert user.state.draft.pending_tx is not None
    assert user.state.draft.pending_tx.transaction_id == "631845002917"


async def test_after_a_pause_a_message_that_does_not_fit_asks_continue_or_new(
    user: Person, clock: Clock
) -> None:
    await reach(user, "tx_utr")
    clock.advance(hours=3)
    await user.send("hello")
    user.sees("Welcome back", "continue")
    clock.advance(minutes=1)
    await user.press("Continue")
    user.sees("UTR")
    assert user.state.step == "tx_utr"


async def test_a_question_after_a_pause_is_answered_then_the_question(
    user: Person, clock: Clock
) -> None:
    await reach(user, "tx_utr")
    clock.advance(hours=3)
    await user.send("UTR kya hota hai")
    user.sees("12-digit", "UTR")
    assert user.state.step == "tx_utr"


async def test_a_greeting_mid_flow_repeats_the_question_without_welcome_back(
    user: Person,
) -> None:
    await reach(user, "tx_amount")
    question = user.replies[-1].text
    await user.send("hello")
    assert [reply.text for reply in user.replies] == [question]
    assert "Welcome back" not in user.text


# --- reports without a loss -------------------------------------------------------------


async def test_no_money_lost_typed_at_the_amount_takes_the_short_path(user: Person) -> None:
    await reach(user, "tx_amount")
    await user.send("kuch nahi gaya")
    user.sees("no money was lost", "mobile number")
    assert user.state.step == "mobile"
    assert user.state.draft.no_loss and user.state.draft.transactions == []
    await user.send("9876543210")
    user.sees("Money lost: none")


async def test_an_attempt_is_reported_without_money_questions(user: Person) -> None:
    await reach(user, "category")
    await user.press("Tried, no money lost")
    user.sees("When did this happen?")
    await user.send("yesterday evening")
    user.sees("mobile number")
    await user.send("9876543210")
    await user.press("Register complaint")
    user.sees("Complaint number")
    assert user.state.reference is not None


async def test_no_money_lost_in_hindi_to_the_final_submit(hindi_user: Person) -> None:
    await hindi_user.send("नमस्ते")
    await hindi_user.press("हिंदी")
    await hindi_user.press("ठगी की शिकायत")
    await hindi_user.press("वीडियो कॉल ब्लैकमेल")
    await hindi_user.press("कोई पैसा नहीं गया")
    hindi_user.sees("यह कब हुआ")
    await hindi_user.send("कल रात 10 बजे")
    await hindi_user.send("98765 43210")
    hindi_user.sees("गया पैसा: कोई नहीं")
    await hindi_user.press("शिकायत दर्ज करें")
    hindi_user.sees("शिकायत संख्या", "पैसा न दें")
    assert hindi_user.inputs == 8  # the README quotes this count
    await hindi_details(hindi_user)
    assert hindi_user.inputs == 16  # the README quotes this count


@pytest.fixture
def receiver() -> Iterator[FakeReportingSystem]:
    with serve_in_thread(FakeReportingSystem(token="t0ken-for-tests")) as running:
        yield running


SEXTORTION_HINDI = [
    "नमस्ते",
    "1",  # हिंदी
    "1",  # ठगी की शिकायत
    "11",  # वीडियो कॉल ब्लैकमेल
    "1",  # कोई पैसा नहीं गया
    "कल रात 10 बजे",
    "9876543210",
    "1",  # शिकायत दर्ज करें
]


@pytest.mark.slow
def test_a_sextortion_report_without_payment_in_hindi_is_pushed_with_zero(
    tmp_path: Path, receiver: FakeReportingSystem
) -> None:
    """ACCEPTANCE: at most 8 inputs to a complaint number, pushed with total 0.00."""
    db = tmp_path / "bot.db"
    assert len(SEXTORTION_HINDI) <= 8
    with Console(reporting_env(db, url=receiver.url, token="t0ken-for-tests")) as bot:
        bot.send(*SEXTORTION_HINDI)
        _, reference = bot.wait_for_reference()
        assert receiver.wait_for(lambda: receiver.posts(reference, 1), timeout=15), bot.stderr
        assert "पैसा न दें" in bot.stdout  # the sextortion advice: do not pay
        assert bot.finish() == 0, bot.stderr
    body = receiver.posts(reference, 1)[0].body
    assert body["total_amount"] == "0.00"
    assert body["transactions"] == []
    assert body["category"] == "sextortion"
    assert body["incident_at"] is not None
