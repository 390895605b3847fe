"""Notice when a victim is about to hand the bot a secret it must never keep.

Fraudsters train victims to read out OTPs and PINs, so in a panic people paste them
anywhere, including into a reporting bot. Catching that lets the conversation warn
them and keep the value out of storage. Detection is deliberately narrow: a card
number must pass the Luhn check, and an OTP, PIN, CVV or password needs both a
keyword and a value next to it, so amounts, dates, UTRs, phone numbers and a
sentence that merely mentions "OTP" are not flagged.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.parsing.digits import fold_text

__all__ = ["SecretKind", "card_last4", "detect_secret"]


class SecretKind(StrEnum):
    """What kind of secret the text appears to contain."""

    OTP = "otp"
    PIN = "pin"
    CVV = "cvv"
    PASSWORD = "password"
    CARD_NUMBER = "card_number"


_START = r"(?<![a-z0-9\u0900-\u097f])"
_END = r"(?![a-z\u0900-\u097f])"
_KEYWORD_RE = re.compile(
    _START + "(?:"
    r"(?P<otp>one[ -]?time[ -]?(?:password|pin|code)|o\.?t\.?p\.?|ओटीपी)"
    r"|(?P<cvv>cvv2?|cvc2?|सीवीवी)"
    r"|(?P<pin>m-?pin|pin(?! ?-? ?code)|एमपिन|पिन(?! ?कोड))"
    r"|(?P<password>password|pass word|passcode|pwd|पासवर्ड|पासकोड)"
    ")" + _END
)
# Short words that sit between a keyword and its value: "OTP is 4821", "4821 मेरा OTP था".
_CONNECTOR = (
    r"(?:is|was|were|are|hai|he|tha|thi|the|your|my|mera|meri|mere|aapka|apka|no|number"
    r"|code|sent|shared|received|entered|aaya|bheja|dala|ka|ki|ke"
    r"|है|था|थी|थे|मेरा|मेरी|मेरे|आपका|नंबर|कोड|आया|भेजा|डाला|का|की|के)" + _END
)
_GAP = r"[ :=#\-.,]*"
_NUMBER_END = r"(?![0-9]|[.,/:\-][0-9])"
_CURRENCY_AFTER = r"(?! ?(?:rs\b|rupees?|/-|₹|inr\b|रुपये|रुपए|रु))"
_CURRENCY_AFTER_RE = re.compile(_CURRENCY_AFTER)
_AFTER_RE = re.compile(rf"(?:{_GAP}{_CONNECTOR}){{0,3}}{_GAP}(?P<num>[0-9]+){_NUMBER_END}")
# Bank OTP SMS shape: "Your OTP for transaction of Rs 5000 at SHOP is 482913".
# Matched at the keyword with a bounded lead, so each keyword costs constant work.
_OTP_SMS_RE = re.compile(
    r".{0,60}?(?<![a-z])(?:is|hai|है)[ :]*"
    rf"(?P<num>[0-9]{{4,8}}){_NUMBER_END}{_CURRENCY_AFTER}"
)
# Labels are looked for only this far back, so long messages stay linear to scan.
_LOOKBACK = 40
_NUMBER_RE = re.compile(rf"(?<![0-9])(?<![0-9][.,/:\-])[0-9]+{_NUMBER_END}{_CURRENCY_AFTER}")
_BEFORE_TAIL_RE = re.compile(rf"(?:{_GAP}{_CONNECTOR}){{0,3}}{_GAP}(?={_KEYWORD_RE.pattern})")
_CURRENCY_BEFORE_RE = re.compile(r"(?:₹|rs\.?|inr|रु\.?) ?$")
_PASSWORD_AFTER_RE = re.compile(rf"(?P<lead>(?:{_GAP}{_CONNECTOR}){{0,3}}{_GAP})(?P<token>\S+)")
_EXPLICIT_RE = re.compile(r"[:=]|(?<![a-z])(?:is|was|hai|tha|thi)(?![a-z])|है|था|थी")
# Words that follow "password" in a sentence about it rather than in a disclosure of it.
_NOT_A_PASSWORD = frozenset({
    "not", "nahi", "nahin", "नहीं", "changed", "reset", "wrong", "incorrect", "same", "also",
    "shared", "asked", "forgot", "and", "or", "the", "a", "an", "for", "to", "of", "it",
    "bataya", "बताया", "diya", "दिया", "mangi", "मांगा", "माँगा", "kya", "क्या",
})  # fmt: skip
_LENGTHS = {
    SecretKind.OTP: range(4, 9),
    SecretKind.PIN: range(4, 7),
    SecretKind.CVV: range(3, 5),
    SecretKind.PASSWORD: range(3, 65),
}

# Digits in groups separated by one space or dash, as cards are printed and typed.
_DIGIT_RUN_RE = re.compile(r"(?<![0-9])[0-9]+(?:[ \-][0-9]+)*(?![0-9])")
_GROUP_SEPARATOR_RE = re.compile(r"[ \-]")
# A long number right after one of these labels is an account or reference, not a card.
_NOT_CARD_LABEL_RE = re.compile(
    r"(?<![a-z])(?:a/c|acct|account|ac|ack|acknowledg(?:e)?ment|utr|ref|refno|rrn|txn|transaction"
    r"|complaint|ticket|order|खाता)[ .:#\-]*(?:no|number|id)?[ .:#\-]*$"
)


def _luhn_valid(digits: str) -> bool:
    """The ISO/IEC 7812 check digit: catches every single-digit typo in a card number."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _find_card(folded: str) -> str | None:
    """Return the digits of the first card-like number: 13-19 digits, Luhn-valid.

    Only numbers starting 2-6 count (Visa, Mastercard, Amex, RuPay, Diners), which
    halves the chance that a long account or acknowledgement number passes Luhn.
    Groups are tried in every contiguous window, longest first from the earliest
    start, so an amount typed right after the card number ("4111 1111 1111 1111
    500") does not hide it and a whole card is never cut short.
    """
    for run in _DIGIT_RUN_RE.finditer(folded):
        if _NOT_CARD_LABEL_RE.search(folded, max(0, run.start() - _LOOKBACK), run.start()):
            continue
        groups = _GROUP_SEPARATOR_RE.split(run[0])
        for start in range(len(groups)):
            found: str | None = None
            digits = ""
            for group in groups[start:]:
                digits += group
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and digits[0] in "23456" and _luhn_valid(digits):
                    found = digits
            if found is not None:
                return found
    return None


