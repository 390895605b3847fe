"""What a bank SMS, a UPI app notification or a payment screen says about one payment,
and how sure we are of a value read from what a person typed.

Shared by every reader of payment text (pasted SMS, forwarded notifications, screenshots
read by OCR) so the conversation offers one confirmation card whatever the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Generic, TypeVar

from bot.domain.parsing.modes import PaymentMode

T = TypeVar("T")


class Precision(StrEnum):
    """How exactly a moment is known; a value is never shown more exactly than this."""

    MINUTE = "minute"  # "15:27", "3:15 pm", the time in an SMS
    HOUR = "hour"  # "3 baje", "3pm": the hour as said
    PART_OF_DAY = "part_of_day"  # "kal shaam": a representative hour of that part of the day
    DAY = "day"  # "01-12-26", "kal": the date only (`at` is that day's midnight)
    # "2 ghante pehle": an estimate of the time; "2 din pehle": of the day only (`at` is
    # that day's midnight, shown without a time)
    ABOUT = "about"


@dataclass(frozen=True, slots=True)
class Moment:
    """When something happened, as exactly as the person or the message said it."""

    at: datetime  # aware, Asia/Kolkata
    precision: Precision


@dataclass(frozen=True, slots=True)
class Reading(Generic[T]):
    """A value read from free text. When `sure` is False the conversation shows how it
    was read and asks for one-tap confirmation; `why` is the catalog id that explains
    what made it unsure (a dot that may separate thousands, a loose bank match...)."""

    value: T
    sure: bool = True
    why: str = ""


class MessageKind(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"
    OTP = "otp"
    PROMOTION = "promotion"
    OTHER = "other"


class PaymentStatus(StrEnum):
    """What an app screen or notification says of the payment: a failed or pending one
    is never taken as a debit without asking."""

    SUCCESS = "success"
    PENDING = "pending"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class PaymentText:
    """Everything one SMS, notification or payment screen says; None where it is silent."""

    kind: MessageKind
    # None: the text did not say (a screenshot whose status line was unreadable); the
    # conversation then asks, as for a pending payment.
    status: PaymentStatus | None = PaymentStatus.SUCCESS
    amount: Decimal | None = None
    mode: PaymentMode | None = None
    reference: str | None = None  # UTR / RRN / UPI transaction id, validated for the mode
    occurred_at: Moment | None = None
    bank: str | None = None  # the debited bank's canonical name (bot.domain.banks)
    app: str | None = None  # the UPI app when the text names one (PhonePe, Google Pay...)
    account_last_digits: str | None = None
    receiver_upi: str | None = None
    receiver_account: str | None = None
    receiver_ifsc: str | None = None
    receiver_name: str | None = None
