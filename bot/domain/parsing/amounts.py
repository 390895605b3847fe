"""Read a rupee amount the way people in India actually write it.

A victim answering "how much was taken?" may copy the figure from a bank SMS
("INR 50,000.00"), write it with Indian grouping ("₹1,95,000"), or say it in words
mixed with digits ("2.5 lakh", "26 लाख 4 हजार", "paanch hazaar", "डेढ़ लाख", "saadhe teen
lakh"). Rejecting any of these costs minutes inside the golden hour, so the parser
accepts all of them but refuses anything it would have to guess at, such as two
unrelated numbers. A dot followed by three digits ("75.000") is how many people separate
thousands, so it is never silently read as a decimal point.

`parse_amount` reads an answer that is only an amount; `bot.domain.parsing.amount_reading`
finds one inside a sentence and says how sure it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bot.domain.errors import ValidationError
from bot.domain.parsing.digits import fold_spelling
from bot.domain.parsing.vocabulary import (
    AMOUNT_UNITS,
    CURRENCY_WORDS,
    ENGLISH_TENS,
    FRACTION_MODIFIERS,
    FRACTION_WORDS,
    NUMBER_WORDS,
)

__all__ = ["LARGE_AMOUNT", "MAX_AMOUNT", "Amount", "amount_of", "parse_amount"]

MAX_AMOUNT = Decimal("1000000000")  # ₹100 crore: far above any single fraud transfer.
LARGE_AMOUNT = Decimal("1000000")  # over ₹10 lakh a typo costs most: confirm it.
# Longer answers are sentences, not amounts; refusing them early bounds the work done.
_MAX_LENGTH = 100
_PAISE = Decimal("0.01")
_HALF = Decimal("0.5")


def _folded(table: dict[str, Decimal] | dict[str, int]) -> dict[str, Decimal]:
    return {fold_spelling(word): Decimal(value) for word, value in table.items()}


_UNITS = _folded(AMOUNT_UNITS)
_NUMBERS = _folded(NUMBER_WORDS)
_FRACTIONS = _folded(FRACTION_WORDS)
_MODIFIERS = _folded(FRACTION_MODIFIERS)
_ONES = {word for word, value in _NUMBERS.items() if word.isascii() and value < 10}

_LETTER = r"a-z\u0900-\u097f"
_END = rf"(?![{_LETTER}])"


def _alternation(words: object) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_UNIT_ALT = _alternation(_UNITS)
_WORD_ALT = _alternation({*_NUMBERS, *_FRACTIONS, *_MODIFIERS})
CURRENCY = "(?:" + _alternation({fold_spelling(word) for word in CURRENCY_WORDS}) + ")"
_HALF_TAIL = r"(?:\s+(?:and|aur|और)\s+(?:a\s+)?(?:half|aadha|adha|आधा))"
NUMBER = r"[0-9][0-9,]*(?:\.[0-9]+)*|\.[0-9]+"
# One term: a number or number words, with an optional multiplier ("26 लाख", "5k", "236",
# "paanch hazaar", "one and a half lakh"). Number words need their multiplier.
TERM = (
    rf"(?:(?P<num>{NUMBER})\s*(?P<unit>(?:{_UNIT_ALT}){_END})?"
    rf"|(?P<words>(?:{_WORD_ALT}){_END}(?:\s+(?:{_WORD_ALT}){_END})*{_HALF_TAIL}?)"
    rf"\s*(?P<wunit>(?:{_UNIT_ALT}){_END}))"
)
_TERM_RE = re.compile(TERM)
_JOINER_RE = re.compile(r"\s*(?:(?:and|aur|और|\+)\s*)?")
_PREFIX_RE = re.compile(rf"^{CURRENCY}\s*")
# The lookbehind keeps "crores" from losing its "rs" to the currency suffix.
_SUFFIX_RE = re.compile(rf"(?:\s*(?:/-|(?<![{_LETTER}])(?:only|{CURRENCY})))+$")
_NEGATIVE_RE = re.compile(r"^[-−–]\s*")
# Both 1,95,000 (Indian) and 195,000 (western) groupings; anything else is a typo.
_GROUPED_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}")
_DOT_GROUPED_RE = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]?(?:\.[0-9]{2})*\.[0-9]{3}")


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount as read: `dotted` when a dot was read as separating thousands."""

    rupees: Decimal
    dotted: bool = False


def _unreadable() -> ValidationError:
    return ValidationError("error.amount.unreadable")


def _number(raw: str, has_unit: bool) -> tuple[Decimal, bool]:
    """Turn "1,95,000.50" into a Decimal; "75.000" is 75,000 read with a dot (True).

    A dot before exactly three digits, after at most three digits that do not start with
    0, is how much of the world writes thousands; with a unit after it ("1.500 lakh") it
    can only be a decimal point. "1.95.000" is grouping with dots.
    """
    if raw.count(".") > 1:
        if "," in raw or not _DOT_GROUPED_RE.fullmatch(raw):
            raise _unreadable()
        return Decimal(raw.replace(".", "")), True
    whole, _, fraction = raw.partition(".")
    if "," in whole and not _GROUPED_RE.fullmatch(whole):
        raise _unreadable()
    whole = whole.replace(",", "")
    if (
        not has_unit
        and len(fraction) == 3
        and 1 <= len(whole) <= 3
        and not whole.startswith("0")
        and "," not in raw
    ):
        return Decimal(whole + fraction), True
    return Decimal(raw.replace(",", "")), False


