"""A complaint outlives the process and the person's absence: begun in one run of the
bot and finished in the next, or picked up again days later where it was left."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from support.journeys import hindi_money_trail, reference_in
from support.person import Person
from support.processes import HINDI_LINES, LINES_TO_REFERENCE, run_bot
from support.timing import Clock

from bot.domain.reference import format_reference
from storage.sqlite import SqliteStore

UNTIL_REFERENCE = HINDI_LINES[:LINES_TO_REFERENCE]
DETAILS = HINDI_LINES[LINES_TO_REFERENCE:]


def buttons(person: Person) -> list[str]:
    return [choice.label for choice in person.choices]


@pytest.mark.slow
def test_complaint_begun_in_one_process_is_finished_in_the_next(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    first = run_bot(db, "console", lines=UNTIL_REFERENCE)
    assert first.returncode == 0, first.stderr
    reference = reference_in(first.stdout)
    assert UNTIL_REFERENCE[-1] == "1" and DETAILS[0] == "quickcash@ybl"

    second = run_bot(db, "console", lines=DETAILS)
    assert second.returncode == 0, second.stderr
    # Straight on: no "welcome back" after a few seconds, the details are taken as answers.
    assert "फिर से स्वागत है" not in second.stdout
    assert "सुनीता वर्मा" in second.stdout
    assert format_reference(reference) in second.stdout

    shown = run_bot(db, "complaints", "show", reference, "--unmasked")
    assert shown.returncode == 0, shown.stderr
    record = json.loads(shown.stdout)
    assert record["transactions"][0]["transaction_id"] == "631845002917"
    assert [s["value"] for s in record["suspect_identifiers"]] == ["quickcash@ybl"]
    assert record["name"] == "सुनीता वर्मा"
    assert record["district"] == "Raipur"
    assert record["stage"] == "complete", second.stdout[-1500:]


async def test_coming_back_days_later_offers_to_continue(hindi_user: Person, clock: Clock) -> None:
    await hindi_user.send("नमस्ते")
    await hindi_user.press("हिंदी")
    await hindi_user.press("ठगी की शिकायत")
    await hindi_user.press("UPI से भुगतान")
    await hindi_user.send("आज दोपहर 3 बजे")
    await hindi_user.send("26 लाख 4 हजार")
    await hindi_user.press("हाँ, सही है")  # over ₹10 lakh: confirmed by a tap
    hindi_user.sees("UTR नंबर")

    clock.advance(days=2)
    await hindi_user.send("नमस्ते")
    hindi_user.sees("फिर से स्वागत है")
    assert buttons(hindi_user) == ["▶️ आगे बढ़ें", "🔄 फिर से शुरू"]
    assert hindi_user.state.step == "resume"

    await hindi_user.press("आगे बढ़ें")
    hindi_user.sees("UTR नंबर")  # the question they left at, asked again
    state = hindi_user.state
    assert state.step == "tx_utr"
    assert state.draft.category == "upi"
    assert state.draft.lost_at is not None
    assert state.draft.pending_tx is not None
    assert state.draft.pending_tx.amount == Decimal("2604000")

    await hindi_user.send("631845002917")
    await hindi_user.press("SBI")
    await hindi_user.send("98765 43210")
    hindi_user.sees("₹26,04,000", "631845002917")


async def test_a_short_pause_is_not_interrupted(hindi_user: Person, clock: Clock) -> None:
    """Within RESUME_AFTER_MINUTES the next message is simply the next answer."""
    await hindi_user.send("नमस्ते")
    await hindi_user.press("हिंदी")
    await hindi_user.press("ठगी की शिकायत")
    await hindi_user.press("UPI से भुगतान")
    clock.advance(minutes=20)
    await hindi_user.send("आज दोपहर 3 बजे")
    assert hindi_user.state.step == "tx_amount"
    assert "फिर से स्वागत है" not in hindi_user.text


async def test_registered_complaint_is_offered_for_completion_days_later(
    hindi_user: Person, clock: Clock, store: SqliteStore
) -> None:
    reference = await hindi_money_trail(hindi_user)
    clock.advance(days=3)
    await hindi_user.send("नमस्ते")
    hindi_user.sees("फिर से स्वागत है", format_reference(reference))
    assert buttons(hindi_user) == ["▶️ आगे बढ़ें", "🔄 फिर से शुरू"]

    await hindi_user.press("आगे बढ़ें")
    assert hindi_user.state.step == "suspect"
    assert hindi_user.state.reference == reference
    await hindi_user.send("quickcash@ybl")
    record = store.get_complaint(reference)
    assert record is not None
    assert [s["value"] for s in record["suspect_identifiers"]] == ["quickcash@ybl"]
    assert record["transactions"][0]["transaction_id"] == "631845002917"
