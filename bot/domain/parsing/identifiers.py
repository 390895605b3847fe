"""Validate the identifiers a complaint is built from: numbers, ids and references.

Each of these ends up in the national reporting system, where a wrong digit sends a
hold request to the wrong account. This module is the one place the conversation
imports them from: the single-value parsers (`formats`), the reference readers
(`transaction_ids`), and the classifier of a suspect's identifier, which reads the value
inside a sentence without gluing it to the words around it (`finding`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import to_ascii_digits
from bot.domain.parsing.finding import FoundIdentifier, IdentifierKind, find_identifiers
from bot.domain.parsing.formats import (
    IFSC_IN_TEXT_RE,
    VPA_IN_TEXT_RE,
    parse_account_number,
    parse_ifsc,
    parse_mobile,
    parse_upi_id,
    parse_url_or_handle,
)
from bot.domain.parsing.modes import PaymentMode
from bot.domain.parsing.transaction_ids import (
    extract_utr_from_sms,
    parse_utr,
    read_transaction_id,
)

__all__ = [
    "PaymentMode",
    "SuspectIdentifier",
    "classify_suspect_identifier",
    "extract_utr_from_sms",
    "parse_account_number",
    "parse_ifsc",
    "parse_mobile",
    "parse_upi_id",
    "parse_url_or_handle",
    "parse_utr",
    "read_transaction_id",
]


@dataclass(frozen=True)
class SuspectIdentifier:
    """One thing that points at the fraudster, with the IFSC when an account came with one."""

    kind: Literal["mobile", "upi_id", "bank_account", "url"]
    value: str
    ifsc: str | None = None


_ACCOUNT_LABEL_RE = re.compile(
    r"(?<![a-z])(?:a/c|acct|account|ac|no|number|num|ifsc|code|bank)(?![a-z])\.?|[:#,]",
    re.IGNORECASE,
)
_SUSPECT_KINDS: dict[IdentifierKind, Literal["mobile", "upi_id", "bank_account", "url"]] = {
    IdentifierKind.MOBILE: "mobile",
    IdentifierKind.UPI_ID: "upi_id",
    IdentifierKind.BANK_ACCOUNT: "bank_account",
    IdentifierKind.URL: "url",
    IdentifierKind.HANDLE: "url",
}


def _as_bank_account(text: str) -> SuspectIdentifier | None:
    """Read "A/c 50100234567891 IFSC HDFC0001234" in either order, IFSC optional."""
    ifsc: str | None = None
    match = IFSC_IN_TEXT_RE.search(text)
    if match:
        ifsc = parse_ifsc(match[0])
        text = text[: match.start()] + " " + text[match.end() :]
    try:
        account = parse_account_number(_ACCOUNT_LABEL_RE.sub(" ", text).strip())
    except ValidationError:
        return None
    return SuspectIdentifier("bank_account", account, ifsc)


def _in_sentence(text: str) -> SuspectIdentifier | None:
    """The one suspect identifier in a sentence; several different ones are refused."""
    found: list[FoundIdentifier] = [
        item for item in find_identifiers(text) if item.kind in _SUSPECT_KINDS
    ]
    if len(found) > 1:
        raise ValidationError("error.suspect.unrecognised")
    if not found:
        return None
    return SuspectIdentifier(_SUSPECT_KINDS[found[0].kind], found[0].value, found[0].ifsc)


def classify_suspect_identifier(text: str) -> SuspectIdentifier:
    """Work out what kind of identifier the victim gave for the fraudster.

    Tried in the order UPI id, mobile, bank account, website/handle, so that
    "9876543210@ybl" is a UPI id and a bare 10-digit number starting 6-9 is a mobile.
    An answer with spaces is read as a sentence first: its one identifier, never the
    words around it glued on.
    """
    normalised = to_ascii_digits(text).strip()
    if any(char.isspace() for char in normalised):
        found = _in_sentence(normalised)
        if found is not None:
            return found
    if "@" in normalised and not normalised.startswith("@"):
        try:
            return SuspectIdentifier("upi_id", parse_upi_id(normalised))
        except ValidationError:
            in_text = VPA_IN_TEXT_RE.findall(normalised)
            if len(in_text) == 1:
                return SuspectIdentifier("upi_id", in_text[0].lower())
    try:
        return SuspectIdentifier("mobile", parse_mobile(normalised))
    except ValidationError:
        pass
    account = _as_bank_account(normalised)
    if account is not None:
        return account
    try:
        return SuspectIdentifier("url", parse_url_or_handle(normalised))
    except ValidationError:
        raise ValidationError("error.suspect.unrecognised") from None
