"""Read the transaction reference (UTR, RRN, reference or authorisation code) of a debit.

The reference is what lets a bank find the money and hold it, so a wrong one is worse
than none. Once, "pata nahi" was stored as the id "PATANAHI", a victim's OTP as the id
of a card payment, and "UTR hai 631845002917 dekh lo" glued into one "id". So: a
"don't know" is refused (the step offers Skip), a bare 4-8 digit number is refused as an
OTP or PIN, the id is looked for inside a sentence, and it is checked against the shape
the payment mode produces.
"""

from __future__ import annotations

import re

from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import to_ascii_digits
from bot.domain.parsing.modes import PaymentMode
from bot.domain.parsing.replies import Reply, read_reply
from bot.domain.parsing.secrets import SecretKind, detect_secret
from bot.domain.payments import Reading

__all__ = ["extract_utr_from_sms", "parse_utr", "read_transaction_id"]

_MAX_LENGTH = 1000
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
# Words that name a reference, and the filler that may sit between them and the value.
_REF_LABEL = (
    r"(?<![a-z])(?:utr|rrn|ref|refno|reference|txn|transaction|trans|txnid|arn|auth|"
    r"approval|order)(?:\s*(?:no|number|num|id|code))?\.?"
)
_LABELLED_RE = re.compile(
    _REF_LABEL + r"(?:\s*(?:[:#\-=]|is|hai|he|h|ye|yeh|tha|number|no))*\s*"
    r"(?P<value>[a-z0-9](?:[a-z0-9]|[ \-](?=[0-9])){5,40})(?![a-z0-9])",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(r"(?<![a-z0-9@./:])[a-z0-9]{6,35}(?![a-z0-9@]|[./:][a-z0-9])", re.I)
_DIGIT_GROUPS_RE = re.compile(r"(?<![0-9a-z])[0-9]{2,6}(?:[ \-][0-9]{2,6}){1,5}(?![0-9a-z])", re.I)
_BARE_SHORT_RE = re.compile(r"[0-9]{4,8}")
_MASKED_RE = re.compile(r"[x*]+[0-9]+", re.IGNORECASE)
_IFSC_RE = re.compile(r"[a-z]{4}0[a-z0-9]{6}", re.IGNORECASE)
_TOLL_FREE = ("1800", "1860")
_PHONE_LIKE_RE = re.compile(r"(?:91)?[6-9][0-9]{9}")
_MODE_ERRORS = {
    PaymentMode.UPI: "error.utr.twelve_digits",
    PaymentMode.IMPS: "error.utr.twelve_digits",
    PaymentMode.NEFT: "error.utr.neft",
    PaymentMode.RTGS: "error.utr.rtgs",
    PaymentMode.CARD: "error.utr.card",
}


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


def _mode_error(mode: PaymentMode) -> ValidationError:
    return ValidationError(_MODE_ERRORS.get(mode, "error.utr.generic"))


def _alnum_between(reference: str, low: int, high: int) -> bool:
    return (
        low <= len(reference) <= high
        and bool(_ALNUM_RE.fullmatch(reference))
        and any(char.isdigit() for char in reference)
    )


def _valid_for(reference: str, mode: PaymentMode) -> bool:
    """Is `reference` (upper case, no spaces) the shape `mode` produces?

    Every shape has a digit: a word ("PATANAHI") is never a reference. A bare number
    of 4-8 digits is never one either: that is what OTPs and PINs look like.
    """
    if _BARE_SHORT_RE.fullmatch(reference):
        return False
    if mode in (PaymentMode.UPI, PaymentMode.IMPS):
        return len(reference) == 12 and reference.isdigit()
    if mode is PaymentMode.NEFT:
        return len(reference) in (16, 22) and _alnum_between(reference, 16, 22)
    if mode is PaymentMode.RTGS:
        return _alnum_between(reference, 22, 22) and reference[:4].isalpha()
    if _IFSC_RE.fullmatch(reference) or _MASKED_RE.fullmatch(reference):
        return False
    high = 23 if mode is PaymentMode.CARD else 35
    return _alnum_between(reference, 6, high)


def _whole(normalised: str) -> str | None:
    """The answer as one reference when it is nothing else: groups of digits ("6318 4500
    2917"), or a short prefix and digits ("NB 1234 5678"), after a label ("UTR: ...")."""
    body = _UTR_LABEL_RE.sub("", normalised)
    pieces = _SPACES_DASHES_RE.split(body)
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return None
    numbered = [any(char.isdigit() for char in piece) for piece in pieces]
    prefix_ok = pieces[0].isalpha() and len(pieces[0]) <= 4 and all(numbered[1:])
    if all(numbered) or (prefix_ok and len(pieces) > 1):
        return "".join(pieces).upper()
    return None


def _found_inside(normalised: str, mode: PaymentMode) -> list[tuple[str, bool]]:
    """(reference, labelled?) for every value in a sentence or SMS that fits `mode`."""
    found: list[tuple[str, bool]] = []
    if mode in (PaymentMode.UPI, PaymentMode.IMPS) and (sms := extract_utr_from_sms(normalised)):
        found.append((sms, True))
    for match in _LABELLED_RE.finditer(normalised):
        value = _SPACES_DASHES_RE.sub("", match["value"]).upper()
        if _valid_for(value, mode):
            found.append((value, True))
    twelve = mode in (PaymentMode.UPI, PaymentMode.IMPS)
    for pattern in (_DIGIT_GROUPS_RE, _TOKEN_RE):
        for match in pattern.finditer(normalised):
            value = _SPACES_DASHES_RE.sub("", match[0]).upper()
            # Unlabelled, "919951860002" is a phone with its country code, 1800... a helpline.
            if value.startswith(_TOLL_FREE) or (twelve and _PHONE_LIKE_RE.fullmatch(value)):
                continue
            if _valid_for(value, mode):
                found.append((value, False))
    return found


def _reading(reference: str, mode: PaymentMode, labelled: bool) -> Reading[str]:
    """Sure, unless an unlabelled number is shaped like a phone number."""
    twelve = mode in (PaymentMode.UPI, PaymentMode.IMPS)
    if not labelled and not twelve and _PHONE_LIKE_RE.fullmatch(reference):
        return Reading(reference, sure=False, why="unsure.utr.phone_like")
    return Reading(reference)


def _refuse_non_answers(text: str, normalised: str) -> None:
    if read_reply(text) in (Reply.DONT_KNOW, Reply.NO, Reply.NOTHING_LOST):
        raise ValidationError("error.utr.dont_know")
    secret = detect_secret(text)
    if secret is SecretKind.CARD_NUMBER:
        raise ValidationError("warning.secret.card_number")
    if secret is not None or _BARE_SHORT_RE.fullmatch(_UTR_LABEL_RE.sub("", normalised)):
        raise ValidationError("error.utr.looks_like_otp")


def read_transaction_id(text: str, mode: PaymentMode) -> Reading[str]:
    """The reference in `text`, checked against the shape `mode` produces.

    The answer may be the reference alone (spaces and dashes between digit groups are
    dropped), a sentence around it ("UTR hai 631845002917 dekh lo") or a pasted SMS.
    Refused: a "don't know" reply (`error.utr.dont_know`), an OTP, PIN or a bare 4-8
    digit number (`error.utr.looks_like_otp`), a card number, two different references
    (`error.utr.several`), anything else with the mode's error. Unsure: an unlabelled
    10-digit number starting 6-9 where a card, wallet or bank id is expected (a phone?).
    """
    normalised = to_ascii_digits(text).strip()
    if not normalised or len(normalised) > _MAX_LENGTH:
        raise _mode_error(mode)
    _refuse_non_answers(text, normalised)
    whole = _whole(normalised)
    if whole is not None and _valid_for(whole, mode):
        return _reading(whole, mode, labelled=whole != normalised.upper())
    found = _found_inside(normalised, mode)
    labelled = {value for value, is_labelled in found if is_labelled}
    values = labelled or {value for value, _is_labelled in found}
    if len(values) > 1:
        raise ValidationError("error.utr.several")
    if not values:
        raise _mode_error(mode)
    return _reading(values.pop(), mode, labelled=bool(labelled))


def parse_utr(text: str, mode: PaymentMode) -> str:
    """The reference `read_transaction_id` reads, refused unless it is sure (callers
    that store at once have no way to ask for confirmation)."""
    reading = read_transaction_id(text, mode)
    if not reading.sure:
        raise _mode_error(mode)
    return reading.value
