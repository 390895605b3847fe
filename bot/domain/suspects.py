"""One spelling per suspect identifier, so the same fraudster is recognised across
complaints however each victim typed them.

Victims copy a number from a call log (`+91 98765-43210`), a UPI id from a screenshot
(`QuickCash@YBL`), an account from a chat; the police need to see that four complaints
name the same account. Keys are "kind:value": a mobile is its last ten digits, a UPI id
is case-folded, an account is its digits (IFSC or not), a URL is
its host and path without scheme, "www." or a trailing slash.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.domain.parsing.digits import to_ascii_digits

_INDIAN_MOBILE = 10


def normalise_mobile(value: str) -> str:
    """`+91 98765-43210`, `09876543210` and `9876543210` are one number."""
    digits = re.sub(r"\D", "", to_ascii_digits(value))
    if len(digits) > _INDIAN_MOBILE and digits.startswith(("91", "0")):
        digits = digits[-_INDIAN_MOBILE:]
    return digits


def normalise_url(value: str) -> str:
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").casefold().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def suspect_key(kind: str, value: str) -> str:
    """The identifier as it is compared across complaints."""
    if kind == "mobile":
        return f"mobile:{normalise_mobile(value)}"
    if kind == "upi_id":
        return f"upi_id:{value.strip().casefold()}"
    if kind == "bank_account":
        digits = re.sub(r"\D", "", to_ascii_digits(value))
        # The digits alone: one victim gives the IFSC, another does not.
        return f"bank_account:{digits}"
    if kind == "url":
        return f"url:{normalise_url(value)}"
    return f"{kind}:{' '.join(value.casefold().split())}"
