"""Short replies that answer a question without a value: yes, no, don't know, same as
before, and "no money was lost".

Frightened people rarely press the button; they type "haan", "pta nhi", "नहीं पता",
"हाँ उसी समय" or "kuch nahi gaya". Each step decides what such a reply means there
("don't know" skips where skipping is allowed), so this module only recognises them.

The rule that keeps a description from being taken for a reply: a reply is the *whole*
answer. At most six words, and once polite words ("ji", "sir", "please") are set aside
what remains must be one of the phrases in `vocabulary`. "pata nahi" is DONT_KNOW;
"mujhe pata nahi tha ki wo fraud hai, usne call kiya" is a description, not a reply.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from bot.domain.parsing.digits import plain_words
from bot.domain.parsing.vocabulary import (
    DONT_KNOW_PHRASES,
    NO_PHRASES,
    NOTHING_LOST_PHRASES,
    REPLY_FILLERS,
    SAME_PHRASES,
    YES_PHRASES,
)

__all__ = ["MAX_REPLY_WORDS", "Reply", "read_reply"]

MAX_REPLY_WORDS = 6
_THUMBS = {"👍": "yes", "👍🏻": "yes", "👍🏽": "yes", "👎": "no"}


class Reply(StrEnum):
    YES = "yes"
    NO = "no"
    DONT_KNOW = "dont_know"  # "I don't know it" or "I don't have it": skip where allowed
    SAME = "same"  # the same as the answer before ("same time", "उसी समय")
    NOTHING_LOST = "nothing_lost"  # no money left the account ("kuch nahi gaya")


@cache
def _phrases() -> dict[str, Reply]:
    tables = (
        (Reply.YES, YES_PHRASES),
        (Reply.NO, NO_PHRASES),
        (Reply.DONT_KNOW, DONT_KNOW_PHRASES),
        (Reply.SAME, SAME_PHRASES),
        (Reply.NOTHING_LOST, NOTHING_LOST_PHRASES),
    )
    index: dict[str, Reply] = {}
    for reply, phrases in tables:
        for phrase in phrases:
            key = plain_words(phrase)
            if key:
                index.setdefault(key, reply)
    return index


def read_reply(text: str) -> Reply | None:
    """The reply `text` is, or None when it is anything else (a value, a sentence)."""
    stripped = text.strip()
    if stripped in _THUMBS:
        return Reply(_THUMBS[stripped])
    words = plain_words(text).split()
    if not words or len(words) > MAX_REPLY_WORDS:
        return None
    phrases = _phrases()
    whole = " ".join(words)
    if whole in phrases:
        return phrases[whole]
    meaningful = " ".join(word for word in words if word not in REPLY_FILLERS)
    return phrases.get(meaningful)
