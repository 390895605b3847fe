"""Digit and text folding shared by every parser.

Victims type on phone keyboards set to Hindi, Marathi, Bengali or Tamil, and paste
text copied from apps that use full-width or styled characters. Folding all of that
to plain ASCII digits and one canonical spelling once, here, lets the parsers keep
simple ASCII regular expressions instead of each handling every script.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_spelling", "fold_text", "plain_words", "to_ascii_digits"]

# NFKC splits precomposed nukta letters (ज़ U+095B) into base + U+093C; people type
# either spelling (हज़ार / हजार, करोड़ / करोड), so dropping the sign makes them equal.
_NUKTA = "\u093c"
_WHITESPACE_RE = re.compile(r"\s+")
# Chandrabindu is typed as anusvara by many keyboards (हाँ / हां, पाँच / पांच); zero-width
# joiners only change how a conjunct is drawn.
_SPELLING = str.maketrans({"\u0901": "\u0902", "\u200c": None, "\u200d": None})


def _ascii_digit(char: str) -> str:
    """Map one character to its ASCII digit when Unicode says it is a decimal digit.

    `unicodedata.decimal` only answers for characters usable in positional numbers,
    so superscripts or circled numbers are not turned into digits by accident.
    """
    value = unicodedata.decimal(char, None)
    return char if value is None else str(value)


def to_ascii_digits(text: str) -> str:
    """Return `text` NFKC-normalised with every decimal digit (०-९, ০-৯, ...) as 0-9.

    NFKC first, so full-width forms such as "１２３" and "ＵＰＩ" become ASCII too;
    then any remaining script digit is replaced one for one. The rest of the text
    is kept, so callers can still read letters, separators and units around digits.
    """
    normalised = unicodedata.normalize("NFKC", text)
    if normalised.isascii():
        return normalised
    return "".join(_ascii_digit(char) for char in normalised)


def fold_text(text: str) -> str:
    """Fold free text for keyword matching: ASCII digits, lower case, no nukta, one space.

    Parsers that look for words ("lakh", "कल", "otp") match against this form so a
    capital letter, a doubled space or a nukta typed one way or the other never
    decides whether an answer is understood.
    """
    folded = to_ascii_digits(text).replace(_NUKTA, "").casefold()
    return _WHITESPACE_RE.sub(" ", folded).strip()


def fold_spelling(text: str) -> str:
    """`fold_text`, and one spelling for signs typed two ways (पाँच / पांच): for readers
    that keep punctuation (amounts, times) but compare words."""
    return fold_text(text).translate(_SPELLING)


def plain_words(text: str) -> str:
    """Fold text to words only: `fold_text`, one spelling of nasal signs, punctuation and
    symbols as spaces ("हाँ, जी!" -> "हां जी").

    Readers of short replies and names compare whole words, so a comma, an emoji or a
    danda (।) typed after a word must not make it a different word.
    """
    folded = fold_spelling(text)
    kept = "".join(char if unicodedata.category(char)[0] in "LMN" else " " for char in folded)
    return " ".join(kept.split())
