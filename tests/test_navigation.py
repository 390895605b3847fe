"""Going back, editing, cancelling, restarting, switching language and resuming."""

from __future__ import annotations

import pytest
from support.journeys import STEPS_IN_ORDER, english_money_trail, hindi_money_trail, reach
from support.person import Person, person_on
from support.timing import Clock

from bot.domain.reference import format_reference
from storage.sqlite import SqliteStore


async def test_back_returns_to_the_previous_question_and_keeps_answers(user: Person) -> None:
    await reach(user, "tx_mode")
    await user.send("back")
    user.sees("How much money was taken?")
    assert user.state.step == "tx_amount"
    await user.send("back")
    user.sees("When was the money taken from your account?")
    await user.send("yesterday 9 pm")
    user.sees("How much money was taken?")
    assert user.state.draft.lost_at is not None
    assert user.state.draft.lost_at.hour == 21


async def test_back_into_a_finished_debit_edits_it_instead_of_adding_one(user: Person) -> None:
    await reach(user, "mobile")
    assert len(user.state.draft.transactions) == 1
    await user.command("back")
    user.sees("From which bank or wallet")
    await user.press("HDFC")
    await user.send("9876543210")
    user.sees("Payment 1", "HDFC Bank")
    assert len(user.state.draft.transactions) == 1
    assert user.state.draft.transactions[0].bank == "HDFC Bank"


async def test_nothing_to_go_back_to_after_registration(user: Person) -> None:
    await reach(user, "suspect")
    await user.send("back")
    user.sees("already registered, so you cannot go back", "anything about the fraudster")
    assert user.state.step == "suspect"


async def test_edit_a_debit_amount_before_registering(user: Person) -> None:
    await reach(user, "confirm_trail")
    await user.press("Change something")
    await user.press("Payment 1")
    await user.press("Change")
    await user.send("7,500")
    await user.press("UPI")
    await user.send("631845002917")
    await user.press("SBI")
    user.sees("Please check", "₹7,500", "Total lost: ₹7,500")
    assert [tx.amount for tx in user.state.draft.transactions] == [7500]


async def test_remove_a_debit_added_by_mistake(user: Person) -> None:
    await reach(user, "confirm_trail")
    await user.press("Add a payment")
    await user.send("1000")
    await user.press("UPI")
    await user.press("Skip")
    await user.press("SBI")
    await user.press("Same time")
    user.sees("Total lost: ₹6,000")
    await user.press("Change something")
    await user.press("Payment 2")
    await user.press("Remove")
    user.sees("That payment was removed", "Total lost: ₹5,000")
    assert user.state.step == "confirm_trail"
    await user.press("Change something")
    await user.press("Payment 1")
    await user.press("Remove")
    user.sees("at least one payment")
    assert len(user.state.draft.transactions) == 1


async def test_edit_after_registration_updates_the_stored_complaint(
    user: Person, store: SqliteStore
) -> None:
    await reach(user, "summary")
    reference = user.state.reference
    assert reference is not None
    await user.press("Change something")
    await user.press("Your name")
    await user.send("Ravi Shankar Kumar")
    user.sees("Name: Ravi Shankar Kumar", "Submit")
    assert user.state.step == "summary"
    record = store.get_complaint(reference)
    assert record is not None
    assert record["name"] == "Ravi Shankar Kumar"


async def test_cancel_before_registration_asks_before_deleting(user: Person) -> None:
    await reach(user, "tx_utr")
    await user.send("cancel")
    user.sees("delete the answers")
    await user.press("No, continue")
    user.sees("12-digit UTR")
    assert user.state.step == "tx_utr"
    assert user.state.draft.pending_tx is not None
    await user.send("cancel")
    await user.press("Yes, delete")
    user.sees("deleted", "What would you like to do?")
    assert user.state.step == "menu"
    assert not user.state.draft.has_answers()


async def test_cancel_after_registration_keeps_the_complaint(
    user: Person, store: SqliteStore, clock: Clock
) -> None:
    await reach(user, "description")
    reference = user.state.reference
    await user.command("cancel")
    user.sees("stays registered")
    assert store.get_complaint(reference or "") is not None
    clock.advance(days=3)
    await user.send("hi")
    user.sees("Welcome back", "some details are still missing")
    await user.press("Continue")
    user.sees("In your own words")
    assert user.state.reference == reference


