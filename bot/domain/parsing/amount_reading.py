"""Find the amount in what a victim typed, and say how sure the reading is.

"mere account se 5000 kat gaye" and "₹15,000 gaye" are answers to "how much?", not
noise; "usne 2 baar 5000 liye" is two debits, which is refused rather than guessed.
Numbers that are dates, times, counts, phone numbers, references or account digits are
set aside before the amount is chosen, and two different amounts are refused.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from bot.domain.errors import ValidationError
from bot.domain.parsing.amounts import (
    CURRENCY,
    LARGE_AMOUNT,
    TERM,
    Amount,
    amount_of,
    read_whole_amount,
)
from bot.domain.parsing.digits import fold_spelling, plain_words
from bot.domain.parsing.replies import Reply, read_reply
from bot.domain.parsing.vocabulary import MONEY_WORDS, NUMBER_WORDS, TIMES_WORDS
from bot.domain.payments import Reading

__all__ = ["read_amount"]

# A pasted SMS is read by the SMS reader; this bounds the work on anything longer.
_MAX_LENGTH = 500
_LETTER = r"a-z\u0900-\u097f"
# One term with its currency words, not glued to a word, an id or a date around it.
_TERM_IN_TEXT_RE = re.compile(
    rf"(?<![0-9{_LETTER}@/:.,\-+#*_])(?P<cur>{CURRENCY}\s*)?(?P<term>{TERM})"
    rf"(?P<suffix>\s*(?:/-|{CURRENCY}(?![{_LETTER}])))?(?![0-9{_LETTER}@/:_]|[.,\-][0-9])"
)
_JOINER_ONLY_RE = re.compile(r"\s*(?:(?:and|aur|और|\+)\s*)?")
_WORD_BEFORE_RE = re.compile(rf"([{_LETTER}/]+)[\s:.#\-=]*$")
_WORD_AFTER_RE = re.compile(rf"^\s*([{_LETTER}]+)")
# A number just after one of these is an id, a code or account digits, not rupees.
_LABELS = frozenset({
    "ac", "a/c", "acct", "account", "khata", "खाता", "utr", "ref", "refno", "rrn", "txn",
    "id", "no", "number", "num", "otp", "pin", "mobile", "mob", "phone", "call", "upi",
    "ifsc", "cvv", "ओटीपी", "नंबर", "नम्बर", "x", "xx", "xxx", "ending", "card", "last",
    "ack", "complaint", "ticket", "order", "tarikh", "तारीख", "date", "dinank", "दिनांक",
})  # fmt: skip
# A number just before one of these is a time, a date or a duration.
_TIME_WORDS = frozenset({
    "din", "dino", "dinon", "ghante", "ghanta", "ghnte", "minute", "minutes", "min", "mins",
    "mint", "hours", "hour", "hrs", "hr", "days", "day", "baje", "bje", "baj", "am", "pm",
    "बजे", "बज", "दिन", "घंटे", "घंटा", "मिनट", "saal", "sal", "years", "year", "mahine",
    "mahina", "months", "month", "week", "weeks", "hafte", "hafta", "tarikh", "तारीख",
    "साल", "महीने", "हफ्ते", "number", "no", "log", "people", "jan", "feb", "mar", "apr",
    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november",
    "december", "percent", "pratishat", "%", "baar", "bar", "times",
})  # fmt: skip


def _counted_in_words(words: list[str]) -> bool:
    """ "do baar", "teen times": money went more than once, said in words."""
    return any(
        NUMBER_WORDS.get(word, 0) >= 2 and following in TIMES_WORDS
        for word, following in itertools.pairwise(words)
    )


def _several() -> ValidationError:
    return ValidationError("error.amount.several")


def _is_id_like(match: re.Match[str]) -> bool:
    """Nine or more bare digits: a phone, account or reference number, never rupees."""
    digits = (match["num"] or "").replace(",", "")
    return not match["cur"] and not match["suffix"] and len(digits.split(".")[0]) >= 9


def _candidates(folded: str) -> tuple[list[re.Match[str]], bool]:
    """Terms that can be rupees, and whether a count said money went more than once."""
    kept: list[re.Match[str]] = []
    repeated = False
    for match in _TERM_IN_TEXT_RE.finditer(folded):
        before = _WORD_BEFORE_RE.search(folded, 0, match.start())
        after = _WORD_AFTER_RE.match(folded[match.end() :])
        word_before = before[1] if before else ""
        word_after = after[1] if after else ""
        marked = bool(match["cur"] or match["suffix"])
        if word_after in TIMES_WORDS and not marked:
            num = match["num"] or ""
            repeated = repeated or (num.isdigit() and int(num) >= 2) or bool(match["words"])
            continue
        if not marked and (word_before in _LABELS or word_after in _TIME_WORDS):
            continue
        if _is_id_like(match):
            continue
        kept.append(match)
    return kept, repeated


def _group(folded: str, terms: list[re.Match[str]]) -> list[tuple[Amount, bool]]:
    """Join neighbouring terms that make one amount ("26 लाख 4 हजार") and read each;
    (amount, marked by currency or unit) for every amount found."""
    amounts: list[tuple[Amount, bool]] = []
    start = 0
    while start < len(terms):
        end = start + 1
        while end < len(terms) and _JOINER_ONLY_RE.fullmatch(
            folded[terms[end - 1].end("term") : terms[end].start("term")]
        ):
            end += 1
        for stop in range(end, start, -1):
            body = folded[terms[start].start("term") : terms[stop - 1].end("term")]
            try:
                amount = amount_of(body)
            except ValidationError as error:
                if stop == start + 1 and error.msgid != "error.amount.unreadable":
                    raise
                continue
            chosen = terms[start:stop]
            marked = any(m["cur"] or m["suffix"] or m["unit"] or m["words"] for m in chosen)
            amounts.append((amount, marked))
            start = stop
            break
        else:
            start += 1
    return amounts


def _reading(amount: Amount, sure_of_money: bool) -> Reading[Decimal]:
    if amount.dotted:
        return Reading(amount.rupees, sure=False, why="unsure.amount.dot")
    if amount.rupees > LARGE_AMOUNT:
        return Reading(amount.rupees, sure=False, why="unsure.amount.large")
    if not sure_of_money:
        return Reading(amount.rupees, sure=False, why="unsure.amount.in_sentence")
    return Reading(amount.rupees)


def read_amount(text: str) -> Reading[Decimal]:
    """The amount of one debit in `text`, alone or inside a sentence.

    Unsure (`why` says what to confirm): a dot read as a thousands separator
    ("75.000" -> 75,000), more than ₹10 lakh, or a bare number in a sentence without a
    word about money. Refused with `ValidationError`: no amount (`error.amount.unreadable`),
    zero or "kuch nahi gaya" (`error.amount.zero`: the caller offers the no-loss path),
    two different amounts or "2 baar" (`error.amount.several`), and the bounds of
    `parse_amount`.
    """
    if read_reply(text) is Reply.NOTHING_LOST:
        raise ValidationError("error.amount.zero")
    try:
        return _reading(read_whole_amount(text), sure_of_money=True)
    except ValidationError as error:
        if error.msgid != "error.amount.unreadable":
            raise
    if len(text) > _MAX_LENGTH:
        raise ValidationError("error.amount.unreadable")
    folded = fold_spelling(text)
    terms, repeated = _candidates(folded)
    amounts = _group(folded, terms)
    values = {amount.rupees for amount, _marked in amounts}
    words = plain_words(text).split()
    if repeated or len(values) > 1 or _counted_in_words(words):
        raise _several()
    if not amounts:
        raise ValidationError("error.amount.unreadable")
    money_talk = bool(MONEY_WORDS & set(words))
    amount = amounts[0][0]
    return _reading(amount, sure_of_money=money_talk or any(m for _a, m in amounts))
