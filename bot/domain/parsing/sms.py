"""Read pasted or forwarded bank SMS and UPI app notifications into `PaymentText`s.

A bank SMS is the easiest thing a victim can give us and the most exact: amount, UTR,
date and time, the debited bank and account, often the receiver. One message may hold
several SMS (several debits); the same UTR twice is one payment (the bank's SMS and the
app's notification). An OTP SMS is recognised so the conversation can warn and store
nothing; a promotion or a credit is recognised so it is never taken for a debit.

Every field is None unless the message says it in a place where its meaning is certain
(see `sms_fields`): a wrong UTR or amount in a hold request is worse than none.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import fields, replace
from datetime import datetime

from bot.domain.parsing.modes import PaymentMode
from bot.domain.parsing.secrets import SecretKind, detect_secret
from bot.domain.parsing.sms_fields import (
    account_digits,
    amount_in,
    bank_in,
    fold_message,
    mode_in,
    moment_in,
    receiver_account_in,
    receiver_name_in,
    receiver_upi_in,
    reference_in,
)
from bot.domain.payments import MessageKind, PaymentStatus, PaymentText

__all__ = ["looks_like_payment_text", "read_payment_texts"]

_MAX_LENGTH = 6000
_DEBIT_RE = re.compile(
    r"(?<![a-z])(?:debited|debit|sent|paid|spent|transferred|trf|withdrawn|deducted|"
    r"payment of|money sent|dr\b)|डेबिट|अंतरित|भेजे|कटे|निकासी|भुगतान"
)
_CREDIT_RE = re.compile(r"(?<![a-z])(?:credited|received|deposited|credit alert)|जमा|प्राप्त")
_OTP_WORD_RE = re.compile(r"(?<![a-z])(?:otp|one time password|verification code)(?![a-z])|ओटीपी")
_PROMO_RE = re.compile(
    r"(?<![a-z])(?:offer|apply now|apply|pre-?approved|eligible|cashback|win|hurry|"
    r"limited period|t&c|upgrade|reward|click|download|get instant|instant loan)(?![a-z])"
    r"|ऑफर|आवेदन करें|लोन पाएं"
)
_FAILED_RE = re.compile(r"(?<![a-z])(?:failed|declined|unsuccessful|reversed)(?![a-z])|विफल|असफल")
_PENDING_RE = re.compile(r"(?<![a-z])(?:pending|processing|in progress)(?![a-z])|लंबित")
_CHAT_PREFIX_RE = re.compile(r"^\s*\[[^\]]{4,30}\]\s*[^:\n]{0,30}:\s*", re.M)
_BLANK_LINE_RE = re.compile(r"\n\s*\n")


def _kind(folded: str, text: str) -> MessageKind:
    """OTP, promotion, debit or credit; the first of "debited"/"credited" decides, since
    a debit SMS also says the receiver was credited."""
    if detect_secret(text) in (SecretKind.OTP, SecretKind.PIN):
        return MessageKind.OTP
    debit, credit = _DEBIT_RE.search(folded), _CREDIT_RE.search(folded)
    if _OTP_WORD_RE.search(folded) and reference_in(folded, None) is None:
        return MessageKind.OTP
    promotional = _PROMO_RE.search(folded) and reference_in(folded, None) is None
    if promotional and account_digits(folded) is None:
        return MessageKind.PROMOTION
    if debit and (credit is None or debit.start() < credit.start()):
        return MessageKind.DEBIT
    if credit:
        return MessageKind.CREDIT
    return MessageKind.OTHER


def _status(folded: str) -> PaymentStatus:
    if _FAILED_RE.search(folded):
        return PaymentStatus.FAILED
    if _PENDING_RE.search(folded):
        return PaymentStatus.PENDING
    return PaymentStatus.SUCCESS


def read_one(text: str, now: datetime) -> PaymentText:
    """Everything one SMS or notification says for sure."""
    folded = fold_message(text)
    kind = _kind(folded, text)
    if kind not in (MessageKind.DEBIT, MessageKind.CREDIT):
        return PaymentText(kind)
    mode = mode_in(folded)
    bank, app = bank_in(folded)
    if mode is None and app is not None:
        mode = PaymentMode.UPI  # an app's notification is a UPI payment
    debit = kind is MessageKind.DEBIT
    account, ifsc = receiver_account_in(folded) if debit else (None, None)
    return PaymentText(
        kind=kind,
        status=_status(folded),
        amount=amount_in(folded),
        mode=mode,
        reference=reference_in(folded, mode),
        occurred_at=moment_in(folded, now),
        bank=bank.name if bank else None,
        app=app.name if app else None,
        account_last_digits=account_digits(folded),
        receiver_upi=receiver_upi_in(folded) if debit else None,
        receiver_account=account,
        receiver_ifsc=ifsc,
        receiver_name=receiver_name_in(text) if debit else None,
    )


def _is_whole_message(line: str) -> bool:
    """A line that is a whole SMS on its own: an amount, a debit or credit, a reference."""
    folded = fold_message(line)
    marked = _DEBIT_RE.search(folded) or _CREDIT_RE.search(folded)
    return bool(marked) and amount_in(folded) is not None and reference_in(folded, None) is not None


def _split(text: str) -> list[str]:
    """One text per SMS: blank lines separate them, and so do lines that are each a
    whole SMS (pasted one per line)."""
    messages: list[str] = []
    for block in _BLANK_LINE_RE.split(_CHAT_PREFIX_RE.sub("", text)):
        lines = [line for line in block.splitlines() if line.strip()]
        starts = [index for index, line in enumerate(lines) if _is_whole_message(line)]
        if len(starts) < 2:
            if lines:
                messages.append("\n".join(lines))
            continue
        bounds = [0, *starts[1:], len(lines)]
        messages += ["\n".join(lines[a:b]) for a, b in itertools.pairwise(bounds)]
    return messages


def _merged(first: PaymentText, second: PaymentText) -> PaymentText:
    """One payment told twice: each field from either, None where the two disagree."""
    values: dict[str, object] = {}
    for field in fields(PaymentText):
        mine, theirs = getattr(first, field.name), getattr(second, field.name)
        if mine is None or theirs is None or mine == theirs:
            values[field.name] = mine if mine is not None else theirs
        else:
            values[field.name] = None if field.name not in ("kind", "status") else mine
    return replace(first, **values)  # type: ignore[arg-type]


def read_payment_texts(text: str, now: datetime) -> list[PaymentText]:
    """Every SMS or notification in `text`, in order; the same reference twice is one.

    `now` (timezone-aware) resolves dates without a year and refuses future ones.
    An empty list means nothing in the text looks like a payment message.
    """
    if len(text) > _MAX_LENGTH or not text.strip():
        return []
    read: list[PaymentText] = []
    for message in _split(text):
        one = read_one(message, now)
        twin = next(
            (i for i, seen in enumerate(read) if one.reference and seen.reference == one.reference),
            None,
        )
        if twin is None:
            read.append(one)
        else:
            read[twin] = _merged(read[twin], one)
    return [item for item in read if item.kind is not MessageKind.OTHER]


def looks_like_payment_text(text: str, now: datetime) -> bool:
    """Does `text` hold at least one SMS or notification this reader recognises (a
    debit, a credit, an OTP or a promotion)? For callers deciding which reader to use."""
    return bool(read_payment_texts(text, now))
