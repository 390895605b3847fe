"""The console channel's edge: typed lines become the core's plain messages."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from bot.channels.console import read_line, render, run_console
from bot.domain.i18n import translator
from bot.domain.messages import (
    Attachment,
    Choice,
    ChoicePressed,
    ChoicePrompt,
    Command,
    PhoneRequest,
    Text,
    TextReply,
)
from bot.service.conversation import ConversationService

CHOICES = (Choice("hi", "हिंदी"), Choice("en", "English"))


def test_numbers_press_the_numbered_button() -> None:
    assert read_line("2\n", CHOICES) == ChoicePressed("en")
    assert read_line("3\n", CHOICES) == Text("3")
    assert read_line("5000\n", ()) == Text("5000")


def test_slash_commands() -> None:
    assert read_line("/status 2612 3456 7890\n", ()) == Command("status", "2612 3456 7890")
    assert read_line("/HELP\n", ()) == Command("help", "")
    assert read_line("/\n", ()) == Text("/")


def test_an_existing_file_path_is_a_screenshot(tmp_path: Path) -> None:
    picture = tmp_path / "payment.png"
    picture.write_bytes(b"\x89PNG fake image bytes")
    payload = read_line(f"{picture}\n", ())
    assert isinstance(payload, Attachment)
    assert payload.mime_type == "image/png"
    assert payload.size_bytes == picture.stat().st_size
    assert payload.sha256 == hashlib.sha256(picture.read_bytes()).hexdigest()
    assert read_line(f"{tmp_path / 'missing.png'}\n", ()) == Text(f"{tmp_path / 'missing.png'}")


def test_rendering_numbers_the_buttons() -> None:
    text, shown = render(ChoicePrompt("Which language?", CHOICES))
    assert text == "Which language?\n  1. हिंदी\n  2. English"
    assert shown == CHOICES
    assert render(TextReply("ok")) == ("ok", ())
    assert render(PhoneRequest("Your number?"))[0] == "Your number?"


def test_only_the_console_says_a_button_can_be_answered_by_its_number() -> None:
    english, hindi = translator("en"), translator("hi")
    assert "number" not in english("error.pick_button")  # Telegram, WhatsApp: no numbers
    assert "नंबर" not in hindi("error.pick_button")
    shown, _ = render(TextReply(english("error.pick_button")))
    assert shown == f"{english('error.pick_button')} (You can also type its number.)"
    both = f"{hindi('error.pick_button')}\n{english('error.pick_button')}"  # language unknown
    shown, _ = render(TextReply(both))
    assert hindi("console.type_number") in shown.splitlines()[0]
    assert english("console.type_number") in shown.splitlines()[1]
    assert render(TextReply("ok")) == ("ok", ())


async def test_a_whole_session_through_streams(service: ConversationService) -> None:
    stdin = io.StringIO("नमस्ते\n1\n1\n1\nआज दोपहर 3 बजे\n")
    stdout = io.StringIO()
    await run_console(service, stdin, stdout, echo=True)
    output = stdout.getvalue()
    assert "> नमस्ते" in output
    assert "  1. 🚨 ठगी की शिकायत" in output
    assert "कितने पैसे कटे?" in output


async def test_a_number_at_a_question_without_buttons_is_an_answer(
    service: ConversationService,
) -> None:
    # "When did it happen?" (after "no money was lost") shows no buttons: "1" there is a
    # (poor) answer to it, not the first button of the question before.
    stdin = io.StringIO("नमस्ते\n1\n1\n11\n1\n1\n")
    stdout = io.StringIO()
    await run_console(service, stdin, stdout, echo=True)
    after = stdout.getvalue().split("> 1\n")[-1]
    assert "यह कब हुआ" in after  # asked again, with its example
    assert "बटन" not in after  # not "please press a button"
