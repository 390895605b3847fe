"""Turns the core's replies into Bot API calls: keyboards, contact button, long texts.

Pure functions, so the exact JSON a Telegram client receives can be tested without a
server.
"""

from __future__ import annotations

from aiogram.methods import SendMessage
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.domain.messages import Choice, ChoicePrompt, Outbound, PhoneRequest

TEXT_LIMIT = 4096
_CALLBACK_DATA_LIMIT = 64


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at line breaks where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n ")
    pieces.append(text)
    return pieces


def _columns(choices: tuple[Choice, ...]) -> int:
    longest = max(len(choice.label) for choice in choices)
    if len(choices) > 12 and longest <= 14:
        return 3
    if len(choices) > 4 and longest <= 20:
        return 2
    return 1


def inline_keyboard(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup:
    width = _columns(choices)
    buttons = [
        InlineKeyboardButton(text=choice.label, callback_data=choice.id)
        for choice in choices
        if len(choice.id.encode()) <= _CALLBACK_DATA_LIMIT
    ]
    rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def contact_keyboard(reply: PhoneRequest) -> ReplyKeyboardMarkup:
    rows = [[KeyboardButton(text=reply.share_label or "📱", request_contact=True)]]
    rows += [[KeyboardButton(text=choice.label)] for choice in reply.choices]
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, one_time_keyboard=True)


def render(chat_id: int, reply: Outbound, *, remove_keyboard: bool) -> list[SendMessage]:
    """The sendMessage calls for one reply. `remove_keyboard` clears a contact keyboard
    left from an earlier question, so no stale button stays under the text field."""
    pieces = split_text(reply.text)
    calls = [SendMessage(chat_id=chat_id, text=piece) for piece in pieces]
    last = calls[-1]
    if isinstance(reply, PhoneRequest):
        last.reply_markup = contact_keyboard(reply)
    elif isinstance(reply, ChoicePrompt) and reply.choices:
        last.reply_markup = inline_keyboard(reply.choices)
    if remove_keyboard and not isinstance(reply, PhoneRequest):
        first = calls[0]
        if first.reply_markup is None:
            first.reply_markup = ReplyKeyboardRemove()
        else:
            calls.insert(
                0, SendMessage(chat_id=chat_id, text="✔", reply_markup=ReplyKeyboardRemove())
            )
    return calls
