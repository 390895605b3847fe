"""Going back, editing, cancelling, restarting, switching language and resuming."""

from __future__ import annotations

import pytest
from conftest import Clock, FakeUser
from journeys import STEPS_IN_ORDER, english_money_trail, hindi_money_trail, reach

from storage.sqlite import SqliteStore


def test_back_returns_to_the_previous_question_and_keeps_answers(user: FakeUser) -> None:
    reach(user, "tx_mode")
    user.send("back")
    user.sees("how much money was taken?")
    assert user.state.step == "tx_amount"
    user.send("back")
    user.sees("When did the money leave your account?")
    user.send("yesterday 9 pm")
    user.sees("how much money was taken?")
    assert user.state.draft.lost_at is not None
    assert user.state.draft.lost_at.hour == 21


def test_back_into_a_finished_debit_edits_it_instead_of_adding_one(user: FakeUser) -> None:
    reach(user, "mobile")
    assert len(user.state.draft.transactions) == 1
    user.command("back")
    user.sees("From which bank or wallet")
    user.press("HDFC")
    user.send("9876543210")
    user.sees("Debit 1", "HDFC Bank")
    assert len(user.state.draft.transactions) == 1
    assert user.state.draft.transactions[0].bank == "HDFC Bank"


def test_nothing_to_go_back_to_after_registration(user: FakeUser) -> None:
    reach(user, "suspect")
    user.send("back")
    user.sees("nothing to go back to", "fraudster's mobile number")
    assert user.state.step == "suspect"


def test_edit_a_debit_amount_before_registering(user: FakeUser) -> None:
    reach(user, "confirm_trail")
    user.press("Change something")
    user.press("Debit 1")
    user.press("Change")
    user.send("7,500")
    user.press("UPI")
    user.send("631845002917")
    user.press("SBI")
    user.sees("Please check", "₹7,500", "Total lost: ₹7,500")
    assert [tx.amount for tx in user.state.draft.transactions] == [7500]


def test_remove_a_debit_added_by_mistake(user: FakeUser) -> None:
    reach(user, "confirm_trail")
    user.press("Add another debit")
    user.send("1000")
    user.press("UPI")
    user.press("Skip")
    user.press("SBI")
    user.press("Same time")
    user.sees("Total lost: ₹6,000")
    user.press("Change something")
    user.press("Debit 2")
    user.press("Remove")
    user.sees("That debit was removed", "Total lost: ₹5,000")
    assert user.state.step == "confirm_trail"
    user.press("Change something")
    user.press("Debit 1")
    user.press("Remove")
    user.sees("at least one debit")
    assert len(user.state.draft.transactions) == 1


def test_edit_after_registration_updates_the_stored_complaint(
    user: FakeUser, store: SqliteStore
) -> None:
    reach(user, "summary")
    reference = user.state.reference
    assert reference is not None
    user.press("Change something")
    user.press("Your name")
    user.send("Ravi Shankar Kumar")
    user.sees("Name: Ravi Shankar Kumar", "Submit")
    assert user.state.step == "summary"
    record = store.get_complaint(reference)
    assert record is not None
    assert record["name"] == "Ravi Shankar Kumar"


def test_cancel_before_registration_asks_before_deleting(user: FakeUser) -> None:
    reach(user, "tx_utr")
    user.send("cancel")
    user.sees("delete the answers")
    user.press("No, continue")
    user.sees("reference number")
    assert user.state.step == "tx_utr"
    assert user.state.draft.pending_tx is not None
    user.send("cancel")
    user.press("Yes, delete")
    user.sees("deleted", "What would you like to do?")
    assert user.state.step == "menu"
    assert not user.state.draft.has_answers()


def test_cancel_after_registration_keeps_the_complaint(
    user: FakeUser, store: SqliteStore, clock: Clock
) -> None:
    reach(user, "description")
    reference = user.state.reference
    user.command("cancel")
    user.sees("stays registered")
    assert store.get_complaint(reference or "") is not None
    clock.advance(days=3)
    user.send("hi")
    user.sees("Welcome back", "some details are still missing")
    user.press("Continue")
    user.sees("In your own words")
    assert user.state.reference == reference


def test_restart_discards_an_unregistered_draft(user: FakeUser) -> None:
    reach(user, "tx_bank")
    user.send("restart")
    user.press("Yes, delete")
    user.sees("What kind of fraud happened?")
    assert user.state.step == "category"
    assert user.state.draft.transactions == []


def test_new_complaint_after_registration_keeps_the_first(
    user: FakeUser, store: SqliteStore
) -> None:
    first = english_money_trail(user)
    user.command("new")
    user.sees("What kind of fraud happened?")
    assert user.state.reference is None
    assert store.get_complaint(first) is not None


@pytest.mark.parametrize("step", STEPS_IN_ORDER[2:])
def test_language_switch_at_any_step_keeps_the_step(user: FakeUser, step: str) -> None:
    reach(user, step)
    before = user.state.draft.model_dump()
    user.send("हिंदी")
    user.sees("हिंदी में बात करेंगे")
    assert user.state.step == step
    assert user.state.draft.model_dump() == before
    user.send("English")
    user.sees("continue in English")
    assert user.state.language == "en"