async def test_restart_discards_an_unregistered_draft(user: Person) -> None:
    await reach(user, "tx_bank")
    await user.send("restart")
    await user.press("Yes, delete")
    user.sees("What kind of fraud happened?")
    assert user.state.step == "category"
    assert user.state.draft.transactions == []


async def test_new_complaint_after_registration_keeps_the_first(
    user: Person, store: SqliteStore
) -> None:
    first = await english_money_trail(user)
    await user.command("new")
    user.sees(format_reference(first), "finish it first")  # asked, naming the open one
    await user.press("Start a new one")
    user.sees("stays registered", "What kind of fraud happened?")
    assert user.state.reference is None
    assert store.get_complaint(first) is not None


async def test_new_complaint_over_an_open_one_can_go_back_to_finish_it(user: Person) -> None:
    first = await english_money_trail(user)
    question = user.replies[-1].text  # the first detail question after registration
    await user.command("new")
    await user.press("Finish that one")
    assert user.replies[-1].text == question
    assert user.state.reference == first


@pytest.mark.parametrize("step", STEPS_IN_ORDER[2:])
async def test_language_switch_at_any_step_keeps_the_step(user: Person, step: str) -> None:
    await reach(user, step)
    before = user.state.draft.model_dump()
    await user.send("हिंदी")
    user.sees("हिंदी में बात करेंगे")
    assert user.state.step == step
    assert user.state.draft.model_dump() == before
    await user.send("English")
    user.sees("continue in English")
    assert user.state.language == "en"


@pytest.mark.parametrize("step", STEPS_IN_ORDER[1:])
async def test_help_at_any_step_then_the_same_question(user: Person, step: str) -> None:
    await reach(user, step)
    question = user.replies[-1].text
    await user.send("help")
    assert user.replies[-1].text == question
    assert len(user.replies) == 2
    assert user.state.step == step


async def test_skip_is_refused_where_the_answer_is_needed(user: Person) -> None:
    await reach(user, "tx_amount")
    await user.send("skip")
    user.sees("cannot be skipped", "How much money was taken?")
    assert user.state.step == "tx_amount"


async def test_leaving_mid_flow_and_coming_back_days_later(
    hindi_user: Person, clock: Clock
) -> None:
    await hindi_user.send("नमस्ते")
    await hindi_user.press("हिंदी")
    await hindi_user.press("ठगी की शिकायत")
    await hindi_user.press("UPI")
    await hindi_user.send("आज 3 बजे")
    clock.advance(days=2)
    await hindi_user.send("नमस्ते")
    hindi_user.sees("फिर से स्वागत है")
    await hindi_user.press("आगे बढ़ें")
    hindi_user.sees("सही है?")  # the reading of "3 बजे" waited for its tap
    await hindi_user.press("हाँ, सही है")
    hindi_user.sees("कितने पैसे कटे")
    await hindi_user.send("5000")
    assert hindi_user.state.draft.pending_tx is not None
    assert hindi_user.state.draft.lost_at is not None


async def test_start_again_after_a_long_pause(user: Person, clock: Clock) -> None:
    await reach(user, "tx_utr")
    clock.advance(hours=5)
    await user.send("hello")
    await user.press("Start again")
    await user.press("Yes, delete")
    user.sees("What kind of fraud happened?")
    assert user.state.draft.transactions == []


async def test_status_lists_own_complaints_only(service: object, store: SqliteStore) -> None:
    from bot.service.conversation import ConversationService

    assert isinstance(service, ConversationService)
    victim = person_on(service, "victim")
    other = person_on(service, "stranger")
    reference = await hindi_money_trail(victim)
    await victim.send("स्थिति")
    victim.sees("आपकी शिकायतें", "₹26,04,000", "दर्ज")
    await other.send("hello")
    await other.press("English")
    await other.command("status", reference)
    other.sees("could not find a complaint with that number")
    await other.command("status")
    other.sees("no complaints with me yet")
    mistyped = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    await victim.command("status", mistyped)
    victim.sees("शायद कोई अंक ग़लत")
    await victim.command("status", reference)
    victim.sees("₹26,04,000")


