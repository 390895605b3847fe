"""Read the kind of fraud from everyday words: "online shopping me thagi", "शॉपिंग",
"loan app wale", "video call pe blackmail", "bijli bill ka message".

The answer picks the complaint's category (the ids of `handlers.answers.CATEGORY_MODES`),
which decides the questions that follow. Two categories named in one answer are not
guessed between: the person chooses.
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.domain.parsing.digits import plain_words
from bot.domain.parsing.replies import read_reply
from bot.domain.parsing.vocabulary import CATEGORY_HINTS, CATEGORY_WORDS
from bot.domain.payments import Reading

__all__ = ["read_category"]

_MAX_WORDS = 40
# Typos are tolerated only in words this long: "job" and "sim" must be typed right.
_FUZZY_MIN_LENGTH = 6


@cache
def _index() -> dict[str, str]:
    return {
        plain_words(word): category for category, words in CATEGORY_WORDS.items() for word in words
    }


@cache
def _longest() -> int:
    return max(len(key.split()) for key in _index())


@cache
def _single_words() -> list[str]:
    return [key for key in _index() if " " not in key and len(key) >= _FUZZY_MIN_LENGTH]


def _named(words: list[str]) -> list[tuple[str, str]]:
    """(category, phrase) for each phrase in the answer, longest first, left to right."""
    found: list[tuple[str, str]] = []
    position = 0
    while position < len(words):
        for size in range(min(_longest(), len(words) - position), 0, -1):
            phrase = " ".join(words[position : position + size])
            if phrase in _index():
                found.append((_index()[phrase], phrase))
                position += size
                break
        else:
            position += 1
    return found


def _typo(word: str) -> str | None:
    """The one category word within one typo of `word` ("shoping", "sextorsion")."""
    if len(word) < _FUZZY_MIN_LENGTH:
        return None
    matches = process.extract(word, _single_words(), scorer=Levenshtein.distance,
                              score_cutoff=1, limit=4)  # fmt: skip
    categories = {_index()[key] for key, _distance, _i in matches}
    return categories.pop() if len(categories) == 1 else None


def read_category(text: str) -> Reading[str] | None:
    """The category the answer names, or None when it names none or several.

    Sure when named by a clear word or phrase; unsure (`unsure.category.guess`) when only
    a hint ("call", "order", "card") or a misspelt word points at it.
    """
    words = plain_words(text).split()
    if not words or len(words) > _MAX_WORDS or read_reply(text) is not None:
        return None
    named = _named(words)
    categories = {category for category, _phrase in named}
    if len(categories) > 1:
        return None
    if categories:
        if all(phrase in CATEGORY_HINTS for _category, phrase in named):
            return Reading(categories.pop(), sure=False, why="unsure.category.guess")
        return Reading(categories.pop())
    guesses = {category for word in words if (category := _typo(word))}
    if len(guesses) == 1:
        return Reading(guesses.pop(), sure=False, why="unsure.category.guess")
    return None
