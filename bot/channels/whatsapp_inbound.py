"""Reading the documented shapes of a WhatsApp webhook's message objects.

Meta sends text, interactive replies (`button_reply`, `list_reply`), template quick-reply
`button`s, media with an id to fetch, contacts, and types we do not handle (location,
sticker, audio, reactions...). Anything unexpected becomes `Unsupported`, never an error:
the conversation then asks its question again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.domain.clock import IST
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    Command,
    ContactShared,
    FileNotKept,
    Payload,
    Text,
    Unsupported,
)

Fetch = Callable[[str, str, str], Awaitable[Attachment | FileNotKept]]
"""(media id, MIME type, "photo" or "document") -> the saved attachment, or why not."""


async def read_payload(message: dict[str, Any], fetch: Fetch) -> Payload:
    """The core's view of one message object from a webhook's `messages` array."""
    kind = message.get("type")
    part = message.get(kind) if isinstance(kind, str) else None
    part = part if isinstance(part, dict) else {}
    if kind == "text":
        text = str(part.get("body", ""))
        if text.startswith("/") and len(text) > 1:
            head, _, args = text[1:].partition(" ")
            return Command(head.lower(), args.strip())
        return Text(text)
    if kind == "interactive":
        for reply_kind in ("button_reply", "list_reply"):
            reply = part.get(reply_kind)
            if isinstance(reply, dict) and isinstance(reply.get("id"), str):
                return ChoicePressed(reply["id"])
        return Unsupported("interactive")
    if kind == "button":  # a quick-reply button on a template
        return Text(str(part.get("text", "")))
    if kind in ("image", "document") and isinstance(part.get("id"), str):
        mime = str(part.get("mime_type") or "application/octet-stream").split(";")[0]
        return await fetch(part["id"], mime, "photo" if kind == "image" else "document")
    if kind == "contacts":
        for contact in dicts(message.get("contacts")):
            for phone in dicts(contact.get("phones")):
                number = phone.get("phone") or phone.get("wa_id")
                if isinstance(number, str) and number:
                    return ContactShared(number)
    return Unsupported(str(kind))


def dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def integer(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def moment(timestamp: Any) -> datetime | None:
    seconds = integer(timestamp)
    return datetime.fromtimestamp(seconds, IST) if seconds is not None else None
