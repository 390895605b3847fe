"""Masks phone numbers, account numbers and UPI ids in text meant for logs and screens.

Logs are read by more people than complaints are, so personal identifiers never reach
them in clear (`bot.logs` applies this to every record); operators' listings use it too.
"""

from __future__ import annotations

import re

_UPI = re.compile(r"\b([a-zA-Z0-9.\-_]{2,256})@([a-zA-Z]{2,64})\b")
_LONG_DIGITS = re.compile(r"(?<![\w])(\+?\d[\d \-]{7,}\d)(?![\w])")


def _mask_digits(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(1))
    return "x" * (len(digits) - 2) + digits[-2:]


def mask(text: str) -> str:
    """Hides all but the last two digits of any run of 9+ digits and the name part of
    UPI ids: enough for an operator to correlate, too little to misuse."""
    text = _UPI.sub(lambda m: f"{m.group(1)[:1]}***@{m.group(2)}", text)
    return _LONG_DIGITS.sub(_mask_digits, text)