def _words_value(phrase: str) -> Decimal:
    """ "saadhe teen" 3.5, "twenty five" 25, "dedh" 1.5, "one and a half" 1.5."""
    words = phrase.split()
    half = Decimal(0)
    if len(words) >= 3 and words[-1] in {"half", "aadha", "adha", "आधा"}:
        half = _HALF
        words = words[: -3 if words[-2] == "a" else -2]
    shift = Decimal(0)
    if words and words[0] in _MODIFIERS:
        shift, words = _MODIFIERS[words[0]], words[1:]
    if len(words) == 1 and words[0] in _FRACTIONS and not shift and not half:
        return _FRACTIONS[words[0]]
    if not words or any(word not in _NUMBERS for word in words):
        raise _unreadable()
    if len(words) == 2 and words[0] in ENGLISH_TENS and words[1] in _ONES:
        value = _NUMBERS[words[0]] + _NUMBERS[words[1]]
    elif len(words) == 1:
        value = _NUMBERS[words[0]]
    else:
        raise _unreadable()
    if shift and value < 1:
        raise _unreadable()
    return value + shift + half


def _term(match: re.Match[str]) -> tuple[Decimal, Decimal | None, bool]:
    """(coefficient, multiplier, dotted) of one term."""
    if match["words"]:
        return _words_value(match["words"]), _UNITS[match["wunit"]], False
    unit = match["unit"]
    coefficient, dotted = _number(match["num"], has_unit=bool(unit))
    return coefficient, (_UNITS[unit] if unit else None), dotted


def _terms(body: str) -> list[tuple[Decimal, Decimal | None, bool]]:
    """Split "1 करोड़ 20 लाख" into (coefficient, multiplier, dotted) triples or refuse."""
    terms: list[tuple[Decimal, Decimal | None, bool]] = []
    position = 0
    while position < len(body):
        joiner = _JOINER_RE.match(body, position) if terms else None
        if joiner is not None:
            position = joiner.end()
        match = _TERM_RE.match(body, position)
        if match is None or match.end() == position:
            raise _unreadable()
        terms.append(_term(match))
        position = match.end()
        if position < len(body) and not body[position].isspace() and body[position] != "+":
            raise _unreadable()
    return terms


def _total(terms: list[tuple[Decimal, Decimal | None, bool]]) -> Amount:
    """Add the terms, insisting each is smaller than the unit before it.

    "26 लाख 4 हजार" and "55 हजार 236" add up naturally; "500 600" or "2 lakh 3 lakh"
    do not describe one amount, so they are refused rather than guessed.
    """
    total = Decimal(0)
    ceiling: Decimal | None = None
    for index, (coefficient, multiplier, _dotted) in enumerate(terms):
        if multiplier is None and index != len(terms) - 1:
            raise _unreadable()
        value = coefficient * (multiplier or 1)
        if index > 0 and (ceiling is None or value >= ceiling):
            raise _unreadable()
        ceiling = multiplier
        total += value
    return Amount(total, dotted=any(dotted for *_rest, dotted in terms))


def _bounded(amount: Amount) -> Amount:
    if amount.rupees > MAX_AMOUNT:
        raise ValidationError("error.amount.too_large", maximum=MAX_AMOUNT)
    rupees = amount.rupees.quantize(_PAISE, rounding=ROUND_HALF_UP)
    if rupees == 0:
        raise ValidationError("error.amount.zero")
    if rupees > MAX_AMOUNT:
        raise ValidationError("error.amount.too_large", maximum=MAX_AMOUNT)
    return Amount(rupees, amount.dotted)


def amount_of(body: str) -> Amount:
    """The amount `body` (folded, without currency words) says, within bounds, or refuse."""
    if not body:
        raise _unreadable()
    return _bounded(_total(_terms(body)))


def read_whole_amount(text: str) -> Amount:
    """The amount when `text` is nothing but an amount with its currency words."""
    if len(text) > _MAX_LENGTH * 2:
        raise _unreadable()
    body = fold_spelling(text).rstrip(".!")
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
    amount = _total(_terms(body))
    if negative and amount.rupees != 0:
        raise ValidationError("error.amount.negative")
    return _bounded(amount)


def parse_amount(text: str) -> Decimal:
    """Return the amount in rupees, rounded half-up to paise.

    Currency markers (₹, Rs., INR, रु, rupees, /-) may come before or after the
    number and are ignored; a leading minus is reported separately because it
    usually means the victim copied a statement column, not that the text is noise.
    "75.000" is refused (`error.amount.dot`): it was once stored as ₹75 when the victim
    meant ₹75,000; `read_amount` reads it as 75,000 and asks to confirm.
    """
    amount = read_whole_amount(text)
    if amount.dotted:
        raise ValidationError("error.amount.dot")
    return amount.rupees
