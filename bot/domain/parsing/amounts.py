"""Read a rupee amount the way people in India actually write it.

A victim answering "how much was taken?" may copy the figure from a bank SMS
("INR 50,000.00"), write it with Indian grouping ("₹1,95,000"), or say it in words
mixed with digits ("2.5 lakh", "26 लाख 4 हजार"). Rejecting any of these costs
minutes inside the golden hour, so the parser accepts all of them but refuses
anything it would have to guess at, such as two unrelated numbers.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import fold_text

__all__ = ["MAX_AMOUNT", "parse_amount"]

MAX_AMOUNT = Decimal("1000000000")  # ₹100 crore: far above any single fraud transfer.
# Longer answers are sentences, not amounts; refusing them early bounds the work done.
_MAX_LENGTH = 100

_PAISE = Decimal("0.01")

# Spellings of each multiplier after `fold_text` (lower case, nukta removed).
# Longest spellings first so "crore" is not read as "cr" followed by stray "ore".
_UNITS: dict[str, Decimal] = {
    "billion": Decimal(1_000_000_000),
    "million": Decimal(1_000_000),
    "crores": Decimal(10_000_000),
    "crore": Decimal(10_000_000),
    "करोड": Decimal(10_000_000),
    "karod": Decimal(10_000_000),
    "cr": Decimal(10_000_000),
    "lakhs": Decimal(100_000),
    "lakh": Decimal(100_000),
    "laakh": Decimal(100_000),
    "lacs": Decimal(100_000),
    "lac": Decimal(100_000),
    "लाख": Decimal(100_000),
    "thousands": Decimal(1_000),
    "thousand": Decimal(1_000),
    "हजार": Decimal(1_000),
    "hazaar": Decimal(1_000),
    "hazar": Decimal(1_000),
    "hajar": Decimal(1_000),
    "k": Decimal(1_000),
    "hundred": Decimal(100),
    "सौ": Decimal(100),
}
# Hindi fractional number words that only make sense before a unit ("डेढ़ लाख").
_WORD_NUMBERS: dict[str, Decimal] = {"डेढ": Decimal("1.5"), "ढाई": Decimal("2.5")}

_UNIT_ALT = "|".join(re.escape(unit) for unit in sorted(_UNITS, key=len, reverse=True))
_WORD_ALT = "|".join(_WORD_NUMBERS)
_CURRENCY = r"(?:₹|rs\.?|inr|rupees?|rupaye|रुपये|रुपए|रुपया|रुपैया|रु\.?)"

_PREFIX_RE = re.compile(rf"^{_CURRENCY}\s*")
# The lookbehind keeps "crores" from losing its "rs" to the currency suffix.
_SUFFIX_RE = re.compile(rf"(?:\s*(?:/-|(?<![a-z\u0900-\u097f])(?:only|{_CURRENCY})))+$")
_NEGATIVE_RE = re.compile(r"^[-−–]\s*")
# One term: a number with an optional multiplier, e.g. "26 लाख", "5k", "236".
_TERM_RE = re.compile(
    rf"(?:(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)|(?P<word>{_WORD_ALT}))"
    rf"\s*(?P<unit>{_UNIT_ALT})?"
)
_JOINER_RE = re.compile(r"\s*(?:(?:and|aur|और|\+)\s*)?")
# Both 1,95,000 (Indian) and 195,000 (western) groupings; anything else is a typo.
_GROUPED_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}")


def _unreadable() -> ValidationError:
    return ValidationError("error.amount.unreadable")


def _number(raw: str) -> Decimal:
    """Turn "1,95,000.50" into a Decimal, refusing commas in impossible places."""
    whole, _, _fraction = raw.partition(".")
    if "," in whole and not _GROUPED_RE.fullmatch(whole):
        raise _unreadable()
    return Decimal(raw.replace(",", ""))


def _terms(body: str) -> list[tuple[Decimal, Decimal | None]]:
    """Split "1 करोड़ 20 लाख" into (coefficient, multiplier) pairs or refuse."""
    terms: list[tuple[Decimal, Decimal | None]] = []
    position = 0
    while position < len(body):
        joiner = _JOINER_RE.match(body, position) if terms else None
        if joiner is not None:
            position = joiner.end()
        match = _TERM_RE.match(body, position)
        if match is None or match.end() == position:
            raise _unreadable()
        unit = match["unit"]
        multiplier = _UNITS[unit] if unit else None
        if match["word"]:
            if multiplier is None:
                raise _unreadable()
            coefficient = _WORD_NUMBERS[match["word"]]
        else:
            coefficient = _number(match["num"])
        terms.append((coefficient, multiplier))
        position = match.end()
        if position < len(body) and not body[position].isspace() and body[position] != "+":
            raise _unreadable()
    return terms


def _total(terms: list[tuple[Decimal, Decimal | None]]) -> Decimal:
    """Add the terms, insisting each is smaller than the unit before it.

    "26 लाख 4 हजार" and "55 हजार 236" add up naturally; "500 600" or "2 lakh 3 lakh"
    do not describe one amount, so they are refused rather than guessed.
    """
    total = Decimal(0)
    ceiling: Decimal | None = None
    for index, (coefficient, multiplier) in enumerate(terms):
        if multiplier is None and index != len(terms) - 1:
            raise _unreadable()
        value = coefficient * (multiplier or 1)
        if index > 0 and (ceiling is None or value >= ceiling):
            raise _unreadable()
        ceiling = multiplier
        total += value
    return total


def parse_amount(text: str) -> Decimal:
    """Return the amount in rupees, rounded half-up to paise.

    Currency markers (₹, Rs., INR, रु, rupees, /-) may come before or after the
    number and are ignored; a leading minus is reported separately because it
    usually means the victim copied a statement column, not that the text is noise.
    """
    if len(text) > _MAX_LENGTH * 2:
        raise _unreadable()
    body = fold_text(text).rstrip(".!")
    if len(body) > _MAX_LENGTH:
        raise _unreadable()
    negative = _NEGATIVE_RE.match(body)
    body = body[negative.end() :] if negative else body
    body = _PREFIX_RE.sub("", body)
    if not negative and (negative := _NEGATIVE_RE.match(body)):
        body = body[negative.end() :]
    body = _SUFFIX_RE.sub("", body).strip()
    if not body:
        raise _unreadable()
    total = _total(_terms(body))
    if negative and total != 0:
        raise ValidationError("error.amount.negative")
    if total > MAX_AMOUNT:
        raise ValidationError("error.amount.too_large", maximum=MAX_AMOUNT)
    rupees = total.quantize(_PAISE, rounding=ROUND_HALF_UP)
    if rupees == 0:
        raise ValidationError("error.amount.zero")
    if rupees > MAX_AMOUNT:
        raise ValidationError("error.amount.too_large", maximum=MAX_AMOUNT)
    return rupees
