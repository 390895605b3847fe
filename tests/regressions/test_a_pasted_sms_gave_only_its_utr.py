"""Regression: a pasted bank SMS filled only the UTR; its amount, date, time and bank were
ignored. The SMS reader returns them all."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bot.domain.clock import IST
from bot.domain.parsing.sms import read_payment_texts
from bot.domain.payments import MessageKind, Precision

AXIS_SMS = (
    "INR 50000.00 debited\nA/c no. XX2057\n02-11-26, 16:27:59\nUPI/P2A/630612815830/MOHAN LAL\n"
    "Not you? SMS BLOCKUPI Cust ID to 919951860002\nAxis Bank"
)


def test_the_sms_gives_amount_reference_time_and_bank() -> None:
    (payment,) = read_payment_texts(AXIS_SMS, datetime(2026, 11, 28, 10, 0, tzinfo=IST))
    assert payment.kind is MessageKind.DEBIT
    assert payment.amount == Decimal("50000")
    assert payment.reference == "630612815830"
    assert payment.occurred_at is not None
    assert payment.occurred_at.at == datetime(2026, 11, 2, 16, 27, tzinfo=IST)
    assert payment.occurred_at.precision is Precision.MINUTE
    assert payment.bank == "Axis Bank"
    assert payment.account_last_digits == "2057"
    assert payment.receiver_name == "MOHAN LAL"
