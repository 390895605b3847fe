"""A payment screenshot sent where the money trail is asked, or as the first message.

The image is kept as evidence, as any file the complaint takes. The service has already
read it (OCR runs outside the core, off the event loop, `Attachment.payments`); here its
debits become the same one-tap card as a pasted bank SMS, so nothing read from a picture
is stored before the person has seen it and tapped "yes". A failed or pending payment is
shown as such on the card. An image that could not be read is still kept, and the person
is told so and asked to type the answer, never left wondering.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from bot.domain.conversation import Conversation
from bot.domain.messages import Attachment
from bot.domain.payments import MessageKind, PaymentText
from handlers.details import MAX_EVIDENCE_FILES, evidence_of
from handlers.flow import CATEGORY, PAYMENT_CARD
from handlers.moves import enter, error_reply, reprompt
from handlers.spec import Context, Outcome, Transition

IMAGE = re.compile(r"image/(jpeg|png|webp)$")
SOURCE = "screenshot"


def is_image(mime_type: str) -> bool:
    return IMAGE.match(mime_type) is not None


def is_screenshot(payload: object) -> TypeGuard[Attachment]:
    """An image the channel kept (a file it could not keep has no `file_ref`)."""
    return (
        isinstance(payload, Attachment) and bool(payload.file_ref) and is_image(payload.mime_type)
    )


def screen_debits(payload: Attachment) -> list[PaymentText]:
    """Debits worth a card: an amount at least. A screen shows one payment, so unlike a
    sentence that mentions money it needs no UTR to be taken for one."""
    return [
        payment
        for payment in payload.payments or ()
        if payment.kind is MessageKind.DEBIT and payment.amount is not None
    ]


def has_room(state: Conversation) -> bool:
    return len(state.draft.evidence) < MAX_EVIDENCE_FILES


def keep(state: Conversation, payload: Attachment) -> None:
    """The image as evidence, once (the same picture sent twice is one file)."""
    if any(item.sha256 == payload.sha256 for item in state.draft.evidence if item.sha256):
        return
    state.draft.evidence.append(evidence_of(payload))


def hold_screenshot(state: Conversation, payload: Attachment) -> None:
    """The first message was a screenshot: kept, and its debits wait for the language."""
    keep(state, payload)
    state.held_screenshot = True
    state.read_payments = screen_debits(payload)
    state.card_source = SOURCE


def take_screenshot(out: Outcome, payload: Attachment, ctx: Context) -> None:
    """At a money-trail step: the card of what the screen shows, or "kept, not read"."""
    keep(out.state, payload)
    show_card(out, screen_debits(payload), ctx)


def use_held_screenshot(out: Outcome, ctx: Context) -> None:
    """The language is known: the first message's screenshot becomes its card, or the
    report starts with the first question when nothing could be read from it."""
    s = out.state
    s.held_screenshot = False
    debits, s.read_payments = s.read_payments, []
    if debits:
        show_card(out, debits, ctx)
        return
    out.replies.append(error_reply(s, "say.screenshot_not_read"))
    enter(out, Transition(CATEGORY), ctx)


def show_card(out: Outcome, debits: list[PaymentText], ctx: Context) -> None:
    s = out.state
    if not debits:
        out.replies.append(error_reply(s, "say.screenshot_not_read"))
        reprompt(out)
        return
    s.read_payments, s.card_source, s.card_from = debits, SOURCE, s.step
    enter(out, Transition(PAYMENT_CARD), ctx)