def _kind_of(match: re.Match[str]) -> SecretKind:
    return next(SecretKind(name) for name, value in match.groupdict().items() if value)


def _value_after(folded: str, keyword: re.Match[str], kind: SecretKind) -> bool:
    """Is the keyword followed, across at most three short words, by a secret value?"""
    number = _AFTER_RE.match(folded, keyword.end())
    if number and len(number["num"]) in _LENGTHS[kind]:
        tail = folded[number.end() :]
        return _CURRENCY_AFTER_RE.match(tail) is not None
    if kind is SecretKind.OTP:
        return _OTP_SMS_RE.match(folded, keyword.end()) is not None
    if kind is not SecretKind.PASSWORD:
        return False
    found = _PASSWORD_AFTER_RE.match(folded, keyword.end())
    if found is None:
        return False
    token = found["token"].rstrip(".,!?;")
    if len(token) < 3 or token in _NOT_A_PASSWORD:
        return False
    has_symbol_or_digit = not token.isalpha()
    return has_symbol_or_digit or _EXPLICIT_RE.search(found["lead"]) is not None


def _value_before(folded: str) -> SecretKind | None:
    """Handle "482913 is your OTP" and "4821 मेरा पिन था": the value comes first."""
    for number in _NUMBER_RE.finditer(folded):
        if _CURRENCY_BEFORE_RE.search(folded, max(0, number.start() - 6), number.start()):
            continue
        tail = _BEFORE_TAIL_RE.match(folded, number.end())
        if tail is None:
            continue
        keyword = _KEYWORD_RE.match(folded, tail.end())
        if keyword is not None:
            kind = _kind_of(keyword)
            if len(number[0]) in _LENGTHS[kind]:
                return kind
    return None


def detect_secret(text: str) -> SecretKind | None:
    """Return the kind of secret in `text`, or None; a card number wins over the rest."""
    folded = fold_text(text)
    if _find_card(folded) is not None:
        return SecretKind.CARD_NUMBER
    for keyword in _KEYWORD_RE.finditer(folded):
        kind = _kind_of(keyword)
        if _value_after(folded, keyword, kind):
            return kind
    return _value_before(folded)


def card_last4(text: str) -> str | None:
    """Return the last four digits of a card number in `text`, the only part safe to keep."""
    digits = _find_card(fold_text(text))
    return None if digits is None else digits[-4:]
