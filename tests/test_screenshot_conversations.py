"""A payment screenshot fills the money trail, told as conversations.

The screenshots are drawn by tests/screens (invented payments in the apps' layouts) and
read by the real OCR, so Tesseract with its English and Hindi models must be installed
(.ci/run installs them); elsewhere these tests are skipped, except under CI, where their
absence is a failure. What the card shows is what the reader read; nothing is stored
before the person taps "yes".
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from support.fake_telegram import FakeTelegram
from support.journeys import hindi_details, reference_in
from support.person import Person, person_on
from support.telegram import Telegram, telegram_person
from support.timing import Clock

from bot.domain.payments import PaymentStatus, PaymentText
from bot.domain.reference import format_reference
from bot.service.conversation import ConversationService
from bot.service.screenshots import ScreenshotReader, screen_reader
from storage.sqlite import SqliteStore
from tests.screens.corpus import label_of
from tests.screens.fakes import invent_payment
from tests.screens.layouts import build_screen
from tests.screens.render import Painter

READING_TIME = 30.0  # generous: a loaded CI machine; a reading takes ~0.3 s here


@pytest.fixture(scope="module", autouse=True)
def tesseract() -> None:
    reader = ScreenshotReader()
    try:
        if not reader.available:
            if os.environ.get("CI"):
                pytest.fail(f"CI must read screenshots: {reader.unavailable}")
            pytest.skip(f"Tesseract not installed: {reader.unavailable}")
    finally:
        reader.close()


def payment_screen(
    clock: Clock, *, app: str = "sbi", seed: str = "victim", status: PaymentStatus | None = None
) -> tuple[bytes, PaymentText]:
    """A PNG of an invented payment's detail screen (amount, UTR, time and the bank shown)
    and what it shows."""
    rng = random.Random(seed)
    payment = invent_payment(rng, clock())
    payment = replace(payment, status=status or PaymentStatus.SUCCESS)
    screen = build_screen(rng, payment, app, "en", detailed=True)
    buffer = io.BytesIO()
    Painter(screen, "light", 1080, 2340).paint().save(buffer, format="PNG")
    return buffer.getvalue(), label_of(screen, payment)


def blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (720, 1280), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def reading_service(store: SqliteStore, clock: Clock) -> ConversationService:
    return ConversationService(store, clock=clock, screen_reader=screen_reader(READING_TIME))


@pytest.fixture
async def reading_tg(
    bot_api: FakeTelegram, reading_service: ConversationService, tmp_path: Path
) -> AsyncIterator[Telegram]:
    tg = Telegram("webhook", bot_api, reading_service, tmp_path / "evidence")
    await tg.start()
    yield tg
    await tg.close()


async def test_one_screenshot_as_the_first_message_gives_a_complaint_number_in_six_inputs(
    reading_tg: Telegram, store: SqliteStore, clock: Clock
) -> None:
    image, label = payment_screen(clock)
    assert label.amount and label.reference and label.occurred_at and label.bank
    person = telegram_person(reading_tg, 5551401, language_code=None)

    await person.send_photo(image, mime="image/png")  # through getFile, as Telegram does
    person.sees("किस भाषा", "Which language")  # the screenshot is kept meanwhile
    await person.press("हिंदी")
    person.sees("स्क्रीनशॉट", format_reference(label.reference), label.bank)
    await person.press("हाँ, जोड़ें")
    person.sees("किस तरह की ठगी")
    await person.press("UPI से भुगतान")
    person.sees("आपका मोबाइल नंबर")  # amount, UTR, time and bank came from the picture
    await person.send("98765 43210")
    await person.press("शिकायत दर्ज करें")
    person.sees("शिकायत संख्या")
    assert person.inputs == 6

    record = store.get_complaint(reference_in(person.text))
    assert record is not None
    [debit] = record["transactions"]
    assert debit["amount"] == f"{label.amount:.2f}"
    assert debit["transaction_id"] == label.reference
    assert debit["occurred_at"] == label.occurred_at.at.isoformat()
    assert debit["bank"] == label.bank
    assert debit["source"] == "screenshot"
    [evidence] = record["evidence"]
    assert evidence["mime_type"] == "image/png" and evidence["size_bytes"] == len(image)

    await hindi_details(person, evidence="हो गया")  # the screenshot is already there
    person.sees("पूरी होकर जमा")
    assert person.inputs == 14  # the README quotes this count


async def hindi_at_amount(user: Person) -> None:
    await user.send("नमस्ते")
    await user.press("हिंदी")
    await user.press("ठगी की शिकायत")
    await user.press("UPI से भुगतान")
    await user.send("2 घंटे पहले")
    user.sees("कितने पैसे कटे")


async def test_a_failed_payment_is_shown_as_failed_and_no_keeps_nothing_but_the_picture(
    reading_service: ConversationService, store: SqliteStore, clock: Clock, tmp_path: Path
) -> None:
    user = person_on(reading_service, files=tmp_path / "files")
    await hindi_at_amount(user)
    image, _ = payment_screen(clock, app="gpay", seed="failed", status=PaymentStatus.FAILED)
    await user.send_photo(image, mime="image/png")
    user.sees("फ़ेल")  # shown as failed: added only if the money really left
    await user.press("नहीं")
    user.sees("कितने पैसे कटे")  # back to the question the card interrupted
    assert user.state.draft.transactions == []
    assert user.state.draft.pending_tx is None or user.state.draft.pending_tx.amount is None
    assert len(user.state.draft.evidence) == 1  # the picture stays with the complaint


async def test_a_picture_without_a_payment_is_kept_and_the_question_asked_again(
    reading_service: ConversationService, tmp_path: Path
) -> None:
    user = person_on(reading_service, files=tmp_path / "files")
    await hindi_at_amount(user)
    await user.send_photo(blank_png(), mime="image/png")
    user.sees("स्क्रीनशॉट शिकायत के साथ रख लिया", "कितने पैसे कटे")
    assert len(user.state.draft.evidence) == 1
    await user.send("5000")  # typed as before
    user.sees("UTR")


async def test_without_a_reader_the_screenshot_is_kept_and_the_person_told(
    service: ConversationService, tmp_path: Path, clock: Clock
) -> None:
    user = person_on(service, files=tmp_path / "files")  # SCREENSHOT_TIMEOUT_SECONDS=0
    await hindi_at_amount(user)
    image, _ = payment_screen(clock)
    await user.send_photo(image, mime="image/png")
    user.sees("पढ़ी नहीं जा सकी", "कितने पैसे कटे")
    assert len(user.state.draft.evidence) == 1
    assert user.state.draft.transactions == []


async def test_a_screenshot_at_the_utr_step_fills_the_debit_being_typed(
    reading_service: ConversationService, tmp_path: Path, clock: Clock
) -> None:
    user = person_on(reading_service, files=tmp_path / "files")
    await hindi_at_amount(user)
    await user.send("5000")
    user.sees("UTR")
    image, label = payment_screen(clock, app="phonepe", seed="utr-step")
    await user.send_photo(image, mime="image/png")
    assert label.reference is not None
    user.sees(format_reference(label.reference))
    await user.press("हाँ, जोड़ें")
    [debit] = user.state.draft.transactions  # the card's debit replaced the one being typed
    assert debit.transaction_id == label.reference
    assert debit.amount == label.amount  # what the screen shows, not the 5000 typed


async def test_the_console_demo_takes_a_screenshot_path(
    reading_service: ConversationService, tmp_path: Path, clock: Clock
) -> None:
    """`make run` reads a screenshot given as a file path, as a person would attach it."""
    from bot.channels.console import run_console

    image, label = payment_screen(clock, app="hdfc", seed="console")
    picture = tmp_path / "payment.png"
    picture.write_bytes(image)
    stdin = io.StringIO(f"{picture}\n1\n")
    stdout = io.StringIO()
    await run_console(reading_service, stdin, stdout, echo=True)
    assert label.reference is not None
    assert format_reference(label.reference) in stdout.getvalue()
