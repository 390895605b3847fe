"""Validate the identifiers a complaint is built from: numbers, ids and references.

Each of these ends up in the national reporting system, where a wrong digit sends a
hold request to the wrong account. So the parsers are strict about shape but lenient
about decoration people add or paste: country codes, spaces, dashes, brackets,
Devanagari digits, a whole bank SMS instead of the reference inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal
from urllib.parse import unquote

from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import to_ascii_digits

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
]


class PaymentMode(StrEnum):
    """How the money left; it decides which reference shape the bank issued."""

    UPI = "upi"
    IMPS = "imps"
    NEFT = "neft"
    RTGS = "rtgs"
    CARD = "card"
    NETBANKING = "netbanking"
    WALLET = "wallet"
    OTHER = "other"


@dataclass(frozen=True)
class SuspectIdentifier:
    """One thing that points at the fraudster, with the IFSC when an account came with one."""

    kind: Literal["mobile", "upi_id", "bank_account", "url"]
    value: str
    ifsc: str | None = None


_MOBILE_SEPARATORS_RE = re.compile(r"[\s\-().]")
_MOBILE_RE = re.compile(r"(?:(?:\+|00)?91|0)?([6-9][0-9]{9})", re.ASCII)
_VPA_RE = re.compile(r"[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}", re.ASCII)
_VPA_IN_TEXT_RE = re.compile(
    r"(?<![\w.\-@])[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}(?![\w@]|\.[a-zA-Z])", re.ASCII
)
_UPI_LINK_PA_RE = re.compile(r"[?&]pa=([^&#]*)", re.IGNORECASE)
_IFSC_RE = re.compile(r"[A-Z]{4}0[A-Z0-9]{6}")
_IFSC_IN_TEXT_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{4}[0Oo][A-Za-z0-9]{6}(?![A-Za-z0-9])")
_ACCOUNT_RE = re.compile(r"[0-9]{9,18}", re.ASCII)
_ACCOUNT_LABEL_RE = re.compile(
    r"(?<![a-z])(?:a/c|acct|account|ac|no|number|num|ifsc|code|bank)(?![a-z])\.?|[:#,]",
    re.IGNORECASE,
)
_SPACES_DASHES_RE = re.compile(r"[\s\-]")
_UTR_LABEL_RE = re.compile(
    r"^(?:utr|rrn|ref(?:erence)?|txn|transaction)(?:\s*(?:no|number|id))?(?:\.?\s*[:#\-]|\.|\s)\s*",
    re.IGNORECASE,
)
_ALNUM_RE = re.compile(r"[A-Z0-9]+", re.ASCII)
_SMS_REF_RES = (
    re.compile(r"upi/(?:p2a|p2m|p2p|dr|cr)/([0-9]{12})(?![0-9])", re.IGNORECASE),
    re.compile(
        r"(?<![a-z])(?:ref\s*no|refno|upi\s*ref(?:\s*no)?|ref|upi|rrn|utr)\.?\s*[:#\-]?\s*"
        r"(?:no\.?\s*[:#]?\s*)?([0-9]{12})(?![0-9])",
        re.IGNORECASE,
    ),
)
_HANDLE_RE = re.compile(r"@[A-Za-z0-9_.]{1,64}", re.ASCII)
_URL_RE = re.compile(r"(?:(?P<scheme>https?)://)?(?P<host>[^/\s?#:@]+)(?P<port>:[0-9]{1,5})?"
                     r"(?P<rest>[/?#]\S*)?", re.IGNORECASE)  # fmt: skip
_LABEL_RE = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.ASCII)
_TLD_RE = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", re.ASCII)


def parse_mobile(text: str) -> str:
    """Return the 10-digit Indian mobile number, without +91, 91 or 0 prefix."""
    compact = _MOBILE_SEPARATORS_RE.sub("", to_ascii_digits(text))
    match = _MOBILE_RE.fullmatch(compact)
    if match is None:
        raise ValidationError("error.mobile.invalid")
    return match[1]


def parse_upi_id(text: str) -> str:
    """Return the UPI id in lower case; also takes a pasted upi://pay?pa=... link.

    The handle after @ has no dot, which is what tells a VPA from an e-mail address.
    """
    compact = "".join(to_ascii_digits(text).split())
    if compact.lower().startswith("upi://"):
        payee = _UPI_LINK_PA_RE.search(compact)
        compact = unquote(payee[1]) if payee else ""
    if not _VPA_RE.fullmatch(compact):
        raise ValidationError("error.upi.invalid")
    return compact.lower()


def parse_ifsc(text: str) -> str:
    """Return the IFSC in upper case, repairing a letter O typed for the fixed zero."""
    compact = "".join(to_ascii_digits(text).split()).upper()
    if len(compact) == 11 and compact[4] == "O":
        compact = compact[:4] + "0" + compact[5:]
    if not _IFSC_RE.fullmatch(compact):
        raise ValidationError("error.ifsc.invalid")
    return compact


def parse_account_number(text: str) -> str:
    """Return 9-18 digits; banks print account numbers in groups, so separators go."""
    compact = _SPACES_DASHES_RE.sub("", to_ascii_digits(text))
    if not _ACCOUNT_RE.fullmatch(compact):
        raise ValidationError("error.account.invalid")
    return compact


def extract_utr_from_sms(text: str) -> str | None:
    """Find the 12-digit UPI/IMPS reference in a pasted bank SMS, or None.

    Only numbers labelled as a reference count: SMSes also carry 12-digit customer
    ids and helpline numbers ("Cust ID to 919951860002") that must not be taken.
    """
    normalised = to_ascii_digits(text)
    for pattern in _SMS_REF_RES:
        match = pattern.search(normalised)
        if match:
            return match[1]
    return None


def _alnum_between(reference: str, low: int, high: int) -> bool:
    return low <= len(reference) <= high and bool(_ALNUM_RE.fullmatch(reference))


def parse_utr(text: str, mode: PaymentMode) -> str:
    """Return the transaction reference, checked against the shape `mode` produces."""
    normalised = to_ascii_digits(text).strip()
    reference = _SPACES_DASHES_RE.sub("", _UTR_LABEL_RE.sub("", normalised)).upper()
    if mode in (PaymentMode.UPI, PaymentMode.IMPS):
        if len(reference) == 12 and reference.isdigit():
            return reference
        found = extract_utr_from_sms(normalised)
        if found is None:
            raise ValidationError("error.utr.twelve_digits")
        return found
    if mode is PaymentMode.NEFT:
        if len(reference) in (16, 22) and _alnum_between(reference, 16, 22):
            return reference
        raise ValidationError("error.utr.neft")
    if mode is PaymentMode.RTGS:
        if _alnum_between(reference, 22, 22) and reference[:4].isalpha():
            return reference
        raise ValidationError("error.utr.rtgs")
    if mode is PaymentMode.CARD:
        if _alnum_between(reference, 6, 23):
            return reference
        raise ValidationError("error.utr.card")
    if _alnum_between(reference, 6, 35):
        return reference
    raise ValidationError("error.utr.generic")


def _valid_host(host: str) -> bool:
    labels = host.split(".")
    if len(labels) == 4 and all(
        label.isascii() and label.isdigit() and int(label) <= 255 for label in labels
    ):
        return True
    return (
        len(labels) >= 2
        and len(host) <= 253
        and all(_LABEL_RE.fullmatch(label) for label in labels)
        and bool(_TLD_RE.fullmatch(labels[-1]))
    )


def parse_url_or_handle(text: str) -> str:
    """Return a website (scheme kept if given, host lower-cased) or an @handle.

    Handles are lower-cased because Telegram, Instagram and X ignore case in them.
    """
    compact = to_ascii_digits(text).strip()
    if _HANDLE_RE.fullmatch(compact):
        return compact.lower()
    match = _URL_RE.fullmatch(compact)
    if match is None or not _valid_host(match["host"].lower()):
        raise ValidationError("error.url.invalid")
    scheme = f"{match['scheme'].lower()}://" if match["scheme"] else ""
    return f"{scheme}{match['host'].lower()}{match['port'] or ''}{match['rest'] or ''}"


def _as_bank_account(text: str) -> SuspectIdentifier | None:
    """Read "A/c 50100234567891 IFSC HDFC0001234" in either order, IFSC optional."""
    ifsc: str | None = None
    match = _IFSC_IN_TEXT_RE.search(text)
    if match:
        ifsc = parse_ifsc(match[0])
        text = text[: match.start()] + " " + text[match.end() :]
    try:
        account = parse_account_number(_ACCOUNT_LABEL_RE.sub(" ", text).strip())
    except ValidationError:
        return None
    return SuspectIdentifier("bank_account", account, ifsc)


def classify_suspect_identifier(text: str) -> SuspectIdentifier:
    """Work out what kind of identifier the victim gave for the fraudster.

    Tried in the order UPI id, mobile, bank account, website/handle, so that
    "9876543210@ybl" is a UPI id and a bare 10-digit number starting 6-9 is a mobile.
    """
    normalised = to_ascii_digits(text).strip()
    if "@" in normalised and not normalised.startswith("@"):
        try:
            return SuspectIdentifier("upi_id", parse_upi_id(normalised))
        except ValidationError:
            found = _VPA_IN_TEXT_RE.findall(normalised)
            if len(found) == 1:
                return SuspectIdentifier("upi_id", found[0].lower())
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
