"""Amounts an operator types into the desk: Indian grouping (`5,82,000`, `₹26,04,000.50`)
or plain digits (`582000`), nothing else.

The victim's side reads lakh and crore in words (`bot.domain.parsing.amounts`); an
operator copying a figure from a bank's letter writes digits, and a misplaced comma
(`5,8200`) must be refused rather than guessed, since held and refunded amounts are
what the district table reports as money saved.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.domain.errors import BotError
from bot.domain.parsing.digits import to_ascii_digits

_PLAIN = re.compile(r"\d+")
MAX_RUPEES = Decimal(10**12)


class NotAnAmount(BotError):
    """The text is not an amount in rupees as the desk accepts them."""


def parse_rupees(text: str) -> Decimal:
    """`5,82,000`, `₹5,82,000.50`, `582000`, `Rs 582000` -> Decimal; NotAnAmount else."""
    cleaned = to_ascii_digits(text).strip()
    cleaned = re.sub(r"^(₹|rs\.?|inr)\s*", "", cleaned, flags=re.IGNORECASE).strip()
    whole, _, paise = cleaned.partition(".")
    if paise and not re.fullmatch(r"\d{1,2}", paise):
        raise NotAnAmount(text)
    grouped = "," in whole and re.fullmatch(r"\d{1,3}(,\d{2})*,\d{3}", whole) is not None
    if not (grouped or _PLAIN.fullmatch(whole)):
        raise NotAnAmount(text)
    value = Decimal(whole.replace(",", "") + (f".{paise}" if paise else ""))
    if value > MAX_RUPEES:
        raise NotAnAmount(text)
    return value
