"""Read a payment screen's OCR text into the same `PaymentText` a pasted SMS gives.

The screen side of the reader the conversation uses for its confirmation card: the
amount, the UPI reference (UTR / RRN / UPI transaction id), the date and time, the app
or bank, the receiver's UPI id and name, and whether the payment succeeded, is pending
or failed. Pure (text in, values out); the OCR itself is in `bot.service.screenshots`.

Every field follows the project's rule: a value that is not certain is left out
(None) and the conversation asks for it. Each field's reader explains what it trusts.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from bot.domain.parsing.identifiers import PaymentMode
from bot.domain.parsing.screen_amounts import read_amount, read_reference, read_status
from bot.domain.parsing.screen_lines import ScreenLines
from bot.domain.parsing.screen_parties import (
    read_app,
    read_bank,
    read_moment,
    read_receiver_name,
    read_receiver_upi,
)
from bot.domain.payments import MessageKind, PaymentText

__all__ = ["agree", "read_payment_screen"]

# Longer text is not one payment screen; refusing it bounds the regular expressions' work.
MAX_SCREEN_CHARS = 20_000
_CREDIT_RE = re.compile(r"received from|credited to your|प्राप्त हुए|जमा हुए")


def read_payment_screen(text: str, now: datetime) -> list[PaymentText]:
    """The payment the screen shows, or [] when the text does not look like one.

    `now` (timezone-aware) rules out dates in the future. One screen shows one payment;
    a list is returned so the screen and SMS readers share one signature.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if len(text) > MAX_SCREEN_CHARS:
        return []
    screen = ScreenLines.of(text)
    amount, reference, status = read_amount(screen), read_reference(screen), read_status(screen)
    if amount is None and reference is None and status is None:
        return []
    folded = "\n".join(screen.folded)
    upi = read_receiver_upi(screen)
    app = read_app(screen)
    mode = PaymentMode.UPI if reference or upi or app or "upi" in folded else None
    return [
        PaymentText(
            kind=MessageKind.CREDIT if _CREDIT_RE.search(folded) else MessageKind.DEBIT,
            status=status,
            amount=amount,
            mode=mode,
            reference=reference,
            occurred_at=read_moment(screen, now),
            bank=read_bank(screen),
            app=app,
            receiver_upi=upi,
            receiver_name=read_receiver_name(screen),
        )
    ]


def agree(
    first: list[PaymentText], second: list[PaymentText], *, both: frozenset[str] = frozenset()
) -> list[PaymentText]:
    """Combine two independent readings of one screen (two OCR passes): a field both
    read must be read alike, else it is dropped; a field one of them missed is taken
    from the other, except the fields in `both`, which must be read by both passes.
    A digit misread in one pass thus costs the value, not a wrong one."""
    if not first or not second:
        return [] if both else first or second
    merged = first[0]
    for field in fields(PaymentText):
        mine, theirs = getattr(merged, field.name), getattr(second[0], field.name)
        change: dict[str, Any] = {}
        if mine is None and field.name not in both:
            change[field.name] = theirs
        elif (theirs is None and field.name in both) or (
            theirs is not None and not _alike(field.name, mine, theirs)
        ):
            change[field.name] = None
        merged = replace(merged, **change)
    return [merged]


def _alike(name: str, mine: object, theirs: object) -> bool:
    if name == "receiver_name" and isinstance(mine, str) and isinstance(theirs, str):
        return mine.casefold() == theirs.casefold()
    return mine == theirs
