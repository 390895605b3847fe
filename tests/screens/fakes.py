"""Invented payments: amounts, ids, names and dates that look real but belong to no one.

Everything comes from one `random.Random`, so a seed gives the same corpus on every
machine. UPI references follow the common RRN shape (last digit of the year, day of the
year, hour, six digits) so that a reader which mixes up the reference and the date
would be caught.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from bot.domain.clock import IST
from bot.domain.payments import PaymentStatus

FIRST_NAMES = (
    "Ramesh",
    "Suresh",
    "Anita",
    "Kavita",
    "Mohan",
    "Pooja",
    "Deepak",
    "Sunita",
    "Vikas",
    "Neha",
    "Rakesh",
    "Priya",
    "Ajay",
    "Meena",
    "Sanjay",
    "Rekha",
    "Arun",
    "Geeta",
)
LAST_NAMES = (
    "Kumar",
    "Sharma",
    "Verma",
    "Sahu",
    "Patel",
    "Yadav",
    "Singh",
    "Gupta",
    "Tiwari",
    "Mishra",
    "Chandrakar",
    "Dewangan",
    "Netam",
    "Thakur",
    "Agrawal",
    "Sinha",
)
SHOPS = ("QUICKCASH SERVICES", "SHREE TRADERS", "EASY LOAN POINT", "STAR ONLINE MART")
HANDLES = ("ybl", "okaxis", "oksbi", "okhdfcbank", "okicici", "paytm", "upi", "axl", "ibl")
PAYER_BANKS = ("SBI", "HDFC Bank", "ICICI Bank", "Axis Bank", "PNB", "Bank of Baroda")
STATUSES = (PaymentStatus.SUCCESS,) * 6 + (PaymentStatus.PENDING, PaymentStatus.FAILED)


@dataclass(frozen=True)
class Payment:
    """One invented payment, with the distractors real screens show beside it."""

    amount: Decimal
    reference: str  # the 12-digit UPI reference (UTR / RRN)
    at: datetime
    status: PaymentStatus
    payer_bank: str
    payer_last_digits: str
    payer_upi: str  # the victim's own UPI id: must never be taken as the receiver's
    receiver_name: str
    receiver_upi: str
    app_txn_id: str  # the app's own transaction id: must never be taken as the UTR
    mobile: str  # a helpline or receiver mobile number: must never be taken as an amount


def _amount(rng: random.Random) -> Decimal:
    rupees = rng.choice(
        (rng.randint(1, 99) * 100, rng.randint(100, 9999), rng.randint(1, 199) * 1000)
    )
    paise = rng.choice((0, 0, 0, rng.randint(1, 99)))
    return Decimal(rupees) + Decimal(paise) / 100


def _reference(rng: random.Random, at: datetime) -> str:
    day_of_year = at.timetuple().tm_yday
    return f"{at.year % 10}{day_of_year:03d}{at.hour:02d}{rng.randint(0, 999999):06d}"


def _upi(rng: random.Random, first: str, last: str) -> str:
    stem = rng.choice((first + last[:1], first + "." + last, last + first[:1], first))
    digits = rng.choice(
        (
            "",
            str(rng.randint(1, 99)),
            str(rng.randint(6, 9)) + "".join(rng.choices(string.digits, k=9)),
        )
    )
    return f"{stem.lower()}{digits}@{rng.choice(HANDLES)}"


def _app_txn_id(rng: random.Random, at: datetime) -> str:
    style = rng.randint(0, 2)
    if style == 0:  # PhonePe-like: T + date + long sequence
        return "T" + at.strftime("%y%m%d%H%M") + "".join(rng.choices(string.digits, k=12))
    if style == 1:  # Google-like: base64-ish
        return "CICAg" + "".join(rng.choices(string.ascii_letters + string.digits, k=10))
    return "".join(rng.choices(string.digits, k=14))  # wallet order id: 14 digits


def invent_payment(rng: random.Random, now: datetime) -> Payment:
    """A payment made in the ten days before `now` (IST), to a person or a shop."""
    at = (now - timedelta(minutes=rng.randint(20, 10 * 24 * 60))).astimezone(IST)
    at = at.replace(microsecond=0)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if rng.random() < 0.2:
        receiver_name = rng.choice(SHOPS)
        receiver_upi = _upi(rng, receiver_name.split()[0].capitalize(), "Pay")
    else:
        receiver_name = f"{first} {last}"
        receiver_upi = _upi(rng, first, last)
    payer_first, payer_last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Payment(
        amount=_amount(rng),
        reference=_reference(rng, at),
        at=at,
        status=rng.choice(STATUSES),
        payer_bank=rng.choice(PAYER_BANKS),
        payer_last_digits=f"{rng.randint(0, 9999):04d}",
        payer_upi=_upi(rng, payer_first, payer_last),
        receiver_name=receiver_name,
        receiver_upi=receiver_upi,
        app_txn_id=_app_txn_id(rng, at),
        mobile=f"{rng.randint(6, 9)}{rng.randint(0, 999999999):09d}",
    )


def indian_grouping(amount: Decimal, paise: bool) -> str:
    """₹1,95,000 style digits: the last three, then pairs."""
    whole = int(amount)
    text = str(whole)
    if len(text) > 3:
        head, tail = text[:-3], text[-3:]
        pairs = []
        while len(head) > 2:
            pairs.insert(0, head[-2:])
            head = head[:-2]
        text = ",".join([head, *pairs, tail]) if head else ",".join([*pairs, tail])
    if paise or amount != whole:
        text += f".{int((amount - whole) * 100):02d}"
    return text
