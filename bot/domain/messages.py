"""Plain data that crosses the boundary between channels and the conversation core.

Channels (console, Telegram, WhatsApp) translate their own types into `Inbound` and render
`Outbound` back; the core never sees a platform type. Everything here is frozen so a
message can be logged, stored or replayed without surprises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.payments import PaymentText


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """Identifies one person on one channel; hashable so it can key dicts and locks."""

    channel: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.user_id}"


# --- inbound -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class ChoicePressed:
    """A button or list row pressed; `choice_id` is the id we put on it."""

    choice_id: str


@dataclass(frozen=True, slots=True)
class ContactShared:
    phone: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo or document, already saved by the channel where it could be fetched."""

    file_ref: str
    mime_type: str
    size_bytes: int
    kind: str = "photo"
    sha256: str = ""
    # What the service read on a payment screenshot before the core saw it: None when it
    # was not read (no OCR, not a step that reads payments, time up), () for no payment.
    payments: tuple[PaymentText, ...] | None = None


class FileProblem(StrEnum):
    UNAVAILABLE = "unavailable"  # the platform would not hand the file over
    STORAGE_FULL = "storage_full"  # our disk is too full to keep it safely


@dataclass(frozen=True, slots=True)
class FileNotKept:
    """A photo or document the person sent that could not be kept, and why: the core
    tells them (a file must never vanish in silence)."""

    problem: FileProblem


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command such as /help; `name` has no slash and is lower case."""

    name: str
    args: str = ""


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Anything we cannot use (sticker, voice, location, ...); `what` is for logs only."""

    what: str


@dataclass(frozen=True, slots=True)
class Confirmed:
    """A value the person confirmed with one tap after the bot showed how it read it
    ("₹75,000 — is that right?"). Made by the engine, never by a channel: `value` is the
    reading as the step encoded it."""

    value: str


Payload = (
    Text
    | ChoicePressed
    | ContactShared
    | Attachment
    | FileNotKept
    | Command
    | Unsupported
    | Confirmed
)


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message from a person, with the channel's id for deduplication."""

    key: ConversationKey
    message_id: str
    payload: Payload
    platform_language: str | None = None
    sender_phone: str | None = None  # known to WhatsApp; offered instead of retyping
    operator: bool = False  # a police operator (ADMIN_TELEGRAM_IDS): may /broadcast


# --- outbound ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: `id` comes back in `ChoicePressed`; `label` is already translated."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class TextReply:
    text: str


@dataclass(frozen=True, slots=True)
class ChoicePrompt:
    """Text with buttons. Channels pick buttons, lists or numbered lines by count."""

    text: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class PhoneRequest:
    """Ask for the phone number with the platform's share-contact affordance if any."""

    text: str
    known_phone: str | None = None
    choices: tuple[Choice, ...] = field(default=())
    share_label: str = ""  # the share-contact button's label, already translated


Outbound = TextReply | ChoicePrompt | PhoneRequest


def outbound_to_json(reply: Outbound) -> str:
    """A reply as stored until it is sent (see `outbound_from_json`)."""
    body: dict[str, object] = {"text": reply.text}
    if isinstance(reply, ChoicePrompt):
        body["kind"] = "choices"
    elif isinstance(reply, PhoneRequest):
        body["kind"] = "phone"
        body["known_phone"] = reply.known_phone
        body["share_label"] = reply.share_label
    else:
        body["kind"] = "text"
    if isinstance(reply, ChoicePrompt | PhoneRequest):
        body["choices"] = [[choice.id, choice.label] for choice in reply.choices]
    return json.dumps(body, ensure_ascii=False)


def outbound_from_json(stored: str) -> Outbound:
    body = json.loads(stored)
    choices = tuple(Choice(str(id_), str(label)) for id_, label in body.get("choices", []))
    if body["kind"] == "choices":
        return ChoicePrompt(body["text"], choices)
    if body["kind"] == "phone":
        return PhoneRequest(
            body["text"], body.get("known_phone"), choices, body.get("share_label", "")
        )
    return TextReply(body["text"])


class Language(StrEnum):
    EN = "en"
    HI = "hi"