@pytest.mark.parametrize("step", STEPS_IN_ORDER[1:])
def test_help_at_any_step_then_the_same_question(user: FakeUser, step: str) -> None:
    reach(user, step)
    question = user.replies[-1].text
    user.send("help")
    assert user.replies[-1].text == question
    assert len(user.replies) == 2
    assert user.state.step == step


def test_skip_is_refused_where_the_answer_is_needed(user: FakeUser) -> None:
    reach(user, "tx_amount")
    user.send("skip")
    user.sees("cannot be skipped", "how much money was taken?")
    assert user.state.step == "tx_amount"


def test_leaving_mid_flow_and_coming_back_days_later(hindi_user: FakeUser, clock: Clock) -> None:
    hindi_user.send("नमस्ते")
    hindi_user.press("हिंदी")
    hindi_user.press("ठगी की शिकायत")
    hindi_user.press("UPI")
    hindi_user.send("आज 3 बजे")
    clock.advance(days=2)
    hindi_user.send("नमस्ते")
    hindi_user.sees("फिर से स्वागत है")
    hindi_user.press("आगे बढ़ें")
    hindi_user.sees("कितने पैसे कटे")
    hindi_user.send("5000")
    assert hindi_user.state.draft.pending_tx is not None
    assert hindi_user.state.draft.lost_at is not None


def test_start_again_after_a_long_pause(user: FakeUser, clock: Clock) -> None:
    reach(user, "tx_utr")
    clock.advance(hours=5)
    user.send("hello")
    user.press("Start again")
    user.press("Yes, delete")
    user.sees("What kind of fraud happened?")
    assert user.state.draft.transactions == []


def test_status_lists_own_complaints_only(service: object, store: SqliteStore) -> None:
    from bot.service.conversation import ConversationService

    assert isinstance(service, ConversationService)
    victim = FakeUser(service, "victim")
    other = FakeUser(service, "stranger")
    reference = hindi_money_trail(victim)
    victim.send("स्थिति")
    victim.sees("आपकी शिकायतें", "₹26,04,000", "दर्ज")
    other.send("hello")
    other.press("English")
    other.command("status", reference)
    other.sees("could not find a complaint with that number")
    other.command("status")
    other.sees("no complaints with me yet")
    mistyped = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    victim.command("status", mistyped)
    victim.sees("शायद कोई अंक ग़लत")
    victim.command("status", reference)
    victim.sees("₹26,04,000")


def test_awareness_opt_in_and_out(user: FakeUser, store: SqliteStore) -> None:
    user.send("hello")
    user.press("English")
    user.press("Safety alerts")
    user.press("Yes, send alerts")
    user.sees("You will receive safety alerts")
    rows = list(store.db.query("select subscribed, how from subscriptions"))
    assert rows == [{"subscribed": 1, "how": "menu"}]
    user.press("Safety alerts")
    user.press("Stop alerts")
    rows = list(store.db.query("select subscribed from subscriptions"))
    assert rows == [{"subscribed": 0}]


@pytest.mark.parametrize("word", ["skip", "छोड़ें"])
def test_typing_skip_on_list_steps_moves_on(user: FakeUser, word: str) -> None:
    reach(user, "suspect")
    user.send(word)
    user.sees("In your own words")
    reach_evidence = ["Skip", "Ravi Kumar"]
    user.press(reach_evidence[0])
    user.send(reach_evidence[1])
    user.press("Chhattisgarh")
    user.press("Raipur")
    user.command("skip")
    user.sees("By pressing Submit")
    assert user.state.step == "summary"


def test_subscribe_and_unsubscribe_commands_at_any_step(user: FakeUser, store: SqliteStore) -> None:
    reach(user, "tx_amount")
    user.command("subscribe")
    user.sees("You will receive safety alerts", "how much money was taken?")
    assert list(store.db.query("select subscribed, how from subscriptions")) == [
        {"subscribed": 1, "how": "command"}
    ]
    user.command("unsubscribe")
    user.sees("You will not receive safety alerts")
    assert user.state.step == "tx_amount"
    assert list(store.db.query("select subscribed from subscriptions")) == [{"subscribed": 0}]


@pytest.mark.parametrize("word", ["STOP", "बंद", "रोकें"])
def test_stop_words_opt_out_at_any_step(user: FakeUser, store: SqliteStore, word: str) -> None:
    user.send("hello")
    user.press("English")
    user.press("Safety alerts")
    user.press("Yes, send alerts")
    user.press("Report fraud")
    user.press("UPI")
    user.send(word)
    user.sees("You will not receive safety alerts", "When did the money leave")
    assert user.state.step == "lost_at"
    assert list(store.db.query("select subscribed, how from subscriptions")) == [
        {"subscribed": 0, "how": "command"}
    ]