async def test_awareness_opt_in_and_out(user: Person, store: SqliteStore) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Safety alerts")
    await user.press("Yes, send alerts")
    user.sees("You will receive safety alerts")
    rows = list(store.db.query("select subscribed, how from subscriptions"))
    assert rows == [{"subscribed": 1, "how": "menu"}]
    await user.press("Safety alerts")
    await user.press("Stop alerts")
    rows = list(store.db.query("select subscribed from subscriptions"))
    assert rows == [{"subscribed": 0}]


@pytest.mark.parametrize("word", ["skip", "छोड़ें"])
async def test_typing_skip_on_list_steps_moves_on(user: Person, word: str) -> None:
    await reach(user, "suspect")
    await user.send(word)
    user.sees("In your own words")
    reach_evidence = ["Skip", "Ravi Kumar"]
    await user.press(reach_evidence[0])
    await user.send(reach_evidence[1])
    await user.press("Chhattisgarh")
    await user.press("Raipur")
    await user.command("skip")
    user.sees("Then press Submit")
    assert user.state.step == "summary"


async def test_subscribe_and_unsubscribe_commands_at_any_step(
    user: Person, store: SqliteStore
) -> None:
    await reach(user, "tx_amount")
    await user.command("subscribe")
    user.sees("You will receive safety alerts", "How much money was taken?")
    assert list(store.db.query("select subscribed, how from subscriptions")) == [
        {"subscribed": 1, "how": "command"}
    ]
    await user.command("unsubscribe")
    user.sees("You will not receive safety alerts")
    assert user.state.step == "tx_amount"
    assert list(store.db.query("select subscribed from subscriptions")) == [{"subscribed": 0}]


@pytest.mark.parametrize("word", ["STOP", "बंद", "रोकें"])
async def test_stop_words_opt_out_at_any_step(user: Person, store: SqliteStore, word: str) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Safety alerts")
    await user.press("Yes, send alerts")
    await user.press("Report fraud")
    await user.press("UPI")
    await user.send(word)
    user.sees("What would you like to stop?")  # the complaint, or the alerts?
    await user.press("Safety alerts")
    user.sees("You will not receive safety alerts", "When was the money taken")
    assert user.state.step == "lost_at"
    assert list(store.db.query("select subscribed, how from subscriptions")) == [
        {"subscribed": 0, "how": "stop_word"}
    ]


async def test_a_button_with_an_emoji_is_pressed_by_typing_its_words(user: Person) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI")
    await user.send("stop")
    await user.send("this complaint")  # the button reads "⏸️ This complaint"
    user.sees("paused")
    assert user.state.step == "menu"


async def test_stop_mid_complaint_can_pause_the_complaint(user: Person, store: SqliteStore) -> None:
    await user.send("hello")
    await user.press("English")
    await user.press("Report fraud")
    await user.press("UPI")
    await user.send("2 hours ago")
    await user.send("बंद")
    await user.press("This complaint")
    user.sees("paused", "What would you like to do?")
    assert user.state.draft.lost_at is not None  # kept
    assert list(store.db.query("select * from subscriptions")) == []
    await user.send("hello")
    user.sees("continue")  # offered to continue where they stopped
    await user.press("Continue")
    user.sees("How much money")


@pytest.mark.parametrize(
    ("argument", "language"),
    [("hi", "hi"), ("HINDI", "hi"), ("हिंदी", "hi"), ("en", "en"), ("0", "hi"), ("🙂", "hi")],
)
async def test_language_command_takes_a_name_a_code_or_nothing_it_understands(
    user: Person, argument: str, language: str
) -> None:
    """'/language 0' once crashed the engine (Language("0")); an argument it does not
    know switches, as a bare /language does."""
    await user.send("hello")
    await user.press("English")
    await user.command("language", argument)
    assert user.state.language == language
    assert user.state.step == "menu"
